"""What moderation keeps: residents' reports of inputs, and every decision taken on one.

The decisions are also in the audit trail (who, when, before and after); they are kept here
as well, one row each with its reason, so the editors' figures (time to a decision,
decisions by reason, per dialogue and month) are counted in SQL.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.contributions.models import Contribution
from dialog.core.models import UTCDateTime, utcnow
from dialog.extensions import Model

MAX_REASON_CODE_LENGTH = 30
MAX_REPORT_NOTE_LENGTH = 1_000


class ModerationAction(enum.StrEnum):
    PUBLISH = "publish"
    REJECT = "reject"  # a waiting input is not published
    HIDE = "hide"  # a published input is taken down
    RESTORE = "restore"
    REDACT = "redact"
    DUPLICATE = "duplicate"
    DISMISS_REPORTS = "dismiss_reports"  # the reports were looked at; the input stays


class Flag(Model):
    """A report of a published input by a resident (with or without an account).

    Open until an editor decides on the input (``resolved_at``); the input's
    ``report_count`` counts its open reports. Reporters are never shown to the public.
    """

    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    # A reason code of the configured list (personal data, offensive, off-topic …).
    reason: Mapped[str] = mapped_column(String(MAX_REASON_CODE_LENGTH))
    # What the reporter wrote, plain text as typed (optional).
    note: Mapped[str | None] = mapped_column(Text)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    contribution: Mapped[Contribution] = relationship()

    def __repr__(self) -> str:
        return f"<Flag {self.id} on {self.contribution_id} {self.reason}>"


class ModerationDecision(Model):
    """One decision by an editor (or by the report threshold) on one input."""

    __tablename__ = "moderation_decisions"
    __table_args__ = (
        Index("ix_moderation_decisions_dialogue_created", "dialogue_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id"), index=True)
    # Copied from the input, so the figures group by dialogue and measure the time from
    # submission to decision from this table alone.
    dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogues.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(MAX_REASON_CODE_LENGTH))
    # The note shown to the author (plain text as typed).
    note: Mapped[str | None] = mapped_column(Text)
    # None when no person decided (hidden by the report threshold).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<ModerationDecision {self.action} on {self.contribution_id}>"
