"""Reads for the goal suggestions: a framework's leaf goals with everything that describes
them, the inputs staff confirmed for them, and a fingerprint of both."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from dialog.contributions.models import Contribution, ContributionStatus, GoalLink, GoalRelation
from dialog.dialogues.models import Dialogue
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
