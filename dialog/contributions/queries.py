"""Reads of contributions: counts per dialogue, a dialogue's notes and proposals, a
receipt, a resident's own inputs, who left an email. Each in a bounded number of queries.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from dialog.accounts.models import User
from dialog.contributions.models import (
    Comment,
    Contribution,
    ContributionStatus,
    Dialogue,
    GoalLink,
    Proposal,
    Support,
    WorkshopNote,
    public_kinds,
)
from dialog.core.cache import Relations, freeze, reference_data
from dialog.core.pagination import FrozenPage, paginate
from dialog.extensions import db
from dialog.goals.models import Goal


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


def public_notes_page(dialogue_id: int, page: int, group: str | None = None) -> FrozenPage:
    """Return one page of a dialogue's published workshop notes, oldest first, with their
    goals, frozen.

    The same for every reader: kept in process memory until the next change
    (``dialog.core.cache.reference_data``).
    """
    key = ("notes-page", dialogue_id, page, group)
    return reference_data(key, lambda: _read_public_notes_page(dialogue_id, page, group))


def _read_public_notes_page(dialogue_id: int, page: int, group: str | None) -> FrozenPage:
    result = notes_page(dialogue_id, page, group=group)
    return FrozenPage.of(result, (freeze(note, LIST_RELATIONS) for note in result.items))


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


# Proposals -------------------------------------------------------------------------------


def dialogue_for_input(slug: str) -> Dialogue | None:
    """Return the dialogue residents' input goes to, with its framework."""
    query = select(Dialogue).options(joinedload(Dialogue.framework)).where(Dialogue.slug == slug)
    return db.session.scalar(query)


class ProposalSort(enum.StrEnum):
    NEWEST = "newest"
    SUPPORTED = "supported"
    COMMENTED = "commented"


class PublicStatus(enum.StrEnum):
    """What the public list can be narrowed to."""

    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


def _public(status: str | None = None, model: Any = Contribution) -> ColumnElement[bool]:
    """Shown to everyone: published, or withdrawn after it had been published.

    model: Contribution, or an alias of it (the proposal a comment is on).
    """
    published = model.status == ContributionStatus.PUBLISHED.value
    withdrawn = and_(
        model.status == ContributionStatus.WITHDRAWN.value,
        model.published_at.is_not(None),
    )
    if status == PublicStatus.PUBLISHED:
        return published
    if status == PublicStatus.WITHDRAWN:
        return withdrawn
    return or_(published, withdrawn)


def _order(sort: str) -> tuple[Any, ...]:
    if sort == ProposalSort.SUPPORTED:
        return (Proposal.support_count.desc(), Proposal.id.desc())
    if sort == ProposalSort.COMMENTED:
        return (Proposal.comment_count.desc(), Proposal.id.desc())
    return (Proposal.created_at.desc(), Proposal.id.desc())


# What a line of the proposal list shows besides the proposal.
LIST_RELATIONS: Relations = {"goal_links": {"goal": {}}}


def proposals_page(
    dialogue_id: int,
    page: int,
    *,
    sort: str = ProposalSort.NEWEST.value,
    goal_id: int | None = None,
    status: str | None = None,
    per_page: int = 20,
) -> FrozenPage:
    """Return one page of a dialogue's public proposals, sorted, with their goals, frozen.

    The same for every reader: kept in process memory until the next change
    (``dialog.core.cache.reference_data``); a reader's supports are asked for separately.
    """
    key = ("proposals-page", dialogue_id, page, sort, goal_id, status, per_page)
    return reference_data(
        key, lambda: _read_proposals_page(dialogue_id, page, sort, goal_id, status, per_page)
    )


def _read_proposals_page(
    dialogue_id: int,
    page: int,
    sort: str,
    goal_id: int | None,
    status: str | None,
    per_page: int,
) -> FrozenPage:
    query = (
        select(Proposal)
        .options(selectinload(Proposal.goal_links).joinedload(GoalLink.goal))
        .where(Proposal.dialogue_id == dialogue_id, _public(status))
        .order_by(*_order(sort))
    )
    if goal_id is not None:
        query = query.where(
            Proposal.id.in_(select(GoalLink.contribution_id).where(GoalLink.goal_id == goal_id))
        )
    result = paginate(query, page, per_page)
    return FrozenPage.of(result, (freeze(item, LIST_RELATIONS) for item in result.items))


def public_proposal_counts(dialogue_ids: Iterable[int]) -> dict[int, int]:
    """Return how many public proposals each dialogue has (one query)."""
    ids = list(dialogue_ids)
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    query = (
        select(Proposal.dialogue_id, func.count())
        .where(Proposal.dialogue_id.in_(ids), _public())
        .group_by(Proposal.dialogue_id)
    )
    for dialogue_id, number in db.session.execute(query):
        if dialogue_id is not None:
            counts[dialogue_id] = number
    return counts


def proposal_in(dialogue_id: int, proposal_id: int) -> Proposal | None:
    """Return the proposal if it belongs to the dialogue, with its goals."""
    query = (
        select(Proposal)
        .options(selectinload(Proposal.goal_links).joinedload(GoalLink.goal))
        .where(Proposal.id == proposal_id, Proposal.dialogue_id == dialogue_id)
    )
    return db.session.scalar(query)


def proposal_titled(dialogue_id: int, title: str) -> Proposal | None:
    """Return the dialogue's proposal with this title (the demo finds what it loaded)."""
    query = select(Proposal).where(Proposal.dialogue_id == dialogue_id, Proposal.title == title)
    return db.session.scalars(query).first()


def has_supported(proposal_id: int, user_id: int) -> bool:
    query = select(Support.id).where(
        Support.contribution_id == proposal_id, Support.user_id == user_id
    )
    return db.session.scalar(query) is not None


def supported_ids(user_id: int, proposal_ids: Iterable[int]) -> set[int]:
    """Return which of the proposals the user supports (one query)."""
    ids = list(proposal_ids)
    if not ids:
        return set()
    query = select(Support.contribution_id).where(
        Support.user_id == user_id, Support.contribution_id.in_(ids)
    )
    return set(db.session.scalars(query))


# Receipts and a resident's own inputs ----------------------------------------------------


def token_hash(token: str) -> str:
    """The stored form of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


def contribution_by_submission(submission_hash: str) -> Contribution | None:
    """Return the input a form's one-time submission token stored."""
    query = select(Contribution).where(Contribution.submission_token_hash == submission_hash)
    return db.session.scalar(query)


def contribution_by_receipt(token: str) -> Contribution | None:
    """Return the input a receipt link names, with its dialogue and goals.

    Looked up by the token's hash: the database compares digests, never the secret, so
    the time it takes tells nothing about how much of a guess was right.
    """
    query = (
        select(Contribution)
        .options(
            joinedload(Contribution.dialogue),
            joinedload(Contribution.parent),
            selectinload(Contribution.goal_links).joinedload(GoalLink.goal),
        )
        .where(Contribution.receipt_token_hash == token_hash(token))
    )
    return db.session.scalar(query)


def inputs_of(user_id: int, page: int, per_page: int = 20) -> Pagination:
    """Return one page of everything the user sent, newest first, with dialogue and goals."""
    query = (
        select(Contribution)
        .options(
            joinedload(Contribution.dialogue),
            joinedload(Contribution.parent),
            selectinload(Contribution.goal_links).joinedload(GoalLink.goal),
        )
        .where(Contribution.author_id == user_id)
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
    )
    return paginate(query, page, per_page)


# Open data -------------------------------------------------------------------------------


def public_contributions_page(
    page: int,
    *,
    dialogue_id: int | None = None,
    goal_id: int | None = None,
    kind: str | None = None,
    per_page: int = 50,
) -> Pagination:
    """Return one page of the public inputs of every public kind (or one), newest first,
    with their dialogue and goals (and the goals' frameworks, to leave out draft ones)."""
    # Intersected rather than trusted: a private kind is never listed, whatever is asked.
    kinds = [public for public in public_kinds() if kind is None or public == kind]
    # A comment is public only while what it answers is: the proposal it is on, and the
    # comment a reply answers (a hidden proposal takes its comments out of sight with it).
    above = aliased(Contribution)
    shown_above = select(above.id).where(_public(model=above))
    query = (
        select(Contribution)
        .options(
            joinedload(Contribution.dialogue),
            selectinload(Contribution.goal_links)
            .joinedload(GoalLink.goal)
            .joinedload(Goal.framework),
        )
        .where(
            Contribution.kind.in_(kinds),
            _public(),
            or_(Contribution.parent_id.is_(None), Contribution.parent_id.in_(shown_above)),
            or_(Contribution.reply_to_id.is_(None), Contribution.reply_to_id.in_(shown_above)),
        )
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
    )
    if dialogue_id is not None:
        query = query.where(Contribution.dialogue_id == dialogue_id)
    if goal_id is not None:
        query = query.where(
            Contribution.id.in_(select(GoalLink.contribution_id).where(GoalLink.goal_id == goal_id))
        )
    return paginate(query, page, per_page)


# Comments ----------------------------------------------------------------------------------


COMMENTS_PER_PAGE = 20
# The replies the proposal's page shows under each comment; the rest on the thread's pages.
REPLIES_SHOWN = 10
REPLIES_PER_PAGE = 50


def comment_on(proposal_id: int, comment_id: int) -> Comment | None:
    """Return the comment if it is on the proposal."""
    query = select(Comment).where(Comment.id == comment_id, Comment.parent_id == proposal_id)
    return db.session.scalar(query)


def comment_by_id(comment_id: int) -> Comment | None:
    """Return the comment with its proposal and dialogue."""
    query = (
        select(Comment)
        .options(joinedload(Comment.parent), joinedload(Comment.dialogue))
        .where(Comment.id == comment_id)
    )
    return db.session.scalar(query)


def _top_level(proposal_id: int) -> Select[Comment]:
    return select(Comment).where(
        Comment.parent_id == proposal_id, Comment.reply_to_id.is_(None), _public()
    )


def comments_page(proposal_id: int, page: int, per_page: int = COMMENTS_PER_PAGE) -> Pagination:
    """Return one page of the proposal's public top-level comments, oldest first."""
    query = _top_level(proposal_id).order_by(Comment.created_at, Comment.id)
    return paginate(query, page, per_page)


@dataclass(frozen=True)
class Replies:
    """The first replies to a comment that its proposal's page shows, and how many it has."""

    shown: list[Comment]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.shown)


def replies_to(comment_ids: Iterable[int], shown: int = REPLIES_SHOWN) -> dict[int, Replies]:
    """Return the first public replies to each of the comments, oldest first, with their
    number (one query): a thread of thousands of replies shows its first ones here, and
    all of them on its own pages (``replies_page``)."""
    ids = list(comment_ids)
    found: dict[int, list[Comment]] = {comment_id: [] for comment_id in ids}
    totals = dict.fromkeys(ids, 0)
    if ids:
        order = (Comment.created_at, Comment.id)
        numbered = (
            select(
                Comment.id.label("reply_id"),
                func.row_number().over(partition_by=Comment.reply_to_id, order_by=order).label("n"),
                func.count().over(partition_by=Comment.reply_to_id).label("total"),
            )
            .where(Comment.reply_to_id.in_(ids), _public())
            .subquery()
        )
        query = (
            select(Comment, numbered.c.total)
            .join(numbered, numbered.c.reply_id == Comment.id)
            .where(numbered.c.n <= shown)
            .order_by(*order)
        )
        for reply, total in db.session.execute(query):
            found[reply.thread_id].append(reply)
            totals[reply.thread_id] = total
    return {comment_id: Replies(found[comment_id], totals[comment_id]) for comment_id in ids}


def replies_page(comment_id: int, page: int, per_page: int = REPLIES_PER_PAGE) -> Pagination:
    """Return one page of a comment's public replies, oldest first."""
    query = (
        select(Comment)
        .where(Comment.reply_to_id == comment_id, _public())
        .order_by(Comment.created_at, Comment.id)
    )
    return paginate(query, page, per_page)


def _earlier(query: Select[Comment], comment: Comment) -> int:
    """How many of the query's comments come before this one, oldest first."""
    earlier = query.where(
        or_(
            Comment.created_at < comment.created_at,
            and_(Comment.created_at == comment.created_at, Comment.id < comment.id),
        )
    )
    return db.session.scalar(select(func.count()).select_from(earlier.subquery())) or 0


def reply_position(reply: Comment) -> int:
    """Return how many public replies in its thread come before the reply."""
    query = select(Comment).where(Comment.reply_to_id == reply.reply_to_id, _public())
    return _earlier(query, reply)


def visible_comment(comment_id: int) -> Comment | None:
    """Return the comment if the public sees it on its proposal's page, else None.

    Shown: the comment is public, and so are its proposal and, for a reply, the comment it
    answers (the page lists a thread under its top-level comment only).
    """
    comment = comment_by_id(comment_id)
    if comment is None or not comment.is_public:
        return None
    if comment.parent is None or not comment.parent.is_public:
        return None
    if comment.reply_to_id is not None:
        thread = db.session.get(Comment, comment.reply_to_id)
        if thread is None or not thread.is_public:
            return None
    return comment


def comment_page_number(comment: Comment, per_page: int = COMMENTS_PER_PAGE) -> int:
    """Return the page of its proposal's comments that shows the comment (its thread's)."""
    thread = comment if comment.reply_to_id is None else db.session.get(Comment, comment.thread_id)
    if thread is None or comment.parent_id is None:
        return 1
    return _earlier(_top_level(comment.parent_id), thread) // per_page + 1


def contribution_by_reference(reference: str) -> Contribution | None:
    """Return the input with this reference number (as typed, or in capitals)."""
    wanted = {reference, reference.upper()}
    query = (
        select(Contribution)
        .options(joinedload(Contribution.dialogue))
        .where(Contribution.reference.in_(wanted))
    )
    return db.session.scalars(query).first()
