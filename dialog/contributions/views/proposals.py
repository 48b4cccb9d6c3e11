"""Proposal pages: send one, the list of a dialogue's proposals, a proposal with its
supports, and withdrawing it with the account.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from dialog.accounts.permissions import current_actor, login_required
from dialog.contributions import services
from dialog.contributions.forms import ActionForm, ProposalFilterForm, ProposalForm
from dialog.contributions.models import Dialogue, Proposal
from dialog.contributions.permissions import is_author
from dialog.contributions.queries import (
    comments_page,
    proposals_page,
    supported_ids,
)
from dialog.contributions.views.helpers import (
    SendMessages,
    bp,
    comment_lists,
    comment_refusal,
    dialogue_or_404,
    proposal_lines,
    proposal_or_404,
    receipt_url,
    send_form,
    shown_dialogue_or_404,
    shown_proposal_or_404,
)
from dialog.core.cache import cached_page
from dialog.core.i18n import _, _l
from dialog.core.pagination import requested_page
from dialog.extensions import csrf
from dialog.goals.queries import goals_in_reading_order, goals_of

# Sending a proposal -----------------------------------------------------------------------


_MESSAGES = SendMessages(
    sent=_l("Thank you! Your proposal is sent."),
    duplicate=_l("This proposal was already sent. Here is its receipt."),
    failed=_l(
        "We could not store your proposal just now, so nothing was sent. Your text "
        "is still here: send it again in a moment."
    ),
)


@bp.route("/dialogues/<slug>/proposals/new", methods=["GET", "POST"])
@csrf.exempt  # ProposalForm checks its own token: an expired one re-shows the text
def new_proposal(slug: str) -> str | tuple[str, int] | BaseResponse:
    dialogue = dialogue_or_404(slug)
    form = ProposalForm().setup(goals_of(dialogue.framework))
    outcome = send_form(
        form,
        lambda who: services.submit_proposal(dialogue, form.to_input(), who, receipt_url),
        _MESSAGES,
    )
    if not isinstance(outcome, int):
        return outcome
    page = render_template(
        "contributions/new_proposal.html",
        dialogue=dialogue,
        form=form,
        accepts_input=dialogue.takes_online_input(),
    )
    return page, outcome


# The list and a proposal --------------------------------------------------------------------


@bp.route("/dialogues/<slug>/proposals")
@cached_page
def proposals(slug: str) -> str:
    dialogue = shown_dialogue_or_404(slug)
    goals = goals_in_reading_order(dialogue.framework.slug)
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
        lines=proposal_lines(dialogue, page, (requested_page(), sort, goal_id, status)),
        accepts_input=dialogue.takes_online_input(),
    )


@bp.route("/dialogues/<slug>/proposals/<int:proposal_id>")
@cached_page
def proposal(slug: str, proposal_id: int) -> str:
    # The dialogue, the proposal and a page of its comments are the same for every reader
    # (kept in memory until the next change); only the reader's own support is asked.
    dialogue = shown_dialogue_or_404(slug)
    found = shown_proposal_or_404(dialogue, proposal_id)
    supported = current_user.is_authenticated and bool(supported_ids(current_user.id, [found.id]))
    refusal = comment_refusal(found)
    comments = comments_page(found.id, requested_page())
    return render_template(
        "contributions/proposal.html",
        dialogue=dialogue,
        proposal=found,
        supported=supported,
        action_form=ActionForm(formdata=None) if current_user.is_authenticated else None,
        accepts_input=dialogue.takes_online_input(),
        comments=comments,
        comment_html=comment_lists(dialogue, found, comments, can_reply=refusal is None),
        comment_refusal=refusal,
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
    dialogue = dialogue_or_404(slug)
    found = proposal_or_404(dialogue, proposal_id)
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
    dialogue = dialogue_or_404(slug)
    found = proposal_or_404(dialogue, proposal_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if services.withdraw_support(found, current_actor()):
        flash(_("You no longer support the proposal."), "success")
    return _back_to(dialogue, found)


@bp.route("/dialogues/<slug>/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(slug: str, proposal_id: int) -> BaseResponse:
    dialogue = dialogue_or_404(slug)
    found = proposal_or_404(dialogue, proposal_id)
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
