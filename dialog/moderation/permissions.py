"""Who moderates: named predicates for views and templates alike."""

from __future__ import annotations

from typing import Any

from dialog.accounts.models import Role
from dialog.accounts.permissions import has_role

# The roles that moderate inputs and see their senders' contact details.
MODERATOR_ROLES = (Role.EDITOR, Role.ADMIN)


def can_moderate(user: Any) -> bool:
    """Web editors and administrators moderate every kind of input."""
    return any(has_role(user, role) for role in MODERATOR_ROLES)
