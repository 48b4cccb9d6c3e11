"""The outbox page for administrators: status, attempts and the last error of each message."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from dialog.accounts.models import Role
from dialog.accounts.permissions import roles_required
from dialog.core.i18n import _
from dialog.core.models import OutboxStatus
from dialog.core.pagination import requested_page
from dialog.outbox.permissions import can_see_outbox
from dialog.outbox.queries import outbox_counts, outbox_page

bp = Blueprint("outbox", __name__)


def status_labels() -> dict[OutboxStatus, str]:
    return {
        OutboxStatus.FAILED: _("Failed"),
        OutboxStatus.RETRYING: _("Will be tried again"),
        OutboxStatus.WAITING: _("Not yet sent"),
        OutboxStatus.SENT: _("Sent"),
    }


@bp.route("/admin/mail")
@roles_required(Role.ADMIN)
def index() -> str:
    asked = request.args.get("status", "")
    status = next((status for status in OutboxStatus if status.value == asked), None)
    return render_template(
        "outbox/index.html",
        page=outbox_page(status, requested_page()),
        status=status,
        counts=outbox_counts(),
        labels=status_labels(),
    )


bp.add_app_template_global(can_see_outbox)
