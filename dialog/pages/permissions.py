"""Who may edit content pages and read the page comments."""

from __future__ import annotations

from typing import Any

from dialog.accounts.models import Role
from dialog.accounts.permissions import has_role

EDITOR_ROLES = (Role.EDITOR, Role.ADMIN)


def can_edit_pages(user: Any) -> bool:
    """Web editors and administrators write, publish and unpublish content pages."""
    return any(has_role(user, role) for role in EDITOR_ROLES)


def can_handle_page_comments(user: Any) -> bool:
    """Web editors and administrators read, answer and handle the page comments."""
    return any(has_role(user, role) for role in EDITOR_ROLES)
