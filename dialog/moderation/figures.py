"""The editors' figures: what waits now, how long inputs wait for a first decision, and the
decisions by reason, by dialogue and by month.

Everything is counted in SQL from ``moderation_decisions`` (one row per decision, with the
input's dialogue and submission time copied onto it), in a fixed number of queries whatever
the amount of data, and kept in memory until the next change (``reference_data``): the
figures are the same for every editor, and counting tens of thousands of decisions again
on every visit would cost a good part of a second. Medians are computed in SQL with window
functions (ROW_NUMBER and COUNT over the ordered durations), which SQLite and PostgreSQL
both have; only the duration in seconds and the month are written per database. Months
are calendar months in UTC.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal_column, or_, select

from dialog.contributions.models import Contribution, ContributionKind, ContributionStatus
from dialog.core.cache import reference_data
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


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _seconds(later: Any, earlier: Any) -> ColumnElement[Any]:
    """later - earlier in seconds, as a number, on either database."""
    if _dialect() == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _month(moment: Any) -> ColumnElement[Any]:
    """The UTC calendar month of a time, as "YYYY-MM".

    The constants are written into the SQL, not bound: PostgreSQL takes a GROUP BY
    expression as the selected one only when their parameters are the same.
    """
    if _dialect() == "postgresql":
        return func.to_char(
            func.timezone(literal_column("'UTC'"), moment), literal_column("'YYYY-MM'")
        )
    return func.strftime(literal_column("'%Y-%m'"), moment)


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
    """Each decided input once: its dialogue, when it was sent and when first decided."""
    return (
        select(
            ModerationDecision.contribution_id,
            func.min(ModerationDecision.dialogue_id).label("dialogue_id"),
            func.min(ModerationDecision.submitted_at).label("submitted_at"),
            func.min(ModerationDecision.created_at).label("decided_at"),
        )
        .group_by(ModerationDecision.contribution_id)
        .subquery("first_decisions")
    )


def _medians(group: Any | None) -> Select[Any]:
    """Per group (None: all at once) the decided inputs and the median time to a first
    decision: the middle duration, or the mean of the two middle ones."""
    first = _first_decisions()
    seconds = _seconds(first.c.decided_at, first.c.submitted_at)
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
    count = func.count(ModerationDecision.id)
    query = (
        select(Dialogue.id, Dialogue.slug, Dialogue.title_sv, Dialogue.title_en, count)
        .select_from(ModerationDecision)
        .outerjoin(Dialogue, Dialogue.id == ModerationDecision.dialogue_id)
        .group_by(Dialogue.id, Dialogue.slug, Dialogue.title_sv, Dialogue.title_en)
        .order_by(count.desc(), Dialogue.title_sv)
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


def by_month() -> list[MonthRow]:
    """Decisions per month, and the median time for inputs first decided that month, newest
    month first (the last MONTHS_SHOWN months that had any)."""
    medians = _median_map(lambda first: _month(first.c.decided_at))
    month = _month(ModerationDecision.created_at)
    query = (
        select(month.label("month"), func.count(ModerationDecision.id))
        .group_by(month)
        .order_by(month.desc())
        .limit(MONTHS_SHOWN)
    )
    return [
        MonthRow(str(value), int(number), medians.get(value, Median(0, None)))
        for value, number in db.session.execute(query)
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
