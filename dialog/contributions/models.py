"""Contributions: every input, whatever its kind, in one table, and their links to goals.

Single-table inheritance on ``kind``: ``WorkshopNote`` is the first kind; proposals,
comments and page comments will be further subclasses of ``Contribution`` sharing these
columns, so moderation, tagging, search, export and the per-goal trace work on one thing.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    mapped_column,
    relationship,
    validates,
)

from dialog.core.i18n import _l
from dialog.core.models import MAX_EMAIL_LENGTH, UTCDateTime, utcnow
from dialog.core.words import search_text
from dialog.dialogues.models import Dialogue
from dialog.extensions import Model
from dialog.goals.models import Goal

MAX_AUTHOR_NAME_LENGTH = 100
MAX_NOTE_LENGTH = 5_000
MAX_REASON_LENGTH = 1_000
MAX_TITLE_LENGTH = 200
MAX_REFERENCE_LENGTH = 40
TOKEN_HASH_LENGTH = 64
# The longest page address a page comment keeps.
MAX_PAGE_PATH_LENGTH = 500


class ContributionKind(enum.StrEnum):
    WORKSHOP_NOTE = "workshop_note"
    PROPOSAL = "proposal"
    PAGE_COMMENT = "page_comment"
    COMMENT = "comment"


# Kinds that are never shown to the public, whatever their status (everything else is a
# public kind once published: open data, lists and counts take any new kind with them).
PRIVATE_KINDS = frozenset({ContributionKind.PAGE_COMMENT.value})


def public_kinds() -> list[str]:
    """The kinds of input that are public once published, in their declared order."""
    return [kind.value for kind in ContributionKind if kind.value not in PRIVATE_KINDS]


class ContributionStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for moderation before it is shown
    PUBLISHED = "published"
    HIDDEN = "hidden"  # taken down, never deleted; the reason is kept
    REJECTED = "rejected"  # by an editor before it was published; kept, with the reason
    WITHDRAWN = "withdrawn"  # by its author; kept, and shown marked withdrawn if it was public
    PRIVATE = "private"  # for the staff only, never published (a page comment)


class GoalRelation(enum.StrEnum):
    """How strongly an input is tied to a goal, from weakest to strongest."""

    SUGGESTED = "suggested"  # by the author, the facilitator or the system
    RELATED = "related"  # confirmed by staff
    INFLUENCED = "influenced"  # the goal's wording was shaped by it; needs a rationale


# In the order lists and filters offer them.
CONTRIBUTION_KIND_LABELS = {
    ContributionKind.PROPOSAL.value: _l("Proposal"),
    ContributionKind.COMMENT.value: _l("Comment"),
    ContributionKind.WORKSHOP_NOTE.value: _l("Workshop note"),
    ContributionKind.PAGE_COMMENT.value: _l("Page comment"),
}
CONTRIBUTION_STATUS_LABELS = {
    ContributionStatus.PENDING: _l("Waiting for moderation"),
    ContributionStatus.PUBLISHED: _l("Published"),
    ContributionStatus.HIDDEN: _l("Hidden"),
    ContributionStatus.REJECTED: _l("Rejected"),
    ContributionStatus.WITHDRAWN: _l("Withdrawn"),
    ContributionStatus.PRIVATE: _l("Private"),
}
# The same states in the words a receipt uses for its author.
RECEIPT_STATUS_LABELS = {
    ContributionStatus.PENDING: _l("Waiting to be checked before it is published"),
    ContributionStatus.PUBLISHED: _l("Published"),
    ContributionStatus.HIDDEN: _l("Not published"),
    ContributionStatus.REJECTED: _l("Not published"),
    ContributionStatus.WITHDRAWN: _l("Withdrawn by you"),
}
GOAL_RELATION_LABELS = {
    GoalRelation.SUGGESTED: _l("Suggested"),
    GoalRelation.RELATED: _l("Related"),
    GoalRelation.INFLUENCED: _l("Influenced the goal"),
}


def public_search_text(
    title: str | None,
    body_text: str | None,
    redacted_title: str | None,
    redacted_body_text: str | None,
) -> str:
    """What the search index holds of an input: the stems of the text the public sees (the
    redacted one when editors struck out a part, so a search never finds what they hid)."""
    if redacted_body_text is not None:
        return search_text(redacted_title, redacted_body_text)
    return search_text(title, body_text)


_SEARCHED = ("title", "body_text", "redacted_title", "redacted_body_text")


def _inserted_search_text(context: DefaultExecutionContext) -> str:
    # A column default, so that every insert gets it: the ORM's, and the bulk inserts of
    # the bench and the imports, which run no ORM events.
    values = context.get_current_parameters()
    return public_search_text(*(values.get(name) for name in _SEARCHED))


class Contribution(Model):
    """One input: a proposal, a comment, a page comment or a workshop note."""

    __tablename__ = "contributions"
    # A dialogue's published inputs are counted and listed in order from this index alone.
    # A dialogue's proposals are listed newest, most supported or most commented first
    # from the kind's indexes.
    __table_args__ = (
        Index("ix_contributions_dialogue_status_created", "dialogue_id", "status", "created_at"),
        Index("ix_contributions_dialogue_kind_created", "dialogue_id", "kind", "created_at", "id"),
        Index(
            "ix_contributions_dialogue_kind_supports", "dialogue_id", "kind", "support_count", "id"
        ),
        Index(
            "ix_contributions_dialogue_kind_comments", "dialogue_id", "kind", "comment_count", "id"
        ),
        # A proposal's top-level comments are paged oldest first, the replies of a page's
        # comments read at once, and its published comments counted, from these.
        Index(
            "ix_contributions_parent_thread_created", "parent_id", "reply_to_id", "created_at", "id"
        ),
        Index("ix_contributions_reply_to_created", "reply_to_id", "created_at", "id"),
        Index("ix_contributions_parent_status", "parent_id", "status"),
        # The editors' queue: the inputs that wait, oldest first, and the reported ones.
        Index("ix_contributions_review_queue", "needs_review", "report_count", "created_at", "id"),
        Index("ix_contributions_reported", "report_count", "created_at", "id"),
        # The queue narrowed to one dialogue, in the same order, and its count.
        Index(
            "ix_contributions_dialogue_review_queue",
            "dialogue_id",
            "needs_review",
            "report_count",
            "created_at",
            "id",
        ),
        Index(
            "ix_contributions_first_decision_month",
            "first_decision_month",
            "first_decision_seconds",
        ),
        Index("ix_contributions_first_decision_seconds", "first_decision_seconds"),
        Index(
            "ix_contributions_dialogue_first_decision_seconds",
            "dialogue_id",
            "first_decision_seconds",
        ),
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
    receipt_token_hash: Mapped[str | None] = mapped_column(String(TOKEN_HASH_LENGTH), unique=True)
    # The hash of the form's one-time submission token: a second send of the same form
    # (two clicks, a reload, two tabs) finds the first input instead of storing another.
    submission_token_hash: Mapped[str | None] = mapped_column(
        String(TOKEN_HASH_LENGTH), unique=True
    )
    # "DLG-2026-00042": prefix, year and a gapless sequence per year (ReferenceCounter).
    reference: Mapped[str | None] = mapped_column(String(MAX_REFERENCE_LENGTH), unique=True)
    title: Mapped[str | None] = mapped_column(String(MAX_TITLE_LENGTH))
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
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept on the row and changed in SQL (never counted per list row).
    support_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    comment_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Page comments: the path of the page it is about (its title is in ``title``), when the
    # editors handled it, and their answer by email.
    page_path: Mapped[str | None] = mapped_column(String(MAX_PAGE_PATH_LENGTH))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Comments: the proposal a comment is on, and the top-level comment a reply answers
    # (one level of replies: a reply never has replies of its own).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"))
    # What the personal-data guard found when the text was sent anyway (personal identity
    # numbers, phone numbers, email addresses): a list of {"kind", "field", "start", "end"}
    # spans into the field's plain text, so editors see it highlighted; None when nothing was.
    # Such an input waits for an editor whatever the dialogue's moderation mode.
    personal_data_findings: Mapped[list[dict] | None] = mapped_column(JSON)
    # Moderation (dialog.moderation): the open reports by residents, the reason code and the
    # note to the author of the last decision that kept it from the public (rejected or
    # hidden), the input this one repeats, and the redacted text the public sees instead of
    # the original (editors still see the original; None when nothing was struck out).
    report_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    moderation_reason: Mapped[str | None] = mapped_column(String(30))
    moderation_note: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"))
    redacted_title: Mapped[str | None] = mapped_column(String(MAX_TITLE_LENGTH))
    redacted_body_html: Mapped[str | None] = mapped_column(Text)
    redacted_body_text: Mapped[str | None] = mapped_column(Text)
    # Waits for an editor: every input a resident sends (pending, or published at once in a
    # dialogue moderated afterwards) until an editor decides on it. Reported inputs wait too,
    # by their report_count.
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When an editor (or the report threshold) first decided on it, how many seconds after
    # it was sent, and in which of the municipality's months ("2026-03", its time zone):
    # the editors' figures take the median time to a first decision, overall, per dialogue
    # and per month, from here and its indexes, without grouping the decisions.
    first_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_decision_seconds: Mapped[int | None] = mapped_column(Integer)
    first_decision_month: Mapped[str | None] = mapped_column(String(7))
    # The stems of the public text (``public_search_text``), kept up to date on every write
    # of the text (``_refresh_search_text``), for the full-text search (contributions.search).
    search_text: Mapped[str] = mapped_column(Text, default=_inserted_search_text, server_default="")

    dialogue: Mapped[Dialogue | None] = relationship()
    # The proposal a comment is on (a receipt shows it).
    parent: Mapped[Contribution | None] = relationship(
        remote_side="Contribution.id", foreign_keys="Contribution.parent_id"
    )
    goal_links: Mapped[list[GoalLink]] = relationship(
        back_populates="contribution", cascade="all, delete-orphan", order_by="GoalLink.id"
    )

    __mapper_args__ = {"polymorphic_on": "kind"}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.status}>"

    @validates("status")
    def _pending_waits(self, key: str, value: str) -> str:
        """Whatever path holds an input back (a dialogue moderated before publication, the
        personal-data guard, a facilitator's note), it then waits in the editors' queue."""
        if value == ContributionStatus.PENDING:
            self.needs_review = True
        return value

    @property
    def is_hidden(self) -> bool:
        return self.status == ContributionStatus.HIDDEN

    @property
    def is_visible(self) -> bool:
        return self.status == ContributionStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Shown to everyone: published, or withdrawn after it was published."""
        return self.status == ContributionStatus.PUBLISHED or (
            self.status == ContributionStatus.WITHDRAWN and self.published_at is not None
        )

    @property
    def is_redacted(self) -> bool:
        """Editors struck out part of it: the public sees the redacted text."""
        return self.redacted_body_html is not None

    @property
    def public_title(self) -> str | None:
        """The title as the public sees it (redacted when editors struck out part of it)."""
        return self.redacted_title if self.redacted_body_html is not None else self.title

    @property
    def public_body_html(self) -> str:
        """The text's HTML as the public sees it (redacted when editors struck out a part)."""
        redacted = self.redacted_body_html
        return redacted if redacted is not None else self.body_html

    @property
    def public_body_text(self) -> str:
        """The plain text as the public sees it (redacted when editors struck out a part)."""
        redacted = self.redacted_body_text
        return redacted if redacted is not None else self.body_text

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


class Proposal(Contribution):
    """A resident's proposal to a dialogue, with or without an account."""

    __mapper_args__ = {"polymorphic_identity": ContributionKind.PROPOSAL.value}


class Comment(Contribution):
    """A resident's comment on a published proposal, or a reply to such a comment."""

    __mapper_args__ = {"polymorphic_identity": ContributionKind.COMMENT.value}

    @property
    def is_reply(self) -> bool:
        return self.reply_to_id is not None

    @property
    def thread_id(self) -> int:
        """The top-level comment this one belongs under: itself, or the one it answers."""
        return self.reply_to_id if self.reply_to_id is not None else self.id


class Support(Model):
    """A logged-in resident supports a proposal, once; the count is kept on the proposal."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("contribution_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Support {self.user_id}→{self.contribution_id}>"


class ReferenceCounter(Model):
    """The last reference number given in a year; its row is locked while a number is taken."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<ReferenceCounter {self.year}={self.value}>"


class PageComment(Contribution):
    """A comment on a page for the web editors: private, never published, maybe answered."""

    __mapper_args__ = {"polymorphic_identity": ContributionKind.PAGE_COMMENT.value}

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None


class GoalLink(Model):
    """The trace: an input tied to a goal, how strongly, why, by whom and when."""

    __tablename__ = "goal_links"
    __table_args__ = (
        UniqueConstraint("contribution_id", "goal_id"),
        # A goal's inputs, newest first, paged from the index alone (the review, the trace).
        Index("ix_goal_links_goal_contribution", "goal_id", "contribution_id"),
    )

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


@event.listens_for(Contribution, "before_update", propagate=True)
def _refresh_search_text(_mapper: Any, _connection: Any, target: Contribution) -> None:
    """The text was sent, corrected or redacted: index what the public now sees."""
    state = inspect(target)
    if any(state.attrs[name].history.has_changes() for name in _SEARCHED):
        target.search_text = public_search_text(*(getattr(target, name) for name in _SEARCHED))


# The full-text index. SQLite: an FTS5 table over search_text, kept by triggers (any write,
# ORM or SQL). PostgreSQL: a GIN index on the Swedish text search vector of search_text.
# Neither is a table of the models: made here when the schema is made, and by the migration.
FULLTEXT_TABLE = "contributions_fts"
FULLTEXT_INDEX = "ix_contributions_search"
SQLITE_FULLTEXT = (
    "CREATE VIRTUAL TABLE contributions_fts USING fts5(search_text, content='contributions',"
    " content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER contributions_fts_insert AFTER INSERT ON contributions BEGIN"
    " INSERT INTO contributions_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER contributions_fts_delete AFTER DELETE ON contributions BEGIN"
    " INSERT INTO contributions_fts(contributions_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER contributions_fts_update AFTER UPDATE OF search_text ON contributions BEGIN"
    " INSERT INTO contributions_fts(contributions_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO contributions_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
POSTGRESQL_FULLTEXT = (
    "CREATE INDEX ix_contributions_search ON contributions"
    " USING gin (to_tsvector('swedish', search_text))",
)
for _statement in SQLITE_FULLTEXT:
    event.listen(
        Contribution.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
for _statement in POSTGRESQL_FULLTEXT:
    event.listen(
        Contribution.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )


def compared_with_the_models(name: str | None, type_: str, _parents: Any) -> bool:
    """Alembic's include_name: leave the full-text index out when the database's schema is
    compared with the models (FTS5 keeps its own shadow tables, contributions_fts_data …)."""
    if type_ == "table" and name is not None:
        return not name.startswith(FULLTEXT_TABLE)
    return not (type_ == "index" and name == FULLTEXT_INDEX)


event.listen(
    Contribution.__table__,
    "before_drop",
    DDL(f"DROP TABLE IF EXISTS {FULLTEXT_TABLE}").execute_if(dialect="sqlite"),
)


# Public records --------------------------------------------------------------------------
# An input is a public record (allmän handling): nothing in the application may delete one.
# Hiding, rejecting and withdrawing change its status and keep the row. These guards refuse a
# deletion through the ORM, one by one (session.delete) or in bulk (delete(Contribution)).


class ContributionDeletionError(RuntimeError):
    """Something tried to delete an input, which is a public record and never deleted."""


@event.listens_for(Contribution, "before_delete", propagate=True)
def _refuse_delete(_mapper: Any, _connection: Any, target: Contribution) -> None:
    raise ContributionDeletionError(f"input {target.id} is a public record and is never deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_delete(state: ORMExecuteState) -> None:
    if not (state.is_delete and state.is_orm_statement):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.base_mapper.class_ is Contribution:
        raise ContributionDeletionError("inputs are public records and are never deleted")
