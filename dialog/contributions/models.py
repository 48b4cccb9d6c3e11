"""Contributions: every input, whatever its kind, in one table, and their links to goals.

Single-table inheritance on ``kind``: ``WorkshopNote`` is the first kind; proposals,
comments and page comments will be further subclasses of ``Contribution`` sharing these
columns, so moderation, tagging, search, export and the per-goal trace work on one thing.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.core.i18n import _l
from dialog.core.models import MAX_EMAIL_LENGTH, UTCDateTime, utcnow
from dialog.dialogues.models import Dialogue
from dialog.extensions import Model
from dialog.goals.models import Goal

MAX_AUTHOR_NAME_LENGTH = 100
MAX_NOTE_LENGTH = 5_000
MAX_REASON_LENGTH = 1_000


class ContributionKind(enum.StrEnum):
    WORKSHOP_NOTE = "workshop_note"


class ContributionStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for moderation before it is shown
    PUBLISHED = "published"
    HIDDEN = "hidden"  # taken down, never deleted; the reason is kept


class GoalRelation(enum.StrEnum):
    """How strongly an input is tied to a goal, from weakest to strongest."""

    SUGGESTED = "suggested"  # by the author, the facilitator or the system
    RELATED = "related"  # confirmed by staff
    INFLUENCED = "influenced"  # the goal's wording was shaped by it; needs a rationale


CONTRIBUTION_STATUS_LABELS = {
    ContributionStatus.PENDING: _l("Waiting for moderation"),
    ContributionStatus.PUBLISHED: _l("Published"),
    ContributionStatus.HIDDEN: _l("Hidden"),
}
GOAL_RELATION_LABELS = {
    GoalRelation.SUGGESTED: _l("Suggested"),
    GoalRelation.RELATED: _l("Related"),
    GoalRelation.INFLUENCED: _l("Influenced the goal"),
}


class Contribution(Model):
    """One input: a proposal, a comment, a page comment or a workshop note."""

    __tablename__ = "contributions"
    # A dialogue's published inputs are counted and listed in order from this index alone.
    __table_args__ = (
        Index("ix_contributions_dialogue_status_created", "dialogue_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(
        String(20), default=ContributionStatus.PUBLISHED.value, index=True
    )
    # No cascade: an input outlives nothing, it is only ever hidden.
    dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogues.id"))
    # The author's account, when they had one; a workshop note has none.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # A name and an email left without an account (never public).
    author_name: Mapped[str | None] = mapped_column(String(MAX_AUTHOR_NAME_LENGTH))
    author_email: Mapped[str | None] = mapped_column(String(MAX_EMAIL_LENGTH))
    # The hash of the secret receipt link that lets the author follow the input.
    receipt_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(String(200))
    # body_text is what the author meant: plain text exactly as typed, or the text of rich
    # text. body_html is always safe to show as it is: the escaped plain text, or the rich
    # text's sanitised HTML. Templates show body_html; edit forms of plain text use body_text.
    body_html: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="sv")
    # Workshop notes: the participant group the note came from.
    participant_group: Mapped[str | None] = mapped_column(String(30), index=True)
    # Staff who entered it on someone's behalf (a facilitator capturing a workshop).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    dialogue: Mapped[Dialogue | None] = relationship()
    goal_links: Mapped[list[GoalLink]] = relationship(
        back_populates="contribution", cascade="all, delete-orphan", order_by="GoalLink.id"
    )

    __mapper_args__ = {"polymorphic_on": "kind"}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.status}>"

    @property
    def is_hidden(self) -> bool:
        return self.status == ContributionStatus.HIDDEN

    @property
    def is_visible(self) -> bool:
        return self.status == ContributionStatus.PUBLISHED

    @property
    def goals(self) -> list[Goal]:
        return [link.goal for link in self.goal_links]

    @property
    def suggested_goal_id(self) -> int | None:
        """The goal suggested for this input and not yet confirmed by staff, if any."""
        for link in self.goal_links:
            if link.relation == GoalRelation.SUGGESTED:
                return link.goal_id
        return None


class WorkshopNote(Contribution):
    """What was said at a workshop or dialogue, written down by its facilitator."""

    __mapper_args__ = {"polymorphic_identity": ContributionKind.WORKSHOP_NOTE.value}


class GoalLink(Model):
    """The trace: an input tied to a goal, how strongly, why, by whom and when."""

    __tablename__ = "goal_links"
    __table_args__ = (UniqueConstraint("contribution_id", "goal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(20), default=GoalRelation.SUGGESTED.value)
    rationale: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contribution: Mapped[Contribution] = relationship(back_populates="goal_links")
    goal: Mapped[Goal] = relationship()

    def __repr__(self) -> str:
        return f"<GoalLink {self.contribution_id}→{self.goal_id} {self.relation}>"
