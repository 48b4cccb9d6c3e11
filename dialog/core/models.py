"""Models every area uses: the UTC timestamp type, the audit trail, the mail outbox and the
change generation."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column

from dialog.extensions import Model

# The longest address RFC 5321 allows; every email column and field uses it.
MAX_EMAIL_LENGTH = 320


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class AuditEvent(Model):
    """Who did what to which object, and when: the audit trail every area writes to."""

    __tablename__ = "audit_events"
    # An input's history (the moderation page) reads its events by subject.
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.subject_type}:{self.subject_id}>"


class OutboxStatus(enum.StrEnum):
    """Where a message is: not yet tried, tried and waiting for another try, sent, given up."""

    WAITING = "waiting"
    RETRYING = "retrying"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Model):
    """An email waiting to be sent by ``flask mail send``.

    A message that cannot be sent is tried again later, each wait longer than the last
    (``next_attempt_at``), and given up after ``DIALOG_MAIL_MAX_ATTEMPTS`` (``failed_at``).
    ``last_error`` holds the kind of error only, never an address or the message text.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient: Mapped[str] = mapped_column(String(MAX_EMAIL_LENGTH))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    @property
    def status(self) -> OutboxStatus:
        if self.sent_at is not None:
            return OutboxStatus.SENT
        if self.failed_at is not None:
            return OutboxStatus.FAILED
        return OutboxStatus.RETRYING if self.attempts else OutboxStatus.WAITING

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status}>"


class ChangeGeneration(Model):
    """One row whose value changes with every committed write: the signal for in-process caches.

    ``dialog.core.database`` bumps it in the same transaction as the write;
    ``dialog.core.cache.change_generation`` reads it.
    """

    __tablename__ = "change_generation"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<ChangeGeneration {self.value}>"
