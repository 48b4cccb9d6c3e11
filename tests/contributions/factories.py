"""Factories and client helpers for proposal tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from dialog.accounts.models import User
from dialog.contributions import services
from dialog.contributions.models import Proposal
from dialog.dialogues.models import Dialogue
from dialog.dialogues.queries import dialogue_by_slug
from dialog.extensions import db
from tests.dialogues.factories import DialogueInfo, make_dialogue, make_framework

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_SUBMISSION = re.compile(r'name="submission" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class ProposalInfo:
    id: int
    reference: str
    receipt_token: str


def make_consultation(app: Flask) -> DialogueInfo:
    """Create and commit an open online consultation that publishes inputs at once."""
    info = make_dialogue(app, make_framework(app), format="online_consultation", starts_in=None)
    with app.app_context():
        db.session.get(Dialogue, info.id).moderation = "after"
        db.session.commit()
    return info


def make_proposal(
    app: Flask,
    slug: str,
    title: str = "Fler bänkar längs ån",
    body: str = "<p>Det behövs fler bänkar längs ån, så att äldre orkar gå hela vägen.</p>",
    *,
    user_id: int | None = None,
    email: str | None = None,
    goal_id: int | None = None,
    name: str | None = None,
    published: bool = True,
    send_anyway: bool = False,
) -> ProposalInfo:
    """Send and commit a proposal through the service, as a resident's form would.

    goal_id: the goal the resident suggests it for. published: one that waits for
    moderation is published, as a moderator would. send_anyway: personal data in the text is
    sent anyway (it then waits for an editor).
    """
    with app.test_request_context():
        dialogue = dialogue_by_slug(slug)
        assert dialogue is not None
        user = db.session.get(User, user_id) if user_id is not None else None
        submitted = services.submit_proposal(
            dialogue,
            services.ProposalInput(
                title=title,
                body=body,
                submission_token=services.new_submission_token(),
                goal_id=goal_id,
                name=name,
                email=email,
                send_anyway=send_anyway,
            ),
            services.Sender(user, None),
            None,
        )
        proposal = submitted.contribution
        if published:
            services.publish_contribution(proposal, None)
        db.session.commit()
        return ProposalInfo(proposal.id, proposal.reference or "", submitted.receipt_token)


@dataclass(frozen=True)
class CommentInfo:
    id: int
    reference: str
    receipt_token: str
    status: str


def make_comment(
    app: Flask,
    proposal_id: int,
    body: str = "Bra förslag, men tänk på dem som cyklar.",
    *,
    reply_to: int | None = None,
    user_id: int | None = None,
    email: str | None = None,
    name: str | None = None,
    published: bool = False,
) -> CommentInfo:
    """Send and commit a comment (or a reply) through the service, as the form would.

    published: one that waits for moderation is published, as a moderator would.
    """
    with app.test_request_context(method="POST"):  # a form send: it writes
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        user = db.session.get(User, user_id) if user_id is not None else None
        submitted = services.submit_comment(
            proposal,
            services.CommentInput(
                body=body,
                submission_token=services.new_submission_token(),
                reply_to_id=reply_to,
                name=name,
                email=email,
            ),
            services.Sender(user, None),
            None,
        )
        comment = submitted.contribution
        if published:
            services.publish_contribution(comment, None)
        db.session.commit()
        return CommentInfo(
            comment.id, comment.reference or "", submitted.receipt_token, comment.status
        )


def form_tokens(client: FlaskClient, slug: str) -> tuple[str, str]:
    """Open the proposal form; return its CSRF token and its one-time submission token."""
    page = client.get(f"/dialogues/{slug}/proposals/new").get_data(as_text=True)
    csrf, submission = _CSRF.search(page), _SUBMISSION.search(page)
    assert csrf, "no proposal form on the page"
    assert submission, "no proposal form on the page"
    return csrf.group(1), submission.group(1)


def send_proposal(client: FlaskClient, slug: str, **fields: str) -> TestResponse:
    """Fill in and send the proposal form the way a browser would."""
    csrf, submission = form_tokens(client, slug)
    data = {
        "csrf_token": csrf,
        "submission": submission,
        "title": "Fler bänkar längs ån",
        "body": "Det behövs fler bänkar längs ån.",
        **fields,
    }
    return client.post(f"/dialogues/{slug}/proposals/new", data=data)


def comment_path(slug: str, proposal_id: int) -> str:
    return f"/dialogues/{slug}/proposals/{proposal_id}/comments/new"


def comment_form_tokens(
    client: FlaskClient, slug: str, proposal_id: int, reply_to: int | None = None
) -> tuple[str, str]:
    """Open the comment form (a reply's, when reply_to); return its CSRF and one-time tokens."""
    query = f"?reply_to={reply_to}" if reply_to is not None else ""
    page = client.get(comment_path(slug, proposal_id) + query).get_data(as_text=True)
    csrf, submission = _CSRF.search(page), _SUBMISSION.search(page)
    assert csrf, "no comment form on the page"
    assert submission, "no comment form on the page"
    return csrf.group(1), submission.group(1)


def send_comment(
    client: FlaskClient, slug: str, proposal_id: int, reply_to: int | None = None, **fields: str
) -> TestResponse:
    """Fill in and send the comment form (a reply's, when reply_to) the way a browser would."""
    csrf, submission = comment_form_tokens(client, slug, proposal_id, reply_to)
    data = {
        "csrf_token": csrf,
        "submission": submission,
        "reply_to": str(reply_to) if reply_to is not None else "",
        "body": "Bra förslag, men tänk på dem som cyklar.",
        **fields,
    }
    return client.post(comment_path(slug, proposal_id), data=data)
