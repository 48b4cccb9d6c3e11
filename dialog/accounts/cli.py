"""``flask users``: create the first administrator and other accounts from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from dialog.accounts.models import Role
from dialog.accounts.services import MIN_PASSWORD_LENGTH, AccountError, create_user
from dialog.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", "display_name", default=None, help="Display name (defaults to the email).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([role.value for role in Role]),
    help="A role to grant; repeat for several.",
)
@click.password_option(help="The password (asked for when not given).")
def create_command(
    email: str, display_name: str | None, roles: tuple[str, ...], password: str
) -> None:
    """Create an account, e.g. the first administrator."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")
    try:
        user = create_user(
            email,
            display_name or email.split("@")[0],
            password,
            roles=tuple(Role(r) for r in roles),
        )
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(
        f"created user {user.id} <{user.email}> with roles {', '.join(sorted(user.role_names))}"
    )
