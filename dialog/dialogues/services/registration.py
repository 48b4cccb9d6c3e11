"""Registration for events, with a capacity and a waiting list that moves up."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale

from dialog.core import audit
from dialog.core.i18n import _, localized
from dialog.core.mail import queue_mail
from dialog.core.models import utcnow
from dialog.core.sanitize import optional_text
from dialog.core.times import format_period
from dialog.dialogues import queries
from dialog.dialogues.models import (
    Dialogue,
    Registration,
    RegistrationStatus,
)
from dialog.dialogues.services.common import (
    DialogueError,
    registration_open,
)
from dialog.extensions import db

# Registration --------------------------------------------------------------------------


@dataclass(frozen=True)
class MailLinks:
    """How to build the absolute links that emails carry (the views know the URLs)."""

    dialogue_url: Callable[[Dialogue], str]
    cancel_url: Callable[[str], str]
    calendar_url: Callable[[Dialogue], str]


def _place(dialogue: Dialogue) -> str:
    return ", ".join(part for part in (dialogue.place_name, dialogue.address) if part)


def _registration_mail(
    registration: Registration, token: str, links: MailLinks, promoted: bool = False
) -> None:
    dialogue = registration.dialogue
    with force_locale(registration.locale):
        title = localized(dialogue, "title") or dialogue.title_sv
        details = _(
            "When: {time}\nWhere: {place}\nAbout the dialogue: {link}\n"
            "Add it to your calendar: {calendar}"
        ).format(
            time=format_period(dialogue.starts_at, dialogue.ends_at, weekday=True),
            place=_place(dialogue) or "–",
            link=links.dialogue_url(dialogue),
            calendar=links.calendar_url(dialogue),
        )
        cancel = _(
            "If you cannot come, cancel with this link so someone on the waiting list "
            "gets your place:\n{link}"
        ).format(link=links.cancel_url(token))
        if promoted:
            subject = _("A place has opened up for you: {title}").format(title=title)
            intro = _(
                "Hello {name},\n\nSomeone has cancelled, and you now have a place at “{title}”."
            ).format(name=registration.name, title=title)
        elif registration.status == RegistrationStatus.CONFIRMED:
            subject = _("You have a place: {title}").format(title=title)
            intro = _("Hello {name},\n\nWelcome! You have a place at “{title}”.").format(
                name=registration.name, title=title
            )
        else:
            subject = _("You are on the waiting list: {title}").format(title=title)
            intro = _(
                "Hello {name},\n\n“{title}” is full, so you are number {position} on the "
                "waiting list. If someone cancels, you move up and we email you."
            ).format(
                name=registration.name,
                title=title,
                position=queries.waiting_position(registration),
            )
        queue_mail(registration.email, subject, f"{intro}\n\n{details}\n\n{cancel}\n")


def _new_token(registration: Registration) -> str:
    token = secrets.token_urlsafe(32)
    registration.cancel_token_hash = queries.token_hash(token)
    return token


def register(
    dialogue: Dialogue,
    name: str,
    email: str,
    needs: str | None,
    locale: str,
    links: MailLinks | None,
) -> Registration:
    """Sign someone up: a place while there is one, else the waiting list; email them.

    Signing up again with the same address sends a fresh confirmation (the earlier
    cancel link stops working) instead of taking a second place. Without links no email
    is sent (the demo's made-up registrants get none).
    """
    if not registration_open(dialogue):
        raise DialogueError(_("Registration for this dialogue is closed."))
    name, email = name.strip(), email.strip()
    if not name or not email:
        raise DialogueError(_("Give your name and email address."))
    queries.lock_dialogue(dialogue)
    registration = queries.active_registration(dialogue, email)
    if registration is None:
        has_room = (
            dialogue.capacity is None or queries.confirmed_count(dialogue) < dialogue.capacity
        )
        registration = Registration(
            dialogue=dialogue,
            dialogue_id=dialogue.id,
            name=name,
            email=email,
            needs=optional_text(needs),
            locale=locale,
            status=(RegistrationStatus.CONFIRMED if has_room else RegistrationStatus.WAITING).value,
            created_at=utcnow(),
        )
        db.session.add(registration)
        token = _new_token(registration)
        db.session.flush()
        audit.log_event(
            "dialogue_registration", dialogue_id=dialogue.id, status=registration.status
        )
    else:
        token = _new_token(registration)
        db.session.flush()
    if links is not None:
        _registration_mail(registration, token, links)
    return registration


def fill_places(dialogue: Dialogue, links: MailLinks) -> list[Registration]:
    """Give free places to the waiting list, longest waiting first, and email them."""
    promoted: list[Registration] = []
    if not dialogue.registration_enabled:
        return promoted
    confirmed = queries.confirmed_count(dialogue)
    while dialogue.capacity is None or confirmed < dialogue.capacity:
        waiting = queries.first_waiting(dialogue)
        if waiting is None:
            break
        waiting.status = RegistrationStatus.CONFIRMED.value
        waiting.promoted_at = utcnow()
        token = _new_token(waiting)
        db.session.flush()
        _registration_mail(waiting, token, links, promoted=True)
        promoted.append(waiting)
        confirmed += 1
    return promoted


def cancel_registration(registration: Registration, links: MailLinks) -> list[Registration]:
    """Cancel a sign-up by its link; a freed place goes to the waiting list.

    Returns the registrations that moved up.
    """
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    dialogue = registration.dialogue
    queries.lock_dialogue(dialogue)
    registration.status = RegistrationStatus.CANCELLED.value
    registration.cancelled_at = utcnow()
    db.session.flush()
    audit.log_event("dialogue_registration_cancelled", dialogue_id=dialogue.id)
    if dialogue.starts_at is not None and dialogue.starts_at <= utcnow():
        return []  # the event has begun: nobody can move up any more
    return fill_places(dialogue, links)
