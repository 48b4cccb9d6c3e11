"""Comment pages: write a comment or a reply on a proposal, a comment's permanent link, an
input's reference number as an address, and withdrawing a comment with the account.

The proposal's page shows the comments (``proposals``); the form has a page of its own so
that the proposal's page stays the same for every visitor (and cacheable), and replying
works without JavaScript: each comment links to this form with ``?reply_to=``.
"""

from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from dialog.accounts.permissions import current_actor, login_required
from dialog.contributions import services
from dialog.contributions.forms import ActionForm, CommentForm
from dialog.contributions.models import (
    MAX_REFERENCE_LENGTH,
    Comment,
    ContributionKind,
    Proposal,
)
from dialog.contributions.permissions import is_author
from dialog.contributions.queries import (
    REPLIES_PER_PAGE,
    REPLIES_SHOWN,
    comment_by_id,
    comment_on,
    comment_page_number,
    contribution_by_reference,
    replies_page,
    reply_position,
    shown_thread,
    visible_comment,
)
from dialog.contributions.views.helpers import (
    SendMessages,
    bp,
    comment_links,
    comment_refusal,
    dialogue_or_404,
    not_shown,
    proposal_or_404,
    receipt_url,
    send_form,
    shown_dialogue_or_404,
    shown_proposal_or_404,
)
from dialog.core.cache import cached_page
from dialog.core.i18n import _, _l
from dialog.core.pagination import requested_page
from dialog.extensions import csrf

_MESSAGES = SendMessages(
    sent=_l("Thank you! Your comment is sent."),
    duplicate=_l("This comment was already sent. Here is its receipt."),
    failed=_l(
        "We could not store your comment just now, so nothing was sent. Your text "
        "is still here: send it again in a moment."
    ),
)


def _answered(proposal: Proposal, reply_to_id: int | None) -> Comment | None:
    """The public comment a reply answers, shown above the form (None: not a reply)."""
    if not reply_to_id:
        return None
    found = comment_on(proposal.id, reply_to_id)
    return found if found is not None and found.is_public else None


@bp.route("/dialogues/<slug>/proposals/<int:proposal_id>/comments/new", methods=["GET", "POST"])
@csrf.exempt  # CommentForm checks its own token: an expired one re-shows the text
def new_comment(slug: str, proposal_id: int) -> tuple[str, int] | BaseResponse:
    dialogue = dialogue_or_404(slug)
    found = proposal_or_404(dialogue, proposal_id)
    form = CommentForm()
    if not form.is_submitted():
        form.reply_to.data = request.args.get("reply_to", "")[:20]
    outcome = send_form(
        form,
        lambda who: services.submit_comment(found, form.to_input(), who, receipt_url),
        _MESSAGES,
    )
    if not isinstance(outcome, int):
        return outcome
    page = render_template(
        "contributions/new_comment.html",
        dialogue=dialogue,
        proposal=found,
        form=form,
        answered=_answered(found, form.reply_to_id()),
        refusal=comment_refusal(found),
    )
    return page, outcome


def _permalink(comment: Comment) -> str:
    """The proposal's page that shows the comment, at the comment; a reply past the first
    ones its proposal's page shows is on its thread's pages."""
    proposal, dialogue = comment.parent, comment.dialogue
    if proposal is None or dialogue is None:
        abort(404)
    if comment.reply_to_id is not None:
        position = reply_position(comment)
        if position >= REPLIES_SHOWN:
            page = position // REPLIES_PER_PAGE + 1
            return url_for(
                "contributions.thread",
                comment_id=comment.reply_to_id,
                page=page if page > 1 else None,
                _anchor=f"comment-{comment.id}",
            )
    page = comment_page_number(comment)
    return url_for(
        "contributions.proposal",
        slug=dialogue.slug,
        proposal_id=proposal.id,
        page=page if page > 1 else None,
        _anchor=f"comment-{comment.id}",
    )


@bp.route("/comments/<int:comment_id>")
def comment(comment_id: int) -> BaseResponse:
    """A comment's permanent address: the page of its proposal that shows it, now.

    One marked as a duplicate leads to its original; any other not shown is a 404.
    """
    found = visible_comment(comment_id)
    if found is None:
        hidden = comment_by_id(comment_id)
        if hidden is None:
            abort(404)
        not_shown(hidden)
    # 302: the page a comment is on can change (an earlier one hidden, the page size).
    return redirect(_permalink(found), 302)


@bp.route("/comments/<int:comment_id>/replies")
@cached_page
def thread(comment_id: int) -> str:
    """All the replies to a comment, paged: a long thread's proposal page shows its first."""
    # Like the proposal's page, from what is the same for every reader (kept in memory).
    found = shown_thread(comment_id)
    if found is None:
        abort(404)
    dialogue = shown_dialogue_or_404(found.dialogue_slug)
    proposal = shown_proposal_or_404(dialogue, found.proposal_id)
    replies = replies_page(comment_id, requested_page())
    refusal = comment_refusal(proposal)
    return render_template(
        "contributions/thread.html",
        dialogue=dialogue,
        proposal=proposal,
        # The comment with this page of its replies under it, and no link to more.
        comment=replace(found.comment, replies=replies.items, reply_total=len(replies.items)),
        replies=replies,
        refusal=refusal,
        comment_links=comment_links(dialogue, proposal, can_reply=refusal is None),
    )


@bp.route("/inputs/<reference>")
def by_reference(reference: str) -> BaseResponse:
    """A proposal or comment found by its reference number ("DLG-2026-00042").

    Unknown, or not public: the plain 404, whatever the input is.
    """
    found = None
    if len(reference) <= MAX_REFERENCE_LENGTH:
        found = contribution_by_reference(reference)
    if found is None:
        abort(404)
    if found.kind == ContributionKind.PROPOSAL and found.is_public and found.dialogue:
        target = url_for("contributions.proposal", slug=found.dialogue.slug, proposal_id=found.id)
        return redirect(target, 301)
    if found.kind == ContributionKind.COMMENT and visible_comment(found.id) is not None:
        return redirect(url_for("contributions.comment", comment_id=found.id), 301)
    not_shown(found)


@bp.route("/comments/<int:comment_id>/withdraw", methods=["POST"])
@login_required
def withdraw_comment(comment_id: int) -> BaseResponse:
    found = comment_by_id(comment_id)
    if found is None:
        abort(404)
    if not is_author(current_user, found):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_contribution(found, current_actor(), "account")
    except services.ContributionError as error:
        flash(str(error), "error")
    else:
        flash(_("Your comment is withdrawn. It stays on the website, marked withdrawn."), "success")
    return redirect(url_for("contributions.my_inputs"))
