"""The secret receipt page of an input, withdrawing by its link, and a resident's own
inputs."""

from __future__ import annotations

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from dialog.accounts.permissions import current_actor, login_required
from dialog.contributions import services
from dialog.contributions.forms import ActionForm
from dialog.contributions.models import Contribution
from dialog.contributions.queries import contribution_by_receipt, inputs_of
from dialog.contributions.views.helpers import bp
from dialog.core.i18n import _
from dialog.core.pagination import requested_page

RECEIPT_ENDPOINTS = frozenset({"contributions.receipt", "contributions.withdraw_by_receipt"})


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
