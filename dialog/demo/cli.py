"""``flask demo load``: the demo municipality, loaded idempotently from its data files."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from dialog.demo import loader
from dialog.demo.schema import DemoDataError
from dialog.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Load from this folder instead of dialog/demo/data (to try new content).",
)
def load_command(data: Path | None) -> None:
    """Load the demo municipality; running it again changes nothing."""
    root = data or loader.DATA
    try:
        loaded = loader.load(root)
    except DemoDataError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Demo logins (password for all: {loader.demo_password(root)}):")
    for user in loaded["accounts"]:
        roles = ", ".join(sorted(user.role_names))
        click.echo(f"  {user.email:<28} {roles}")
    click.echo("Goal frameworks:")
    for framework in loaded["goals"]:
        click.echo(f"  /goals/{framework.slug:<26} {framework.status}")
    click.echo("Dialogues (example data):")
    for dialogue in loaded["dialogues"]:
        click.echo(f"  /dialogues/{dialogue.slug:<30} {dialogue.status}")
