"""Reads for the staff start page: what waits for each role, each a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from dialog.accounts.models import SessionUser, User
from dialog.contributions.models import Contribution, ContributionStatus
from dialog.core.models import OutboxStatus, utcnow
from dialog.dialogues.models import Dialogue, DialogueStatus
from dialog.extensions import db
from dialog.goals.models import Framework, FrameworkStatus
from dialog.moderation import queries as moderation_queries
from dialog.outbox.queries import outbox_counts
from dialog.pages import queries as pages_queries

WAITING_STATUSES = (DialogueStatus.PLANNED.value, DialogueStatus.OPEN.value)
UNREPORTED_STATUSES = (DialogueStatus.OPEN.value, DialogueStatus.CLOSED.value)


@dataclass(frozen=True)
class InputCounts:
    published: int = 0
    pending: int = 0


@dataclass(frozen=True)
class FacilitatorWork:
    # Planned or open, the next event first, with their input counts.
    upcoming: list[Dialogue]
    # Open or closed with no published feedback report.
    unreported: list[Dialogue]
    inputs: dict[int, InputCounts]


def facilitator_work(user: User | SessionUser) -> FacilitatorWork:
    """Return the dialogues the user is responsible for that still need them (three queries)."""
    query = (
        select(Dialogue)
        .where(
            Dialogue.facilitators.any(User.id == user.id),
            Dialogue.status != DialogueStatus.REPORTED.value,
        )
        .options(joinedload(Dialogue.report), selectinload(Dialogue.facilitators))
        .order_by(Dialogue.starts_at, Dialogue.id)
    )
    dialogues = list(db.session.scalars(query).unique())
    now = utcnow()
    upcoming = sorted(
        (d for d in dialogues if d.status in WAITING_STATUSES),
        key=lambda d: (next_event(d, now) is None, next_event(d, now) or now),
    )
    unreported = [
        d for d in dialogues if d.status in UNREPORTED_STATUSES and d.published_report is None
    ]
    return FacilitatorWork(upcoming, unreported, input_counts([d.id for d in dialogues]))


def next_event(dialogue: Dialogue, now: datetime | None = None) -> datetime | None:
    """The dialogue's event time while it is still ahead (or under way), else None."""
    now = now or utcnow()
    end = dialogue.ends_at or dialogue.starts_at
    if dialogue.starts_at is None or end is None or end < now:
        return None
    return dialogue.starts_at


def input_counts(dialogue_ids: list[int]) -> dict[int, InputCounts]:
    """Return each dialogue's published and waiting inputs (one query)."""
    counts = dict.fromkeys(dialogue_ids, InputCounts())
    if not dialogue_ids:
        return counts
    query = (
        select(Contribution.dialogue_id, Contribution.status, func.count())
        .where(
            Contribution.dialogue_id.in_(dialogue_ids),
            Contribution.status.in_(
                (ContributionStatus.PUBLISHED.value, ContributionStatus.PENDING.value)
            ),
        )
        .group_by(Contribution.dialogue_id, Contribution.status)
    )
    found: dict[int, dict[str, int]] = {}
    for dialogue_id, status, number in db.session.execute(query):
        if dialogue_id is not None:
            found.setdefault(dialogue_id, {})[status] = number
    for dialogue_id, by_status in found.items():
        counts[dialogue_id] = InputCounts(
            by_status.get(ContributionStatus.PUBLISHED.value, 0),
            by_status.get(ContributionStatus.PENDING.value, 0),
        )
    return counts


def draft_frameworks() -> list[Framework]:
    """Return the frameworks still in draft, newest period first (one query)."""
    query = (
        select(Framework)
        .where(Framework.status == FrameworkStatus.DRAFT.value)
        .order_by(Framework.period_start.desc(), Framework.title_sv)
    )
    return list(db.session.scalars(query))


def failed_mail_count() -> int:
    """Count the mails the outbox has given up on (one query); retries still pending are not."""
    return outbox_counts()[OutboxStatus.FAILED]


def unhandled_page_comment_count() -> int:
    """Count the page comments the editors have not handled (one query)."""
    return pages_queries.unhandled_page_comment_count()


def waiting_input_count() -> int:
    """Count the inputs waiting in the moderation queue (kept until the next change)."""
    return moderation_queries.waiting_count()
