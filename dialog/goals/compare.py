"""Comparing two versions of a framework: goals added, removed, reworded and kept.

Goals are matched by lineage (kept when "new version" copies a goal) when the two versions
share any; versions made separately are matched by code instead.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from dialog.core.i18n import _, localized
from dialog.goals.models import Framework, Goal
from dialog.goals.queries import build_tree, flatten

_TOKENS = re.compile(r"\s+|[^\s]+")
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


_MARKS = {
    "del": Markup('<del><span class="visually-hidden">{label} </span>{text}</del>'),
    "ins": Markup('<ins><span class="visually-hidden">{label} </span>{text}</ins>'),
}


def _mark(tokens: list[str], tag: str, label: str) -> Markup:
    text = "".join(tokens)
    if not text.strip():
        return escape(text)
    return _MARKS[tag].format(label=label, text=text)


def word_diff(old: str | None, new: str | None) -> tuple[Markup, Markup]:
    """Mark the words removed from old with <del> and those added in new with <ins>."""
    old_tokens = _TOKENS.findall(old or "")
    new_tokens = _TOKENS.findall(new or "")
    removed_label, added_label = _("Removed:"), _("Added:")
    left: list[Markup] = []
    right: list[Markup] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            left.append(escape("".join(old_tokens[a1:a2])))
            right.append(escape("".join(new_tokens[b1:b2])))
            continue
        if a2 > a1:
            left.append(_mark(old_tokens[a1:a2], "del", removed_label))
        if b2 > b1:
            right.append(_mark(new_tokens[b1:b2], "ins", added_label))
    return Markup("").join(left), Markup("").join(right)


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
