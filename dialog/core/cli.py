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
    sent, failed = send_pending(current_app.config["SMTP_URL"], current_app.config["MAIL_FROM"])
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)
