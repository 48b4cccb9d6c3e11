"""What the input pages share: the blueprint, loading with 404, who sends, the receipt
link, the messages of a send that went wrong, and the template helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from flask import Blueprint, abort, flash, get_template_attribute, redirect, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from dialog.accounts.permissions import current_actor
from dialog.contributions import services
from dialog.contributions.models import (
    CONTRIBUTION_STATUS_LABELS,
    GOAL_RELATION_LABELS,
    RECEIPT_STATUS_LABELS,
    Contribution,
    ContributionKind,
    ContributionStatus,
    Dialogue,
    GoalRelation,
    Proposal,
)
from dialog.contributions.permissions import (
    can_see_contribution,
    can_support,
    can_withdraw,
    is_author,
)
from dialog.contributions.queries import (
    ListedProposal,
    ShownComment,
    dialogue_for_input,
    original_of,
    proposal_in,
    shown_dialogue,
    shown_proposal,
)
from dialog.core.cache import in_every_language, reference_data
from dialog.core.database import commit_now
from dialog.core.forms import Form, show_rule_error
from dialog.core.i18n import _, _l, current_language
from dialog.core.pagination import FrozenPage
from dialog.core.personal_data import PersonalDataError
from dialog.core.rules import RuleError
from dialog.core.templating import FillIn
from dialog.core.throttle import client_address
from dialog.core.urls import IdUrl, absolute_url
from dialog.extensions import db

bp = Blueprint("contributions", __name__)
logger = logging.getLogger("dialog.contributions")


def dialogue_or_404(slug: str) -> Dialogue:
    dialogue = dialogue_for_input(slug)
    if dialogue is None:
        abort(404)
    return dialogue


def proposal_or_404(dialogue: Dialogue, proposal_id: int) -> Proposal:
    """The proposal if whoever asks may see it, else 404 (a waiting one is not revealed)."""
    proposal = proposal_in(dialogue.id, proposal_id)
    if proposal is None:
        abort(404)
    if not can_see_contribution(current_user, proposal):
        not_shown(proposal)
    return proposal


def not_shown(contribution: Contribution) -> NoReturn:
    """404 for an input the reader may not see; one marked as a duplicate is not shown on
    its own but leads to its original (when that is public)."""
    original = public_url(original_of(contribution)) if contribution.duplicate_of_id else None
    abort(redirect(original) if original else 404)


def shown_dialogue_or_404(slug: str) -> Dialogue:
    """The dialogue, frozen (``queries.shown_dialogue``), for a page that only reads."""
    dialogue = shown_dialogue(slug)
    if dialogue is None:
        abort(404)
    return dialogue


def shown_proposal_or_404(dialogue: Dialogue, proposal_id: int) -> Proposal:
    """The proposal, frozen (``queries.shown_proposal``), if whoever asks may see it, else
    404: a waiting one is shown to its author only, and not revealed to anyone else."""
    proposal = shown_proposal(dialogue.id, proposal_id)
    if proposal is None:
        abort(404)
    if not can_see_contribution(current_user, proposal):
        not_shown(proposal)
    return proposal


@dataclass(frozen=True)
class CommentLinks:
    """What every comment of a list links to, built once for the list (``IdUrl``), and what
    the list says in the reader's language: a comment's time is kept written in each, and
    the reply link's words for the screen reader are translated once, not per comment."""

    comment: IdUrl
    thread: IdUrl
    # The form that replies to a comment; None while the proposal takes no comments.
    reply: IdUrl | None
    # Translated, to fill in for each comment (``core.templating.FillIn``): "to %(name)s"
    # with its author's name, "See all %(total)s replies" with their number.
    reply_to: FillIn
    see_all: FillIn
    language: str
    # The report form of a published comment (dialog.moderation), its link's word and the
    # words for the screen reader: "Report the comment by Anna".
    report: IdUrl
    report_word: str
    report_of: FillIn


def comment_links(dialogue: Dialogue, proposal: Proposal, can_reply: bool) -> CommentLinks:
    reply = None
    if can_reply:
        reply = IdUrl(
            "contributions.new_comment", "reply_to", slug=dialogue.slug, proposal_id=proposal.id
        )
    return CommentLinks(
        comment=IdUrl("contributions.comment", "comment_id"),
        thread=IdUrl("contributions.thread", "comment_id"),
        reply=reply,
        # Translators: after "Reply", read by screen readers only: "Reply to Anna".
        reply_to=FillIn(_("to %(name)s"), "name"),
        see_all=FillIn(_("See all %(total)s replies"), "total"),
        language=current_language(),
        report=IdUrl("moderation.report", "contribution_id"),
        report_word=_("Report"),
        # Translators: after "Report", read by screen readers only: "Report the comment by Anna".
        report_of=FillIn(_("the comment by %(name)s"), "name"),
    )


@dataclass(frozen=True, slots=True)
class ProposalLine:
    """A line of the proposal list as HTML, in two parts around the reader's own mark."""

    id: int
    head: Markup
    tail: Markup


def proposal_lines(
    dialogue: Dialogue, page: FrozenPage[ListedProposal], asked: tuple[Any, ...]
) -> tuple[ProposalLine, ...]:
    """The lines of a page of the dialogue's proposal list in the reader's language.

    A line is the same for every reader: made in every language once per change and kept
    (``reference_data``), under what was asked for the page (``asked``: its number, sort
    and filters, as ``queries.proposals_page`` keeps the page) and the script root its
    links start with; the reader's own supports are marked between the parts. Rendering
    the lines was most of the list's time, some fifty template outputs each.
    """
    key = ("proposal-lines", request.root_path, dialogue.id, dialogue.slug, *asked)
    made = reference_data(
        key, lambda: in_every_language(lambda: _proposal_lines(dialogue, page)), store="lines"
    )
    return made[current_language()]


def _proposal_lines(
    dialogue: Dialogue, page: FrozenPage[ListedProposal]
) -> tuple[ProposalLine, ...]:
    head = get_template_attribute("contributions/macros.html", "proposal_line")
    tail = get_template_attribute("contributions/macros.html", "proposal_line_end")
    url = IdUrl("contributions.proposal", "proposal_id", slug=dialogue.slug)
    return tuple(ProposalLine(item.id, head(item, url), tail(item)) for item in page.items)


def comment_lists(
    dialogue: Dialogue, proposal: Proposal, page: FrozenPage[ShownComment], can_reply: bool
) -> dict[bool, Markup]:
    """A page of the proposal's comments as HTML in the reader's language, shown with their
    authors (True) and without (False): the page decides which its reader is shown.

    The same for every reader: made in every language once per change and kept
    (``reference_data``), under the page's number, whether replies are taken now (the
    dialogue's input window can close without a change) and the script root its links
    start with. Rendering the comments was a third of the proposal's page.
    """
    key = ("comment-lists", request.root_path, dialogue.slug, proposal.id, page.page, can_reply)
    made = reference_data(
        key,
        lambda: in_every_language(lambda: _comment_lists(dialogue, proposal, page, can_reply)),
        store="lines",
    )
    return made[current_language()]


def _comment_lists(
    dialogue: Dialogue, proposal: Proposal, page: FrozenPage[ShownComment], can_reply: bool
) -> dict[bool, Markup]:
    render = get_template_attribute("contributions/macros.html", "comment_list")
    links = comment_links(dialogue, proposal, can_reply)
    return {shown: render(page.items, links, shown) for shown in (True, False)}


def public_url(contribution: Contribution | None) -> str | None:
    """Where the public sees the input: a public proposal's page, a public comment's place."""
    if contribution is None or not contribution.is_public or contribution.dialogue is None:
        return None
    if contribution.kind == ContributionKind.PROPOSAL:
        return url_for(
            "contributions.proposal", slug=contribution.dialogue.slug, proposal_id=contribution.id
        )
    if contribution.kind == ContributionKind.COMMENT:
        return url_for("contributions.comment", comment_id=contribution.id)
    return None


def comment_refusal(proposal: Proposal) -> str | None:
    """Why the proposal takes no comments now, or None when it does."""
    try:
        services.check_takes_comments(proposal)
    except services.ContributionError as error:
        return str(error)
    return None


def receipt_url(token: str) -> str:
    return absolute_url("contributions.receipt", token=token)


def sender() -> services.Sender:
    user = current_actor() if current_user.is_authenticated else None
    return services.Sender(user, client_address(), current_language())


@dataclass(frozen=True)
class SendMessages:
    """What a kind's form says after a send: stored, stored before, not stored."""

    sent: Any
    duplicate: Any
    failed: Any


def send_form(
    form: Form,
    send: Callable[[services.Sender], services.Submitted],
    messages: SendMessages,
) -> BaseResponse | int:
    """Send a resident's input form: its receipt, or the status to show the form again with.

    Whatever goes wrong (a rule, the limits, the database, an expired session) the form
    comes back with everything typed in it and a fresh one-time token when it needs one.
    """
    status = 200
    if form.validate_on_submit():
        who = sender()
        if services.refused_by_limits(form, who):
            status = 429
        else:
            outcome = _send(form, send, who, messages)
            if not isinstance(outcome, int):
                return outcome
            status = outcome
    else:
        keep_text_after_expired_session(form)
    fresh_submission_token(form)
    return status


def _send(
    form: Form,
    send: Callable[[services.Sender], services.Submitted],
    who: services.Sender,
    messages: SendMessages,
) -> BaseResponse | int:
    try:
        submitted = send(who)
        commit_now()  # a failing COMMIT still shows the form with the text
    except PersonalDataError as found:
        show_rule_error(form, found)
        form.personal_data_found = found.findings  # the template offers "Send anyway"
        return 200
    except RuleError as error:
        show_rule_error(form, error)
        return 200
    except SQLAlchemyError:
        db.session.rollback()
        logger.exception("input not stored")
        form.form_errors.append(str(messages.failed))
        return 503
    if submitted.duplicate:
        flash(str(messages.duplicate), "info")
    elif submitted.contribution.personal_data_findings:
        flash(str(_HELD), "success")
    else:
        flash(str(messages.sent), "success")
    return redirect(url_for("contributions.receipt", token=submitted.receipt_token))


_HELD = _l(
    "Thank you! Your input is sent. As it may contain personal data, an editor checks it "
    "before it is published."
)


def keep_text_after_expired_session(form: Form) -> None:
    """The CSRF token expired while they wrote: say so instead of an error page; text stays."""
    if form.is_submitted() and form.csrf_token.errors:
        form.csrf_token.errors = []
        form.form_errors.append(
            _(
                "Your session had expired while you were writing, so nothing was sent yet. "
                "Your text is still here: check it and send it again."
            )
        )


def fresh_submission_token(form: Form) -> None:
    """Give the form a one-time submission token unless it carries a good one already."""
    if not services.valid_submission_token(form.submission.data):
        form.submission.data = services.new_submission_token()


def status_label(value: str) -> str:
    return str(CONTRIBUTION_STATUS_LABELS.get(ContributionStatus(value), value))


def receipt_status_label(value: str) -> str:
    """The status in the author's words; a kind's own status in the general words."""
    status = ContributionStatus(value)
    return str(RECEIPT_STATUS_LABELS.get(status) or CONTRIBUTION_STATUS_LABELS.get(status, value))


def relation_label(value: str) -> str:
    return str(GOAL_RELATION_LABELS[GoalRelation(value)])


for helper in (
    status_label,
    receipt_status_label,
    relation_label,
    can_support,
    can_withdraw,
    is_author,
):
    bp.add_app_template_global(helper)
