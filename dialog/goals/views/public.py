"""Public goal pages: the frameworks, a framework's goal tree, a goal, a comparison."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, render_template
from flask_babel import format_date
from flask_login import current_user
from markupsafe import Markup

from dialog.core.cache import cached_page, in_every_language, reference_data
from dialog.core.i18n import _, content_language, current_language
from dialog.goals.charts import chart_description, goal_figures, number, with_unit
from dialog.goals.compare import compare_frameworks
from dialog.goals.models import (
    DIRECTION_LABELS,
    FRAMEWORK_KIND_LABELS,
    FRAMEWORK_STATUS_LABELS,
    GOAL_KIND_LABELS,
    SOURCE_LABELS,
    DatePrecision,
    Direction,
    Framework,
    FrameworkKind,
    FrameworkStatus,
    GoalKind,
    MeasurementSource,
)
from dialog.goals.permissions import (
    can_edit_framework,
    can_manage_goals,
    can_record_measurements,
    can_view_framework,
)
from dialog.goals.queries import (
    FrameworkSummary,
    FrameworkTree,
    framework_tree,
    goal_in_tree,
    public_frameworks,
)
from dialog.goals.views import bp


def _public_successors(framework: Framework) -> list[Framework]:
    return [f for f in framework.successors if can_view_framework(current_user, f)]


@bp.route("/goals")
@cached_page
def index() -> str:
    return render_template("goals/index.html", frameworks=public_frameworks())


def _visible_tree_or_404(slug: str) -> FrameworkTree:
    found = framework_tree(slug)
    if found is None or not can_view_framework(current_user, found.framework):
        abort(404)
    return found


@bp.route("/goals/<slug>")
@cached_page
def framework(slug: str) -> str:
    found = _visible_tree_or_404(slug)
    return render_template(
        "goals/framework.html",
        framework=found.framework,
        tree=found.tree,
        successors=_public_successors(found.framework),
        has_examples=found.has_examples,
    )


@bp.route("/goals/<slug>/<int:goal_id>")
@cached_page
def goal(slug: str, goal_id: int) -> str:
    found = _visible_tree_or_404(slug)
    page = goal_in_tree(found, goal_id)
    if page is None:
        abort(404)
    return render_template(
        "goals/goal.html",
        framework=found.framework,
        page=page,
        goal=page.goal,
        figures=goal_figures(page.goal),
    )


@bp.route("/goals/<slug>/compare/<other_slug>")
@cached_page
def compare(slug: str, other_slug: str) -> str:
    first = _visible_tree_or_404(slug).framework
    second = _visible_tree_or_404(other_slug).framework
    if first.id == second.id:
        abort(404)
    # The same for everyone who may see both: kept, in every language, until the next change.
    comparisons = reference_data(
        ("comparison", slug, other_slug),
        lambda: in_every_language(lambda: compare_frameworks(first, second)),
    )
    return render_template("goals/compare.html", comparison=comparisons[current_language()])


# Labels and formats, for templates -------------------------------------------------


def lang_attr_in(obj: Any, field: str, language: str) -> Markup:
    """``lang_attr`` for a page whose language the template already has (``{% set lang =
    current_language() %}``): lists ask it on every line, and finding the page's language
    costs many times what the rest does."""
    used = content_language(obj, field, language)
    return Markup("") if used == language else Markup(' lang="{language}"').format(language=used)


def framework_kind_label(kind: str) -> str:
    return str(FRAMEWORK_KIND_LABELS[FrameworkKind(kind)])


def framework_status_label(status: str) -> str:
    return str(FRAMEWORK_STATUS_LABELS[FrameworkStatus(status)])


def goal_kind_label(kind: str) -> str:
    return str(GOAL_KIND_LABELS[GoalKind(kind)])


def goal_kind_labels() -> dict[str, str]:
    """Every kind of goal's name, translated once: for a tree that names one on every goal."""
    return {kind.value: str(label) for kind, label in GOAL_KIND_LABELS.items()}


def source_labels() -> dict[str, str]:
    """Every source of measured values, named once: for a table that names one on every row."""
    return {source.value: str(label) for source, label in SOURCE_LABELS.items()}


def direction_label(direction: str) -> str:
    return str(DIRECTION_LABELS[Direction(direction)])


def source_label(source: str) -> str:
    return str(SOURCE_LABELS[MeasurementSource(source)])


def adoption_date(framework: Framework | FrameworkSummary) -> str:
    """The date of the decision, as precisely as it is known."""
    adopted_on: date | None = framework.adopted_on
    if adopted_on is None:
        return ""
    if framework.adopted_on_precision == DatePrecision.YEAR:
        return str(adopted_on.year)
    if framework.adopted_on_precision == DatePrecision.MONTH:
        return format_date(adopted_on, "LLLL yyyy")
    return format_date(adopted_on, "long")


def period(framework: Framework | FrameworkSummary) -> str:
    if framework.period_end is None:
        return _("from {start}").format(start=framework.period_start)
    return f"{framework.period_start}–{framework.period_end}"


for helper in (
    current_language,
    lang_attr_in,
    framework_kind_label,
    framework_status_label,
    goal_kind_label,
    goal_kind_labels,
    direction_label,
    source_label,
    source_labels,
    adoption_date,
    period,
    number,
    with_unit,
    chart_description,
    can_manage_goals,
    can_edit_framework,
    can_record_measurements,
):
    bp.add_app_template_global(helper)
