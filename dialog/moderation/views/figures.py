"""The editors' figures: what waits, how long a first decision takes, and the decisions by
reason, by dialogue and by month. Editors and administrators only; never cached."""

from __future__ import annotations

from flask import make_response, render_template
from flask_babel import format_decimal
from werkzeug.wrappers import Response

from dialog.accounts.models import Role
from dialog.accounts.permissions import roles_required
from dialog.core.i18n import _
from dialog.moderation.figures import moderation_figures
from dialog.moderation.views import bp

_HOUR = 3600.0


def duration(seconds: float | None) -> str:
    """A median time in words: minutes under an hour, hours under two days, else days."""
    if seconds is None:
        return "–"
    if seconds < _HOUR:
        return _("{minutes} min").format(minutes=format_decimal(round(seconds / 60)))
    if seconds < 48 * _HOUR:
        return _("{hours} h").format(hours=format_decimal(round(seconds / _HOUR, 1)))
    return _("{days} days").format(days=format_decimal(round(seconds / (24 * _HOUR), 1)))


@bp.route("/moderation/figures")
@roles_required(Role.EDITOR, Role.ADMIN)
def figures() -> Response:
    response = make_response(
        render_template(
            "moderation/figures.html",
            figures=moderation_figures(),
            duration=duration,
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
