"""What every input a resident sends shares, whatever its kind (proposals now, comments
next): the spam trap and the limits, the one-time submission token that makes a second
send find the first input, the secret receipt link, the reference number, the moderation
mode that decides the status, and the receipt mail.

The view asks ``refused_by_limits`` first. A kind's service checks its own fields and
then calls, in this order: ``refuse_spam``, ``already_sent`` (a second send returns the
first input), and ``store`` (which numbers, stamps and adds the input, and counts the send
against the limits).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_wtf import FlaskForm
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from dialog.accounts.models import User
from dialog.contributions import queries
from dialog.contributions.models import (
    MAX_AUTHOR_NAME_LENGTH,
    Contribution,
    ContributionStatus,
    Dialogue,
    ReferenceCounter,
)
from dialog.contributions.services.common import ContributionError
from dialog.core import audit
from dialog.core.database import after_commit
from dialog.core.i18n import _, _l, localized
from dialog.core.mail import queue_mail
from dialog.core.models import MAX_EMAIL_LENGTH, utcnow
from dialog.core.personal_data import Finding, as_json, finding_kinds
from dialog.core.throttle import Throttle
from dialog.extensions import db

# A client address and an account may send this many inputs (of any kind) in these times,
# unless the settings SUBMISSION_LIMITS_PER_ADDRESS and _PER_ACCOUNT say otherwise.
# Generous per address: a library or a school shares one address among many people.
LIMITS_PER_ADDRESS = "10/minute;60/hour"
LIMITS_PER_ACCOUNT = "5/minute;30/hour"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


class SubmissionError(ContributionError):
    """The input was refused as a whole (spam trap, limits, a broken form); the text stays."""


@dataclass(frozen=True)
class Sender:
    """Who sends: their account (or none), their client address and language.

    address is None for commands (the demo), which no limit applies to.
    """

    user: User | None
    address: str | None
    language: str = "sv"


@dataclass(frozen=True)
class Submitted:
    """A stored input, the secret of its receipt link, and whether it was stored before."""

    contribution: Contribution
    receipt_token: str
    duplicate: bool = False


def new_submission_token() -> str:
    """A fresh one-time submission token for a form (256 bits)."""
    return secrets.token_urlsafe(32)


def valid_submission_token(token: str | None) -> bool:
    """Tell whether the token has the shape new_submission_token gives."""
    return bool(token) and _TOKEN.match(token or "") is not None


def receipt_token_for(submission_token: str) -> str:
    """The receipt link's secret (256 bits), derived from the submission token and the key.

    Derived, not random, so that a second send of the same form lands on the same receipt:
    only its hash is stored, so it could not be looked up again.
    """
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"receipt\0" + submission_token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# The checks, in order ------------------------------------------------------------------


def refuse_spam(honeypot: str | None) -> None:
    """Refuse a send whose hidden trap field was filled in (people never see it)."""
    if honeypot and honeypot.strip():
        raise SubmissionError(
            _(
                "Your input was not sent: a field meant to stay empty was filled in, as spam "
                "programs do. Your text is still here; empty that field and send again."
            )
        )


def already_sent(submission_token: str) -> Submitted | None:
    """The input this form already stored, when it is sent a second time."""
    found = queries.contribution_by_submission(queries.token_hash(submission_token))
    if found is None:
        return None
    return Submitted(found, receipt_token_for(submission_token), duplicate=True)


_TOO_MANY = _l(
    "You have sent many inputs in a short time, so this one was not sent. Your text is "
    "still here: wait a few minutes and send it again."
)
ADDRESS_LIMITS = Throttle(
    "submit-address", LIMITS_PER_ADDRESS, _TOO_MANY, setting="SUBMISSION_LIMITS_PER_ADDRESS"
)
ACCOUNT_LIMITS = Throttle(
    "submit-account", LIMITS_PER_ACCOUNT, _TOO_MANY, setting="SUBMISSION_LIMITS_PER_ACCOUNT"
)


def _throttles(sender: Sender) -> list[tuple[Throttle, str]]:
    if sender.address is None:
        return []
    throttles = [(ADDRESS_LIMITS, sender.address)]
    if sender.user is not None:
        throttles.append((ACCOUNT_LIMITS, str(sender.user.id)))
    return throttles


def refused_by_limits(form: FlaskForm, sender: Sender) -> bool:
    """Tell whether the client address or the account has sent too many inputs lately.

    If so the message is on the form; the view answers 429 with everything typed in it.
    """
    return any(throttle.refuses(form, key) for throttle, key in _throttles(sender))


def check_contact(name: str | None, email: str | None) -> None:
    """The optional display name and email fit their columns."""
    if name is not None and len(name) > MAX_AUTHOR_NAME_LENGTH:
        raise ContributionError(
            _("A name can be at most {limit} characters long.").format(
                limit=MAX_AUTHOR_NAME_LENGTH
            ),
            "name",
        )
    if email is not None and len(email) > MAX_EMAIL_LENGTH:
        raise ContributionError(_("The email address is too long."), "email")


# Storing --------------------------------------------------------------------------------


def local_year(moment: datetime) -> int:
    """The year in the municipality's time zone (a reference of New Year's Eve at 23:30)."""
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).year


def _lock_counter(year: int) -> None:
    """Make the year's counter row if it is missing, and lock it until the transaction ends.

    On PostgreSQL the row lock (SELECT … FOR UPDATE) makes concurrent senders wait here;
    SQLite lets one writer in at a time already (BEGIN IMMEDIATE).
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(ReferenceCounter).values(year=year, value=0).on_conflict_do_nothing())
    db.session.execute(
        select(ReferenceCounter.value).where(ReferenceCounter.year == year).with_for_update()
    ).all()


def _take_number(year: int) -> int:
    """The year's next number (the counter row is locked: see _lock_counter)."""
    db.session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(value=ReferenceCounter.value + 1)
    )
    number: int = db.session.scalars(
        select(ReferenceCounter.value).where(ReferenceCounter.year == year)
    ).one()
    return number


def format_reference(year: int, number: int) -> str:
    prefix = current_app.config.get("REFERENCE_PREFIX") or "DLG"
    return f"{prefix}-{year}-{number:05d}"


def _initial_status(dialogue: Dialogue, now: datetime) -> tuple[str, datetime | None]:
    if dialogue.publishes_at_once:
        return ContributionStatus.PUBLISHED.value, now
    return ContributionStatus.PENDING.value, None


def store(
    contribution: Contribution,
    dialogue: Dialogue,
    sender: Sender,
    submission_token: str,
    personal_data: list[Finding] | None = None,
    **details: Any,
) -> Submitted:
    """Number, stamp and add the input; count the send against the limits.

    An input sent anyway with personal data in it (``personal_data``, from
    ``check_personal_data``) waits for an editor whatever the dialogue's moderation mode,
    with the findings kept for the editor to see.
    The year's counter row stays locked until the transaction ends, so references have no
    gaps and no duplicates under concurrency; a second send of the same form that got past
    already_sent while the first was being stored finds the first here.
    """
    now = utcnow()
    year = local_year(now)
    _lock_counter(year)
    earlier = already_sent(submission_token)
    if earlier is not None:
        return earlier
    status, published_at = _initial_status(dialogue, now)
    if personal_data:
        status, published_at = ContributionStatus.PENDING.value, None
        contribution.personal_data_findings = as_json(personal_data)
        details["personal_data"] = finding_kinds(personal_data)
    receipt_token = receipt_token_for(submission_token)
    contribution.dialogue_id = dialogue.id
    contribution.author_id = audit.actor_id(sender.user)
    contribution.language = sender.language
    contribution.status = status
    contribution.created_at = contribution.updated_at = now
    contribution.published_at = published_at
    # Every input a resident sends waits for an editor, even one published at once.
    contribution.needs_review = True
    contribution.submission_token_hash = queries.token_hash(submission_token)
    contribution.receipt_token_hash = queries.token_hash(receipt_token)
    try:
        with db.session.begin_nested():
            contribution.reference = format_reference(year, _take_number(year))
            db.session.add(contribution)
            db.session.flush()
    except IntegrityError:
        # Only the submission token can clash: the counter is locked and hashes are unique.
        earlier = already_sent(submission_token)
        if earlier is None:
            raise
        return earlier
    # Counted once stored: a send the database refuses is not one the resident used up.
    for throttle, key in _throttles(sender):
        after_commit(partial(throttle.count, key))
    audit.record(
        "contribution_submitted",
        sender.user,
        contribution,
        kind=contribution.kind,
        reference=contribution.reference,
        status=status,
        **details,
    )
    return Submitted(contribution, receipt_token)


def send_receipt(
    submitted: Submitted,
    email: str | None,
    language: str,
    receipt_url: Callable[[str], str],
) -> None:
    """Mail the receipt link to the address given (none given: no mail)."""
    if not email:
        return
    contribution = submitted.contribution
    dialogue = contribution.dialogue
    with force_locale(language):
        title = (localized(dialogue, "title") or dialogue.title_sv) if dialogue else ""
        if contribution.status == ContributionStatus.PENDING:
            state = _("It is checked before it is published.")
        else:
            state = _("It is published.")
        subject = _("We have received your input {reference}").format(
            reference=contribution.reference
        )
        body = _(
            "Hello,\n\nThank you for your input to “{dialogue}”. Its reference number is "
            "{reference}. {state}\n\nFollow what becomes of it, or withdraw it, with this "
            "link. Keep it to yourself: anyone with the link can see and withdraw the input.\n"
            "{link}\n\nWhat you send to the municipality becomes a public record (allmän "
            "handling).\n"
        ).format(
            dialogue=title,
            reference=contribution.reference,
            state=state,
            link=receipt_url(submitted.receipt_token),
        )
    queue_mail(email, subject, body)
