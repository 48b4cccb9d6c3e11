"""Reads for public records and personal data: what is stored about a user, the rows of the
exports, and what retention finds due."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from dialog.accounts.models import STAFF_ROLES, User
from dialog.contributions.models import Contribution, GoalLink, Support
from dialog.core.models import AuditEvent, OutboxMessage
from dialog.dialogues.models import Dialogue, Registration
from dialog.extensions import db
from dialog.moderation.models import Flag

# Rows fetched from the database at a time by an export: its memory does not grow with the rows.
EXPORT_BATCH = 500


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def sent_by(user: User) -> ColumnElement[bool]:
    """The inputs a user sent: with their account, or with their account's address."""
    return or_(
        Contribution.author_id == user.id,
        func.lower(Contribution.author_email) == user.email.lower(),
    )


def _contribution(contribution: Contribution) -> dict[str, Any]:
    dialogue = contribution.dialogue
    return {
        "id": contribution.id,
        "reference": contribution.reference,
        "kind": contribution.kind,
        "status": contribution.status,
        "dialogue": dialogue.slug if dialogue is not None else None,
        "dialogue_title": dialogue.title_sv if dialogue is not None else None,
        "page": contribution.page_path,
        "on_input": contribution.parent_id,
        "title": contribution.title,
        "text": contribution.body_text,
        "language": contribution.language,
        "name": contribution.author_name,
        "email": contribution.author_email,
        "sent_with_account": contribution.author_id is not None,
        "created_at": _iso(contribution.created_at),
        "published_at": _iso(contribution.published_at),
        "withdrawn_at": _iso(contribution.withdrawn_at),
        "moderation_note": contribution.moderation_note,
        "answer": contribution.answer_text,
        "goals": [
            {"code": link.goal.code, "goal": link.goal.title_sv, "relation": link.relation}
            for link in contribution.goal_links
        ],
    }


def _contributions(user: User) -> list[Contribution]:
    query = (
        select(Contribution)
        .options(
            selectinload(Contribution.dialogue),
            selectinload(Contribution.goal_links).selectinload(GoalLink.goal),
        )
        .where(sent_by(user))
        .order_by(Contribution.id)
    )
    return list(db.session.scalars(query))


def _supports(user: User) -> list[dict[str, Any]]:
    query = (
        select(Contribution.id, Contribution.reference, Contribution.title, Support.created_at)
        .join(Support, Support.contribution_id == Contribution.id)
        .where(Support.user_id == user.id)
        .order_by(Support.id)
    )
    return [
        {"input": id_, "reference": reference, "title": title, "created_at": _iso(at)}
        for id_, reference, title, at in db.session.execute(query)
    ]


def _reports(user: User) -> list[dict[str, Any]]:
    query = (
        select(Flag, Contribution.reference)
        .join(Contribution, Contribution.id == Flag.contribution_id)
        .where(Flag.reporter_id == user.id)
        .order_by(Flag.id)
    )
    return [
        {
            "input": flag.contribution_id,
            "reference": reference,
            "reason": flag.reason,
            "note": flag.note,
            "created_at": _iso(flag.created_at),
            "resolved_at": _iso(flag.resolved_at),
        }
        for flag, reference in db.session.execute(query)
    ]


def registrations_of(email: str) -> Select[Registration]:
    """The sign-ups made with an email address (sign-ups need no account)."""
    return select(Registration).where(func.lower(Registration.email) == email.lower())


def _registrations(user: User) -> list[dict[str, Any]]:
    query = registrations_of(user.email).options(selectinload(Registration.dialogue))
    return [
        {
            "dialogue": registration.dialogue.slug,
            "dialogue_title": registration.dialogue.title_sv,
            "starts_at": _iso(registration.dialogue.starts_at),
            "name": registration.name,
            "email": registration.email,
            "needs": registration.needs,
            "status": registration.status,
            "created_at": _iso(registration.created_at),
            "cancelled_at": _iso(registration.cancelled_at),
        }
        for registration in db.session.scalars(query.order_by(Registration.id))
    ]


def _audit_events(user: User, own_inputs: set[int]) -> list[dict[str, Any]]:
    """Events where the user acted, or whose subject is the user or one of their inputs.

    What an event says about something else (another person's input an editor acted on)
    is left out: only when, what and the subject's kind and id.
    """
    about_user = and_(AuditEvent.subject_type == "user", AuditEvent.subject_id == user.id)
    about_inputs = and_(
        AuditEvent.subject_type == "contribution", AuditEvent.subject_id.in_(own_inputs)
    )
    query = (
        select(AuditEvent)
        .where(or_(AuditEvent.actor_id == user.id, about_user, about_inputs))
        .order_by(AuditEvent.id)
    )
    events = []
    for event in db.session.scalars(query):
        own = (event.subject_type == "user" and event.subject_id == user.id) or (
            event.subject_type == "contribution" and event.subject_id in own_inputs
        )
        events.append(
            {
                "created_at": _iso(event.created_at),
                "action": event.action,
                "by_you": event.actor_id == user.id,
                "subject": f"{event.subject_type}:{event.subject_id}",
                "details": event.details if own else None,
            }
        )
    return events


def acted_for_the_municipality(user: User) -> bool:
    """Whether the user holds a staff role, or ever was given one (the grants are audited)."""
    if user.role_names & STAFF_ROLES:
        return True
    grants = db.session.scalars(
        select(AuditEvent.details).where(
            AuditEvent.action == "role_granted",
            AuditEvent.subject_type == "user",
            AuditEvent.subject_id == user.id,
        )
    )
    return any(details.get("role") in STAFF_ROLES for details in grants)


def mails_to(email: str) -> Select[OutboxMessage]:
    return select(OutboxMessage).where(func.lower(OutboxMessage.recipient) == email.lower())


def _mails(user: User) -> list[dict[str, Any]]:
    return [
        {
            "created_at": _iso(message.created_at),
            "to": message.recipient,
            "subject": message.subject,
            "text": message.body,
            "status": message.status.value,
            "sent_at": _iso(message.sent_at),
        }
        for message in db.session.scalars(mails_to(user.email).order_by(OutboxMessage.id))
    ]


def personal_data(user: User, now: datetime) -> dict[str, Any]:
    """Everything stored about the user, as JSON-ready data (no password hash, no secrets)."""
    contributions = _contributions(user)
    return {
        "exported_at": now.isoformat(),
        "account": {
            "id": user.id,
            "email": user.email,
            "name": user.display_name,
            "language": user.locale,
            "active": user.active,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
            "two_factor_login": user.mfa_enrolled,
            "roles": [
                {"role": link.role, "granted_at": _iso(link.granted_at)} for link in user.roles
            ],
        },
        "inputs": [_contribution(contribution) for contribution in contributions],
        "supports": _supports(user),
        "reports": _reports(user),
        "registrations": _registrations(user),
        "audit_events": _audit_events(user, {c.id for c in contributions}),
        "mails": _mails(user),
    }


# Exports ---------------------------------------------------------------------------------


def _in_period(column: Any, since: datetime | None, before: datetime | None) -> list[Any]:
    conditions = []
    if since is not None:
        conditions.append(column >= since)
    if before is not None:
        conditions.append(column < before)
    return conditions


def _streamed(query: Any) -> Iterator[Any]:
    """The query's rows, fetched EXPORT_BATCH at a time (plain rows: nothing is kept)."""
    yield from db.session.execute(query.execution_options(yield_per=EXPORT_BATCH))


def registry_rows(
    since: datetime | None, before: datetime | None, dialogue_id: int | None
) -> Iterator[Any]:
    """Every input received in the period (to the dialogue, when one is given), oldest first:
    reference, received, kind, dialogue, status, title and text."""
    query = (
        select(
            Contribution.reference,
            Contribution.created_at,
            Contribution.kind,
            Dialogue.title_sv,
            Contribution.status,
            Contribution.title,
            Contribution.body_text,
        )
        .outerjoin(Dialogue, Dialogue.id == Contribution.dialogue_id)
        .where(*_in_period(Contribution.created_at, since, before))
        .order_by(Contribution.created_at, Contribution.id)
    )
    if dialogue_id is not None:
        query = query.where(Contribution.dialogue_id == dialogue_id)
    return _streamed(query)


def audit_rows(since: datetime | None, before: datetime | None) -> Iterator[Any]:
    """Every audit event of the period, oldest first, with its actor's name when there is one."""
    actor = aliased(User)
    query = (
        select(
            AuditEvent.created_at,
            AuditEvent.actor_id,
            actor.display_name,
            AuditEvent.action,
            AuditEvent.subject_type,
            AuditEvent.subject_id,
            AuditEvent.details,
        )
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(*_in_period(AuditEvent.created_at, since, before))
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
    return _streamed(query)


def dialogue_choices() -> list[tuple[int, str]]:
    """Every dialogue's id and Swedish title, newest first, for the export's filter."""
    query = select(Dialogue.id, Dialogue.title_sv).order_by(Dialogue.id.desc())
    return [(id_, title) for id_, title in db.session.execute(query)]
