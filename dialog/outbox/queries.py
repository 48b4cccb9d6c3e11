"""Reads of the outbox for its administration page."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, and_, case, func, select

from dialog.core.models import OutboxMessage, OutboxStatus
from dialog.core.pagination import paginate
from dialog.extensions import db

_UNSENT = and_(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
_CONDITIONS: dict[OutboxStatus, ColumnElement[bool]] = {
    OutboxStatus.SENT: OutboxMessage.sent_at.is_not(None),
    OutboxStatus.FAILED: and_(
        OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_not(None)
    ),
    OutboxStatus.RETRYING: and_(_UNSENT, OutboxMessage.attempts > 0),
    OutboxStatus.WAITING: and_(_UNSENT, OutboxMessage.attempts == 0),
}


def outbox_page(status: OutboxStatus | None, page: int, per_page: int = 50) -> Pagination:
    """Return one page of messages, newest first, only those in the status when one is given."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status is not None:
        query = query.where(_CONDITIONS[status])
    return paginate(query, page, per_page)


def outbox_counts() -> dict[OutboxStatus, int]:
    """Return how many messages are in each status (one query)."""
    status = case(
        (OutboxMessage.sent_at.is_not(None), OutboxStatus.SENT.value),
        (OutboxMessage.failed_at.is_not(None), OutboxStatus.FAILED.value),
        (OutboxMessage.attempts > 0, OutboxStatus.RETRYING.value),
        else_=OutboxStatus.WAITING.value,
    )
    counts = dict.fromkeys(OutboxStatus, 0)
    for value, number in db.session.execute(select(status, func.count()).group_by(status)):
        counts[OutboxStatus(value)] = number
    return counts
