"""Reads for the review: the inputs tied to a goal (or to any goal of a framework), narrowed
by the filters, a page at a time or streamed for an export, and their figures.

An input is reviewed when it is published or waits for an editor: never one that was
rejected, hidden or withdrawn, and never a page comment (those are private, never
published). A row is one tie of an input to a goal (a GoalLink): on a goal's page each
input once, across a framework once per goal it is tied to. Nothing here selects who sent
an input: not the account, not a name, not an address.

Every page costs a constant number of queries: the rows of one page; the count and the
figures are kept until the next change (``reference_data``), and so are the choices.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal_column, select

from dialog.contributions.models import Contribution, ContributionStatus, GoalLink
from dialog.contributions.search import matches_search
from dialog.core.cache import reference_data
from dialog.core.pagination import FrozenPage, paginate
from dialog.core.times import local_zone
from dialog.dialogues.models import Dialogue, DialogueAudience
from dialog.extensions import db
from dialog.goals.models import Framework, Goal

REVIEW_PER_PAGE = 25
REVIEWED_STATUSES = (ContributionStatus.PUBLISHED.value, ContributionStatus.PENDING.value)
# The group filter's value for inputs sent without a group (proposals and comments).
NO_GROUP = "none"
# Rows an export reads from the database at a time.
EXPORT_BATCH = 1_000


@dataclass(frozen=True)
class Scope:
    """What is reviewed: one goal, or every goal of a framework (goal_id None)."""

    framework_id: int
    framework_slug: str
    goal_id: int | None = None


@dataclass(frozen=True)
class ReviewFilters:
    """What the list is narrowed to; None or empty for all."""

    dialogue_id: int | None = None
    kind: str | None = None
    relation: str | None = None
    group: str | None = None  # a dialogues.models.Group value, or NO_GROUP
    since: date | None = None  # the first day, in the municipality's time zone
    until: date | None = None  # the last day, included
    text: str = ""

    def args(self) -> dict[str, Any]:
        """The filters as the query string carries them (links, exports, the next page)."""
        found: dict[str, Any] = {}
        if self.dialogue_id is not None:
            found["dialogue"] = self.dialogue_id
        for name in ("kind", "relation", "group"):
            if getattr(self, name):
                found[name] = getattr(self, name)
        if self.since:
            found["from"] = self.since.isoformat()
        if self.until:
            found["to"] = self.until.isoformat()
        if self.text:
            found["q"] = self.text
        return found

    @property
    def any(self) -> bool:
        return bool(self.args())


# What a row shows of an input and its tie: columns only, never the author's.
ROW_COLUMNS = (
    GoalLink.id,
    GoalLink.goal_id,
    GoalLink.relation,
    GoalLink.rationale,
    GoalLink.contribution_id,
    Contribution.kind,
    Contribution.status,
    Contribution.dialogue_id,
    Contribution.reference,
    Contribution.title,
    Contribution.body_text,
    Contribution.redacted_title,
    Contribution.redacted_body_text,
    Contribution.participant_group,
    Contribution.language,
    Contribution.created_at,
    Contribution.personal_data_findings,
)


def _local_midnight(day: date) -> datetime:
    """The start of a day in the municipality's time zone, in UTC."""
    return datetime.combine(day, time(0), tzinfo=local_zone()).astimezone(UTC)


def _conditions(scope: Scope, filters: ReviewFilters) -> list[ColumnElement[bool]]:
    # The rows are read newest first from an index on the links (the goal's, or for a
    # framework the links' own by input): the inputs' columns are compared as expressions
    # ("+ 0", "|| ''"), so that SQLite does not read every input of a status, kind or
    # dialogue through their indexes and sort them all for a page of 25.
    conditions: list[ColumnElement[bool]] = [Contribution.status.concat("").in_(REVIEWED_STATUSES)]
    if scope.goal_id is not None:
        conditions.append(GoalLink.goal_id == scope.goal_id)
    else:
        goals = select(Goal.id).where(Goal.framework_id == scope.framework_id)
        conditions.append((GoalLink.goal_id + 0).in_(goals.scalar_subquery()))
    if filters.dialogue_id is not None:
        conditions.append(Contribution.dialogue_id + 0 == filters.dialogue_id)
    if filters.kind:
        conditions.append(Contribution.kind.concat("") == filters.kind)
    if filters.relation:
        conditions.append(GoalLink.relation == filters.relation)
    if filters.group == NO_GROUP:
        conditions.append(Contribution.participant_group.is_(None))
    elif filters.group:
        conditions.append(Contribution.participant_group.concat("") == filters.group)
    if filters.since is not None:
        conditions.append(Contribution.created_at >= _local_midnight(filters.since))
    if filters.until is not None:
        next_day = filters.until + timedelta(days=1)
        conditions.append(Contribution.created_at < _local_midnight(next_day))
    if filters.text:
        found = matches_search(filters.text)
        if found is not None:
            conditions.append(found)
    return conditions


def _linked(scope: Scope, filters: ReviewFilters, *columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(GoalLink)
        .join(Contribution, Contribution.id == GoalLink.contribution_id)
        .where(*_conditions(scope, filters))
    )


def _newest_first(query: Select[Any]) -> Select[Any]:
    # By arrival (ids are given in order), read backwards from an index on the goal.
    return query.order_by(GoalLink.contribution_id.desc(), GoalLink.goal_id.desc())


def review_page(
    scope: Scope, filters: ReviewFilters, page: int, per_page: int = REVIEW_PER_PAGE
) -> FrozenPage[Any]:
    """One page of the rows, newest input first; the count is kept until the next change."""
    query = _newest_first(_linked(scope, filters, *ROW_COLUMNS))
    result = paginate(query, page, per_page, rows=True)
    return FrozenPage.of(result, result.items)


def export_rows(scope: Scope, filters: ReviewFilters) -> Iterator[Any]:
    """Every row the filters show, in the page's order, read EXPORT_BATCH at a time (plain
    rows, nothing kept: an export of any length holds one batch in memory)."""
    query = _newest_first(_linked(scope, filters, *ROW_COLUMNS))
    yield from db.session.execute(query.execution_options(yield_per=EXPORT_BATCH))


# Figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The counts of the rows the filters show: in all, by relation, kind, group, month
    ("YYYY-MM" in the municipality's time zone, newest first), dialogue and goal."""

    links: int
    inputs: int
    by_relation: tuple[tuple[str, int], ...] = ()
    by_kind: tuple[tuple[str, int], ...] = ()
    by_group: tuple[tuple[str, int], ...] = ()
    by_month: tuple[tuple[str, int], ...] = ()
    by_dialogue: tuple[tuple[int | None, int], ...] = ()
    by_goal: tuple[tuple[int, int], ...] = field(default_factory=tuple)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _hours(offset: timedelta | None) -> int:
    return int((offset or timedelta()).total_seconds() // 3600)


def local_month(moment: Any) -> ColumnElement[Any]:
    """The calendar month of a stored time in the municipality's time zone, as "YYYY-MM".

    PostgreSQL converts with the time zone itself. SQLite knows no time zones: a month
    starts at local midnight on its first day, so the month is the one of the time moved by
    the offset in force at the start of the months it could be (an hour or two apart); the
    offsets at the start of each month are read from the zone (for Europe/Stockholm: +2 h
    at the start of April to October, else +1 h). Constants are written into the SQL, so
    that the expression grouped by is the expression selected.
    """
    zone = local_zone()
    if _dialect() == "postgresql":
        return func.to_char(
            func.timezone(literal_column(f"'{zone.key}'"), moment), literal_column("'YYYY-MM'")
        )
    year = datetime.now(UTC).year
    offsets = {
        month: _hours(datetime(year, month, 1, tzinfo=zone).utcoffset()) for month in range(1, 13)
    }

    def shifted(hours: int) -> ColumnElement[Any]:
        shift: ColumnElement[Any] = literal_column(f"'{hours:+d} hours'")
        return func.strftime(literal_column("'%Y-%m'"), moment, shift)

    distinct = sorted(set(offsets.values()))
    if len(distinct) == 1:
        return shifted(distinct[0])
    low, high = distinct[0], distinct[-1]
    summer = sorted(month for month, hours in offsets.items() if hours == high)
    month_number = func.substr(shifted(high), 6, 2)
    return case(
        (month_number.in_([f"{month:02d}" for month in summer]), shifted(high)),
        else_=shifted(low),
    )


_NO_GROUP_VALUE: ColumnElement[Any] = literal_column(f"'{NO_GROUP}'")


def _count_figures(scope: Scope, filters: ReviewFilters) -> Figures:
    group = func.coalesce(Contribution.participant_group, _NO_GROUP_VALUE)
    month = local_month(Contribution.created_at)
    count = func.count(GoalLink.id)
    combined = _linked(
        scope, filters, GoalLink.relation, Contribution.kind, group, month, count
    ).group_by(GoalLink.relation, Contribution.kind, group, month)
    totals: dict[str, dict[Any, int]] = {"relation": {}, "kind": {}, "group": {}, "month": {}}
    links = 0
    for relation, kind, group_value, month_value, number in db.session.execute(combined):
        links += number
        for name, value in (
            ("relation", relation),
            ("kind", kind),
            ("group", group_value),
            ("month", month_value),
        ):
            totals[name][value] = totals[name].get(value, 0) + number
    by_dialogue = _linked(scope, filters, Contribution.dialogue_id, count).group_by(
        Contribution.dialogue_id
    )
    by_goal: list[tuple[int, int]] = []
    inputs = links
    if scope.goal_id is None and links:
        by_goal = [
            (goal_id, number)
            for goal_id, number in db.session.execute(
                _linked(scope, filters, GoalLink.goal_id, count).group_by(GoalLink.goal_id)
            )
        ]
        distinct = _linked(scope, filters, func.count(func.distinct(GoalLink.contribution_id)))
        inputs = db.session.scalar(distinct) or 0

    def most_first(counts: dict[Any, int]) -> tuple[tuple[Any, int], ...]:
        return tuple(sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))))

    return Figures(
        links=links,
        inputs=inputs,
        by_relation=most_first(totals["relation"]),
        by_kind=most_first(totals["kind"]),
        by_group=most_first(totals["group"]),
        by_month=tuple(sorted(totals["month"].items(), reverse=True)),
        by_dialogue=most_first(
            {dialogue_id: number for dialogue_id, number in db.session.execute(by_dialogue)}
        )
        if links
        else (),
        by_goal=tuple(sorted(by_goal, key=lambda item: (-item[1], item[0]))),
    )


def review_figures(scope: Scope, filters: ReviewFilters) -> Figures:
    """The figures of the rows the filters show, in at most four queries, kept until the
    next change."""
    key = ("review-figures", scope, filters)
    return reference_data(key, lambda: _count_figures(scope, filters))


# Choices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DialogueChoice:
    """A dialogue of the framework (answers ``localized(row, "title")`` like a dialogue)."""

    id: int
    title_sv: str
    title_en: str | None


@dataclass(frozen=True)
class Choices:
    """The framework's dialogues, newest first, and the groups they were meant for."""

    dialogues: tuple[DialogueChoice, ...]
    audiences: frozenset[str]


def _read_choices(framework_id: int) -> Choices:
    query = (
        select(Dialogue.id, Dialogue.title_sv, Dialogue.title_en)
        .where(Dialogue.framework_id == framework_id)
        .order_by(Dialogue.created_at.desc(), Dialogue.id.desc())
    )
    dialogues = tuple(DialogueChoice(*row) for row in db.session.execute(query))
    audiences = select(DialogueAudience.audience).join(
        Dialogue, Dialogue.id == DialogueAudience.dialogue_id
    )
    found = db.session.scalars(audiences.where(Dialogue.framework_id == framework_id).distinct())
    return Choices(dialogues, frozenset(found))


def review_choices(framework_id: int) -> Choices:
    """The filter's dialogues and audience groups for a framework (two queries, kept)."""
    return reference_data(f"review-choices:{framework_id}", lambda: _read_choices(framework_id))


def goal_scope(goal_id: int) -> Scope | None:
    """What a goal's review reads: the goal, and its framework's id and address (kept)."""

    def read() -> Scope | None:
        query = (
            select(Goal.framework_id, Framework.slug)
            .join(Framework, Framework.id == Goal.framework_id)
            .where(Goal.id == goal_id)
        )
        row = db.session.execute(query).first()
        return Scope(row.framework_id, row.slug, goal_id) if row is not None else None

    return reference_data(f"review-goal:{goal_id}", read)
