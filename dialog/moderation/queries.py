"""Reads for moderation: the queue of inputs that wait, and one input's whole history.

The queue is read in a constant number of queries whatever its length: the reported inputs
and the others that wait are each paged from their own index, and the counts are kept in
process memory until the next change (``dialog.core.cache.reference_data``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select

from dialog.accounts.models import User
from dialog.contributions.models import (
    PRIVATE_KINDS,
    Contribution,
    ContributionKind,
    Dialogue,
)
from dialog.contributions.queries import WITH_CONTEXT
from dialog.core.cache import reference_data
from dialog.core.models import AuditEvent
from dialog.core.pagination import FrozenPage
from dialog.extensions import db
from dialog.moderation.models import Flag, ModerationDecision

QUEUE_PER_PAGE = 20
# The kinds the queue lists (a page comment is the editors' mail, handled on its own page).
QUEUE_KINDS = tuple(kind.value for kind in ContributionKind if kind.value not in PRIVATE_KINDS)


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to; None or False for all."""

    dialogue_id: int | None = None
    kind: str | None = None
    flagged: bool = False
    personal_data: bool = False

    def args(self) -> dict[str, Any]:
        """The filters as the query string carries them (for links to other pages)."""
        found: dict[str, Any] = {}
        if self.dialogue_id is not None:
            found["dialogue"] = self.dialogue_id
        if self.kind:
            found["kind"] = self.kind
        if self.flagged:
            found["flagged"] = 1
        if self.personal_data:
            found["personal"] = 1
        return found


@dataclass(frozen=True)
class QueueCounts:
    reported: int
    others: int

    @property
    def total(self) -> int:
        return self.reported + self.others


@dataclass(frozen=True)
class ParentInfo:
    """The proposal a comment is on, as the queue names it."""

    id: int
    title: str | None
    reference: str | None


@dataclass(frozen=True)
class Sender:
    """The account an input was sent with: editors see its name and email."""

    name: str
    email: str


@dataclass(frozen=True)
class QueuePage(FrozenPage):
    """One page of the queue (``items`` are rows of QUEUE_COLUMNS), with what its lines show."""

    counts: QueueCounts = QueueCounts(0, 0)
    # The open reports' reasons of each input on the page: {id: {reason: count}}.
    reports: dict[int, dict[str, int]] = field(default_factory=dict)
    senders: dict[int, Sender] = field(default_factory=dict)
    parents: dict[int, ParentInfo] = field(default_factory=dict)


def _narrowed(filters: QueueFilters) -> list[ColumnElement[bool]]:
    # No condition on the kind unless one is asked for: page comments never wait here (they
    # are not sent through the residents' input services and cannot be reported), and a
    # condition on the kind makes SQLite read every input of the kind through its index.
    conditions: list[ColumnElement[bool]] = []
    if filters.dialogue_id is not None:
        conditions.append(Contribution.dialogue_id == filters.dialogue_id)
    if filters.kind:
        # Compared as an expression, so the queue's own indexes are used, not the kind's.
        conditions.append(Contribution.kind.concat("") == filters.kind)
    if filters.personal_data:
        conditions.append(Contribution.personal_data_findings.is_not(None))
    return conditions


def _reported(filters: QueueFilters) -> list[ColumnElement[bool]]:
    return [Contribution.report_count > 0, *_narrowed(filters)]


def _others(filters: QueueFilters) -> list[ColumnElement[bool]] | None:
    """The waiting inputs nobody reported (None when only reported ones are asked for)."""
    if filters.flagged:
        return None
    return [
        Contribution.needs_review == True,  # noqa: E712 - SQL, and the index's own form
        Contribution.report_count == 0,
        *_narrowed(filters),
    ]


def waiting_condition() -> ColumnElement[bool]:
    """An input waits for an editor: sent and not yet decided on, or reported."""
    return or_(Contribution.needs_review == True, Contribution.report_count > 0)  # noqa: E712


def _count(conditions: Sequence[ColumnElement[bool]] | None) -> int:
    if conditions is None:
        return 0
    return db.session.scalar(select(func.count(Contribution.id)).where(*conditions)) or 0


def queue_counts(filters: QueueFilters | None = None) -> QueueCounts:
    """Count the reported and the other waiting inputs (two queries, once per change)."""
    filters = filters or QueueFilters()
    return reference_data(
        ("moderation-queue-counts", filters),
        lambda: QueueCounts(_count(_reported(filters)), _count(_others(filters))),
        store="counts",
    )


def waiting_count() -> int:
    """How many inputs wait for an editor (kept until the next change)."""
    return queue_counts().total


# What a line of the queue shows of an input: columns only, never its whole row (the
# sanitised HTML, the tokens) or its dialogue's (the dialogue's title is reference data).
QUEUE_COLUMNS = (
    Contribution.id,
    Contribution.kind,
    Contribution.status,
    Contribution.dialogue_id,
    Contribution.author_id,
    Contribution.author_name,
    Contribution.author_email,
    Contribution.reference,
    Contribution.title,
    Contribution.body_text,
    Contribution.language,
    Contribution.created_at,
    Contribution.parent_id,
    Contribution.report_count,
    Contribution.personal_data_findings,
)


def _items(
    conditions: Sequence[ColumnElement[bool]], offset: int, limit: int, *, reported: bool = False
) -> list[Any]:
    order: list[Any] = [Contribution.created_at, Contribution.id]
    if reported:
        # The same order, led by an expression no index gives: without it SQLite walks the
        # whole created_at index looking for reported rows instead of reading the few of
        # them from ix_contributions_reported and sorting those.
        order.insert(0, Contribution.report_count > 0)
    query = select(*QUEUE_COLUMNS).where(*conditions).order_by(*order).offset(offset).limit(limit)
    return list(db.session.execute(query))


def queue_page(filters: QueueFilters, page: int, per_page: int = QUEUE_PER_PAGE) -> QueuePage:
    """One page of the queue: the reported inputs first, then the others, oldest first.

    A page past the end gives the last page. A constant number of queries: the counts, at
    most two reads of items, their open reports, their senders' accounts and the proposals
    the comments are on.
    """
    counts = queue_counts(filters)
    pages = max(1, -(-counts.total // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    items: list[Any] = []
    if start < counts.reported:
        items += _items(_reported(filters), start, per_page, reported=True)
    others = _others(filters)
    room = per_page - len(items)
    if others is not None and room > 0 and counts.others:
        items += _items(others, max(0, start - counts.reported), room)
    return QueuePage(
        tuple(items),
        page,
        pages,
        counts.total,
        counts,
        open_reports(item.id for item in items if item.report_count),
        senders(item.author_id for item in items),
        parents(item.parent_id for item in items),
    )


def open_reports(contribution_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """The open reports of each input, counted by reason (one query)."""
    ids = sorted(set(contribution_ids))
    found: dict[int, dict[str, int]] = {}
    if not ids:
        return found
    query = (
        select(Flag.contribution_id, Flag.reason, func.count())
        .where(Flag.contribution_id.in_(ids), Flag.resolved_at.is_(None))
        .group_by(Flag.contribution_id, Flag.reason)
        .order_by(Flag.contribution_id, func.count().desc(), Flag.reason)
    )
    for contribution_id, reason, number in db.session.execute(query):
        found.setdefault(contribution_id, {})[reason] = number
    return found


def senders(user_ids: Iterable[int | None]) -> dict[int, Sender]:
    """The name and email of each account that sent one of the inputs (one query)."""
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if not ids:
        return {}
    query = select(User.id, User.display_name, User.email).where(User.id.in_(ids))
    return {user_id: Sender(name, email) for user_id, name, email in db.session.execute(query)}


def parents(parent_ids: Iterable[int | None]) -> dict[int, ParentInfo]:
    """The title and reference of each proposal the comments are on (one query)."""
    ids = sorted({parent_id for parent_id in parent_ids if parent_id is not None})
    if not ids:
        return {}
    query = select(Contribution.id, Contribution.title, Contribution.reference).where(
        Contribution.id.in_(ids)
    )
    return {
        row.id: ParentInfo(row.id, row.title, row.reference) for row in db.session.execute(query)
    }


def dialogue_choices() -> tuple[tuple[int, str, str | None], ...]:
    """Every dialogue as (id, Swedish title, English title), newest first, for the filter."""

    def build() -> tuple[tuple[int, str, str | None], ...]:
        query = select(Dialogue.id, Dialogue.title_sv, Dialogue.title_en).order_by(
            Dialogue.created_at.desc(), Dialogue.id.desc()
        )
        return tuple((row.id, row.title_sv, row.title_en) for row in db.session.execute(query))

    return reference_data("moderation-dialogue-choices", build)


# One input ---------------------------------------------------------------------------------


def input_for_moderation(contribution_id: int) -> Contribution | None:
    """The input with its dialogue, the proposal it is on, its goals and its original."""
    query = (
        select(Contribution)
        .options(*WITH_CONTEXT)
        .where(Contribution.id == contribution_id, Contribution.kind.in_(QUEUE_KINDS))
    )
    return db.session.scalar(query)


def inputs_by_ids(contribution_ids: Iterable[int]) -> list[Contribution]:
    """The inputs the queue can act on among these ids, in id order (one query)."""
    ids = sorted(set(contribution_ids))
    if not ids:
        return []
    query = (
        select(Contribution)
        .where(Contribution.id.in_(ids), Contribution.kind.in_(QUEUE_KINDS))
        .order_by(Contribution.id)
    )
    return list(db.session.scalars(query))


def reports_of(contribution_id: int) -> list[Flag]:
    """Every report of the input, open and resolved, newest first."""
    query = (
        select(Flag)
        .where(Flag.contribution_id == contribution_id)
        .order_by(Flag.created_at.desc(), Flag.id.desc())
    )
    return list(db.session.scalars(query))


def decisions_of(contribution_id: int) -> list[ModerationDecision]:
    """Every moderation decision on the input, newest first."""
    query = (
        select(ModerationDecision)
        .where(ModerationDecision.contribution_id == contribution_id)
        .order_by(ModerationDecision.created_at.desc(), ModerationDecision.id.desc())
    )
    return list(db.session.scalars(query))


def history_of(contribution_id: int) -> list[AuditEvent]:
    """The input's audit trail, newest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.subject_type == "contribution", AuditEvent.subject_id == contribution_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    return list(db.session.scalars(query))


def user_names(user_ids: Iterable[int | None]) -> dict[int, str]:
    """The display names of the users (one query): who decided, who reported, for staff."""
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if not ids:
        return {}
    query = select(User.id, User.display_name).where(User.id.in_(ids))
    return {user_id: name for user_id, name in db.session.execute(query)}
