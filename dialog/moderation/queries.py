"""Reads for moderation: the queue of inputs that wait, and one input's whole history.

The queue is read in a constant number of queries whatever its length: the reported inputs
and the others that wait are each paged from their own index, and the counts are kept in
process memory until the next change (``dialog.core.cache.reference_data``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, bindparam, cast, func, or_, select

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
class Sender:
    """The account an input was sent with: editors see its name and email."""

    name: str
    email: str


@dataclass(frozen=True)
class QueuePage(FrozenPage):
    """One page of the queue: ``items`` are rows of QUEUE_COLUMNS, each with all its line
    shows (its open reports' reasons, its sender's account, the proposal it is on)."""

    counts: QueueCounts = QueueCounts(0, 0)


# The queue's statements are built once per shape of the filters, from the table's columns
# (not the mapped class's), with the values bound at each request: building and compiling a
# select of fifteen ORM columns cost more than running it.
_INPUTS = Contribution.__table__.c
_FLAGS = Flag.__table__.c
_USERS = User.__table__.c
# The list shows the start of each text; the input's own page shows all of it. One
# character more than is shown is read, to know that there is more.
EXCERPT_LENGTH = 400


def _narrowed(filters: QueueFilters) -> list[ColumnElement[bool]]:
    # No condition on the kind unless one is asked for: page comments never wait here (they
    # are not sent through the residents' input services and cannot be reported), and a
    # condition on the kind makes SQLite read every input of the kind through its index.
    conditions: list[ColumnElement[bool]] = []
    if filters.dialogue_id is not None:
        conditions.append(_INPUTS.dialogue_id == bindparam("dialogue_id"))
    if filters.kind:
        # Compared as an expression, so the queue's own indexes are used, not the kind's.
        conditions.append(_INPUTS.kind.concat("") == bindparam("kind"))
    if filters.personal_data:
        conditions.append(_INPUTS.personal_data_findings.is_not(None))
    return conditions


def _parameters(filters: QueueFilters) -> dict[str, Any]:
    return {"dialogue_id": filters.dialogue_id, "kind": filters.kind}


def _reported(filters: QueueFilters) -> list[ColumnElement[bool]]:
    return [_INPUTS.report_count > 0, *_narrowed(filters)]


def _others(filters: QueueFilters) -> list[ColumnElement[bool]] | None:
    """The waiting inputs nobody reported (None when only reported ones are asked for)."""
    if filters.flagged:
        return None
    return [
        _INPUTS.needs_review == True,  # noqa: E712 - SQL, and the index's own form
        _INPUTS.report_count == 0,
        *_narrowed(filters),
    ]


def waiting_condition() -> ColumnElement[bool]:
    """An input waits for an editor: sent and not yet decided on, or reported."""
    return or_(Contribution.needs_review == True, Contribution.report_count > 0)  # noqa: E712


def _shape(filters: QueueFilters) -> QueueFilters:
    """The filters with their values left out: what the statements depend on."""
    return QueueFilters(
        0 if filters.dialogue_id is not None else None,
        "kind" if filters.kind else None,
        filters.flagged,
        filters.personal_data,
    )


@lru_cache(maxsize=32)
def _count_statements(shape: QueueFilters) -> tuple[Select[Any], Select[Any] | None]:
    others = _others(shape)
    reported = select(func.count()).select_from(Contribution.__table__).where(*_reported(shape))
    if others is None:
        return reported, None
    return reported, select(func.count()).select_from(Contribution.__table__).where(*others)


def _count(statement: Select[Any] | None, filters: QueueFilters) -> int:
    if statement is None:
        return 0
    return db.session.execute(statement, _parameters(filters)).scalar() or 0


def queue_counts(filters: QueueFilters | None = None) -> QueueCounts:
    """Count the reported and the other waiting inputs (two queries, once per change)."""
    filters = filters or QueueFilters()

    def build() -> QueueCounts:
        reported, others = _count_statements(_shape(filters))
        return QueueCounts(_count(reported, filters), _count(others, filters))

    return reference_data(("moderation-queue-counts", filters), build, store="counts")


def waiting_count() -> int:
    """How many inputs wait for an editor (kept until the next change)."""
    return queue_counts().total


_SENDER = User.__table__.alias("sender")
_PARENT = Contribution.__table__.alias("parent")
# The reason of every open report of the input, comma-separated (codes have no commas):
# read with the input, so a page of the queue is one query however many are reported.
_REPORT_REASONS = (
    select(func.aggregate_strings(_FLAGS.reason, ","))
    .where(_FLAGS.contribution_id == _INPUTS.id, _FLAGS.resolved_at.is_(None))
    .scalar_subquery()
    .label("report_reasons")
)

# What a line of the queue shows of an input: columns only, never its whole row (the
# sanitised HTML, the tokens) or its dialogue's (the dialogue's title is reference data),
# of its text only the start, and its findings as stored (decoded only when shown).
QUEUE_COLUMNS = (
    _INPUTS.id,
    _INPUTS.kind,
    _INPUTS.status,
    _INPUTS.dialogue_id,
    _INPUTS.author_name,
    _INPUTS.author_email,
    _INPUTS.reference,
    _INPUTS.title,
    func.substr(_INPUTS.body_text, 1, EXCERPT_LENGTH + 1).label("body_text"),
    _INPUTS.language,
    _INPUTS.created_at,
    _INPUTS.report_count,
    cast(_INPUTS.personal_data_findings, Text).label("findings"),
    _REPORT_REASONS,
    _SENDER.c.display_name.label("sender_name"),
    _SENDER.c.email.label("sender_email"),
    _PARENT.c.title.label("parent_title"),
    _PARENT.c.reference.label("parent_reference"),
)
_QUEUE_FROM = Contribution.__table__.outerjoin(
    _SENDER, _SENDER.c.id == _INPUTS.author_id
).outerjoin(_PARENT, _PARENT.c.id == _INPUTS.parent_id)


@lru_cache(maxsize=32)
def _items_statement(shape: QueueFilters, reported: bool) -> Select[Any]:
    order: list[Any] = [_INPUTS.created_at, _INPUTS.id]
    if reported:
        # The same order, led by an expression no index gives: without it SQLite walks the
        # whole created_at index looking for reported rows instead of reading the few of
        # them from ix_contributions_reported and sorting those.
        order.insert(0, _INPUTS.report_count > 0)
    conditions = _reported(shape) if reported else _others(shape)
    return (
        select(*QUEUE_COLUMNS)
        .select_from(_QUEUE_FROM)
        .where(*(conditions or ()))
        .order_by(*order)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


def _items(filters: QueueFilters, offset: int, limit: int, *, reported: bool) -> list[Any]:
    query = _items_statement(_shape(filters), reported)
    parameters = {**_parameters(filters), "offset": offset, "limit": limit}
    return list(db.session.execute(query, parameters))


def queue_page(filters: QueueFilters, page: int, per_page: int = QUEUE_PER_PAGE) -> QueuePage:
    """One page of the queue: the reported inputs first, then the others, oldest first.

    A page past the end gives the last page. A constant number of queries: the counts (kept
    until the next change) and at most two reads of items.
    """
    counts = queue_counts(filters)
    pages = max(1, -(-counts.total // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    items: list[Any] = []
    if start < counts.reported:
        items += _items(filters, start, per_page, reported=True)
    room = per_page - len(items)
    if not filters.flagged and room > 0 and counts.others:
        items += _items(filters, max(0, start - counts.reported), room, reported=False)
    return QueuePage(tuple(items), page, pages, counts.total, counts)


_SENDERS = select(_USERS.id, _USERS.display_name, _USERS.email).where(
    _USERS.id.in_(bindparam("ids", expanding=True))
)


def senders(user_ids: Iterable[int | None]) -> dict[int, Sender]:
    """The name and email of each account that sent one of the inputs (one query)."""
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if not ids:
        return {}
    rows = db.session.execute(_SENDERS, {"ids": ids})
    return {user_id: Sender(name, email) for user_id, name, email in rows}


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
