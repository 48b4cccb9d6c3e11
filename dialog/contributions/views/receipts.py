"""The secret receipt page of an input, withdrawing by its link, and a resident's own
inputs."""

from __future__ import annotations

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from dialog.accounts.permissions import current_actor, login_required
from dialog.contributions import services
from dialog.contributions.forms import ActionForm
from dialog.contributions.models import Contribution, ContributionKind, ContributionStatus
from dialog.contributions.queries import contribution_by_receipt, inputs_of, original_of
from dialog.contributions.views.helpers import bp, public_url
from dialog.core.i18n import _
from dialog.core.pagination import requested_page

# Kept from the public by a decision: the receipt says why and how to send an improved one.
NOT_SHOWN = frozenset({ContributionStatus.HIDDEN.value, ContributionStatus.REJECTED.value})
RECEIPT_ENDPOINTS = frozenset({"contributions.receipt", "contributions.withdraw_by_receipt"})


def _receipt(token: str) -> Contribution:
    found = contribution_by_receipt(token)
    if found is None:
        abort(404)  # the same page as any unknown address: nothing about the token
    return found


def _improve_url(found: Contribution) -> str | None:
    """Where to send an improved version of an input kept from the public, while it can be."""
    dialogue = found.dialogue
    if found.status not in NOT_SHOWN or dialogue is None or not dialogue.takes_online_input():
        return None
    if found.kind == ContributionKind.PROPOSAL:
        return url_for("contributions.new_proposal", slug=dialogue.slug)
    if found.kind == ContributionKind.COMMENT and found.parent_id is not None:
        return url_for("contributions.new_comment", slug=dialogue.slug, proposal_id=found.parent_id)
    return None


@bp.route("/receipt/<token>")
def receipt(token: str) -> Response:
    found = _receipt(token)
    original = original_of(found)
    page = render_template(
        "contributions/receipt.html",
        contribution=found,
        token=token,
        action_form=ActionForm(formdata=None),
        withdrawable=found.status in services.WITHDRAWABLE,
        original=original,
        original_url=public_url(original),
        improve_url=_improve_url(found),
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
