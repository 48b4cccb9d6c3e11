"""Commands every installation needs: sending the mail outbox."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from dialog.core.mail import send_pending

mail_cli = AppGroup("mail", help="The outgoing mail queue.")


@mail_cli.command("send")
def send_command() -> None:
    """Send every message waiting in the outbox."""
    config = current_app.config
    sent, failed = send_pending(
        config["SMTP_URL"], config["MAIL_FROM"], config["MAIL_MAX_ATTEMPTS"]
    )
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)
