"""Running a dialogue: planning it, its status, the registrations and the feedback report.
Facilitators for the dialogues they are responsible for; administrators for all.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_login import current_user
from werkzeug.wrappers import Response

from dialog.accounts.models import Role
from dialog.accounts.permissions import current_actor, has_role, roles_required
from dialog.core.csv_rows import csv_lines
from dialog.core.forms import show_rule_error
from dialog.core.i18n import _, ngettext
from dialog.core.sanitize import TextLossError
from dialog.core.times import PeriodFormat
from dialog.dialogues import services
from dialog.dialogues.forms import DialogueForm, ReportForm, StatusForm
from dialog.dialogues.models import DialogueStatus
from dialog.dialogues.permissions import can_create_dialogue
from dialog.dialogues.queries import (
    facilitator_candidates,
    frameworks_with_goals,
    managed_dialogues,
    registrations_of,
)
from dialog.dialogues.views import bp
from dialog.dialogues.views.helpers import (
    mail_links,
    managed_dialogue_or_404,
    registration_status_label,
    status_labels,
)
from dialog.goals.models import Framework
from dialog.goals.queries import build_tree, flatten

staff_required = roles_required(Role.FACILITATOR, Role.ADMIN)


def _dialogue_form(keep: int | None = None) -> tuple[DialogueForm, list[Framework]]:
    frameworks = frameworks_with_goals(keep)
    tree_order = [(f, [node.goal for node in flatten(build_tree(f.goals))]) for f in frameworks]
    form = DialogueForm().setup(tree_order, facilitator_candidates(), services.configured_groups())
    return form, frameworks


def _chosen_framework(form: DialogueForm, frameworks: list[Framework]) -> Framework:
    for framework in frameworks:
        if framework.id == form.framework.data:
            return framework
    abort(400)


@bp.route("/dialogues/manage")
@staff_required
def manage() -> str:
    sees_all = has_role(current_user, Role.ADMIN)
    return render_template(
        "dialogues/manage.html",
        sees_all=sees_all,
        dialogues=managed_dialogues(None if sees_all else current_user.id),
        statuses=status_labels(),
        period=PeriodFormat(),
    )


@bp.route("/dialogues/new", methods=["GET", "POST"])
@staff_required
def new() -> str | Response:
    if not can_create_dialogue(current_user):
        abort(403)
    form, frameworks = _dialogue_form()
    if request.method == "GET":
        form.facilitators.data = (
            [current_user.id] if has_role(current_user, Role.FACILITATOR) else []
        )
        form.audiences.data = ["residents"]
    if form.validate_on_submit():
        framework = _chosen_framework(form, frameworks)
        try:
            dialogue = services.create_dialogue(
                form.slug.data, form.to_input(framework), current_actor()
            )
        except (services.DialogueError, TextLossError) as error:
            show_rule_error(form, error)
        else:
            flash(_("The dialogue is saved as planned."), "success")
            return redirect(url_for("dialogues.dialogue", slug=dialogue.slug))
    return render_template("dialogues/form.html", form=form, dialogue=None)


@bp.route("/dialogues/<slug>/edit", methods=["GET", "POST"])
@staff_required
def edit(slug: str) -> str | Response:
    dialogue = managed_dialogue_or_404(slug)
    form, frameworks = _dialogue_form(keep=dialogue.framework_id)
    del form.slug
    if request.method == "GET":
        form.fill_from(dialogue)
    if form.validate_on_submit():
        framework = _chosen_framework(form, frameworks)
        try:
            services.update_dialogue(
                dialogue, form.to_input(framework), current_actor(), mail_links()
            )
        except (services.DialogueError, TextLossError) as error:
            show_rule_error(form, error)
        else:
            flash(_("The dialogue is saved."), "success")
            return redirect(url_for("dialogues.dialogue", slug=dialogue.slug))
    return render_template("dialogues/form.html", form=form, dialogue=dialogue)


@bp.route("/dialogues/<slug>/status", methods=["POST"])
@staff_required
def status(slug: str) -> Response:
    dialogue = managed_dialogue_or_404(slug)
    form = StatusForm().setup(list(DialogueStatus))
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_status(dialogue, form.status.data, current_actor())
    except services.DialogueError as error:
        flash(str(error), "error")
    else:
        flash(_("The status is changed."), "success")
    return redirect(url_for("dialogues.dialogue", slug=dialogue.slug))


@bp.route("/dialogues/<slug>/registrations")
@staff_required
def registrations(slug: str) -> str:
    dialogue = managed_dialogue_or_404(slug)
    registrations = registrations_of(dialogue)
    return render_template(
        "dialogues/registrations.html",
        dialogue=dialogue,
        registrations=registrations,
        confirmed=sum(r.is_confirmed for r in registrations),
        waiting=sum(r.is_waiting for r in registrations),
    )


@bp.route("/dialogues/<slug>/registrations.csv")
@staff_required
def registrations_csv(slug: str) -> Response:
    dialogue = managed_dialogue_or_404(slug)
    rows = (
        [
            registration.name,
            registration.email,
            registration.needs,
            registration_status_label(registration.status),
            format_datetime(registration.created_at, "yyyy-MM-dd HH:mm"),
        ]
        for registration in registrations_of(dialogue)
    )
    header = [_("Name"), _("Email address"), _("Needs"), _("Status"), _("Signed up")]
    response = make_response("".join(csv_lines(header, rows)))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-anmalda.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/dialogues/<slug>/report", methods=["GET", "POST"])
@staff_required
def report(slug: str) -> str | Response:
    dialogue = managed_dialogue_or_404(slug)
    form = ReportForm()
    if request.method == "GET":
        form.fill_from(dialogue)
    if form.validate_on_submit():
        try:
            services.save_report(dialogue, form.to_input(), current_actor())
        except TextLossError as error:
            show_rule_error(form, error)
            return render_template("dialogues/report.html", dialogue=dialogue, form=form)
        if form.publish.data:
            try:
                sent = services.publish_report(dialogue, current_actor(), mail_links())
            except services.DialogueError as error:
                # The draft is kept; only publishing waits.
                form.form_errors.append(str(error))
                return render_template("dialogues/report.html", dialogue=dialogue, form=form)
            flash(
                ngettext(
                    "The feedback report is published; %(num)d participant is told.",
                    "The feedback report is published; %(num)d participants are told.",
                    sent,
                ),
                "success",
            )
            return redirect(url_for("dialogues.dialogue", slug=dialogue.slug, _anchor="feedback"))
        flash(_("The draft is saved."), "success")
        return redirect(url_for("dialogues.report", slug=dialogue.slug))
    return render_template("dialogues/report.html", dialogue=dialogue, form=form)
