"""``flask trace suggest SLUG``: the goal suggestions for texts on standard input, so that
anyone can measure them (see dialog/trace/README.md)."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from dialog.trace import queries, services

trace_cli = AppGroup("trace", help="The trace from inputs to goals.")


@trace_cli.command("suggest")
@click.argument("framework_slug")
def suggest_command(framework_slug: str) -> None:
    """Suggest goals for each line of standard input: one JSON object per line,
    {"text": ..., "goals": [{"code": ..., "score": ...}, ...]}, best goal first. Blank
    lines are skipped."""
    framework_id = queries.framework_id_for(framework_slug)
    if framework_id is None:
        raise click.ClickException(f"There is no goal framework {framework_slug!r}.")
    model = services.model_for(framework_id)
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        goals = [{"code": found.code, "score": found.score} for found in model.suggest(text)]
        click.echo(json.dumps({"text": text, "goals": goals}, ensure_ascii=False))
