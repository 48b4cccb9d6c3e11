"""The review's pages: the frameworks, a framework's inputs across its goals, a goal's
inputs, and the printable report of a goal. Politicians, editors and administrators only;
never cached."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import abort, request
from flask_babel import format_decimal
from markupsafe import Markup
from werkzeug.wrappers import Response

from dialog.core.i18n import _, localized
from dialog.core.pagination import requested_page
from dialog.core.templating import lang_attr
from dialog.core.urls import IdUrl
from dialog.goals.queries import FrameworkTree, flatten, goal_in_tree, public_frameworks
from dialog.review import queries
from dialog.review.forms import review_filters
from dialog.review.queries import Figures, ReviewFilters, Scope
from dialog.review.views import bp, shown
from dialog.review.views.helpers import (
    goal_scope_or_404,
    group_label,
    kind_label,
    lines,
    page,
    relation_label,
    reviewers_required,
    tree_or_404,
)

# The most inputs the printed report lists (the exports hold every one).
REPORT_ROWS = 500


@dataclass(frozen=True)
class GoalRow:
    """A goal in the framework's table of counts."""

    depth: int
    code: str
    title: str
    lang: Markup
    url: str
    count: str


def _goal_rows(tree: FrameworkTree, figures: Figures, filters: ReviewFilters) -> list[GoalRow]:
    counts = dict(figures.by_goal)
    urls = IdUrl("review.goal", "goal_id", **filters.args())
    return [
        GoalRow(
            node.depth,
            node.goal.code,
            localized(node.goal, "title") or "",
            lang_attr(node.goal, "title"),
            urls[node.goal.id],
            format_decimal(counts.get(node.goal.id, 0)),
        )
        for node in flatten(tree.tree)
    ]


def _labels(scope: Scope, filters: ReviewFilters, figures: Figures) -> dict[str, object]:
    """What the templates name things with, and the filters as a query string."""
    titles = shown.dialogue_titles(scope)
    args = filters.args()
    return {
        "kind_label": kind_label,
        "relation_label": relation_label,
        "group_label": group_label,
        "dialogue_title": lambda dialogue_id: titles.get(dialogue_id) or _("No dialogue"),
        "filter_query": ("?" + urlencode(args)) if args else "",
        "options": shown.filter_options(scope, filters, figures, titles),
        "tables": shown.figure_tables(scope, filters, figures),
    }


def _context(scope: Scope, tree: FrameworkTree) -> dict[str, object]:
    filters = review_filters(request.args)
    figures = queries.review_figures(scope, filters)
    rows = queries.review_page(scope, filters, requested_page())
    return {
        **_labels(scope, filters, figures),
        "tree": tree,
        "framework": tree.framework,
        "scope": scope,
        "filters": filters,
        "figures": figures,
        "page": rows,
        "lines": list(lines(rows.items, scope, tree)),
    }


@bp.route("/review")
@reviewers_required
def index() -> Response:
    return page("review/index.html", frameworks=public_frameworks())


@bp.route("/review/frameworks/<slug>")
@reviewers_required
def framework(slug: str) -> Response:
    tree = tree_or_404(slug)
    scope = Scope(tree.framework.id, tree.framework.slug)
    context = _context(scope, tree)
    goals = _goal_rows(tree, context["figures"], context["filters"])  # type: ignore[arg-type]
    return page("review/framework.html", goals=goals, **context)


@bp.route("/review/goals/<int:goal_id>")
@reviewers_required
def goal(goal_id: int) -> Response:
    scope, tree = goal_scope_or_404(goal_id)
    found = goal_in_tree(tree, goal_id)
    if found is None:
        abort(404)
    return page("review/goal.html", goal_page=found, goal=found.goal, **_context(scope, tree))


@bp.route("/review/goals/<int:goal_id>/report")
@reviewers_required
def goal_report(goal_id: int) -> Response:
    """The goal's figures and inputs on paper, for a council meeting (print stylesheet)."""
    scope, tree = goal_scope_or_404(goal_id)
    found = goal_in_tree(tree, goal_id)
    if found is None:
        abort(404)
    filters = review_filters(request.args)
    figures = queries.review_figures(scope, filters)
    rows = queries.review_page(scope, filters, 1, per_page=REPORT_ROWS)
    return page(
        "review/report.html",
        goal_page=found,
        goal=found.goal,
        framework=tree.framework,
        scope=scope,
        filters=filters,
        figures=figures,
        lines=list(lines(rows.items, scope, tree)),
        shown=len(rows.items),
        **_labels(scope, filters, figures),
    )
