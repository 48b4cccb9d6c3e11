"""Reads of contributions: counts per dialogue, a dialogue's notes and proposals, a
receipt, a resident's own inputs, who left an email. Each in a bounded number of queries.
"""

from __future__ import annotations

import enum
import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from jinja2.filters import do_truncate
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select
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
from dialog.core.times import time_in_every_language
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


# What a line of a list of notes shows besides the note.
LIST_RELATIONS: Relations = {"goal_links": {"goal": {}}}


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


# What the pages of residents' input show of a dialogue besides it.
INPUT_DIALOGUE_RELATIONS: Relations = {"framework": {}}


def shown_dialogue(slug: str) -> Dialogue | None:
    """Return the dialogue residents' input goes to, with its framework, frozen.

    The same for every reader: kept in process memory until the next change
    (``dialog.core.cache.reference_data``). For reading; a write takes ``dialogue_for_input``.
    """
    return reference_data(("input-dialogue", slug), lambda: _read_shown_dialogue(slug))


def _read_shown_dialogue(slug: str) -> Dialogue | None:
    found = dialogue_for_input(slug)
    return None if found is None else freeze(found, INPUT_DIALOGUE_RELATIONS)


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


# How much of its text a line of the proposal list shows (Jinja's truncate: whole words).
EXCERPT_LENGTH = 240


@dataclass(frozen=True, slots=True)
class ListedProposal:
    """A line of a dialogue's proposal list: plain values, the same for every reader, kept
    between requests (``dialog.core.cache.reference_data``)."""

    id: int
    status: str
    language: str
    title: str
    reference: str | None
    # The start of its text, cut as the template's ``truncate`` filter cuts it.
    excerpt: str
    support_count: int
    comment_count: int
    goals: tuple[Goal, ...]  # frozen (``freeze``), in the order they were linked


# What a line of the list is made of: loaded as plain rows, never as whole ORM objects.
_LISTED_COLUMNS: tuple[Any, ...] = (
    Proposal.id,
    Proposal.status,
    Proposal.language,
    # What the public sees: the redacted text when editors struck out a part (a redacted
    # proposal always has both).
    func.coalesce(Proposal.redacted_title, Proposal.title).label("title"),
    Proposal.reference,
    func.coalesce(Proposal.redacted_body_text, Proposal.body_text).label("body_text"),
    Proposal.support_count,
    Proposal.comment_count,
)


def proposals_page(
    dialogue_id: int,
    page: int,
    *,
    sort: str = ProposalSort.NEWEST.value,
    goal_id: int | None = None,
    status: str | None = None,
    per_page: int = 20,
) -> FrozenPage[ListedProposal]:
    """Return one page of a dialogue's public proposals, sorted, with their goals.

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
) -> FrozenPage[ListedProposal]:
    query = (
        select(*_LISTED_COLUMNS)
        .where(Proposal.dialogue_id == dialogue_id, _public(status))
        .order_by(*_order(sort))
    )
    if goal_id is not None:
        query = query.where(
            Proposal.id.in_(select(GoalLink.contribution_id).where(GoalLink.goal_id == goal_id))
        )
    result = paginate(query, page, per_page, rows=True)
    goals = _linked_goals(row.id for row in result.items)
    environment = current_app.jinja_env
    items = (
        ListedProposal(
            row.id,
            row.status,
            row.language,
            row.title or "",
            row.reference,
            do_truncate(environment, row.body_text, EXCERPT_LENGTH),
            row.support_count,
            row.comment_count,
            goals[row.id],
        )
        for row in result.items
    )
    return FrozenPage.of(result, items)


def _linked_goals(contribution_ids: Iterable[int]) -> dict[int, tuple[Goal, ...]]:
    """The goals each input is linked to, frozen, in the order they were linked (one query)."""
    ids = list(contribution_ids)
    linked: dict[int, list[Goal]] = {contribution_id: [] for contribution_id in ids}
    if ids:
        query = (
            select(GoalLink.contribution_id, Goal)
            .join(Goal, Goal.id == GoalLink.goal_id)
            .where(GoalLink.contribution_id.in_(ids))
            .order_by(GoalLink.id)
        )
        for contribution_id, goal in db.session.execute(query):
            linked[contribution_id].append(freeze(goal))
    return {contribution_id: tuple(goals) for contribution_id, goals in linked.items()}


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


# What the proposal's page shows besides the proposal: its goals, and its dialogue (which
# says whether it takes comments).
PROPOSAL_RELATIONS: Relations = {"goal_links": {"goal": {}}, "dialogue": {}}


def shown_proposal(dialogue_id: int, proposal_id: int) -> Proposal | None:
    """Return the proposal if it belongs to the dialogue, with its goals, frozen, whatever
    its status: whether the reader may see it is asked of the copy (a waiting one is its
    author's only).

    The same for every reader: kept in process memory until the next change
    (``dialog.core.cache.reference_data``). For reading; a write takes ``proposal_in``.
    """
    key = ("proposal", dialogue_id, proposal_id)
    return reference_data(key, lambda: _read_shown_proposal(dialogue_id, proposal_id))


def _read_shown_proposal(dialogue_id: int, proposal_id: int) -> Proposal | None:
    query = (
        select(Proposal)
        .options(
            selectinload(Proposal.goal_links).joinedload(GoalLink.goal),
            joinedload(Proposal.dialogue),
        )
        .where(Proposal.id == proposal_id, Proposal.dialogue_id == dialogue_id)
    )
    found = db.session.scalar(query)
    return None if found is None else freeze(found, PROPOSAL_RELATIONS)


def proposal_titled(dialogue_id: int, title: str) -> Proposal | None:
    """Return the dialogue's proposal with this title (the demo finds what it loaded)."""
    query = select(Proposal).where(Proposal.dialogue_id == dialogue_id, Proposal.title == title)
    return db.session.scalars(query).first()


# A reader's own supports are asked on every view of a proposal page (the rest of it is kept
# between requests): the statements are built once, with their values bound when run, since
# building and hashing a statement cost more than running it.
@functools.cache
def _support_of() -> Select[Any]:
    return select(Support.id).where(
        Support.contribution_id == bindparam("proposal_id"), Support.user_id == bindparam("user_id")
    )


@functools.cache
def _supported_among() -> Select[Any]:
    return select(Support.contribution_id).where(
        Support.user_id == bindparam("user_id"),
        Support.contribution_id.in_(bindparam("proposal_ids", expanding=True)),
    )


def has_supported(proposal_id: int, user_id: int) -> bool:
    """Return whether the user supports the proposal (one query, seeing the session's own
    unflushed changes, as a service needs)."""
    values = {"proposal_id": proposal_id, "user_id": user_id}
    return db.session.scalar(_support_of(), values) is not None


def supported_ids(user_id: int, proposal_ids: Iterable[int]) -> set[int]:
    """Return which of the proposals the user supports (one query), for a page that shows
    them: a plain read on the session's connection, without the ORM's statement handling."""
    ids = list(proposal_ids)
    if not ids:
        return set()
    values = {"user_id": user_id, "proposal_ids": ids}
    return {row[0] for row in db.session.connection().execute(_supported_among(), values)}


# Receipts and a resident's own inputs ----------------------------------------------------


def token_hash(token: str) -> str:
    """The stored form of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


def contribution_by_submission(submission_hash: str) -> Contribution | None:
    """Return the input a form's one-time submission token stored."""
    query = select(Contribution).where(Contribution.submission_token_hash == submission_hash)
    return db.session.scalar(query)


# What a page about one input shows beside it: its dialogue, the proposal it is on, its goals.
WITH_CONTEXT = (
    joinedload(Contribution.dialogue),
    joinedload(Contribution.parent),
    selectinload(Contribution.goal_links).joinedload(GoalLink.goal),
)


def contribution_by_receipt(token: str) -> Contribution | None:
    """Return the input a receipt link names, with its dialogue and goals.

    Looked up by the token's hash: the database compares digests, never the secret, so
    the time it takes tells nothing about how much of a guess was right.
    """
    query = (
        select(Contribution)
        .options(*WITH_CONTEXT)
        .where(Contribution.receipt_token_hash == token_hash(token))
    )
    return db.session.scalar(query)


def inputs_of(user_id: int, page: int, per_page: int = 20) -> Pagination:
    """Return one page of everything the user sent, newest first, with dialogue and goals."""
    query = (
        select(Contribution)
        .options(*WITH_CONTEXT)
        .where(Contribution.author_id == user_id)
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
    )
    return paginate(query, page, per_page)


# Open data -------------------------------------------------------------------------------


def shown_to_everyone(model: Any = Contribution) -> ColumnElement[bool]:
    """The SQL condition of an input the public sees, for reads in other areas (the trace):
    a public kind, published (or withdrawn after it was), and a comment only while what it
    answers is public too."""
    above = aliased(Contribution)
    shown_above = select(above.id).where(_public(model=above))
    return and_(
        model.kind.in_(public_kinds()),
        _public(model=model),
        or_(model.parent_id.is_(None), model.parent_id.in_(shown_above)),
        or_(model.reply_to_id.is_(None), model.reply_to_id.in_(shown_above)),
    )


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


def _top_level(proposal_id: int, *columns: Any) -> Select[Any]:
    return select(*(columns or (Comment,))).where(
        Comment.parent_id == proposal_id, Comment.reply_to_id.is_(None), _public()
    )


@dataclass(frozen=True, slots=True)
class ShownComment:
    """A public comment as the proposal's and the thread's pages show it, with the replies
    shown under it and how many it has (a reply has none): plain values, the same for every
    reader, kept between requests (``dialog.core.cache.reference_data``)."""

    id: int
    status: str
    author_name: str | None
    language: str
    body_html: str
    # When it was sent, as each language writes it (``core.times.time_in_every_language``).
    sent: Mapping[str, str]
    replies: tuple[ShownComment, ...] = ()
    reply_total: int = 0

    @property
    def more_replies(self) -> bool:
        """It has replies that are not shown under it (they are on the thread's pages)."""
        return self.reply_total > len(self.replies)


# What a comment shows: loaded as plain rows, never as whole ORM objects.
_SHOWN_COLUMNS: tuple[Any, ...] = (
    Comment.id,
    Comment.status,
    Comment.author_name,
    Comment.language,
    # What the public sees: the redacted text when editors struck out a part.
    func.coalesce(Comment.redacted_body_html, Comment.body_html).label("body_html"),
    Comment.created_at,
)
_OLDEST_FIRST = (Comment.created_at, Comment.id)


def _shown(row: Any, replies: tuple[ShownComment, ...] = (), total: int = 0) -> ShownComment:
    return ShownComment(
        row.id,
        row.status,
        row.author_name,
        row.language,
        row.body_html,
        time_in_every_language(row.created_at),
        replies,
        total,
    )


def comments_page(
    proposal_id: int, page: int, per_page: int = COMMENTS_PER_PAGE
) -> FrozenPage[ShownComment]:
    """Return one page of the proposal's public top-level comments, oldest first, each with
    its first replies (``replies_to``): three queries, however many there are.

    The same for every reader: kept in process memory until the next change
    (``dialog.core.cache.reference_data``).
    """
    key = ("comments-page", proposal_id, page, per_page)
    return reference_data(key, lambda: _read_comments_page(proposal_id, page, per_page))


def _read_comments_page(proposal_id: int, page: int, per_page: int) -> FrozenPage[ShownComment]:
    query = _top_level(proposal_id, *_SHOWN_COLUMNS).order_by(*_OLDEST_FIRST)
    result = paginate(query, page, per_page, rows=True)
    replies = replies_to(row.id for row in result.items)
    items = (_shown(row, *replies[row.id]) for row in result.items)
    return FrozenPage.of(result, items)


def replies_to(
    comment_ids: Iterable[int], shown: int = REPLIES_SHOWN
) -> dict[int, tuple[tuple[ShownComment, ...], int]]:
    """Return the first public replies to each of the comments, oldest first, with their
    number (one query): a thread of thousands of replies shows its first ones here, and
    all of them on its own pages (``replies_page``)."""
    ids = list(comment_ids)
    found: dict[int, list[ShownComment]] = {comment_id: [] for comment_id in ids}
    totals = dict.fromkeys(ids, 0)
    if ids:
        numbered = (
            select(
                Comment.id.label("reply_id"),
                func.row_number()
                .over(partition_by=Comment.reply_to_id, order_by=_OLDEST_FIRST)
                .label("n"),
                func.count().over(partition_by=Comment.reply_to_id).label("total"),
            )
            .where(Comment.reply_to_id.in_(ids), _public())
            .subquery()
        )
        query = (
            select(*_SHOWN_COLUMNS, Comment.reply_to_id, numbered.c.total)
            .join(numbered, numbered.c.reply_id == Comment.id)
            .where(numbered.c.n <= shown)
            .order_by(*_OLDEST_FIRST)
        )
        for row in db.session.execute(query):
            found[row.reply_to_id].append(_shown(row))
            totals[row.reply_to_id] = row.total
    return {comment_id: (tuple(found[comment_id]), totals[comment_id]) for comment_id in ids}


def replies_page(
    comment_id: int, page: int, per_page: int = REPLIES_PER_PAGE
) -> FrozenPage[ShownComment]:
    """Return one page of a comment's public replies, oldest first.

    The same for every reader: kept in process memory until the next change.
    """
    key = ("replies-page", comment_id, page, per_page)
    return reference_data(key, lambda: _read_replies_page(comment_id, page, per_page))


def _read_replies_page(comment_id: int, page: int, per_page: int) -> FrozenPage[ShownComment]:
    query = (
        select(*_SHOWN_COLUMNS)
        .where(Comment.reply_to_id == comment_id, _public())
        .order_by(*_OLDEST_FIRST)
    )
    result = paginate(query, page, per_page, rows=True)
    return FrozenPage.of(result, (_shown(row) for row in result.items))


@dataclass(frozen=True)
class ShownThread:
    """A top-level comment the public sees, and where it is: its proposal and dialogue."""

    comment: ShownComment
    proposal_id: int
    dialogue_slug: str


def shown_thread(comment_id: int) -> ShownThread | None:
    """Return the top-level comment if the public sees it on its proposal's page, else None.

    The same for every reader: kept in process memory until the next change.
    """
    return reference_data(("thread", comment_id), lambda: _read_thread(comment_id))


def _read_thread(comment_id: int) -> ShownThread | None:
    found = visible_comment(comment_id)
    if found is None or found.reply_to_id is not None or found.dialogue is None:
        return None
    if not isinstance(found.parent, Proposal):
        return None
    return ShownThread(_shown(found), found.parent.id, found.dialogue.slug)


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


def original_of(contribution: Contribution) -> Contribution | None:
    """The input this one was marked a duplicate of, with its dialogue (None if none)."""
    if contribution.duplicate_of_id is None:
        return None
    query = (
        select(Contribution)
        .options(joinedload(Contribution.dialogue))
        .where(Contribution.id == contribution.duplicate_of_id)
    )
    return db.session.scalar(query)
