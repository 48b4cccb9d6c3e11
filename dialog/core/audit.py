"""The audit trail: who did what to which object, and when."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any, Protocol

from sqlalchemy import inspect

from dialog.core.models import AuditEvent
from dialog.extensions import Model, db

audit_logger = logging.getLogger("dialog.audit")


class Actor(Protocol):
    """Whoever acts: a user (``dialog.accounts.models.User``; core may not import accounts)."""

    @property
    def id(self) -> int: ...


def log_event(action: str, **fields: Any) -> None:
    """Write a structured security line to the log (never a password, token or session)."""
    audit_logger.info(action, extra={"event": action, **fields})


def record(action: str, actor: Actor | None, subject: Model, **details: Any) -> AuditEvent:
    """Store an audit event about the subject, log it, and return it (flushes, never commits).

    The flush comes first, so the pending changes (and a new subject's id) are stored with it.
    """
    db.session.flush()
    subject_type, subject_id = subject_of(subject)
    event = AuditEvent(
        action=action,
        actor_id=actor_id(actor),
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    log_event(action, actor_id=event.actor_id, subject=f"{subject_type}:{subject_id}", **details)
    return event


def record_change(
    action: str,
    actor: Actor | None,
    subject: Model,
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
        actor,
        subject,
        before={name: before.get(name) for name in changed},
        after={name: after[name] for name in changed},
        **details,
    )


def subject_of(subject: Model) -> tuple[str, int | None]:
    """The subject's type and id as stored: ``contribution`` for every kind of input."""
    state = inspect(subject)
    name = state.mapper.base_mapper.class_.__name__
    identity = state.identity
    return _snake_case(name), identity[0] if identity else None


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def actor_id(actor: Actor | None) -> int | None:
    """The id of whoever acted: a user, or nobody (a command, the system)."""
    return None if actor is None else actor.id


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of an object as they can be stored in an audit event."""
    return {name: _json_safe(getattr(obj, name)) for name in fields}


def _json_safe(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
