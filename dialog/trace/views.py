"""The public trace on the site: on every goal page, how residents shaped the goal (counts,
the inputs that influenced it with their rationale, the first related ones), and a page of
all the inputs behind a goal, filtered by dialogue, kind and relation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from dialog.contributions.models import GoalRelation, public_kinds
from dialog.core.cache import cached_page, reference_data
from dialog.core.pagination import requested_page
from dialog.goals.permissions import can_view_framework
from dialog.goals.queries import framework_tree, goal_in_tree
from dialog.trace.queries import (
    TraceCounts,
    first_traced_inputs,
    goal_and_below,
    trace_counts,
    traced_dialogues,
    traced_inputs_page,
)

bp = Blueprint("trace", __name__)

# The goal page shows every influence (there are few, each with its rationale) up to this,
# and this many related inputs; the rest are on the goal's inputs page.
INFLUENCES_SHOWN = 20
RELATED_SHOWN = 5
PER_PAGE = 20
RELATIONS = (GoalRelation.INFLUENCED.value, GoalRelation.RELATED.value)


@dataclass(frozen=True)
class GoalTrace:
    """What a goal page shows of its trace, the same for every reader and language."""

    counts: TraceCounts
    influences: tuple[Any, ...]
    related: tuple[Any, ...]


def _read_goal_trace(goal_ids: tuple[int, ...]) -> GoalTrace:
    # One read of the first inputs, influences first: those shown, then the related ones.
    first = first_traced_inputs(goal_ids, INFLUENCES_SHOWN + RELATED_SHOWN)
    influenced = GoalRelation.INFLUENCED.value
    return GoalTrace(
        counts=trace_counts(goal_ids),
        influences=tuple(row for row in first if row.relation == influenced)[:INFLUENCES_SHOWN],
        related=tuple(row for row in first if row.relation != influenced)[:RELATED_SHOWN],
    )


def goal_trace(goal_ids: Sequence[int]) -> GoalTrace:
    """The trace a goal page shows, for the goal and those under it (the page knows them),
    kept in memory until the next change (``reference_data``)."""
    key = tuple(goal_ids)
    return reference_data(("goal-trace", key), lambda: _read_goal_trace(key))


def _choice(name: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    """A filter from the query string; one not offered is no filter (a link that went old)."""
    value = request.args.get(name, "").strip()
    return value if value in allowed else None


@bp.route("/goals/<slug>/<int:goal_id>/inputs")
@cached_page
def goal_inputs(slug: str, goal_id: int) -> str:
    """Every public input behind a goal, a page at a time, the influences first."""
    found = framework_tree(slug)
    if found is None or not can_view_framework(current_user, found.framework):
        abort(404)
    page = goal_in_tree(found, goal_id)
    if page is None:
        abort(404)
    goal_ids = goal_and_below(goal_id)
    dialogues = traced_dialogues(goal_ids)
    filters = {
        "dialogue": _choice("dialogue", [dialogue[0] for dialogue in dialogues]),
        "kind": _choice("kind", public_kinds()),
        "relation": _choice("relation", RELATIONS),
    }
    inputs = traced_inputs_page(goal_ids, requested_page(), PER_PAGE, **filters)
    return render_template(
        "trace/goal_inputs.html",
        framework=found.framework,
        goal=page.goal,
        inputs=inputs,
        dialogues=dialogues,
        kinds=public_kinds(),
        relations=RELATIONS,
        filters=filters,
    )


bp.add_app_template_global(goal_trace)
