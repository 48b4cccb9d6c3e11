"""Reads for the goal suggestions: a framework's leaf goals with everything that describes
them, the inputs staff confirmed for them, and a fingerprint of both."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.expression import Executable

from dialog.contributions.models import Contribution, ContributionStatus, GoalLink, GoalRelation
from dialog.contributions.queries import shown_to_everyone
from dialog.core.pagination import paginate
from dialog.dialogues.models import Dialogue, Group, Headcount
from dialog.extensions import db
from dialog.goals.models import Framework, Goal, GoalSdg
from dialog.goals.queries import build_tree, flatten

# Staff decisions only: a suggestion (the author's, a facilitator's or the system's own)
# never teaches the model.
CONFIRMED = (GoalRelation.RELATED.value, GoalRelation.INFLUENCED.value)
# Inputs kept from the public are not learned from (what was hidden may be abuse).
UNLEARNED = (ContributionStatus.HIDDEN.value, ContributionStatus.REJECTED.value)


def framework_id_for(slug: str) -> int | None:
    """Return the id of the framework with this slug."""
    return db.session.scalar(select(Framework.id).where(Framework.slug == slug))


def framework_id_of_contribution(contribution_id: int) -> int | None:
    """Return the id of the framework the input's dialogue feeds (None: no dialogue)."""
    query = (
        select(Dialogue.framework_id)
        .join(Contribution, Contribution.dialogue_id == Dialogue.id)
        .where(Contribution.id == contribution_id)
    )
    return db.session.scalar(query)


def contribution_text(contribution_id: int) -> str | None:
    """Return the input's title and text as the public sees them, None if there is none."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        return None
    return "\n".join(filter(None, [contribution.public_title, contribution.public_body_text]))


def leaf_goals(framework_id: int) -> list[Goal]:
    """Return the framework's goals without sub-goals, in reading order, with their
    indicators and Agenda 2030 goals (three queries)."""
    goals = db.session.scalars(
        select(Goal)
        .where(Goal.framework_id == framework_id)
        .options(
            selectinload(Goal.indicators),
            selectinload(Goal.sdg_links).joinedload(GoalSdg.sdg),
        )
    ).all()
    parents = {goal.parent_id for goal in goals}
    return [node.goal for node in flatten(build_tree(goals)) if node.goal.id not in parents]


def _confirmed(framework_id: int) -> Any:
    return (
        select(GoalLink)
        .join(Goal, Goal.id == GoalLink.goal_id)
        .join(Contribution, Contribution.id == GoalLink.contribution_id)
        .where(
            Goal.framework_id == framework_id,
            GoalLink.relation.in_(CONFIRMED),
            Contribution.status.not_in(UNLEARNED),
        )
    )


def confirmed_fingerprint(framework_id: int) -> tuple[Hashable, ...]:
    """Return what changes whenever the confirmed inputs of the framework's goals do: their
    links' count, highest id and id sum (a link added, removed or re-related changes one),
    and the latest change to one of the inputs. One aggregate query."""
    confirmed = (
        _confirmed(framework_id).with_only_columns(GoalLink.id, Contribution.updated_at).subquery()
    )
    query = select(
        func.count(confirmed.c.id),
        func.max(confirmed.c.id),
        func.sum(confirmed.c.id),
        func.max(confirmed.c.updated_at),
    )
    count, highest, total, changed = db.session.execute(query).one()
    return count, highest, total, changed


def confirmed_inputs(framework_id: int, per_goal: int) -> Sequence[tuple[int, str]]:
    """Return (goal id, text) of the inputs confirmed for the framework's goals, at most
    per_goal of the latest per goal, oldest link first within each goal."""
    ranked = (
        _confirmed(framework_id)
        .with_only_columns(
            GoalLink.id.label("link_id"),
            GoalLink.goal_id,
            Contribution.title,
            Contribution.body_text,
            Contribution.redacted_title,
            Contribution.redacted_body_text,
            func.row_number()
            .over(partition_by=GoalLink.goal_id, order_by=GoalLink.id.desc())
            .label("latest"),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked)
        .where(ranked.c.latest <= per_goal)
        .order_by(ranked.c.goal_id, ranked.c.link_id)
    ).all()
    return [(row.goal_id, _public_text(row)) for row in rows]


def _public_text(row: Any) -> str:
    if row.redacted_body_text is not None:
        return "\n".join(filter(None, [row.redacted_title, row.redacted_body_text]))
    return "\n".join(filter(None, [row.title, row.body_text]))


# The public trace -------------------------------------------------------------------------
# What shaped a goal: the public inputs staff linked to it (related or influenced), counted
# in SQL so that a goal with thousands of inputs costs the same few queries as one with two.

# An input sent online has no participant group of its own: it is a resident's.
ONLINE_GROUP = "residents"


@dataclass(frozen=True)
class TraceCounts:
    """The inputs behind a goal (or goals), the dialogues they came from and who took part."""

    inputs: int
    dialogues: int
    influenced: int
    related: int
    by_group: dict[str, int]
    participants: dict[str, int]


def goal_and_below(goal_id: int) -> list[int]:
    """The goal's id and those of the goals under it (an area's sub-goals: the tree has two
    levels), in one query."""
    query = select(Goal.id).where(or_(Goal.id == goal_id, Goal.parent_id == goal_id))
    found = sorted(db.session.scalars(query), key=lambda found_id: found_id != goal_id)
    return found


def _traced(goal_ids: Sequence[int]) -> Select[Any]:
    """The confirmed links to these goals of inputs the public sees, with the input."""
    return (
        select(GoalLink.contribution_id)
        .join(Contribution, Contribution.id == GoalLink.contribution_id)
        .where(
            GoalLink.goal_id.in_(goal_ids),
            GoalLink.relation.in_(CONFIRMED),
            shown_to_everyone(),
        )
    )


def _pairs(query: Executable) -> dict[Any, Any]:
    """The two columns of the query's rows as a dict (a key to its count)."""
    return {key: value for key, value in db.session.execute(query)}


def _distinct_where(condition: Any, column: Any) -> Any:
    """COUNT(DISTINCT column) of the rows where condition holds."""
    return func.count(case((condition, column)).distinct())


def trace_counts(goal_ids: Sequence[int]) -> TraceCounts:
    """Count the public inputs linked to these goals, each input once, in one statement:
    totals, relations, inputs per participant group and the dialogues' headcounts."""
    linked = (
        _traced(goal_ids)
        .with_only_columns(
            GoalLink.contribution_id,
            GoalLink.relation,
            Contribution.dialogue_id,
            func.coalesce(Contribution.participant_group, ONLINE_GROUP).label("group"),
        )
        .subquery()
    )
    dialogues = select(linked.c.dialogue_id).where(linked.c.dialogue_id.is_not(None))
    groups = [group.value for group in Group]
    row = db.session.execute(
        select(
            func.count(linked.c.contribution_id.distinct()),
            func.count(linked.c.dialogue_id.distinct()),
            _distinct_where(
                linked.c.relation == GoalRelation.INFLUENCED.value, linked.c.contribution_id
            ),
            _distinct_where(
                linked.c.relation == GoalRelation.RELATED.value, linked.c.contribution_id
            ),
            *[
                _distinct_where(linked.c.group == group, linked.c.contribution_id)
                for group in groups
            ],
            *[
                select(func.sum(Headcount.count))
                .where(Headcount.group == group, Headcount.dialogue_id.in_(dialogues))
                .scalar_subquery()
                for group in groups
            ],
        ).select_from(linked)
    ).one()
    inputs, by_group, headcounts = row[:4], row[4 : 4 + len(groups)], row[4 + len(groups) :]
    return TraceCounts(
        inputs=inputs[0],
        dialogues=inputs[1],
        influenced=inputs[2],
        related=inputs[3],
        by_group={group: count for group, count in zip(groups, by_group, strict=True) if count},
        participants={
            group: int(count) for group, count in zip(groups, headcounts, strict=True) if count
        },
    )


# What a traced input shows: never its author.
TRACED_COLUMNS: tuple[Any, ...] = (
    Contribution.id,
    Contribution.reference,
    Contribution.kind,
    Contribution.title,
    Contribution.redacted_title,
    Contribution.body_text,
    Contribution.redacted_body_text,
    Contribution.redacted_body_html,
    Contribution.created_at,
    func.coalesce(Contribution.participant_group, ONLINE_GROUP).label("group"),
    Contribution.language,
    Dialogue.slug.label("dialogue"),
    Dialogue.title_sv.label("dialogue_title_sv"),
    Dialogue.title_en.label("dialogue_title_en"),
    GoalLink.relation,
    GoalLink.rationale,
    Goal.code.label("goal_code"),
)


def _traced_inputs(
    goal_ids: Sequence[int],
    relation: str | None = None,
    dialogue: str | None = None,
    kind: str | None = None,
) -> Select[Any]:
    """The public inputs linked to these goals (of one relation, dialogue or kind when
    asked): the influences first (they come with their rationale), then the related ones,
    newest first."""
    query = (
        select(*TRACED_COLUMNS)
        .join(GoalLink, GoalLink.contribution_id == Contribution.id)
        .join(Goal, Goal.id == GoalLink.goal_id)
        .outerjoin(Dialogue, Dialogue.id == Contribution.dialogue_id)
        .where(
            GoalLink.goal_id.in_(goal_ids),
            GoalLink.relation.in_(CONFIRMED if relation is None else (relation,)),
            shown_to_everyone(),
        )
        .order_by(
            (GoalLink.relation == GoalRelation.INFLUENCED.value).desc(),
            Contribution.created_at.desc(),
            GoalLink.id.desc(),
        )
    )
    if dialogue is not None:
        query = query.where(Dialogue.slug == dialogue)
    if kind is not None:
        query = query.where(Contribution.kind == kind)
    return query


def traced_inputs_page(
    goal_ids: Sequence[int],
    page: int,
    per_page: int,
    relation: str | None = None,
    dialogue: str | None = None,
    kind: str | None = None,
) -> Pagination:
    """One page of the inputs behind the goals (``_traced_inputs``): rows, not ORM objects."""
    return paginate(_traced_inputs(goal_ids, relation, dialogue, kind), page, per_page, rows=True)


def first_traced_inputs(goal_ids: Sequence[int], limit: int) -> tuple[Any, ...]:
    """The first inputs behind the goals, influences first (a goal page shows a few)."""
    return tuple(db.session.execute(_traced_inputs(goal_ids).limit(limit)))


def traced_dialogues(goal_ids: Sequence[int]) -> list[tuple[str, str, str | None]]:
    """The dialogues the goals' public inputs came from: slug, Swedish and English title."""
    traced = _traced(goal_ids).with_only_columns(Contribution.dialogue_id)
    query = (
        select(Dialogue.slug, Dialogue.title_sv, Dialogue.title_en)
        .where(Dialogue.id.in_(traced))
        .order_by(Dialogue.starts_at, Dialogue.id)
    )
    return [(slug, title_sv, title_en) for slug, title_sv, title_en in db.session.execute(query)]


@dataclass(frozen=True)
class TraceMatrix:
    """A framework's goals × the dialogues of its inputs: how many public inputs each."""

    goals: list[tuple[int, str | None, str, str | None]]  # id, code, title_sv, title_en
    dialogues: list[tuple[int, str, str, str | None]]  # id, slug, title_sv, title_en
    cells: dict[tuple[int, int], int]  # (goal id, dialogue id) → inputs
    totals: dict[int, int]  # goal id → inputs, each once


def trace_matrix(framework_id: int) -> TraceMatrix:
    """Count the public inputs linked to each goal of the framework, per dialogue."""
    goals = [
        tuple(row)
        for row in db.session.execute(
            select(Goal.id, Goal.code, Goal.title_sv, Goal.title_en)
            .where(Goal.framework_id == framework_id)
            .order_by(Goal.position, Goal.id)
        )
    ]
    linked = (
        select(GoalLink.goal_id, Contribution.dialogue_id, Contribution.id.label("input"))
        .join(Contribution, Contribution.id == GoalLink.contribution_id)
        .join(Goal, Goal.id == GoalLink.goal_id)
        .where(
            Goal.framework_id == framework_id,
            GoalLink.relation.in_(CONFIRMED),
            shown_to_everyone(),
        )
        .subquery()
    )
    cells = {
        (goal_id, dialogue_id): count
        for goal_id, dialogue_id, count in db.session.execute(
            select(linked.c.goal_id, linked.c.dialogue_id, func.count(linked.c.input.distinct()))
            .where(linked.c.dialogue_id.is_not(None))
            .group_by(linked.c.goal_id, linked.c.dialogue_id)
        )
    }
    totals: dict[int, int] = _pairs(
        select(linked.c.goal_id, func.count(linked.c.input.distinct())).group_by(linked.c.goal_id)
    )
    dialogue_ids = sorted({dialogue_id for _, dialogue_id in cells})
    dialogues = [
        tuple(row)
        for row in db.session.execute(
            select(Dialogue.id, Dialogue.slug, Dialogue.title_sv, Dialogue.title_en)
            .where(Dialogue.id.in_(dialogue_ids))
            .order_by(Dialogue.starts_at, Dialogue.id)
        )
    ]
    return TraceMatrix(goals, dialogues, cells, totals)  # type: ignore[arg-type]
