"""The editors' figures: what waits now, how long inputs wait for a first decision, and the
decisions by reason, by dialogue and by month.

Everything is counted in SQL, in a fixed number of queries whatever the amount of data,
and kept in memory until the next change (``reference_data``): the figures are the same for
every editor. The decisions are counted from ``moderation_decisions`` (one row per decision,
with the input's dialogue copied onto it); the time to a first decision from the inputs
themselves, which keep how long after they were sent they were first decided on, and in
which month (``first_decision_seconds``, ``first_decision_month``), so no query groups the
decisions by input or works out a duration. Medians are computed in SQL with window functions
(ROW_NUMBER and COUNT over the ordered durations, read in order from the durations' indexes),
which SQLite and PostgreSQL both have. Months are the municipality's
calendar months (its time zone, ``core.times``): a decision at 00:30 on 1 March, Swedish
time, is a March decision, whatever the month in UTC. An input's month is worked out when
it is decided on; the decisions' months are counted between bounds worked out here, in
UTC, so neither database needs to know the time zone.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, case, func, literal_column, or_, select

from dialog.contributions.models import Contribution, ContributionKind, ContributionStatus
from dialog.core.cache import reference_data
from dialog.core.times import local_zone
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.moderation.models import ModerationDecision

# The newest months shown in the table per month.
MONTHS_SHOWN = 24


@dataclass(frozen=True)
class Waiting:
    """What waits for an editor now: inputs not yet published, and inputs with open reports."""

    pending: int
    reported: int


@dataclass(frozen=True)
class Median:
    """How many inputs had a first decision, and the median time to it in seconds."""

    decided: int
    seconds: float | None


@dataclass(frozen=True)
class DialogueRow:
    """A dialogue's decisions (answers ``localized(row, "title")`` like a dialogue)."""

    id: int | None
    slug: str | None
    title_sv: str | None
    title_en: str | None
    decisions: int
    median: Median


@dataclass(frozen=True)
class MonthRow:
    month: str  # "2026-03"
    decisions: int
    median: Median


@dataclass(frozen=True)
class Figures:
    waiting: Waiting
    overall: Median
    by_action: tuple[tuple[str, int], ...]
    by_reason: tuple[tuple[str, int], ...]
    by_dialogue: tuple[DialogueRow, ...]
    by_month: tuple[MonthRow, ...]


Months = tuple[tuple[str, datetime], ...]


def month_starts(latest: datetime, count: int = MONTHS_SHOWN) -> Months:
    """The count local calendar months up to the one of latest, newest first, each as
    ("YYYY-MM", the UTC time it starts)."""
    zone = local_zone()
    local = latest.astimezone(zone)
    year, month = local.year, local.month
    starts = []
    for _ in range(count):
        start = datetime(year, month, 1, tzinfo=zone).astimezone(UTC)
        starts.append((f"{year:04d}-{month:02d}", start))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tuple(starts)


def waiting_now() -> Waiting:
    """Count the inputs waiting to be published and those with open reports (one query)."""
    pending = Contribution.status == ContributionStatus.PENDING.value
    reported = Contribution.report_count > 0
    query = select(
        func.count(case((pending, 1))),
        func.count(case((reported, 1))),
    ).where(
        Contribution.kind != ContributionKind.PAGE_COMMENT.value,
        or_(pending, reported),
    )
    row = db.session.execute(query).one()
    return Waiting(int(row[0] or 0), int(row[1] or 0))


def _first_decisions() -> Any:
    """Each decided input once: its dialogue, when it was first decided and how long after
    it was sent."""
    return (
        select(
            Contribution.id,
            Contribution.dialogue_id,
            Contribution.first_decision_month.label("month"),
            Contribution.first_decision_seconds.label("seconds"),
        )
        .where(Contribution.first_decision_seconds.is_not(None))
        .subquery("first_decisions")
    )


def _medians(group: Any | None) -> Select[Any]:
    """Per group (None: all at once) the decided inputs and the median time to a first
    decision: the middle duration, or the mean of the two middle ones."""
    first = _first_decisions()
    seconds = first.c.seconds
    key = group(first) if group is not None else None
    partition = {"partition_by": key} if key is not None else {}
    ranked = select(
        (key if key is not None else literal_column("1")).label("grp"),
        seconds.label("seconds"),
        func.row_number().over(order_by=seconds, **partition).label("position"),
        func.count().over(**partition).label("total"),
    ).subquery("ranked")
    middle = or_(
        ranked.c.position == (ranked.c.total + 1) // 2,
        ranked.c.position == (ranked.c.total + 2) // 2,
    )
    return (
        select(ranked.c.grp, func.max(ranked.c.total), func.avg(ranked.c.seconds))
        .where(middle)
        .group_by(ranked.c.grp)
    )


def _median_map(group: Any | None) -> dict[Hashable, Median]:
    return {
        row[0]: Median(int(row[1]), float(row[2]) if row[2] is not None else None)
        for row in db.session.execute(_medians(group))
    }


def overall_median() -> Median:
    """The median time from submission to the first decision, over every decided input."""
    found = list(_median_map(None).values())
    return found[0] if found else Median(0, None)


def decisions_by(column: Any) -> list[tuple[str, int]]:
    """The number of decisions per value of a column of decisions, most first."""
    count = func.count(ModerationDecision.id)
    query = (
        select(column, count)
        .where(column.is_not(None))
        .group_by(column)
        .order_by(count.desc(), column)
    )
    return [(str(value), int(number)) for value, number in db.session.execute(query)]


def by_dialogue() -> list[DialogueRow]:
    """Decisions and the median time to a first decision per dialogue, most decisions first."""
    medians = _median_map(lambda first: first.c.dialogue_id)
    # Counted from the decisions' dialogue index alone, then named.
    counted = (
        select(ModerationDecision.dialogue_id, func.count().label("decisions"))
        .group_by(ModerationDecision.dialogue_id)
        .subquery("counted")
    )
    query = (
        select(
            counted.c.dialogue_id,
            Dialogue.slug,
            Dialogue.title_sv,
            Dialogue.title_en,
            counted.c.decisions,
        )
        .outerjoin(Dialogue, Dialogue.id == counted.c.dialogue_id)
        .order_by(counted.c.decisions.desc(), Dialogue.title_sv)
    )
    return [
        DialogueRow(
            dialogue_id,
            slug,
            title_sv,
            title_en,
            int(number),
            medians.get(dialogue_id, Median(0, None)),
        )
        for dialogue_id, slug, title_sv, title_en, number in db.session.execute(query)
    ]


def _decisions_per_month(months: Months) -> list[int]:
    """The decisions of each month, each counted from the decisions' time index (one query)."""
    created = ModerationDecision.created_at
    ends = [None, *(start for _name, start in months[:-1])]
    counts = [
        select(func.count())
        .where(created >= start, *(() if end is None else (created < end,)))
        .scalar_subquery()
        for (_name, start), end in zip(months, ends, strict=True)
    ]
    return [int(number or 0) for number in db.session.execute(select(*counts)).one()]


def by_month() -> list[MonthRow]:
    """Decisions per local month, and the median time for inputs first decided that month,
    newest month first (of the MONTHS_SHOWN months up to the latest decision, those that
    had any)."""
    latest = db.session.scalar(select(func.max(ModerationDecision.created_at)))
    if latest is None:
        return []
    months = month_starts(latest)
    medians = _median_map(lambda first: first.c.month)
    return [
        MonthRow(name, number, medians.get(name, Median(0, None)))
        for (name, _start), number in zip(months, _decisions_per_month(months), strict=True)
        if number
    ]


def _count_figures() -> Figures:
    return Figures(
        waiting=waiting_now(),
        overall=overall_median(),
        by_action=tuple(decisions_by(ModerationDecision.action)),
        by_reason=tuple(decisions_by(ModerationDecision.reason)),
        by_dialogue=tuple(by_dialogue()),
        by_month=tuple(by_month()),
    )


def moderation_figures() -> Figures:
    """Every figure of the page, in a fixed number of queries, kept until the next change."""
    return reference_data("moderation-figures", _count_figures)
