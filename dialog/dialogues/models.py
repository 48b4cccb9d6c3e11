"""Dialogues: citizen dialogues, workshops and online consultations feeding a goal framework,
with their audiences, focus goals, responsible facilitators, registrations, headcounts and
the feedback report.

Translatable content has one column per language, ``<field>_sv`` (required) and
``<field>_en`` (optional); read it with ``dialog.core.i18n.localized``. Rich text is
sanitised once on write and kept twice: ``…_html`` and the plain ``…_text``.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.accounts.models import User
from dialog.core.i18n import _l
from dialog.core.models import MAX_EMAIL_LENGTH, UTCDateTime, utcnow
from dialog.core.slugs import MAX_SLUG_LENGTH
from dialog.extensions import Model, db
from dialog.goals.models import Framework, Goal

# Column sizes, and the limits of the texts kept in Text columns; forms and services use these.
MAX_DIALOGUE_TITLE_LENGTH = 200
MAX_RICH_TEXT_LENGTH = 20_000
MAX_PLACE_NAME_LENGTH = 200
MAX_ADDRESS_LENGTH = 300
MAX_DECISIONS_LENGTH = 300
MAX_REGISTRANT_NAME_LENGTH = 100
MAX_HEADCOUNT = 100_000


class DialogueFormat(enum.StrEnum):
    CITIZEN_DIALOGUE = "citizen_dialogue"
    WORKSHOP = "workshop"
    ONLINE_CONSULTATION = "online_consultation"


class Group(enum.StrEnum):
    """A group of people: a dialogue's audience, a note's origin, a headcount's row."""

    RESIDENTS = "residents"
    YOUTH = "youth"
    SENIORS = "seniors"
    BUSINESSES = "businesses"
    ASSOCIATIONS = "associations"
    POLITICIANS = "politicians"
    MANAGERS = "managers"
    UNIONS = "unions"
    OTHER = "other"


class Level(enum.StrEnum):
    """The step on the participation ladder, from the least influence to the most."""

    INFORM = "inform"
    CONSULT = "consult"
    DIALOGUE = "dialogue"
    INFLUENCE = "influence"
    CO_DECIDE = "co_decide"


class DialogueStatus(enum.StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"
    REPORTED = "reported"


class Moderation(enum.StrEnum):
    """Whether residents' input is checked before it is shown, or may be hidden after."""

    BEFORE = "before"
    AFTER = "after"


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


FORMAT_LABELS = {
    DialogueFormat.CITIZEN_DIALOGUE: _l("Citizen dialogue"),
    DialogueFormat.WORKSHOP: _l("Workshop"),
    DialogueFormat.ONLINE_CONSULTATION: _l("Online consultation"),
}
GROUP_LABELS = {
    Group.RESIDENTS: _l("Residents"),
    Group.YOUTH: _l("Young people"),
    Group.SENIORS: _l("Seniors"),
    Group.BUSINESSES: _l("Businesses"),
    Group.ASSOCIATIONS: _l("Associations"),
    Group.POLITICIANS: _l("Politicians"),
    Group.MANAGERS: _l("Managers"),
    Group.UNIONS: _l("Unions"),
    Group.OTHER: _l("Others"),
}
LEVEL_LABELS = {
    Level.INFORM: _l("Inform"),
    Level.CONSULT: _l("Consult"),
    Level.DIALOGUE: _l("Dialogue"),
    Level.INFLUENCE: _l("Influence"),
    Level.CO_DECIDE: _l("Co-decide"),
}
# What a resident's input can and cannot change, in plain words, per step of the ladder.
LEVEL_EXPLANATIONS = {
    Level.INFORM: _l(
        "We tell you about a decision or a plan. You cannot send input here; the decision is "
        "already made or is made elsewhere."
    ),
    Level.CONSULT: _l(
        "We ask for your views before we decide. The politicians read what you say, but they "
        "make the decision, and your input may or may not change it."
    ),
    Level.DIALOGUE: _l(
        "We talk together and listen to each other's reasons. What is said is written down "
        "and given to the politicians, who weigh it in before they decide."
    ),
    Level.INFLUENCE: _l(
        "Your input is part of the work from the start and shapes the proposal the "
        "politicians decide on. They still make the final decision."
    ),
    Level.CO_DECIDE: _l(
        "You decide together with the municipality, within the limits set in advance, such "
        "as a budget. The council has promised to follow the result."
    ),
}
STATUS_LABELS = {
    DialogueStatus.PLANNED: _l("Planned"),
    DialogueStatus.OPEN: _l("Open for input"),
    DialogueStatus.CLOSED: _l("Closed"),
    DialogueStatus.REPORTED: _l("Reported back"),
}
MODERATION_LABELS = {
    Moderation.BEFORE: _l("Checked before it is published"),
    Moderation.AFTER: _l("Published at once, checked afterwards"),
}
REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Has a place"),
    RegistrationStatus.WAITING: _l("On the waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}

dialogue_facilitators = Table(
    "dialogue_facilitators",
    db.metadata,
    Column("dialogue_id", ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


_GROUP_ORDER = {group.value: position for position, group in enumerate(Group)}


class Dialogue(Model):
    """A participation activity that feeds one goal framework."""

    __tablename__ = "dialogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(MAX_SLUG_LENGTH), unique=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"), index=True)
    title_sv: Mapped[str] = mapped_column(String(MAX_DIALOGUE_TITLE_LENGTH))
    title_en: Mapped[str | None] = mapped_column(String(MAX_DIALOGUE_TITLE_LENGTH))
    description_html_sv: Mapped[str] = mapped_column(Text, default="")
    description_text_sv: Mapped[str] = mapped_column(Text, default="")
    description_html_en: Mapped[str | None] = mapped_column(Text)
    description_text_en: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(30), index=True)
    level: Mapped[str] = mapped_column(String(20))
    # What this dialogue's input can and cannot change, beyond the ladder's general words.
    influence_sv: Mapped[str | None] = mapped_column(Text)
    influence_en: Mapped[str | None] = mapped_column(Text)
    place_name: Mapped[str | None] = mapped_column(String(MAX_PLACE_NAME_LENGTH))
    address: Mapped[str | None] = mapped_column(String(MAX_ADDRESS_LENGTH))
    accessibility_sv: Mapped[str | None] = mapped_column(Text)
    accessibility_en: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderation: Mapped[str] = mapped_column(String(10), default=Moderation.BEFORE.value)
    registration_enabled: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int | None]
    status: Mapped[str] = mapped_column(
        String(20), default=DialogueStatus.PLANNED.value, index=True
    )
    # Demo data, marked as such on its pages.
    is_example: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    framework: Mapped[Framework] = relationship()
    facilitators: Mapped[list[User]] = relationship(
        secondary=dialogue_facilitators, order_by=User.display_name
    )
    focus_links: Mapped[list[DialogueGoal]] = relationship(
        back_populates="dialogue",
        cascade="all, delete-orphan",
        order_by="DialogueGoal.position",
    )
    audience_links: Mapped[list[DialogueAudience]] = relationship(
        cascade="all, delete-orphan", order_by="DialogueAudience.audience"
    )
    headcounts: Mapped[list[Headcount]] = relationship(
        back_populates="dialogue", cascade="all, delete-orphan", order_by="Headcount.group"
    )
    report: Mapped[FeedbackReport | None] = relationship(
        back_populates="dialogue", cascade="all, delete-orphan", uselist=False
    )

    def __repr__(self) -> str:
        return f"<Dialogue {self.slug} {self.status}>"

    @property
    def focus_goals(self) -> list[Goal]:
        return [link.goal for link in self.focus_links]

    @property
    def audiences(self) -> list[str]:
        """The audience codes in the order of the Group list (residents first)."""
        codes = [link.audience for link in self.audience_links]
        return sorted(codes, key=lambda code: _GROUP_ORDER.get(code, len(_GROUP_ORDER)))

    @property
    def facilitator_ids(self) -> frozenset[int]:
        return frozenset(user.id for user in self.facilitators)

    @property
    def total_headcount(self) -> int:
        return sum(row.count for row in self.headcounts)

    @property
    def published_report(self) -> FeedbackReport | None:
        report = self.report
        return report if report is not None and report.published_at is not None else None

    @property
    def only_informs(self) -> bool:
        """At the inform level of the ladder: it tells, and takes no input."""
        return self.level == Level.INFORM

    @property
    def informs_only(self) -> bool:
        """At the inform level: it takes no input at all."""
        return self.level == Level.INFORM

    @property
    def publishes_at_once(self) -> bool:
        """Residents' input is published at once and checked afterwards."""
        return self.moderation == Moderation.AFTER

    def takes_input(self) -> bool:
        """Input (notes on the day included) only while open, and never at the inform level."""
        return not self.informs_only and self.status == DialogueStatus.OPEN

    def takes_online_input(self, now: datetime | None = None) -> bool:
        """Residents' online input: open, and inside the window when one is set."""
        now = now or utcnow()
        if not self.takes_input():
            return False
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at

    @property
    def is_event(self) -> bool:
        """An in-person event: something with a start time one can come to."""
        return self.starts_at is not None and self.format != DialogueFormat.ONLINE_CONSULTATION


class DialogueGoal(Model):
    """A goal a dialogue asks about (its focus goals), in the order they are presented."""

    __tablename__ = "dialogue_goals"

    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True
    )
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    dialogue: Mapped[Dialogue] = relationship(back_populates="focus_links")
    goal: Mapped[Goal] = relationship()

    def __repr__(self) -> str:
        return f"<DialogueGoal {self.dialogue_id}→{self.goal_id}>"


class DialogueAudience(Model):
    """One audience group a dialogue is meant for."""

    __tablename__ = "dialogue_audiences"

    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True
    )
    audience: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<DialogueAudience {self.dialogue_id} {self.audience}>"


class Headcount(Model):
    """How many people of one group took part."""

    __tablename__ = "dialogue_headcounts"

    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True
    )
    group: Mapped[str] = mapped_column(String(30), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)

    dialogue: Mapped[Dialogue] = relationship(back_populates="headcounts")

    def __repr__(self) -> str:
        return f"<Headcount {self.dialogue_id} {self.group}={self.count}>"


class Registration(Model):
    """A sign-up for an in-person event. Personal data: never shown in public."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("cancel_token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(MAX_REGISTRANT_NAME_LENGTH))
    email: Mapped[str] = mapped_column(String(MAX_EMAIL_LENGTH))
    needs: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    # The language the registrant used, for the emails they get.
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    cancel_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dialogue: Mapped[Dialogue] = relationship()

    def __repr__(self) -> str:
        return f"<Registration {self.id} dialogue={self.dialogue_id} {self.status}>"

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_cancelled(self) -> bool:
        return self.status == RegistrationStatus.CANCELLED

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING


class FeedbackReport(Model):
    """The feedback (återkoppling) after a dialogue: what was heard and what happens next."""

    __tablename__ = "feedback_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogues.id", ondelete="CASCADE"), unique=True
    )
    heard_html_sv: Mapped[str] = mapped_column(Text, default="")
    heard_text_sv: Mapped[str] = mapped_column(Text, default="")
    heard_html_en: Mapped[str | None] = mapped_column(Text)
    heard_text_en: Mapped[str | None] = mapped_column(Text)
    next_steps_html_sv: Mapped[str] = mapped_column(Text, default="")
    next_steps_text_sv: Mapped[str] = mapped_column(Text, default="")
    next_steps_html_en: Mapped[str | None] = mapped_column(Text)
    next_steps_text_en: Mapped[str | None] = mapped_column(Text)
    decisions_expected_sv: Mapped[str] = mapped_column(String(MAX_DECISIONS_LENGTH), default="")
    decisions_expected_en: Mapped[str | None] = mapped_column(String(MAX_DECISIONS_LENGTH))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    dialogue: Mapped[Dialogue] = relationship(back_populates="report")

    def __repr__(self) -> str:
        return f"<FeedbackReport dialogue={self.dialogue_id} published={self.published_at}>"
