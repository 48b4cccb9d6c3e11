"""``flask demo load``: the demo municipality, loaded idempotently."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from dialog.accounts.demo import DEMO_PASSWORD, ensure_demo_users
from dialog.dialogues.demo import ensure_demo_dialogues
from dialog.extensions import db
from dialog.goals.demo import ensure_demo_goals

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo municipality; running it again changes nothing."""
    users = ensure_demo_users()
    frameworks = ensure_demo_goals()
    dialogues = ensure_demo_dialogues()
    db.session.commit()
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in users:
        roles = ", ".join(sorted(user.role_names))
        click.echo(f"  {user.email:<28} {roles}")
    click.echo("Goal frameworks:")
    for framework in frameworks:
        click.echo(f"  /goals/{framework.slug:<26} {framework.status}")
    click.echo("Dialogues (example data):")
    for dialogue in dialogues:
        click.echo(f"  /dialogues/{dialogue.slug:<30} {dialogue.status}")
