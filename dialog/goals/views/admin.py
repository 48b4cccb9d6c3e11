"""Administration of goal frameworks: versions, adoption, the goal tree and its SDG links.

Administrators only; indicators, measurements and the import are in ``indicators``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from dialog.accounts.permissions import current_actor
from dialog.core.forms import show_rule_error
from dialog.core.i18n import _
from dialog.goals import services
from dialog.goals.forms import (
    AdoptForm,
    ConfirmForm,
    FrameworkForm,
    GoalForm,
    MoveForm,
    NewFrameworkForm,
    NewVersionForm,
    SdgForm,
    StatusForm,
)
from dialog.goals.models import Framework, FrameworkKind, FrameworkStatus, Goal, GoalKind
from dialog.goals.queries import (
    all_frameworks,
    all_sdgs,
    build_tree,
    can_get_new_version,
    descendant_ids,
    framework_with_tree,
    goal_in,
    goals_of,
    replaceable_frameworks,
)
from dialog.goals.views import bp
from dialog.goals.views.helpers import (
    admin_required,
    framework_or_404,
    goal_or_404,
    overview,
    refuse_if_locked,
)

# Frameworks ------------------------------------------------------------------------


@bp.route("/admin/frameworks")
@admin_required
def admin_index() -> str:
    return render_template("goals/admin/index.html", frameworks=all_frameworks())


@bp.route("/admin/frameworks/new", methods=["GET", "POST"])
@admin_required
def admin_new_framework() -> str | Response:
    replaceable = replaceable_frameworks()
    form = NewFrameworkForm()
    form.set_replaceable(replaceable)
    if form.validate_on_submit():
        supersedes = next((f for f in replaceable if str(f.id) == form.supersedes.data), None)
        try:
            framework = services.create_framework(
                form.slug.data, form.to_input(), current_actor(), supersedes=supersedes
            )
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("The draft “{title}” is created.").format(title=framework.title_sv), "success")
            return overview(framework)
    return render_template("goals/admin/framework_form.html", form=form, framework=None)


@bp.route("/admin/frameworks/<slug>")
@admin_required
def admin_framework(slug: str) -> str:
    framework = framework_with_tree(slug)
    if framework is None:
        abort(404)
    return render_template(
        "goals/admin/framework.html",
        framework=framework,
        can_start_new_version=can_get_new_version(framework),
        tree=build_tree(framework.goals),
        status_form=StatusForm(),
        move_form=MoveForm(),
        confirm_form=ConfirmForm(),
    )


@bp.route("/admin/frameworks/<slug>/edit", methods=["GET", "POST"])
@admin_required
def admin_edit_framework(slug: str) -> str | Response:
    framework = framework_or_404(slug)
    if (refused := refuse_if_locked(framework)) is not None:
        return refused
    form = FrameworkForm()
    if request.method == "GET":
        form.fill_from(framework)
    if form.validate_on_submit():
        try:
            services.update_framework(framework, form.to_input(), current_actor())
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("The framework is saved."), "success")
            return overview(framework)
    return render_template("goals/admin/framework_form.html", form=form, framework=framework)


@bp.route("/admin/frameworks/<slug>/status", methods=["POST"])
@admin_required
def admin_set_status(slug: str) -> Response:
    framework = framework_or_404(slug)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_status(framework, form.status.data, current_actor())
    except services.GoalsError as error:
        flash(str(error), "error")
    else:
        if framework.status == FrameworkStatus.CONSULTATION:
            flash(_("The draft is out for consultation and visible to everyone."), "success")
        else:
            flash(_("The framework is a draft again and only administrators see it."), "success")
    return overview(framework)


@bp.route("/admin/frameworks/<slug>/adopt", methods=["GET", "POST"])
@admin_required
def admin_adopt(slug: str) -> str | Response:
    framework = framework_or_404(slug)
    if (refused := refuse_if_locked(framework)) is not None:
        return refused
    form = AdoptForm()
    if form.validate_on_submit():
        try:
            services.adopt_framework(
                framework,
                form.decision_date(),
                form.adopted_by_sv.data,
                current_actor(),
                adopted_by_en=form.adopted_by_en.data,
                precision=form.precision.data,
            )
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("“{title}” is adopted.").format(title=framework.title_sv), "success")
            return overview(framework)
    return render_template("goals/admin/adopt.html", form=form, framework=framework)


@bp.route("/admin/frameworks/<slug>/new-version", methods=["GET", "POST"])
@admin_required
def admin_new_version(slug: str) -> str | Response:
    framework = framework_or_404(slug)
    if framework.status != FrameworkStatus.ADOPTED:
        flash(_("Only the adopted version can get a new version."), "error")
        return overview(framework)
    form = NewVersionForm()
    if request.method == "GET":
        form.title_sv.data = framework.title_sv
        form.title_en.data = framework.title_en or ""
        form.period_start.data = str((framework.period_end or framework.period_start) + 1)
    if form.validate_on_submit():
        end = form.period_end.data.strip() if form.period_end.data else ""
        try:
            draft = services.new_version(
                framework,
                form.slug.data,
                current_actor(),
                title_sv=form.title_sv.data,
                title_en=form.title_en.data,
                period_start=int(form.period_start.data.strip()),
                period_end=int(end) if end else None,
            )
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(
                _("The draft “{title}” is a copy of the adopted version. Change it here.").format(
                    title=draft.title_sv
                ),
                "success",
            )
            return overview(draft)
    return render_template("goals/admin/new_version.html", form=form, framework=framework)


# Goals -----------------------------------------------------------------------------


def _goal_form(framework: Framework, goal: Goal | None) -> GoalForm:
    form = GoalForm()
    exclude = set() if goal is None else {goal.id, *descendant_ids(goal)}
    form.set_parents(goals_of(framework), exclude)
    return form


@bp.route("/admin/frameworks/<slug>/goals/new", methods=["GET", "POST"])
@admin_required
def admin_new_goal(slug: str) -> str | Response:
    framework = framework_or_404(slug)
    if (refused := refuse_if_locked(framework)) is not None:
        return refused
    form = _goal_form(framework, None)
    if request.method == "GET":
        parent = goal_in(framework, request.args.get("parent", 0, type=int))
        form.parent_id.data = str(parent.id) if parent else ""
        if parent is not None:
            form.kind.data = GoalKind.SUB_GOAL.value
        elif framework.kind == FrameworkKind.STRATEGY:
            form.kind.data = GoalKind.PRIORITY_AREA.value
        else:
            form.kind.data = GoalKind.AREA.value
        form.code.data = services.suggest_code(framework, parent)
    if form.validate_on_submit():
        try:
            goal = services.add_goal(framework, form.to_input(), current_actor())
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("The goal {code} is added.").format(code=goal.code), "success")
            return overview(framework)
    return render_template("goals/admin/goal_form.html", form=form, framework=framework, goal=None)


@bp.route("/admin/frameworks/<slug>/goals/<int:goal_id>", methods=["GET", "POST"])
@admin_required
def admin_edit_goal(slug: str, goal_id: int) -> str | Response:
    framework = framework_or_404(slug)
    goal = goal_or_404(framework, goal_id)
    if (refused := refuse_if_locked(framework)) is not None:
        return refused
    form = _goal_form(framework, goal)
    if request.method == "GET":
        form.fill_from(goal)
    if form.validate_on_submit():
        try:
            services.update_goal(goal, form.to_input(), current_actor())
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("The goal {code} is saved.").format(code=goal.code), "success")
            return overview(framework)
    return render_template("goals/admin/goal_form.html", form=form, framework=framework, goal=goal)


@bp.route("/admin/frameworks/<slug>/goals/<int:goal_id>/move", methods=["POST"])
@admin_required
def admin_move_goal(slug: str, goal_id: int) -> Response:
    framework = framework_or_404(slug)
    goal = goal_or_404(framework, goal_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.move_goal(goal, -1 if form.direction.data == "up" else 1, current_actor())
    except services.GoalsError as error:
        flash(str(error), "error")
    else:
        flash(_("The goal {code} is moved.").format(code=goal.code), "success")
    return redirect(
        url_for("goals.admin_framework", slug=framework.slug, _anchor=f"goal-{goal.id}")
    )


@bp.route("/admin/frameworks/<slug>/goals/<int:goal_id>/delete", methods=["POST"])
@admin_required
def admin_delete_goal(slug: str, goal_id: int) -> Response:
    framework = framework_or_404(slug)
    goal = goal_or_404(framework, goal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = goal.code
    try:
        services.delete_goal(goal, current_actor())
    except services.GoalsError as error:
        flash(str(error), "error")
    else:
        flash(_("The goal {code} is removed.").format(code=code), "success")
    return overview(framework)


@bp.route("/admin/frameworks/<slug>/goals/<int:goal_id>/sdgs", methods=["GET", "POST"])
@admin_required
def admin_goal_sdgs(slug: str, goal_id: int) -> str | Response:
    framework = framework_or_404(slug)
    goal = goal_or_404(framework, goal_id)
    if (refused := refuse_if_locked(framework)) is not None:
        return refused
    form = SdgForm()
    form.set_sdgs(all_sdgs())
    if request.method == "GET":
        form.sdgs.data = [link.sdg_number for link in goal.sdg_links]
    if form.validate_on_submit():
        try:
            services.set_goal_sdgs(goal, form.sdgs.data or [], current_actor())
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("The Agenda 2030 goals of {code} are saved.").format(code=goal.code), "success")
            return overview(framework)
    return render_template("goals/admin/sdgs.html", form=form, framework=framework, goal=goal)
