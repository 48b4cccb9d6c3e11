"""The staff start page: what waits for each of the user's roles. Never cached."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from dialog.accounts.models import STAFF_ROLES, Role
from dialog.accounts.permissions import has_role, roles_required
from dialog.moderation.permissions import can_moderate
from dialog.staff import queries
from dialog.staff.navigation import navigation

bp = Blueprint("staff", __name__)


@bp.route("/staff")
@roles_required(*STAFF_ROLES)
def start() -> Response:
    user = current_user  # a SessionUser: its id and roles are all these reads need
    facilitator = has_role(user, Role.FACILITATOR)
    admin = has_role(user, Role.ADMIN)
    editor = has_role(user, Role.EDITOR)
    moderator = can_moderate(user)
    response = make_response(
        render_template(
            "staff/start.html",
            facilitator=queries.facilitator_work(user) if facilitator else None,
            draft_frameworks=queries.draft_frameworks() if admin else None,
            failed_mails=queries.failed_mail_count() if admin else None,
            page_comments=queries.unhandled_page_comment_count() if editor else None,
            waiting_inputs=queries.waiting_input_count() if moderator else None,
            politician=has_role(user, Role.POLITICIAN),
            next_event=queries.next_event,
        )
    )
    # Personal work lists: never kept by a browser or a shared cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


bp.add_app_template_global(navigation)
