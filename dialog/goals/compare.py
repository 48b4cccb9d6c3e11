"""Comparing two versions of a framework: goals added, removed, reworded and kept.

Goals are matched by lineage (kept when "new version" copies a goal) when the two versions
share any; versions made separately are matched by code instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from dialog.core.diff import word_diff
from dialog.core.i18n import localized
from dialog.goals.models import Framework, Goal
from dialog.goals.queries import build_tree, flatten

_COMPARED = ("title_sv", "title_en", "statement_sv", "statement_en")


@dataclass
class GoalChange:
    """One goal's fate between the older and the newer version."""

    old: Goal | None
    new: Goal | None
    old_title: Markup = Markup("")
    new_title: Markup = Markup("")
    old_statement: Markup = Markup("")
    new_statement: Markup = Markup("")


@dataclass
class Comparison:
    older: Framework
    newer: Framework
    matched_by: str  # "lineage" or "code"
    added: list[GoalChange] = field(default_factory=list)
    removed: list[GoalChange] = field(default_factory=list)
    reworded: list[GoalChange] = field(default_factory=list)
    unchanged: list[GoalChange] = field(default_factory=list)

    @property
    def matched_by_code(self) -> bool:
        """The versions share no lineage, so goals were paired by their codes."""
        return self.matched_by == "code"


def _ordered(framework: Framework) -> list[Goal]:
    return [node.goal for node in flatten(build_tree(framework.goals))]


def _chronological(first: Framework, second: Framework) -> tuple[Framework, Framework]:
    """Return the two versions oldest first: by the supersedes link, else by period."""
    if second.supersedes_id == first.id:
        return first, second
    if first.supersedes_id == second.id:
        return second, first
    if (second.period_start, second.id) < (first.period_start, first.id):
        return second, first
    return first, second


def compare_frameworks(first: Framework, second: Framework) -> Comparison:
    """Compare two versions (goals loaded), the older one first whatever the order given."""
    older, newer = _chronological(first, second)
    old_goals, new_goals = _ordered(older), _ordered(newer)
    shared = {goal.lineage for goal in old_goals} & {goal.lineage for goal in new_goals}
    matched_by = "lineage" if shared else "code"

    def key(goal: Goal) -> str:
        return goal.lineage if shared else goal.code

    old_by_key = {key(goal): goal for goal in old_goals}
    comparison = Comparison(older, newer, matched_by)
    seen: set[str] = set()
    for goal in new_goals:
        previous = old_by_key.get(key(goal))
        if previous is None:
            comparison.added.append(GoalChange(None, goal))
            continue
        seen.add(key(goal))
        change = GoalChange(previous, goal)
        change.old_title, change.new_title = word_diff(
            localized(previous, "title"), localized(goal, "title")
        )
        change.old_statement, change.new_statement = word_diff(
            localized(previous, "statement"), localized(goal, "statement")
        )
        if any(getattr(previous, name) != getattr(goal, name) for name in _COMPARED):
            comparison.reworded.append(change)
        else:
            comparison.unchanged.append(change)
    comparison.removed = [GoalChange(goal, None) for goal in old_goals if key(goal) not in seen]
    return comparison
