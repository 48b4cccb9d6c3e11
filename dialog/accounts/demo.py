"""Demo accounts: one user per role, for trying Dialog out."""

from __future__ import annotations

from dialog.accounts.models import Role, User
from dialog.accounts.queries import user_by_email
from dialog.accounts.services import create_user

DEMO_PASSWORD = "dialog-demo-2026"

DEMO_USERS = (
    ("invanare@example.se", "Inger Invånare", Role.RESIDENT),
    ("dialogledare@example.se", "Dan Dialogledare", Role.FACILITATOR),
    ("redaktor@example.se", "Rut Redaktör", Role.EDITOR),
    ("politiker@example.se", "Per Politiker", Role.POLITICIAN),
    ("admin@example.se", "Ada Administratör", Role.ADMIN),
)


def ensure_demo_users() -> list[User]:
    """Create the demo users that are missing; leave existing ones as they are."""
    users = []
    for email, name, role in DEMO_USERS:
        user = user_by_email(email)
        if user is None:
            user = create_user(email, name, DEMO_PASSWORD, roles=(role,))
        users.append(user)
    return users
