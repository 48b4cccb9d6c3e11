"""The audit trail: who did what to which object, and when."""

from __future__ import annotations

import logging
from typing import Any

from dialog.core.models import AuditEvent
from dialog.extensions import db

audit_logger = logging.getLogger("dialog.audit")


def log_event(action: str, **fields: Any) -> None:
    """Write a structured security line to the log (never a password, token or session)."""
    audit_logger.info(action, extra={"event": action, **fields})


def record(
    action: str,
    *,
    actor_id: int | None,
    subject_type: str,
    subject_id: int | None,
    **details: Any,
) -> AuditEvent:
    """Store an audit event, log it, and return it (flushes, never commits)."""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    log_event(action, actor_id=actor_id, subject=f"{subject_type}:{subject_id}", **details)
    return event
