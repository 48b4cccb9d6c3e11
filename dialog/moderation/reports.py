"""Residents' reports of published inputs: one report per account and input, limits per
address for visitors, and the input hidden at a number of open reports until an editor
decides.

Reporters stay anonymous to the public: a report is shown only to editors. Services flush
and never commit.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_wtf import FlaskForm
from sqlalchemy import select, update

from dialog.accounts.models import User
from dialog.contributions import services as contributions
from dialog.contributions.models import (
    Comment,
    Contribution,
    ContributionKind,
    ContributionStatus,
    Proposal,
)
from dialog.contributions.queries import visible_comment
from dialog.core import audit
from dialog.core.i18n import _, _l
from dialog.core.rules import RuleError
from dialog.core.sanitize import typed_text
from dialog.core.throttle import Throttle
from dialog.extensions import db
from dialog.moderation import decisions
from dialog.moderation.models import (
    MAX_REPORT_NOTE_LENGTH,
    Flag,
    ModerationAction,
)
from dialog.moderation.reasons import REPORTED, moderation_reasons, reason_label

REPORTABLE_KINDS = frozenset({ContributionKind.PROPOSAL.value, ContributionKind.COMMENT.value})

_TOO_MANY = _l(
    "You have sent many reports in a short time, so this one was not sent. Wait a while and "
    "send it again; what you wrote is still here."
)
# Per client address, per account, and for visitors without an account per address and
# input: one visitor cannot hide an input alone by reporting it again.
ADDRESS_LIMITS = Throttle("report-address", "5/minute;20/hour", _TOO_MANY)
ACCOUNT_LIMITS = Throttle("report-account", "5/minute;20/hour", _TOO_MANY)
INPUT_LIMITS = Throttle(
    "report-input",
    "1/day",
    _l("A report of this input has already been sent from your connection. Thank you."),
)


class ReportError(RuleError):
    """A report that cannot be taken; the message is translated and safe to show."""


def reportable_input(contribution_id: int) -> Contribution | None:
    """The input if the public sees it and it can be reported: a published proposal, or a
    published comment shown on its published proposal; else None."""
    found = db.session.get(Contribution, contribution_id)
    if found is None or found.kind not in REPORTABLE_KINDS or found.dialogue_id is None:
        return None
    if found.status != ContributionStatus.PUBLISHED:
        return None
    if isinstance(found, Comment):
        return visible_comment(found.id)
    return found if isinstance(found, Proposal) else None


def _throttles(
    contribution: Contribution, reporter: User | None, address: str
) -> list[tuple[Throttle, str]]:
    """An account reports an input once (checked in the database), a visitor once a day per
    address; both within the limits of their address (and account)."""
    if reporter is not None:
        return [(ADDRESS_LIMITS, address), (ACCOUNT_LIMITS, str(reporter.id))]
    return [(ADDRESS_LIMITS, address), (INPUT_LIMITS, f"{address}:{contribution.id}")]


def refused_by_limits(
    form: FlaskForm, contribution: Contribution, reporter: User | None, address: str
) -> bool:
    """Tell whether the address or account has reported too much lately (message on the form)."""
    return any(
        throttle.refuses(form, key) for throttle, key in _throttles(contribution, reporter, address)
    )


def count_report(contribution: Contribution, reporter: User | None, address: str) -> None:
    """Count a stored report against the limits."""
    for throttle, key in _throttles(contribution, reporter, address):
        throttle.count(key)


def check_report_reason(code: str | None) -> str:
    """The reason code, which must be one of the configured reasons."""
    if (
        not code
        or code == REPORTED
        or code not in {known for known, _label in moderation_reasons()}
    ):
        raise ReportError(_("Choose why you report it."), "reason")
    return code


def check_report_note(note: str | None) -> str | None:
    """The optional note as typed (plain text), within its limit."""
    text = typed_text(note)
    if len(text) > MAX_REPORT_NOTE_LENGTH:
        raise ReportError(
            _("A note can be at most {limit} characters long.").format(
                limit=MAX_REPORT_NOTE_LENGTH
            ),
            "note",
        )
    return text or None


def _lock(contribution: Contribution) -> None:
    """Lock the input's row until the transaction ends (PostgreSQL: SELECT … FOR UPDATE;
    SQLite lets one writer in at a time), so reports of it are counted one after another."""
    db.session.execute(
        select(Contribution.id).where(Contribution.id == contribution.id).with_for_update()
    ).all()


def _already_reported(contribution: Contribution, reporter: User) -> bool:
    query = select(Flag.id).where(
        Flag.contribution_id == contribution.id, Flag.reporter_id == reporter.id
    )
    return db.session.scalar(query.limit(1)) is not None


def report_of(
    contribution_id: int, reason: str, note: str | None, reporter: User | None
) -> Flag | None:
    """The report of the input by this reporter (None: a visitor) with this reason and note."""
    query = select(Flag).where(
        Flag.contribution_id == contribution_id,
        Flag.reason == reason,
        Flag.reporter_id.is_(None) if reporter is None else Flag.reporter_id == reporter.id,
        Flag.note.is_(None) if note is None else Flag.note == note,
    )
    return db.session.scalars(query).first()


def report_contribution(
    contribution: Contribution, reason: str | None, note: str | None, reporter: User | None
) -> Flag:
    """Store a resident's report of a published input and count it on the input.

    One report per account and input (ReportError the second time). At the configured
    number of open reports (``REPORTS_TO_HIDE``) the input is hidden until an editor
    decides: through the contribution service (a comment's count stays right), with a
    decision by nobody for the figures and an audit entry.
    """
    code = check_report_reason(reason)
    text = check_report_note(note)
    _lock(contribution)
    db.session.refresh(contribution, ["status", "report_count"])
    if contribution.status != ContributionStatus.PUBLISHED:
        raise ReportError(_("This input is no longer published, so it cannot be reported."))
    if reporter is not None and _already_reported(contribution, reporter):
        raise ReportError(_("You have already reported this input. Thank you."))
    flag = Flag(
        contribution_id=contribution.id,
        reason=code,
        note=text,
        reporter_id=audit.actor_id(reporter),
    )
    db.session.add(flag)
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == contribution.id)
        .values(report_count=Contribution.report_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(contribution, ["report_count"])
    audit.record("contribution_reported", reporter, contribution, reason=code, flag_id=flag.id)
    if contribution.report_count >= current_app.config["REPORTS_TO_HIDE"]:
        _hide_as_reported(contribution)
    return flag


def _hide_as_reported(contribution: Contribution) -> None:
    """Hide the input until an editor decides, as no person: by the report threshold.

    hide_contribution sets the reason with the hiding, so its one audit entry (no actor, the
    reason's label) has the reason in its after.
    """
    with force_locale(contribution.language or "sv"):
        label = reason_label(REPORTED)
    contributions.hide_contribution(contribution, label, None, code=REPORTED, note=None)
    decisions.record_decision(contribution, ModerationAction.HIDE, None, REPORTED)
