"""Who may see and change goal frameworks: named predicates for views and templates."""

from __future__ import annotations

from typing import Any

from dialog.accounts.models import Role
from dialog.accounts.permissions import has_role
from dialog.goals.models import Framework


def can_manage_goals(user: Any) -> bool:
    """Only administrators create and change goal frameworks."""
    return has_role(user, Role.ADMIN)


def can_view_framework(user: Any, framework: Framework) -> bool:
    """Everyone reads frameworks out of draft; drafts only those who manage goals."""
    return framework.is_public or can_manage_goals(user)


def can_edit_framework(user: Any, framework: Framework) -> bool:
    """Change the text and tree: a manager, and only while the version is not yet adopted."""
    return can_manage_goals(user) and framework.is_editable


def can_record_measurements(user: Any, framework: Framework) -> bool:
    """Yearly values keep coming after adoption, so managers record them on any version."""
    return can_manage_goals(user)
