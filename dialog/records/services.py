"""Closing an account and retention (gallring): the personal data around public records goes,
the records stay.

An input is a public record: it is never deleted. Closing an account removes the account,
its login and its supports, and takes the name and address off the inputs it sent; retention
removes, after the configured periods, the names and addresses on inputs, sign-ups for events
that are over, resident accounts never used, and old mails and login records. Both write to
the audit trail what they removed (counts and kinds, never the data). Services flush and
never commit.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Select,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)

from dialog.accounts.models import (
    STAFF_ROLES,
    PasswordResetToken,
    RecoveryCode,
    User,
    UserRole,
)
from dialog.accounts.services import authenticate
from dialog.contributions.models import Contribution, ContributionKind, Support
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.models import AuditEvent, OutboxMessage
from dialog.core.rules import RuleError
from dialog.dialogues.models import Dialogue, FeedbackReport, Registration, RegistrationStatus
from dialog.extensions import db
from dialog.records.queries import (
    acted_for_the_municipality,
    mails_to,
    registrations_of,
    sent_by,
)


class RecordsError(RuleError):
    """A rule of closing an account was broken; the message is translated."""


def email_digest(email: str) -> str:
    """A keyed digest of an address: the audit trail can later confirm an address it was
    given, without keeping the address itself."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


# Closing an account ------------------------------------------------------------------------


def _event_over(now: datetime) -> ColumnElement[bool]:
    """The dialogue's event is over (or it never had a start): its sign-ups are not needed."""
    return or_(
        Dialogue.starts_at.is_(None), func.coalesce(Dialogue.ends_at, Dialogue.starts_at) < now
    )


def _changed(statement: Any) -> int:
    """Run an UPDATE or a DELETE; return how many rows it changed."""
    result: CursorResult[Any] = db.session.execute(statement)  # type: ignore[assignment]
    return result.rowcount


def _count(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def recount_supports(proposal_ids: list[int]) -> None:
    """Set each proposal's support count to its rows in ``supports``, in SQL.

    The proposals' rows are locked first, in order, and counted in a later statement (as
    comments are recounted): a support sent meanwhile is counted, never lost.
    """
    if not proposal_ids:
        return
    db.session.execute(
        select(Contribution.id)
        .where(Contribution.id.in_(proposal_ids))
        .order_by(Contribution.id)
        .with_for_update()
    ).all()
    counted = (
        select(func.count())
        .select_from(Support)
        .where(Support.contribution_id == Contribution.id)
        .scalar_subquery()
    )
    _changed(
        update(Contribution)
        .where(Contribution.id.in_(proposal_ids))
        .values(support_count=counted)
        .execution_options(synchronize_session="fetch")
    )


def remove_account(user: User, now: datetime) -> dict[str, int]:
    """Remove an account and the personal data tied to it; the inputs stay, without a name.

    - the inputs sent with the account or its address keep their text, status, reference and
      goal links, and lose the account, the name and the address (shown as from a resident);
    - its supports are removed and the proposals' counts recounted;
    - sign-ups made with its address for events that are over (or cancelled) are removed;
      sign-ups for coming events stay, so the place is kept and can still be cancelled by the
      link in their mail, and go with the sign-ups' retention after the event;
    - mails to the address, sent or not yet sent, are removed (nothing more is sent to it);
    - the audit trail keeps every event; the user's own events lose the link to the account.

    Returns what was removed, by kind (for the audit trail). Flushes, never commits.
    """
    db.session.flush()
    inputs = _changed(
        update(Contribution)
        .where(sent_by(user))
        .values(author_id=None, author_name=None, author_email=None)
        .execution_options(synchronize_session="fetch")
    )
    supported = list(
        db.session.scalars(select(Support.contribution_id).where(Support.user_id == user.id))
    )
    _changed(delete(Support).where(Support.user_id == user.id))
    recount_supports(supported)
    finished = (
        registrations_of(user.email)
        .join(Dialogue, Dialogue.id == Registration.dialogue_id)
        .where(or_(_event_over(now), Registration.status == RegistrationStatus.CANCELLED.value))
        .with_only_columns(Registration.id)
    )
    registrations = _changed(
        delete(Registration)
        .where(Registration.id.in_(finished))
        .execution_options(synchronize_session="fetch")
    )
    mails = _changed(
        delete(OutboxMessage)
        .where(OutboxMessage.id.in_(mails_to(user.email).with_only_columns(OutboxMessage.id)))
        .execution_options(synchronize_session="fetch")
    )
    db.session.delete(user)
    db.session.flush()
    return {
        "inputs_made_anonymous": inputs,
        "supports_removed": len(supported),
        "registrations_removed": registrations,
        "mails_removed": mails,
    }


def closing_refusal(user: User) -> str | None:
    """Why the user may not close their account themselves, or None when they may."""
    if acted_for_the_municipality(user):
        return _(
            "This account has worked for the municipality, so it is not closed here: an"
            " administrator deactivates it, and what you decided keeps your name in the audit"
            " trail."
        )
    return None


def close_account(user: User, password: str, now: datetime) -> dict[str, int]:
    """Close the user's own account after checking their password; see remove_account.

    An account that holds or held a staff role is not closed this way: an administrator
    deactivates it, so every decision in the audit trail keeps who made it. The audit trail
    gets the closing, with a digest of the address, never the address.
    """
    refusal = closing_refusal(user)
    if refusal is not None:
        raise RecordsError(refusal)
    if authenticate(user.email, password) is not user:
        raise RecordsError(_("The password is wrong."), "password")
    roles = sorted(user.role_names)
    digest = email_digest(user.email)
    user_id = user.id
    removed = remove_account(user, now)
    record_about("account_closed", "user", user_id, email_digest=digest, roles=roles, **removed)
    return removed


def record_about(action: str, subject_type: str, subject_id: int | None, **details: Any) -> None:
    """An audit event about something that is gone, or no row at all (a retention run)."""
    db.session.add(
        AuditEvent(action=action, subject_type=subject_type, subject_id=subject_id, details=details)
    )
    db.session.flush()
    audit.log_event(action, subject=f"{subject_type}:{subject_id}", **details)


# Retention -------------------------------------------------------------------------------


class RetentionError(ValueError):
    """Retention cannot run as configured (no decision to cite)."""


@dataclass
class Removal:
    """One kind of personal data retention removes: how many are due, and under which rule."""

    kind: str
    days: int
    decision: str
    count: int = 0


@dataclass
class RetentionRun:
    removals: list[Removal] = field(default_factory=list)
    dry_run: bool = True

    @property
    def total(self) -> int:
        return sum(removal.count for removal in self.removals)


def _contact_due(cutoff: datetime) -> ColumnElement[bool]:
    """Inputs with a name or an address whose dialogue was reported back before the cutoff,
    and page comments handled before it."""
    reported = exists().where(
        FeedbackReport.dialogue_id == Contribution.dialogue_id,
        FeedbackReport.published_at < cutoff,
    )
    handled = and_(
        Contribution.kind == ContributionKind.PAGE_COMMENT.value,
        func.coalesce(Contribution.answered_at, Contribution.handled_at) < cutoff,
    )
    return and_(
        or_(Contribution.author_name.is_not(None), Contribution.author_email.is_not(None)),
        or_(reported, handled),
    )


def _contact(cutoff: datetime, now: datetime, apply: bool) -> int:
    due = _contact_due(cutoff)
    if not apply:
        return _count(select(Contribution.id).where(due))
    return _changed(
        update(Contribution)
        .where(due)
        .values(author_name=None, author_email=None)
        .execution_options(synchronize_session="fetch")
    )


def _registrations_due(cutoff: datetime) -> Select[Any]:
    return (
        select(Registration.id)
        .join(Dialogue, Dialogue.id == Registration.dialogue_id)
        .where(func.coalesce(Dialogue.ends_at, Dialogue.starts_at) < cutoff)
    )


def _registrations(cutoff: datetime, now: datetime, apply: bool) -> int:
    due = _registrations_due(cutoff)
    if not apply:
        return _count(due)
    return _changed(
        delete(Registration)
        .where(Registration.id.in_(due))
        .execution_options(synchronize_session="fetch")
    )


def _unconfirmed_accounts_due(cutoff: datetime) -> Select[User]:
    """Resident accounts never logged into, made before the cutoff (staff are never removed)."""
    staff = exists().where(
        UserRole.user_id == User.id, UserRole.role.in_([role.value for role in STAFF_ROLES])
    )
    return select(User).where(User.last_login_at.is_(None), User.created_at < cutoff, ~staff)


def _unconfirmed_accounts(cutoff: datetime, now: datetime, apply: bool) -> int:
    due = _unconfirmed_accounts_due(cutoff)
    if not apply:
        return _count(due)
    users = list(db.session.scalars(due))
    for user in users:
        remove_account(user, now)
    return len(users)


def _logs_due(cutoff: datetime) -> list[tuple[Any, ColumnElement[bool]]]:
    return [
        (
            OutboxMessage,
            or_(OutboxMessage.sent_at < cutoff, OutboxMessage.failed_at < cutoff),
        ),
        (PasswordResetToken, PasswordResetToken.expires_at < cutoff),
        (RecoveryCode, RecoveryCode.used_at < cutoff),
    ]


def _logs(cutoff: datetime, now: datetime, apply: bool) -> int:
    removed = 0
    for model, due in _logs_due(cutoff):
        if apply:
            statement = delete(model).where(due).execution_options(synchronize_session="fetch")
            removed += _changed(statement)
        else:
            removed += _count(select(model.id).where(due))
    return removed


RETENTION_KINDS = {
    "contact": _contact,
    "registration": _registrations,
    "unconfirmed_account": _unconfirmed_accounts,
    "log": _logs,
}


def run_retention(now: datetime, dry_run: bool) -> RetentionRun:
    """Remove the personal data that is due (or only count it, on a dry run).

    Each kind's period and decision come from the RETENTION setting. A real run writes one
    audit event with what it removed per kind, and the decisions it followed.
    """
    settings: dict[str, dict[str, Any]] = current_app.config["RETENTION"]
    missing = [kind for kind in RETENTION_KINDS if not settings[kind]["decision"]]
    if missing and not dry_run:
        # For the operator at the command line (in English, as every command speaks).
        names = ", ".join(f"DIALOG_RETENTION_{kind.upper()}_DECISION" for kind in missing)
        raise RetentionError(
            f"No retention decision to cite: set DIALOG_RETENTION_DECISION (or {names})."
        )
    run = RetentionRun(dry_run=dry_run)
    for kind, remove in RETENTION_KINDS.items():
        rule = settings[kind]
        cutoff = now - timedelta(days=rule["days"])
        count = remove(cutoff, now, not dry_run)
        run.removals.append(Removal(kind, rule["days"], rule["decision"], count))
    db.session.flush()
    if not dry_run:
        record_about(
            "retention_run",
            "retention",
            None,
            removed={removal.kind: removal.count for removal in run.removals},
            rules={
                removal.kind: {"days": removal.days, "decision": removal.decision}
                for removal in run.removals
            },
        )
    return run
