"""Residents report a published proposal or comment: the form, and the thank-you page.

The public pages link here with the same link for everyone (no script, no session), so they
stay cacheable; whoever reports (with or without an account) is never shown to the public.
"""

from __future__ import annotations

import logging

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from dialog.accounts.models import User
from dialog.accounts.permissions import current_actor
from dialog.contributions.models import Comment, Contribution, Proposal
from dialog.core.database import commit_now
from dialog.core.forms import show_rule_error
from dialog.core.i18n import _
from dialog.core.throttle import client_address
from dialog.extensions import db
from dialog.moderation import reports
from dialog.moderation.forms import ReportForm
from dialog.moderation.reasons import REPORTED
from dialog.moderation.views import bp

logger = logging.getLogger("dialog.moderation")


def input_url(contribution: Contribution) -> str:
    """Where the public sees the input: its proposal's page, or the comment's address."""
    if isinstance(contribution, Proposal) and contribution.dialogue is not None:
        return url_for(
            "contributions.proposal",
            slug=contribution.dialogue.slug,
            proposal_id=contribution.id,
        )
    return url_for("contributions.comment", comment_id=contribution.id)


@bp.route("/inputs/<int:contribution_id>/report", methods=["GET", "POST"])
def report(contribution_id: int) -> tuple[str, int] | BaseResponse:
    found = reports.reportable_input(contribution_id)
    if found is None:
        abort(404)
    form = ReportForm().setup()
    status = 200
    if form.validate_on_submit():
        reporter = current_actor() if current_user.is_authenticated else None
        address = client_address()
        if reports.refused_by_limits(form, found, reporter, address):
            status = 429
        else:
            sent = _send(form, found, reporter)
            if sent:
                reports.count_report(found, reporter, address)
                return redirect(url_for("moderation.report_thanks", contribution_id=found.id))
            status = 503 if sent is None else 200
    page = render_template(
        "moderation/report.html", contribution=found, form=form, back=input_url(found)
    )
    return page, status


def _send(form: ReportForm, found: Contribution, reporter: User | None) -> bool | None:
    """Store the report: True when stored, False when refused (a rule), None when the
    database failed; the form keeps what was written either way."""
    try:
        reports.report_contribution(found, form.reason.data, form.note.data, reporter)
        commit_now()
    except reports.ReportError as error:
        show_rule_error(form, error)
        return False
    except SQLAlchemyError:
        db.session.rollback()
        logger.exception("report not stored")
        form.form_errors.append(
            _("We could not store your report just now. Send it again in a moment.")
        )
        return None
    return True


@bp.route("/inputs/<int:contribution_id>/report/thanks")
def report_thanks(contribution_id: int) -> str:
    found = db.session.get(Contribution, contribution_id)
    if not isinstance(found, Proposal | Comment) or found.dialogue is None:
        abort(404)
    still_shown = reports.reportable_input(found.id) is not None
    # Reported inputs only: still shown, or just hidden by the reports.
    if not still_shown and found.moderation_reason != REPORTED:
        abort(404)
    return render_template(
        "moderation/report_thanks.html",
        dialogue=found.dialogue,
        back=input_url(found) if still_shown else None,
    )
