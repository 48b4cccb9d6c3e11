"""What the review's pages and exports show of a row, worked out once per row: labels in
the reader's language, the dates in the municipality's time zone, the public text with any
personal data an editor has not yet struck out left out. Never who sent it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple, TypeVar

from flask import abort, make_response, render_template
from flask_babel import format_date
from werkzeug.wrappers import Response

from dialog.accounts.permissions import roles_required
from dialog.contributions.models import (
    CONTRIBUTION_STATUS_LABELS,
    GOAL_RELATION_LABELS,
    ContributionStatus,
    GoalRelation,
)
from dialog.core.i18n import _, localized
from dialog.core.times import local_zone
from dialog.dialogues.models import GROUP_LABELS, Group
from dialog.goals.models import Goal
from dialog.goals.queries import FrameworkTree, framework_tree
from dialog.review.forms import KIND_LABELS
from dialog.review.permissions import REVIEW_ROLES
from dialog.review.queries import NO_GROUP, Choices, Scope, goal_scope, review_choices

T = TypeVar("T")
reviewers_required = roles_required(*REVIEW_ROLES)
LEFT_OUT = "[…]"  # in place of personal data not yet struck out by an editor


def no_store(response: Response) -> Response:
    """Unpublished inputs among them: never kept by a browser or a shared cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def relation_label(relation: str) -> str:
    try:
        return str(GOAL_RELATION_LABELS[GoalRelation(relation)])
    except ValueError:
        return relation


def group_label(group: str | None) -> str:
    if group is None or group == NO_GROUP:
        return _("Not recorded")
    try:
        return str(GROUP_LABELS[Group(group)])
    except ValueError:
        return group


def month_label(month: str) -> str:
    """ "2026-03" as the reader says it: "mars 2026", "March 2026"."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        return month
    return format_date(first, "LLLL y")


def status_label(status: str) -> str:
    return str(CONTRIBUTION_STATUS_LABELS[ContributionStatus(status)])


def without_personal_data(text: str | None, findings: Any, field: str) -> str | None:
    """The text with the personal data the guard found in it left out (an input sent anyway
    that no editor has redacted yet: politicians never see a phone number or an address)."""
    if not text or not findings:
        return text
    spans = sorted(
        (finding["start"], finding["end"])
        for finding in findings
        if finding.get("field", "body") == field
    )
    for start, end in reversed(spans):
        text = text[:start] + LEFT_OUT + text[end:]
    return text


class Line(NamedTuple):
    """One row as the pages and exports show it (a named tuple: an export makes one per
    row, and a frozen dataclass's constructor cost more than the rest of the row)."""

    id: int
    contribution_id: int
    reference: str
    goal_code: str
    goal_title: str
    kind: str
    status: str
    status_label: str
    dialogue: str
    group: str
    relation: str
    relation_label: str
    rationale: str | None
    sent: str
    title: str | None
    text: str
    language: str


def _dialogue_titles(choices: Choices) -> dict[int, str]:
    return {choice.id: localized(choice, "title") or "" for choice in choices.dialogues}


class _Labels(dict[Any, T]):
    """Labels looked up once per value (a handful of kinds, groups, goals), not per row."""

    def __init__(self, make: Callable[[Any], T]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> T:
        label = self[key] = self.make(key)
        return label


def _goal_names(tree: FrameworkTree) -> Callable[[int], tuple[str, str]]:
    def name(goal_id: int) -> tuple[str, str]:
        goal: Goal | None = tree.goals_by_id.get(goal_id)
        return (goal.code, localized(goal, "title") or "") if goal is not None else ("", "")

    return name


def lines(rows: Iterable[Any], scope: Scope, tree: FrameworkTree) -> Iterator[Line]:
    """The rows with everything they show, labels looked up once per export or page."""
    zone = local_zone()
    titles = _dialogue_titles(review_choices(scope.framework_id))
    kinds, groups = _Labels(kind_label), _Labels(group_label)
    relations, statuses = _Labels(relation_label), _Labels(status_label)
    goals = _Labels(_goal_names(tree))
    for row in rows:
        goal_code, goal_title = goals[row.goal_id]
        redacted = row.redacted_body_text is not None
        findings = None if redacted else row.personal_data_findings
        yield Line(
            id=row.id,
            contribution_id=row.contribution_id,
            reference=row.reference or str(row.contribution_id),
            goal_code=goal_code,
            goal_title=goal_title,
            kind=kinds[row.kind],
            status=row.status,
            status_label=statuses[row.status],
            dialogue=titles.get(row.dialogue_id, "") if row.dialogue_id else "",
            group=groups[row.participant_group],
            relation=row.relation,
            relation_label=relations[row.relation],
            rationale=row.rationale,
            sent=row.created_at.astimezone(zone).strftime("%Y-%m-%d"),
            title=without_personal_data(
                row.redacted_title if redacted else row.title, findings, "title"
            ),
            text=without_personal_data(
                row.redacted_body_text if redacted else row.body_text, findings, "body"
            )
            or "",
            language=row.language,
        )


def tree_or_404(slug: str) -> FrameworkTree:
    tree = framework_tree(slug)
    if tree is None:
        abort(404)
    return tree


def page(template: str, **context: Any) -> Response:
    return no_store(make_response(render_template(template, **context)))


def goal_scope_or_404(goal_id: int) -> tuple[Scope, FrameworkTree]:
    """The goal's scope and its framework's tree, or 404."""
    scope = goal_scope(goal_id)
    if scope is None:
        abort(404)
    return scope, tree_or_404(scope.framework_slug)
