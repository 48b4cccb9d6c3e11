"""``flask demo load``: the demo municipality, loaded idempotently."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from dialog.accounts.demo import DEMO_PASSWORD, ensure_demo_users
from dialog.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo municipality; running it again changes nothing."""
    users = ensure_demo_users()
    db.session.commit()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in users:
        roles = ", ".join(sorted(user.role_names))
        click.echo(f"  {user.email:<28} {roles}")
