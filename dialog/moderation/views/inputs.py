"""One input for the editors: its text (original and redacted), contact details, reports,
goal links, its whole history, and every decision that can be taken on it."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, make_response, redirect, render_template, request
from werkzeug.wrappers import Response

from dialog.accounts.permissions import current_actor
from dialog.contributions.models import Contribution
from dialog.core.forms import Form, show_rule_error
from dialog.core.i18n import _
from dialog.moderation import queries, services
from dialog.moderation.forms import (
    ActionForm,
    DecisionForm,
    DuplicateForm,
    RedactForm,
    queue_filters,
)
from dialog.moderation.models import ModerationAction
from dialog.moderation.views import bp
from dialog.moderation.views.queue import moderators_required, no_store, queue_url


def _done_message(action: ModerationAction) -> str:
    messages = {
        ModerationAction.PUBLISH: _(
            "The input is published (or kept published) and out of the queue."
        ),
        ModerationAction.REJECT: _("The input is rejected; its author is told why."),
        ModerationAction.HIDE: _("The input is hidden; its author is told why."),
        ModerationAction.RESTORE: _("The input is shown again."),
        ModerationAction.REDACT: _("The redacted text is saved: the public sees it from now on."),
        ModerationAction.DUPLICATE: _(
            "The input is marked as a duplicate and leads to the original."
        ),
        ModerationAction.DISMISS_REPORTS: _("The reports are dismissed; the input stays."),
    }
    return messages[action]


def _input_or_404(contribution_id: int) -> Contribution:
    found = queries.input_for_moderation(contribution_id)
    if found is None:
        abort(404)
    return found


def _redact_form(found: Contribution, formdata: bool = False) -> RedactForm:
    form = RedactForm(prefix="redact") if formdata else RedactForm(formdata=None, prefix="redact")
    if not formdata:
        form.title.data = found.redacted_title or found.title
        form.body.data = (
            found.redacted_body_html or found.body_html
            if found.kind in services.RICH_KINDS
            else found.redacted_body_text or found.body_text
        )
    return form


def _page(found: Contribution, status: int = 200, **forms: Form) -> Response:
    reports = queries.reports_of(found.id)
    decisions = queries.decisions_of(found.id)
    history = queries.history_of(found.id)
    names = queries.user_names(
        [found.author_id]
        + [decision.actor_id for decision in decisions]
        + [event.actor_id for event in history]
        + [report.reporter_id for report in reports]
        + [report.resolved_by_id for report in reports]
    )
    sender = queries.senders([found.author_id]).get(found.author_id or 0)
    original = None
    if found.duplicate_of_id is not None:
        original = queries.input_for_moderation(found.duplicate_of_id)
    page = render_template(
        "moderation/input.html",
        item=found,
        sender=sender,
        original=original,
        reports=reports,
        decisions=decisions,
        history=history,
        names=names,
        filters=queue_filters(request.args),
        action_form=forms.get("action_form") or ActionForm(formdata=None),
        reject_form=forms.get("reject_form")
        or DecisionForm(formdata=None, prefix="reject").setup(),
        hide_form=forms.get("hide_form") or DecisionForm(formdata=None, prefix="hide").setup(),
        redact_form=forms.get("redact_form") or _redact_form(found),
        duplicate_form=forms.get("duplicate_form")
        or DuplicateForm(formdata=None, prefix="duplicate"),
        rich=found.kind in services.RICH_KINDS,
    )
    return no_store(make_response(page, status))


@bp.route("/moderation/inputs/<int:contribution_id>")
@moderators_required
def input_page(contribution_id: int) -> Response:
    return _page(_input_or_404(contribution_id))


def _act(
    found: Contribution,
    action: ModerationAction,
    form_name: str,
    form: Form,
    run: Callable[[], object],
) -> Response:
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _page(found, 400, **{form_name: form})
    try:
        run()
    except services.ModerationError as error:
        show_rule_error(form, error)
        return _page(found, 400, **{form_name: form})
    flash(_done_message(action), "success")
    return redirect(queue_url(queue_filters(request.args)))


@bp.route("/moderation/inputs/<int:contribution_id>/<action>", methods=["POST"])
@moderators_required
def decide_one(contribution_id: int, action: str) -> Response:
    found = _input_or_404(contribution_id)
    actor = current_actor()
    if action in ("publish", "restore", "dismiss"):
        form: Form = ActionForm()
        runs = {
            "publish": (ModerationAction.PUBLISH, lambda: services.publish(found, actor)),
            "restore": (ModerationAction.RESTORE, lambda: services.restore(found, actor)),
            "dismiss": (
                ModerationAction.DISMISS_REPORTS,
                lambda: services.dismiss_reports(found, actor),
            ),
        }
        chosen, run = runs[action]
        return _act(found, chosen, "action_form", form, run)
    if action in ("reject", "hide"):
        decision = DecisionForm(prefix=action).setup()
        service = services.reject if action == "reject" else services.hide
        return _act(
            found,
            ModerationAction(action),
            f"{action}_form",
            decision,
            lambda: service(found, decision.reason.data, decision.note.data, actor),
        )
    if action == "redact":
        redact = _redact_form(found, formdata=True)
        return _act(
            found,
            ModerationAction.REDACT,
            "redact_form",
            redact,
            lambda: services.redact(found, redact.title.data, redact.body.data or "", actor),
        )
    if action == "duplicate":
        duplicate = DuplicateForm(prefix="duplicate")
        return _act(
            found,
            ModerationAction.DUPLICATE,
            "duplicate_form",
            duplicate,
            lambda: services.mark_duplicate(
                found, duplicate.reference.data, duplicate.note.data, actor
            ),
        )
    abort(404)
