"""The audit trail: who did what to which object, and when."""

from __future__ import annotations

import logging
from datetime import date
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


def actor_id(actor: Any) -> int | None:
    """The id of whoever acted: a user, or nobody (a command, the system)."""
    return getattr(actor, "id", None)


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of an object as they can be stored in an audit event."""
    return {name: _json_safe(getattr(obj, name)) for name in fields}


def _json_safe(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def record_change(
    action: str,
    *,
    actor: Any,
    subject_type: str,
    subject_id: int | None,
    before: dict[str, Any],
    after: dict[str, Any],
    **details: Any,
) -> AuditEvent | None:
    """Record the fields that changed, before and after; nothing when none did."""
    changed = [name for name in after if before.get(name) != after[name]]
    if not changed:
        return None
    return record(
        action,
        actor_id=actor_id(actor),
        subject_type=subject_type,
        subject_id=subject_id,
        before={name: before.get(name) for name in changed},
        after={name: after[name] for name in changed},
        **details,
    )
