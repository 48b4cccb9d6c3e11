"""The goal tree: add, edit, move and remove goals, and link them to Agenda 2030."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from dialog.accounts.models import User
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.sanitize import optional_text
from dialog.extensions import db
from dialog.goals import queries
from dialog.goals.models import Framework, Goal, GoalKind, GoalSdg
from dialog.goals.reference import SDGS
from dialog.goals.services.common import (
    GoalInput,
    GoalsError,
    require_editable,
)

# Goals -----------------------------------------------------------------------------

GOAL_FIELDS = (
    "kind",
    "code",
    "title_sv",
    "title_en",
    "statement_sv",
    "statement_en",
    "parent_id",
    "position",
)

TOP_LEVEL_KINDS = frozenset({GoalKind.AREA, GoalKind.PRIORITY_AREA})


def _goal_audit(action: str, goal: Goal, actor: User | None, before: Any, after: Any) -> None:
    audit.record(action, actor, goal, framework=goal.framework.slug, before=before, after=after)


def _check_goal_input(framework: Framework, data: GoalInput, goal: Goal | None) -> Goal | None:
    """Check the input against the tree's rules; return the parent goal."""
    if data.kind not in set(GoalKind):
        raise GoalsError(_("Choose a kind."), "kind")
    code = (data.code or "").strip()
    if not code:
        raise GoalsError(_("Give the goal a code, like 2 or 2.1."), "code")
    if queries.goal_code_taken(framework, code, except_goal=goal):
        raise GoalsError(
            _("Another goal in this framework has the code {code}.").format(code=code), "code"
        )
    if not optional_text(data.title_sv):
        raise GoalsError(_("Give the title in Swedish."), "title_sv")
    parent = None
    if data.parent_id is not None:
        parent = queries.goal_in(framework, data.parent_id)
        if parent is None:
            raise GoalsError(_("Choose a goal of this framework."), "parent_id")
        if goal is not None and (parent.id == goal.id or parent.id in queries.descendant_ids(goal)):
            raise GoalsError(_("A goal cannot be placed under itself."), "parent_id")
    if data.kind == GoalKind.SUB_GOAL and parent is None:
        raise GoalsError(_("A sub-goal belongs under a goal area or priority area."), "parent_id")
    if data.kind in TOP_LEVEL_KINDS and parent is not None:
        raise GoalsError(
            _("Goal areas and priority areas are at the top of the tree."), "parent_id"
        )
    return parent


def _next_position(framework: Framework, parent_id: int | None) -> int:
    query = select(func.max(Goal.position)).where(Goal.framework_id == framework.id)
    if parent_id is None:
        query = query.where(Goal.parent_id.is_(None))
    else:
        query = query.where(Goal.parent_id == parent_id)
    current = db.session.scalar(query)
    return 0 if current is None else current + 1


def _apply_goal_input(goal: Goal, data: GoalInput) -> None:
    goal.kind = data.kind
    goal.code = data.code.strip()
    goal.title_sv = optional_text(data.title_sv) or ""
    goal.title_en = optional_text(data.title_en)
    goal.statement_sv = optional_text(data.statement_sv)
    goal.statement_en = optional_text(data.statement_en)


def suggest_code(framework: Framework, parent: Goal | None) -> str:
    """Suggest the next free code: "4" at the top, "2.3" under goal 2."""
    number = _next_position(framework, parent.id if parent else None) + 1
    while True:
        code = f"{parent.code}.{number}" if parent else str(number)
        if not queries.goal_code_taken(framework, code):
            return code
        number += 1


def add_goal(framework: Framework, data: GoalInput, actor: User | None) -> Goal:
    """Add a goal to a draft's tree, last among its siblings."""
    require_editable(framework)
    parent = _check_goal_input(framework, data, None)
    parent_id = parent.id if parent else None
    goal = Goal(parent_id=parent_id, position=_next_position(framework, parent_id))
    _apply_goal_input(goal, data)
    framework.goals.append(goal)
    _goal_audit("goal_created", goal, actor, None, audit.snapshot(goal, GOAL_FIELDS))
    return goal


def update_goal(goal: Goal, data: GoalInput, actor: User | None) -> Goal:
    """Change a goal's text, kind or code, or move it under another parent."""
    framework = goal.framework
    require_editable(framework)
    parent = _check_goal_input(framework, data, goal)
    before = audit.snapshot(goal, GOAL_FIELDS)
    new_parent_id = parent.id if parent else None
    if new_parent_id != goal.parent_id:
        goal.position = _next_position(framework, new_parent_id)
        goal.parent_id = new_parent_id
    _apply_goal_input(goal, data)
    after = audit.snapshot(goal, GOAL_FIELDS)
    audit.record_change("goal_updated", actor, goal, before, after, framework=framework.slug)
    return goal


def move_goal(goal: Goal, offset: int, actor: User | None) -> Goal:
    """Move a goal one place up (offset -1) or down (+1) among its siblings."""
    require_editable(goal.framework)
    siblings = queries.siblings_of(goal)
    index = siblings.index(goal)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(siblings):
        return goal
    before = [sibling.code for sibling in siblings]
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    _goal_audit(
        "goal_moved",
        goal,
        actor,
        {"order": before},
        {"order": [sibling.code for sibling in siblings]},
    )
    return goal


def delete_goal(goal: Goal, actor: User | None) -> None:
    """Remove a goal without sub-goals from a draft, with its links and indicators."""
    framework = goal.framework
    require_editable(framework)
    if queries.has_children(goal):
        raise GoalsError(_("Move or remove the goals under it first."))
    _goal_audit("goal_deleted", goal, actor, audit.snapshot(goal, GOAL_FIELDS), None)
    db.session.delete(goal)
    db.session.flush()
    # The framework's loaded tree still holds the goal: read it again when next used.
    db.session.expire(framework, ["goals"])


def set_goal_sdgs(
    goal: Goal, numbers: list[int], actor: User | None, is_example: bool = False
) -> Goal:
    """Link the goal to exactly these Agenda 2030 goals (real data unless is_example)."""
    require_editable(goal.framework)
    wanted = sorted(set(numbers))
    if any(not 1 <= number <= len(SDGS) for number in wanted):
        raise GoalsError(_("Choose among the 17 goals of Agenda 2030."), "sdgs")
    before = [link.sdg_number for link in goal.sdg_links]
    goal.sdg_links = [GoalSdg(sdg_number=number, is_example=is_example) for number in wanted]
    db.session.flush()
    if before != wanted:
        _goal_audit("goal_sdgs_changed", goal, actor, {"sdgs": before}, {"sdgs": wanted})
    return goal
