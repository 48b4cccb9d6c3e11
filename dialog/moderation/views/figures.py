"""The editors' figures: what waits, how long a first decision takes, and the decisions by
reason, by dialogue and by month. Editors and administrators only; never cached."""

from __future__ import annotations

from flask import make_response, render_template
from flask_babel import format_decimal
from werkzeug.wrappers import Response

from dialog.accounts.models import Role
from dialog.accounts.permissions import roles_required
from dialog.core.i18n import _, _l
from dialog.moderation.figures import moderation_figures
from dialog.moderation.models import ModerationAction
from dialog.moderation.reasons import reason_label
from dialog.moderation.views import bp

ACTION_LABELS = {
    ModerationAction.PUBLISH.value: _l("Published"),
    ModerationAction.REJECT.value: _l("Rejected"),
    ModerationAction.HIDE.value: _l("Hidden"),
    ModerationAction.RESTORE.value: _l("Shown again"),
    ModerationAction.REDACT.value: _l("Redacted"),
    ModerationAction.DUPLICATE.value: _l("Marked as a duplicate"),
    ModerationAction.DISMISS_REPORTS.value: _l("Reports dismissed"),
}
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


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@bp.route("/moderation/figures")
@roles_required(Role.EDITOR, Role.ADMIN)
def figures() -> Response:
    response = make_response(
        render_template(
            "moderation/figures.html",
            figures=moderation_figures(),
            duration=duration,
            action_label=action_label,
            reason_label=reason_label,
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
