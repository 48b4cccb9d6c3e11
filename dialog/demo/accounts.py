"""Demo users (``data/accounts/*.toml``): one per role, all with the demo password."""

from __future__ import annotations

from datetime import datetime

from dialog.accounts.models import Role, User
from dialog.accounts.queries import user_by_email
from dialog.accounts.services import create_user
from dialog.demo.common import Source

SCHEMA = {
    "password": str,
    "users": [{"email": str, "name": str, "role": Role}],
}


def load(source: Source, now: datetime) -> list[User]:
    """Create the file's users that are missing; leave existing ones as they are."""
    users = []
    for index, data in enumerate(source.data["users"]):
        user = user_by_email(data["email"])
        if user is None:
            with source.at(f"users[{index}]"):
                user = create_user(
                    data["email"],
                    data["name"],
                    source.data["password"],
                    roles=(Role(data["role"]),),
                )
        users.append(user)
    return users
