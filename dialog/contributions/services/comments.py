"""Comments: residents comment on a published proposal, with one level of replies.

The rules every resident's input shares (spam, limits, one-time token, receipt, reference,
moderation) are in ``submission``; this module adds what is a comment's own. A reply to a
reply is attached to the top-level comment it belongs under, so a thread is never deeper
than one level and the reply still lands in the conversation the author was reading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dialog.contributions import queries
from dialog.contributions.models import Comment, ContributionStatus, Dialogue, Proposal
from dialog.contributions.services.common import ContributionError, recount_comments
from dialog.contributions.services.proposals import check_open
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
from dialog.core.i18n import _
from dialog.core.personal_data import check_personal_data
from dialog.core.sanitize import clean_rich_fields, optional_text

MAX_COMMENT_LENGTH = 5_000


@dataclass(frozen=True)
class CommentInput:
    """What the comment form gives."""

    body: str
    submission_token: str
    # The comment answered, when this is a reply.
    reply_to_id: int | None = None
    name: str | None = None
    email: str | None = None
    honeypot: str | None = None
    # The fingerprint of a text whose cleaning the author saw and accepted (TextLossError).
    confirm_cleaning: str | None = None
    # The author saw the personal data found in the text and sends it anyway.
    send_anyway: bool = False


def check_takes_comments(proposal: Proposal) -> Dialogue:
    """Refuse, saying why, unless the proposal is published in a dialogue open for input.

    Return that dialogue.
    """
    if proposal.status == ContributionStatus.WITHDRAWN:
        raise ContributionError(_("The proposal has been withdrawn, so it takes no comments."))
    if proposal.status != ContributionStatus.PUBLISHED:
        raise ContributionError(_("Only a published proposal can be commented on."))
    dialogue = proposal.dialogue
    if dialogue is None:
        raise ContributionError(_("The dialogue does not take input now."))
    check_open(dialogue)
    return dialogue


def thread_of(proposal: Proposal, reply_to_id: int | None) -> Comment | None:
    """The top-level comment a reply goes under (a reply's own thread), or None for a new one.

    Only a comment shown on the proposal can be answered.
    """
    if reply_to_id is None:
        return None
    answered = queries.comment_on(proposal.id, reply_to_id)
    if answered is None or not answered.is_public:
        raise ContributionError(_("The comment you answer is not shown on this proposal."))
    if answered.reply_to_id is None:
        return answered
    return queries.comment_on(proposal.id, answered.reply_to_id)


def _body(value: str, confirmed: str | None) -> tuple[str, str]:
    raw = (value or "").replace("\r\n", "\n").strip()
    if len(raw) > MAX_COMMENT_LENGTH:
        raise ContributionError(
            _("A text can be at most {limit} characters long.").format(limit=MAX_COMMENT_LENGTH),
            "body",
        )
    # Raises TextLossError when cleaning would cut typed text the author has not yet seen.
    rich = clean_rich_fields({"body": raw}, confirmed)["body"]
    if rich is None or not rich.text:
        raise ContributionError(_("Write your comment."), "body")
    return rich.html, rich.text


def submit_comment(
    proposal: Proposal,
    data: CommentInput,
    sender: Sender,
    receipt_url: Callable[[str], str] | None,
) -> Submitted:
    """Store a resident's comment (or reply) once, published or waiting as the dialogue says.

    A second send of the same form returns the first comment (``duplicate``). Personal data
    is handled as for a proposal (``check_personal_data``). A published
    comment counts on its proposal at once; the receipt link is mailed as for a proposal.
    """
    refuse_spam(data.honeypot)
    if not valid_submission_token(data.submission_token):
        raise SubmissionError(_("The form was incomplete. Check your text and send it again."))
    earlier = already_sent(data.submission_token)
    if earlier is not None:
        return earlier
    dialogue = check_takes_comments(proposal)
    body_html, body_text = _body(data.body, data.confirm_cleaning)
    thread = thread_of(proposal, data.reply_to_id)
    name, email = optional_text(data.name), optional_text(data.email)
    check_contact(name, email)
    # Last, so the warning comes once the rest is right; raises PersonalDataError.
    found = check_personal_data({"body": body_text}, data.send_anyway)
    comment = Comment(
        parent_id=proposal.id,
        reply_to_id=thread.id if thread is not None else None,
        body_html=body_html,
        body_text=body_text,
        author_name=name,
        author_email=email,
        goal_links=[],
    )
    submitted = store(
        comment,
        dialogue,
        sender,
        data.submission_token,
        found,
        proposal_id=proposal.id,
        reply_to_id=comment.reply_to_id,
    )
    if submitted.duplicate:
        return submitted
    if comment.status == ContributionStatus.PUBLISHED:
        recount_comments(proposal.id)
    if receipt_url is not None:
        account_email = sender.user.email if sender.user is not None else None
        send_receipt(submitted, email or account_email, sender.language, receipt_url)
    return submitted
