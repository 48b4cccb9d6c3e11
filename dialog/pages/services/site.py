"""Rules of the site's own pages."""

from __future__ import annotations

from flask import current_app

from dialog.core.audit import log_event
from dialog.core.i18n import _
from dialog.core.mail import queue_mail


def report_accessibility_problem(page: str, description: str, reply_to: str) -> None:
    """Send a reported accessibility problem to the web editors through the outbox."""
    body = _(
        "An accessibility problem was reported.\n\nPage: {page}\n\n{description}\n\n"
        "Answer to: {reply_to}"
    ).format(
        page=page.strip() or "-",
        description=description.strip(),
        reply_to=reply_to.strip() or _("(no address given)"),
    )
    queue_mail(current_app.config["CONTACT_EMAIL"], _("Accessibility problem reported"), body)
    log_event("accessibility_reported")
