"""Reads of contributions: counts per dialogue, a dialogue's notes, who left an email."""

from __future__ import annotations

from collections.abc import Iterable

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from dialog.accounts.models import User
from dialog.contributions.models import (
    Contribution,
    ContributionStatus,
    GoalLink,
    WorkshopNote,
)
from dialog.core.pagination import paginate
from dialog.extensions import db


def published_counts(dialogue_ids: Iterable[int]) -> dict[int, int]:
    """Return how many published inputs each dialogue has (one query)."""
    ids = list(dialogue_ids)
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    query = (
        select(Contribution.dialogue_id, func.count())
        .where(
            Contribution.dialogue_id.in_(ids),
            Contribution.status == ContributionStatus.PUBLISHED.value,
        )
        .group_by(Contribution.dialogue_id)
    )
    for dialogue_id, number in db.session.execute(query):
        if dialogue_id is not None:
            counts[dialogue_id] = number
    return counts


def notes_page(
    dialogue_id: int,
    page: int,
    *,
    include_hidden: bool = False,
    group: str | None = None,
    per_page: int = 50,
) -> Pagination:
    """Return one page of a dialogue's workshop notes, oldest first, with their goals."""
    query = (
        select(WorkshopNote)
        .options(selectinload(WorkshopNote.goal_links).selectinload(GoalLink.goal))
        .where(WorkshopNote.dialogue_id == dialogue_id)
        .order_by(WorkshopNote.created_at, WorkshopNote.id)
    )
    if not include_hidden:
        query = query.where(WorkshopNote.status == ContributionStatus.PUBLISHED.value)
    if group:
        query = query.where(WorkshopNote.participant_group == group)
    return paginate(query, page, per_page)


def note_in(dialogue_id: int, note_id: int) -> WorkshopNote | None:
    """Return the note if it belongs to the dialogue, with its goal links."""
    query = (
        select(WorkshopNote)
        .options(selectinload(WorkshopNote.goal_links).selectinload(GoalLink.goal))
        .where(WorkshopNote.id == note_id, WorkshopNote.dialogue_id == dialogue_id)
    )
    return db.session.scalar(query)


def contributor_recipients(dialogue_id: int) -> list[tuple[str, str]]:
    """Return (email, language) of everyone who sent input to the dialogue and left an email.

    An account's address and language win over what was typed in the form.
    """
    query = (
        select(
            func.coalesce(User.email, Contribution.author_email),
            func.coalesce(User.locale, Contribution.language),
        )
        .select_from(Contribution)
        .outerjoin(User, User.id == Contribution.author_id)
        .where(
            Contribution.dialogue_id == dialogue_id,
            Contribution.status != ContributionStatus.HIDDEN.value,
            func.coalesce(User.email, Contribution.author_email).is_not(None),
        )
        .order_by(Contribution.id)
    )
    return [(email, locale) for email, locale in db.session.execute(query)]
