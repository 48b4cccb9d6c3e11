"""Who may see the outbox."""

from __future__ import annotations

from typing import Any

from dialog.accounts.models import Role
from dialog.accounts.permissions import has_role


def can_see_outbox(user: Any) -> bool:
    """Only administrators see the outgoing mail (its recipients are personal data)."""
    return has_role(user, Role.ADMIN)
