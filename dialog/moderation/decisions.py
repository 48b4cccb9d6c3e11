"""The record of a moderation decision, written by the editors' services and by the report
threshold alike: the decision for the figures, and on the input the time of its first one."""

from __future__ import annotations

from dialog.accounts.models import User
from dialog.contributions.models import Contribution
from dialog.core import audit
from dialog.core.models import utcnow
from dialog.core.times import local_zone
from dialog.extensions import db
from dialog.moderation.models import ModerationAction, ModerationDecision


def record_decision(
    contribution: Contribution,
    action: ModerationAction,
    actor: User | None,
    reason: str | None = None,
    note: str | None = None,
) -> ModerationDecision:
    """Store a decision on the input for the figures, and the time of its first one."""
    now = utcnow()
    decision = ModerationDecision(
        contribution_id=contribution.id,
        dialogue_id=contribution.dialogue_id,
        submitted_at=contribution.created_at,
        action=action.value,
        reason=reason,
        note=note,
        actor_id=audit.actor_id(actor),
        created_at=now,
    )
    if contribution.first_decided_at is None:
        contribution.first_decided_at = now
        waited = now - (contribution.created_at or now)
        contribution.first_decision_seconds = max(0, round(waited.total_seconds()))
        contribution.first_decision_month = f"{now.astimezone(local_zone()):%Y-%m}"
    db.session.add(decision)
    return decision
