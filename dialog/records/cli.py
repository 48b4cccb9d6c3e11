"""``flask retention run``: remove the personal data whose period is over (gallring)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from dialog.core.models import utcnow
from dialog.extensions import db
from dialog.records.services import RetentionError, run_retention

retention_cli = AppGroup("retention", help="Remove personal data whose retention period is over.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only show what would be removed; change nothing.")
def run_command(dry_run: bool) -> None:
    """Remove what is due, and write what was removed (counts, never data) to the audit trail."""
    try:
        run = run_retention(utcnow(), dry_run)
    except RetentionError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would remove" if dry_run else "removed"
    for removal in run.removals:
        decision = removal.decision or "no decision configured"
        click.echo(
            f"{removal.kind}: {verb} {removal.count} (after {removal.days} days; {decision})"
        )
    click.echo(f"{'dry run: nothing changed' if dry_run else 'done'}; total {run.total}")
