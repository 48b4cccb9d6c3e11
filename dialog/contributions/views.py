"""Proposal pages: send one, the list of a dialogue's proposals, a proposal with its
supports, the secret receipt page, withdrawing, and a resident's own inputs.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from dialog.accounts.permissions import current_actor, login_required
from dialog.contributions import services
from dialog.contributions.forms import ActionForm, ProposalFilterForm, ProposalForm
from dialog.contributions.models import (
    CONTRIBUTION_STATUS_LABELS,
    GOAL_RELATION_LABELS,
    RECEIPT_STATUS_LABELS,
    Contribution,
    ContributionStatus,
    Dialogue,
    GoalRelation,
    Proposal,
)
from dialog.contributions.permissions import (
    can_see_contribution,
    can_support,
    can_withdraw,
    is_author,
)
from dialog.contributions.queries import (
    contribution_by_receipt,
    dialogue_for_input,
    has_supported,
    inputs_of,
    proposal_in,
    proposals_page,
    supported_ids,
)
from dialog.core.cache import cached_page
from dialog.core.forms import show_rule_error
from dialog.core.i18n import _, current_language
from dialog.core.pagination import requested_page
from dialog.core.rules import RuleError
from dialog.core.throttle import client_address
from dialog.core.urls import absolute_url
from dialog.extensions import csrf, db
from dialog.goals.queries import goals_of

bp = Blueprint("contributions", __name__)
logger = logging.getLogger("dialog.contributions")

RECEIPT_ENDPOINTS = frozenset({"contributions.receipt", "contributions.withdraw_by_receipt"})


def _dialogue(slug: str) -> Dialogue:
    dialogue = dialogue_for_input(slug)
    if dialogue is None:
        abort(404)
    return dialogue


def _proposal(dialogue: Dialogue, proposal_id: int) -> Proposal:
    """The proposal if whoever asks may see it, else 404 (a waiting one is not revealed)."""
    proposal = proposal_in(dialogue.id, proposal_id)
    if proposal is None or not can_see_contribution(current_user, proposal):
        abort(404)
    return proposal


def _receipt_url(token: str) -> str:
    return absolute_url("contributions.receipt", token=token)


def _sender() -> services.Sender:
    user = current_actor() if current_user.is_authenticated else None
    return services.Sender(user, client_address(), current_language())


# Sending a proposal -----------------------------------------------------------------------


def _submit(dialogue: Dialogue, form: ProposalForm, sender: services.Sender) -> BaseResponse | int:
    """Send the proposal: its receipt, or the status to show the form again with."""
    try:
        submitted = services.submit_proposal(dialogue, form.to_input(), sender, _receipt_url)
    except RuleError as error:
        show_rule_error(form, error)
        return 200
    except SQLAlchemyError:
        db.session.rollback()
        logger.exception("proposal not stored")
        form.form_errors.append(
            _(
                "We could not store your proposal just now, so nothing was sent. Your text "
                "is still here: send it again in a moment."
            )
        )
        return 503
    if submitted.duplicate:
        flash(_("This proposal was already sent. Here is its receipt."), "info")
    else:
        flash(_("Thank you! Your proposal is sent."), "success")
    return redirect(url_for("contributions.receipt", token=submitted.receipt_token))


@bp.route("/dialogues/<slug>/proposals/new", methods=["GET", "POST"])
@csrf.exempt  # ProposalForm checks its own token: an expired one re-shows the text
def new_proposal(slug: str) -> str | tuple[str, int] | BaseResponse:
    dialogue = _dialogue(slug)
    form = ProposalForm().setup(goals_of(dialogue.framework))
    status = 200
    if form.validate_on_submit():
        sender = _sender()
        if services.refused_by_limits(form, sender):
            status = 429
        else:
            outcome = _submit(dialogue, form, sender)
            if not isinstance(outcome, int):
                return outcome
            status = outcome
    elif form.is_submitted() and form.csrf_token.errors:
        form.csrf_token.errors = []
        form.form_errors.append(
            _(
                "Your session had expired while you were writing, so nothing was sent yet. "
                "Your text is still here: check it and send it again."
            )
        )
    if not services.valid_submission_token(form.submission.data):
        form.submission.data = services.new_submission_token()
    page = render_template(
        "contributions/new_proposal.html",
        dialogue=dialogue,
        form=form,
        accepts_input=dialogue.takes_online_input(),
    )
    return page, status


# The list and a proposal --------------------------------------------------------------------


@bp.route("/dialogues/<slug>/proposals")
@cached_page
def proposals(slug: str) -> str:
    dialogue = _dialogue(slug)
    goals = goals_of(dialogue.framework)
    form = ProposalFilterForm(request.args).setup(goals)
    sort, goal_id, status = form.chosen_sort(), form.chosen_goal(goals), form.chosen_status()
    page = proposals_page(
        dialogue.id,
        requested_page(),
        sort=sort,
        goal_id=goal_id,
        status=status,
    )
    supported: set[int] = set()
    if current_user.is_authenticated:
        supported = supported_ids(current_user.id, [item.id for item in page.items])
    return render_template(
        "contributions/proposals.html",
        dialogue=dialogue,
        page=page,
        form=form,
        filters={"sort": sort, "goal": goal_id, "status": status},
        supported=supported,
        accepts_input=dialogue.takes_online_input(),
    )


@bp.route("/dialogues/<slug>/proposals/<int:proposal_id>")
@cached_page
def proposal(slug: str, proposal_id: int) -> str:
    dialogue = _dialogue(slug)
    found = _proposal(dialogue, proposal_id)
    supported = current_user.is_authenticated and has_supported(found.id, current_user.id)
    return render_template(
        "contributions/proposal.html",
        dialogue=dialogue,
        proposal=found,
        supported=supported,
        action_form=ActionForm(formdata=None) if current_user.is_authenticated else None,
        accepts_input=dialogue.takes_online_input(),
    )


def _back_to(dialogue: Dialogue, found: Proposal) -> BaseResponse:
    return redirect(
        url_for(
            "contributions.proposal", slug=dialogue.slug, proposal_id=found.id, _anchor="support"
        )
    )


@bp.route("/dialogues/<slug>/proposals/<int:proposal_id>/support", methods=["POST"])
@login_required
def support(slug: str, proposal_id: int) -> BaseResponse:
    dialogue = _dialogue(slug)
    found = _proposal(dialogue, proposal_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if services.support(found, current_actor()):
            flash(_("You support the proposal."), "success")
    except services.ContributionError as error:
        flash(str(error), "error")
    return _back_to(dialogue, found)


@bp.route("/dialogues/<slug>/proposals/<int:proposal_id>/unsupport", methods=["POST"])
@login_required
def unsupport(slug: str, proposal_id: int) -> BaseResponse:
    dialogue = _dialogue(slug)
    found = _proposal(dialogue, proposal_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if services.withdraw_support(found, current_actor()):
        flash(_("You no longer support the proposal."), "success")
    return _back_to(dialogue, found)


@bp.route("/dialogues/<slug>/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(slug: str, proposal_id: int) -> BaseResponse:
    dialogue = _dialogue(slug)
    found = _proposal(dialogue, proposal_id)
    if not is_author(current_user, found):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_contribution(found, current_actor(), "account")
    except services.ContributionError as error:
        flash(str(error), "error")
    else:
        flash(
            _("Your proposal is withdrawn. It stays on the website, marked withdrawn."), "success"
        )
    return redirect(url_for("contributions.my_inputs"))


# Receipts and a resident's own page -------------------------------------------------------


def _receipt(token: str) -> Contribution:
    found = contribution_by_receipt(token)
    if found is None:
        abort(404)  # the same page as any unknown address: nothing about the token
    return found


@bp.route("/receipt/<token>")
def receipt(token: str) -> Response:
    found = _receipt(token)
    page = render_template(
        "contributions/receipt.html",
        contribution=found,
        token=token,
        action_form=ActionForm(formdata=None),
        withdrawable=found.status in services.WITHDRAWABLE,
    )
    return make_response(page)


@bp.route("/receipt/<token>/withdraw", methods=["POST"])
def withdraw_by_receipt(token: str) -> BaseResponse:
    found = _receipt(token)
    if not ActionForm().validate_on_submit():
        abort(400)
    actor = current_actor() if current_user.is_authenticated else None
    try:
        services.withdraw_contribution(found, actor, "receipt")
    except services.ContributionError as error:
        flash(str(error), "error")
    else:
        flash(_("Your input is withdrawn. It is kept, marked withdrawn."), "success")
    return redirect(url_for("contributions.receipt", token=token))


@bp.after_request
def private_receipt(response: Response) -> Response:
    """The receipt's address is its secret: never sent on, indexed or kept in a cache."""
    if request.endpoint in RECEIPT_ENDPOINTS:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/my/inputs")
@login_required
def my_inputs() -> str:
    page = inputs_of(current_user.id, requested_page())
    return render_template(
        "contributions/my_inputs.html", page=page, action_form=ActionForm(formdata=None)
    )


def status_label(value: str) -> str:
    return str(CONTRIBUTION_STATUS_LABELS.get(ContributionStatus(value), value))


def receipt_status_label(value: str) -> str:
    """The status in the author's words; a kind's own status in the general words."""
    status = ContributionStatus(value)
    return str(RECEIPT_STATUS_LABELS.get(status) or CONTRIBUTION_STATUS_LABELS.get(status, value))


def relation_label(value: str) -> str:
    return str(GOAL_RELATION_LABELS[GoalRelation(value)])


for helper in (
    status_label,
    receipt_status_label,
    relation_label,
    can_support,
    can_withdraw,
    is_author,
):
    bp.add_app_template_global(helper)
