"""Who may do what with an input: named predicates for views and templates alike."""

from __future__ import annotations

from typing import Any

from dialog.contributions.models import Contribution, ContributionStatus

WITHDRAWABLE = (ContributionStatus.PENDING.value, ContributionStatus.PUBLISHED.value)


def is_author(user: Any, contribution: Contribution) -> bool:
    """The logged-in user sent the input with their account."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and contribution.author_id is not None
        and contribution.author_id == user.id
    )


def can_withdraw(user: Any, contribution: Contribution) -> bool:
    """Its author may withdraw an input that is waiting or published."""
    return is_author(user, contribution) and contribution.status in WITHDRAWABLE


def can_see_contribution(user: Any, contribution: Contribution) -> bool:
    """Everyone sees a public input; its author sees it in every state."""
    return contribution.is_public or is_author(user, contribution)


def can_support(user: Any) -> bool:
    """A logged-in person supports proposals (once each)."""
    return bool(getattr(user, "is_authenticated", False))
