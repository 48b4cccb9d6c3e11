"""Who may do what with dialogues: named predicates for views and templates."""

from __future__ import annotations

from typing import Any

from dialog.accounts.models import Role
from dialog.accounts.permissions import has_role
from dialog.dialogues.models import Dialogue


def can_create_dialogue(user: Any) -> bool:
    """Facilitators plan dialogues (and become responsible for them); administrators too."""
    return has_role(user, Role.FACILITATOR) or has_role(user, Role.ADMIN)


def is_responsible(user: Any, dialogue: Dialogue) -> bool:
    """Tell whether the user is one of the dialogue's responsible facilitators."""
    return bool(getattr(user, "is_authenticated", False)) and user.id in dialogue.facilitator_ids


def can_manage_dialogue(user: Any, dialogue: Dialogue) -> bool:
    """Administrators manage every dialogue; facilitators only those they are responsible for."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.FACILITATOR) and is_responsible(user, dialogue)


def can_see_registrations(user: Any, dialogue: Dialogue) -> bool:
    """Registrants' details are for the people running the dialogue, never public."""
    return can_manage_dialogue(user, dialogue)


def can_capture(user: Any, dialogue: Dialogue) -> bool:
    """Record notes, headcounts and imports: the people running the dialogue."""
    return can_manage_dialogue(user, dialogue)


def can_choose_facilitators(user: Any) -> bool:
    """Any facilitator may add a colleague; only administrators may leave a dialogue unowned."""
    return can_create_dialogue(user)
