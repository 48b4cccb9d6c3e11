"""Proposals: a resident sends one to an open dialogue, supports others and withdraws.

The rules every resident's input shares (spam, limits, one-time token, receipt, reference,
moderation) are in ``submission``; this module adds what is a proposal's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from dialog.accounts.models import User
from dialog.contributions import queries
from dialog.contributions.models import (
    MAX_TITLE_LENGTH,
    Contribution,
    ContributionStatus,
    Dialogue,
    Proposal,
    Support,
)
from dialog.contributions.services.common import ContributionError, suggest_goal
from dialog.contributions.services.submission import (
    Sender,
    SubmissionError,
    Submitted,
    already_sent,
    check_contact,
    refuse_spam,
    send_receipt,
    store,
    valid_submission_token,
)
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.personal_data import check_personal_data
from dialog.core.sanitize import clean_rich_fields, optional_text
from dialog.extensions import db
from dialog.goals.models import Goal
from dialog.goals.queries import goal_in

MAX_BODY_LENGTH = 10_000


@dataclass(frozen=True)
class ProposalInput:
    """What the proposal form gives."""

    title: str
    body: str
    submission_token: str
    goal_id: int | None = None
    name: str | None = None
    email: str | None = None
    honeypot: str | None = None
    # The fingerprint of a text whose cleaning the author saw and accepted (TextLossError).
    confirm_cleaning: str | None = None
    # The author saw the personal data found in the text and sends it anyway.
    send_anyway: bool = False


def check_open(dialogue: Dialogue) -> None:
    """Refuse, saying why, unless the dialogue takes residents' input now."""
    if dialogue.informs_only:
        raise ContributionError(_("This dialogue only informs; it takes no input."))
    if not dialogue.takes_online_input():
        raise ContributionError(_("The dialogue does not take input now."))


def _title(value: str) -> str:
    title = (value or "").strip()
    if not title:
        raise ContributionError(_("Give your proposal a title."), "title")
    if len(title) > MAX_TITLE_LENGTH:
        raise ContributionError(
            _("A title can be at most {limit} characters long.").format(limit=MAX_TITLE_LENGTH),
            "title",
        )
    return title


def _body(value: str, confirmed: str | None) -> tuple[str, str]:
    raw = (value or "").replace("\r\n", "\n").strip()
    if len(raw) > MAX_BODY_LENGTH:
        raise ContributionError(
            _("A text can be at most {limit} characters long.").format(limit=MAX_BODY_LENGTH),
            "body",
        )
    # Raises TextLossError when cleaning would cut typed text the author has not yet seen.
    rich = clean_rich_fields({"body": raw}, confirmed)["body"]
    if rich is None or not rich.text:
        raise ContributionError(_("Write your proposal."), "body")
    return rich.html, rich.text


def _goal(dialogue: Dialogue, goal_id: int | None) -> Goal | None:
    if goal_id is None:
        return None
    goal = goal_in(dialogue.framework, goal_id)
    if goal is None:
        raise ContributionError(_("Choose one of the goals in the list."), "goal")
    return goal


def submit_proposal(
    dialogue: Dialogue,
    data: ProposalInput,
    sender: Sender,
    receipt_url: Callable[[str], str] | None,
) -> Submitted:
    """Store a resident's proposal once, published or waiting as the dialogue moderates.

    A second send of the same form returns the first proposal (``duplicate``). Personal
    data in the title or text raises PersonalDataError unless the author sends it anyway;
    then the proposal waits for an editor whatever the dialogue's mode. The goal
    becomes a suggested link; the receipt link is mailed to the email given, or to the
    account's, when receipt_url says how to build it.
    """
    refuse_spam(data.honeypot)
    if not valid_submission_token(data.submission_token):
        raise SubmissionError(_("The form was incomplete. Check your text and send it again."))
    earlier = already_sent(data.submission_token)
    if earlier is not None:
        return earlier
    check_open(dialogue)
    title = _title(data.title)
    body_html, body_text = _body(data.body, data.confirm_cleaning)
    goal = _goal(dialogue, data.goal_id)
    name, email = optional_text(data.name), optional_text(data.email)
    check_contact(name, email)
    # Last, so the warning comes once the rest is right; raises PersonalDataError.
    found = check_personal_data({"title": title, "body": body_text}, data.send_anyway)
    proposal = Proposal(
        title=title,
        body_html=body_html,
        body_text=body_text,
        author_name=name,
        author_email=email,
        goal_links=[],
    )
    submitted = store(
        proposal,
        dialogue,
        sender,
        data.submission_token,
        found,
        goal_id=goal.id if goal is not None else None,
    )
    if submitted.duplicate:
        return submitted
    if goal is not None:
        suggest_goal(proposal, goal, sender.user)
    if receipt_url is not None:
        account_email = sender.user.email if sender.user is not None else None
        send_receipt(submitted, email or account_email, sender.language, receipt_url)
    return submitted


def _change_count(proposal: Contribution, step: int) -> None:
    # In SQL, so concurrent supports never overwrite each other's count.
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == proposal.id)
        .values(support_count=Contribution.support_count + step)
    )


def support(proposal: Proposal, user: User) -> bool:
    """Support a published proposal, once per person; False when they already did."""
    if proposal.status != ContributionStatus.PUBLISHED:
        raise ContributionError(_("Only a published proposal can be supported."))
    if proposal.dialogue is not None and not proposal.dialogue.takes_online_input():
        raise ContributionError(_("Proposals can be supported while the dialogue is open."))
    if queries.has_supported(proposal.id, user.id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Support(contribution_id=proposal.id, user_id=user.id))
            db.session.flush()
    except IntegrityError:
        return False  # the same person's other click was first
    _change_count(proposal, 1)
    audit.log_event("proposal_supported", actor_id=user.id, contribution_id=proposal.id)
    return True


def withdraw_support(proposal: Proposal, user: User) -> bool:
    """Take back a support; False when there was none."""
    result = db.session.execute(
        delete(Support).where(Support.contribution_id == proposal.id, Support.user_id == user.id)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False  # none, or the same person's other click was first
    _change_count(proposal, -1)
    audit.log_event("proposal_support_withdrawn", actor_id=user.id, contribution_id=proposal.id)
    return True
