"""Who reviews the input goal by goal: named predicates for views and templates alike."""

from __future__ import annotations

from typing import Any

from dialog.accounts.models import Role
from dialog.accounts.permissions import has_role

# Politicians review; web editors and administrators see what politicians see.
REVIEW_ROLES = (Role.POLITICIAN, Role.EDITOR, Role.ADMIN)


def can_review(user: Any) -> bool:
    """Politicians, web editors and administrators read, count and export the input."""
    return any(has_role(user, role) for role in REVIEW_ROLES)
