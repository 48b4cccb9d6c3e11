"""Who sees contact details and who exports the records.

Only staff who moderate (web editors and administrators) see who sent an input: its name and
address. Politicians review input on what it says: every page shows them each input as from
"a resident", even one whose author chose to show a name to the public. Facilitators see what
the public sees (a name an author chose to show, never an address); the sign-ups for their
own events are theirs to run and stay in their lists.
"""

from __future__ import annotations

from typing import Any

from dialog.accounts.models import Role
from dialog.accounts.permissions import has_role


def can_see_contact_details(user: Any) -> bool:
    """Web editors and administrators, who moderate, see names and addresses of inputs."""
    return has_role(user, Role.EDITOR) or has_role(user, Role.ADMIN)


def hides_authors(user: Any) -> bool:
    """A politician (who does not also moderate) is never shown who sent an input."""
    return has_role(user, Role.POLITICIAN) and not can_see_contact_details(user)


def can_export_registry(user: Any) -> bool:
    """The registry's list of received inputs: web editors and administrators."""
    return can_see_contact_details(user)


def can_export_audit(user: Any) -> bool:
    """The audit trail: administrators only."""
    return has_role(user, Role.ADMIN)
