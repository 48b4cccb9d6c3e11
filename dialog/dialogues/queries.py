"""Reads of dialogues: the public list with its filters, one dialogue with everything its
page shows, the dialogues that asked about a goal, registrations. Each in a bounded number
of queries, whatever the amount of data.
"""

from __future__ import annotations

import enum
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from dialog.accounts.models import Role, User, UserRole
from dialog.contributions.queries import public_proposal_counts, published_counts
from dialog.core.cache import Relations, freeze, in_every_language, reference_data
from dialog.core.pagination import FrozenPage, paginate
from dialog.core.times import format_period
from dialog.dialogues.models import (
    Dialogue,
    DialogueAudience,
    DialogueGoal,
    DialogueStatus,
    FeedbackReport,
    Registration,
    RegistrationStatus,
    dialogue_facilitators,
)
from dialog.extensions import db
from dialog.goals.models import PUBLIC_STATUSES, Framework

# The columns a line of the public list reads (the long texts are left in the database).
LIST_COLUMNS = (
    "slug",
    "framework_id",
    "title_sv",
    "title_en",
    "format",
    "level",
    "place_name",
    "starts_at",
    "ends_at",
    "status",
    "is_example",
)


class When(enum.StrEnum):
    """The public list's time filter."""

    OPEN = "open"
    UPCOMING = "upcoming"
    PAST = "past"


WHEN_STATUSES = {
    When.OPEN: (DialogueStatus.OPEN,),
    When.UPCOMING: (DialogueStatus.PLANNED,),
    When.PAST: (DialogueStatus.CLOSED, DialogueStatus.REPORTED),
}


@dataclass(frozen=True)
class DialogueFilters:
    """What the public list is narrowed to; None or "" means any."""

    when: str | None = None
    framework: str | None = None
    format: str | None = None
    audience: str | None = None
    status: str | None = None


def token_hash(token: str) -> str:
    """The stored form of a secret link token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _with_list_relations(query: Select[Any]) -> Select[Any]:
    """What a line of the public list shows: the dialogue's own short columns, the
    framework's name and status, the audiences, the headcounts, whether a report is out."""
    return query.options(
        load_only(*(getattr(Dialogue, column) for column in LIST_COLUMNS)),
        joinedload(Dialogue.framework).load_only(
            Framework.slug, Framework.status, Framework.title_sv, Framework.title_en
        ),
        selectinload(Dialogue.audience_links),
        selectinload(Dialogue.headcounts),
        selectinload(Dialogue.report).load_only(FeedbackReport.published_at),
    )


def _with_page_relations(query: Select[Any], focus: Any) -> Select[Any]:
    """Everything of the dialogue and of its report; focus says how its goals are loaded."""
    return query.options(
        joinedload(Dialogue.framework),
        selectinload(Dialogue.audience_links),
        selectinload(Dialogue.headcounts),
        selectinload(Dialogue.report),
        focus,
    )


def filtered_dialogues(filters: DialogueFilters) -> Select[Any]:
    """The query of the dialogues matching the filters, soonest first for what is ahead."""
    query = select(Dialogue)
    if filters.when in WHEN_STATUSES:
        statuses = [status.value for status in WHEN_STATUSES[When(filters.when)]]
        query = query.where(Dialogue.status.in_(statuses))
    if filters.status:
        query = query.where(Dialogue.status == filters.status)
    if filters.framework:
        # Only a public framework filters: a draft's slug finds nothing, as /goals/<draft> does.
        query = query.join(Framework, Dialogue.framework_id == Framework.id).where(
            Framework.slug == filters.framework,
            Framework.status.in_([str(status) for status in PUBLIC_STATUSES]),
        )
    if filters.format:
        query = query.where(Dialogue.format == filters.format)
    if filters.audience:
        query = query.where(
            select(DialogueAudience.dialogue_id)
            .where(
                DialogueAudience.dialogue_id == Dialogue.id,
                DialogueAudience.audience == filters.audience,
            )
            .exists()
        )
    if filters.when == When.PAST:
        return query.order_by(Dialogue.starts_at.desc().nulls_last(), Dialogue.id.desc())
    return query.order_by(Dialogue.starts_at.asc().nulls_last(), Dialogue.id.desc())


LIST_RELATIONS: Relations = {"framework": {}, "audience_links": {}, "headcounts": {}, "report": {}}


@dataclass(frozen=True)
class DialogueListPage:
    """A page of the public list, its dialogues frozen, with their published inputs."""

    page: FrozenPage
    input_counts: dict[int, int]
    # When each dialogue takes place (format_period), by language, then by dialogue id.
    event_times: dict[str, dict[int, str]]


def dialogues_page(filters: DialogueFilters, page: int, per_page: int = 20) -> DialogueListPage:
    """Return one page of the dialogues matching the filters, with what the list shows.

    The same for every reader: kept in process memory until the next change
    (``dialog.core.cache.reference_data``).
    """
    key = ("dialogues-page", filters, page, per_page)
    return reference_data(key, lambda: _read_dialogues_page(filters, page, per_page))


def _read_dialogues_page(filters: DialogueFilters, page: int, per_page: int) -> DialogueListPage:
    result = paginate(_with_list_relations(filtered_dialogues(filters)), page, per_page)
    items = [freeze(dialogue, LIST_RELATIONS) for dialogue in result.items]
    counts = published_counts(dialogue.id for dialogue in items)
    times = in_every_language(
        lambda: {item.id: format_period(item.starts_at, item.ends_at) for item in items}
    )
    return DialogueListPage(FrozenPage.of(result, items), counts, times)


def all_matching(filters: DialogueFilters) -> tuple[Dialogue, ...]:
    """Return every dialogue matching the filters, frozen, for the open data API (which names
    the focus goals by id); kept in process memory until the next change."""
    return reference_data(("all-dialogues", filters), lambda: _read_all_matching(filters))


def _read_all_matching(filters: DialogueFilters) -> tuple[Dialogue, ...]:
    query = _with_page_relations(filtered_dialogues(filters), selectinload(Dialogue.focus_links))
    relations = {**LIST_RELATIONS, "focus_links": {}}
    return tuple(freeze(dialogue, relations) for dialogue in db.session.scalars(query))


def dialogue_by_slug(slug: str) -> Dialogue | None:
    """Return the dialogue with everything its page shows loaded."""
    return db.session.scalar(_full_dialogue_query(), {"slug": slug})


# What the dialogue's public pages show of it.
PAGE_RELATIONS: Relations = {
    "framework": {},
    "audience_links": {},
    "headcounts": {},
    "report": {},
    "focus_links": {"goal": {}},
    "facilitators": {},  # their ids only: see _public_dialogue_query
}


@dataclass(frozen=True)
class PublicDialogue:
    """A dialogue as its public pages show it, frozen (``dialogue.core.cache.freeze``), with
    its counts."""

    dialogue: Dialogue
    published_inputs: int
    public_proposals: int
    confirmed_places: int


def public_dialogue(slug: str) -> PublicDialogue | None:
    """Return the dialogue with what its public pages show, or None.

    Kept in process memory until the next change (``dialog.core.cache.reference_data``): it
    is the same for every reader; of the facilitators it holds only who they are (for the
    permission check), not the rest of their accounts.
    """
    return reference_data(f"dialogue:{slug}", lambda: _read_public_dialogue(slug))


def _read_public_dialogue(slug: str) -> PublicDialogue | None:
    loaded = db.session.scalar(_public_dialogue_query(), {"slug": slug})
    if loaded is None:
        return None
    dialogue_id = loaded.id
    return PublicDialogue(
        freeze(loaded, PAGE_RELATIONS),
        published_inputs=published_counts([dialogue_id])[dialogue_id],
        public_proposals=public_proposal_counts([dialogue_id])[dialogue_id],
        confirmed_places=confirmed_count(loaded),
    )


# Built once: making the loader options costs more than running the cached SQL.
@functools.cache
def _full_dialogue_query() -> Select[Any]:
    focus = selectinload(Dialogue.focus_links).joinedload(DialogueGoal.goal)
    query = select(Dialogue).where(Dialogue.slug == bindparam("slug"))
    return _with_page_relations(query, focus).options(selectinload(Dialogue.facilitators))


@functools.cache
def _public_dialogue_query() -> Select[Any]:
    focus = selectinload(Dialogue.focus_links).joinedload(DialogueGoal.goal)
    query = select(Dialogue).where(Dialogue.slug == bindparam("slug"))
    # Not noload() of their roles: a facilitator may be the reader, whose roles then count.
    facilitators = selectinload(Dialogue.facilitators).load_only(User.id)
    return _with_page_relations(query, focus).options(facilitators)


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Dialogue.id).where(Dialogue.slug == slug)) is not None


# What a goal's page shows of the dialogues that asked about it.
FOR_GOAL_COLUMNS = ("slug", "title_sv", "title_en", "format", "starts_at", "status")


def dialogues_for_goal(goal_id: int) -> tuple[Dialogue, ...]:
    """Return the dialogues that asked about the goal (their focus goals), newest first,
    frozen with their headcounts: the columns the goal's page shows, no long texts.

    The same for every reader: kept in process memory until the next change
    (``dialog.core.cache.reference_data``).
    """
    return reference_data(("goal-dialogues", goal_id), lambda: _read_dialogues_for_goal(goal_id))


def _read_dialogues_for_goal(goal_id: int) -> tuple[Dialogue, ...]:
    query = (
        select(Dialogue)
        .join(DialogueGoal, DialogueGoal.dialogue_id == Dialogue.id)
        .where(DialogueGoal.goal_id == goal_id)
        .options(
            load_only(*(getattr(Dialogue, name) for name in FOR_GOAL_COLUMNS)),
            selectinload(Dialogue.headcounts),
        )
        .order_by(Dialogue.starts_at.desc().nulls_first(), Dialogue.id.desc())
    )
    return tuple(freeze(dialogue, {"headcounts": {}}) for dialogue in db.session.scalars(query))


@dataclass(frozen=True, slots=True)
class ManagedDialogue:
    """A dialogue as the facilitators' list shows it, with its places and its facilitators."""

    id: int
    slug: str
    title_sv: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    registration_enabled: bool
    confirmed: int
    waiting: int
    facilitators: tuple[str, ...]


def _registrations_with(status: RegistrationStatus) -> Any:
    return (
        select(func.count())
        .where(Registration.dialogue_id == Dialogue.id, Registration.status == status.value)
        .scalar_subquery()
    )


# Built once, as the session's user query is: making the statement cost more than running it.
@functools.cache
def _managed_dialogues_query(everything: bool) -> Select[Any]:
    runs = dialogue_facilitators.c
    query = (
        select(
            Dialogue.id,
            Dialogue.slug,
            Dialogue.title_sv,
            Dialogue.status,
            Dialogue.starts_at,
            Dialogue.ends_at,
            Dialogue.registration_enabled,
            _registrations_with(RegistrationStatus.CONFIRMED),
            _registrations_with(RegistrationStatus.WAITING),
            User.display_name,
        )
        # A line per facilitator (or one for a dialogue without any), grouped again below.
        .outerjoin(dialogue_facilitators, runs.dialogue_id == Dialogue.id)
        .outerjoin(User, User.id == runs.user_id)
        .order_by(Dialogue.starts_at.desc().nulls_first(), Dialogue.id.desc(), User.display_name)
    )
    if everything:
        return query
    run_by = dialogue_facilitators.alias("run_by").c
    return query.where(
        select(run_by.dialogue_id)
        .where(run_by.dialogue_id == Dialogue.id, run_by.user_id == bindparam("user_id"))
        .exists()
    )


def managed_dialogues(user_id: int | None) -> list[ManagedDialogue]:
    """Return the dialogues the user with this id runs (every dialogue for None), the latest
    first: the columns the list shows, the places counted and the facilitators' names (one
    query, whatever the number of dialogues, facilitators and registrations)."""
    query = _managed_dialogues_query(everything=user_id is None)
    dialogues = []
    for _, group in groupby(db.session.execute(query, {"user_id": user_id}), key=itemgetter(0)):
        lines = list(group)
        id_, slug, title, status, starts, ends, registration, confirmed, waiting, _ = lines[0]
        names = tuple(line[-1] for line in lines if line[-1] is not None)
        dialogues.append(
            ManagedDialogue(
                id_, slug, title, status, starts, ends, registration, confirmed, waiting, names
            )
        )
    return dialogues


def facilitator_candidates() -> list[User]:
    """Return the active users who may be responsible for a dialogue (facilitators)."""
    query = (
        select(User)
        .join(UserRole)
        .where(UserRole.role == Role.FACILITATOR.value, User.active.is_(True))
        .order_by(User.display_name, User.id)
    )
    return list(db.session.scalars(query).unique())


def frameworks_with_goals(keep: int | None = None) -> list[Framework]:
    """Return the frameworks a dialogue may feed, with their goals (for the planning form),
    newest first: those out of draft, and the framework with the id keep (the one a dialogue
    already feeds).
    """
    public = Framework.status.in_([str(status) for status in PUBLIC_STATUSES])
    query = (
        select(Framework)
        .options(selectinload(Framework.goals))
        .where(public | (Framework.id == keep) if keep is not None else public)
        .order_by(Framework.period_start.desc(), Framework.title_sv)
    )
    return list(db.session.scalars(query))


# Registrations -----------------------------------------------------------------------


def registration_counts(dialogue_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Return, per dialogue, how many have a place and how many wait (one query)."""
    ids = list(dialogue_ids)
    counts: dict[int, dict[str, int]] = {
        dialogue_id: {RegistrationStatus.CONFIRMED: 0, RegistrationStatus.WAITING: 0}
        for dialogue_id in ids
    }
    if not ids:
        return counts
    query = (
        select(Registration.dialogue_id, Registration.status, func.count())
        .where(
            Registration.dialogue_id.in_(ids),
            Registration.status != RegistrationStatus.CANCELLED.value,
        )
        .group_by(Registration.dialogue_id, Registration.status)
    )
    for dialogue_id, status, number in db.session.execute(query):
        counts[dialogue_id][status] = number
    return counts


def confirmed_count(dialogue: Dialogue) -> int:
    return registration_counts([dialogue.id])[dialogue.id][RegistrationStatus.CONFIRMED]


def registrations_of(dialogue: Dialogue) -> list[Registration]:
    """Return the dialogue's registrations: places first, then the waiting list in order."""
    order = (Registration.status != RegistrationStatus.CONFIRMED.value, Registration.id)
    query = select(Registration).where(Registration.dialogue_id == dialogue.id).order_by(*order)
    return list(db.session.scalars(query))


def active_registration(dialogue: Dialogue, email: str) -> Registration | None:
    """Return the email's place or waiting-list entry for the dialogue, if any."""
    query = select(Registration).where(
        Registration.dialogue_id == dialogue.id,
        func.lower(Registration.email) == email.strip().lower(),
        Registration.status != RegistrationStatus.CANCELLED.value,
    )
    return db.session.scalar(query)


def first_waiting(dialogue: Dialogue) -> Registration | None:
    """Return the registration that has waited longest."""
    query = (
        select(Registration)
        .where(
            Registration.dialogue_id == dialogue.id,
            Registration.status == RegistrationStatus.WAITING.value,
        )
        .order_by(Registration.created_at, Registration.id)
        .limit(1)
    )
    return db.session.scalar(query)


def waiting_position(registration: Registration) -> int:
    """Return the registration's place in the waiting list, counting from 1."""
    query = select(func.count()).where(
        Registration.dialogue_id == registration.dialogue_id,
        Registration.status == RegistrationStatus.WAITING.value,
        Registration.id <= registration.id,
    )
    return db.session.scalar(query) or 0


def registration_by_token(token: str) -> Registration | None:
    """Return the registration a cancel link names."""
    query = (
        select(Registration)
        .options(joinedload(Registration.dialogue))
        .where(Registration.cancel_token_hash == token_hash(token))
    )
    return db.session.scalar(query)


def registrant_recipients(dialogue: Dialogue) -> list[tuple[str, str]]:
    """Return (email, language) of everyone signed up and not cancelled."""
    query = (
        select(Registration.email, Registration.locale)
        .where(
            Registration.dialogue_id == dialogue.id,
            Registration.status != RegistrationStatus.CANCELLED.value,
        )
        .order_by(Registration.id)
    )
    return [(email, locale) for email, locale in db.session.execute(query)]


def lock_dialogue(dialogue: Dialogue) -> None:
    """Take the dialogue's row lock for the rest of the transaction (PostgreSQL).

    Sign-ups and cancellations count places and then write; the lock makes two of them
    for the same dialogue wait for each other. SQLite already lets one writer in at a time.
    """
    db.session.execute(
        select(Dialogue.id).where(Dialogue.id == dialogue.id).with_for_update()
    ).all()
