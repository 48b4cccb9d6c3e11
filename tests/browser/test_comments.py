"""Commenting on a proposal and replying to the comment without an account, in a real
browser: the comment form, the receipt, the comment on the proposal's page at its anchor,
and a reply through the comment's reply link."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from dialog.contributions import services
from dialog.contributions.models import Comment, Proposal
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.browser.flows import path_is, send, unique_email
from tests.browser.scenario import Scenario, open_workshop

pytestmark = pytest.mark.browser


def _published_proposal(app: Flask, slug: str) -> int:
    """A proposal to the workshop, published; the workshop publishes comments at once."""
    with app.test_request_context(method="POST"):
        dialogue = db.session.scalars(select(Dialogue).where(Dialogue.slug == slug)).one()
        dialogue.moderation = "after"
        sent = services.submit_proposal(
            dialogue,
            services.ProposalInput(
                title="Vattenposter i parkerna",
                body="<p>Dricksvatten i parkerna under sommaren.</p>",
                submission_token=services.new_submission_token(),
            ),
            services.Sender(None, None),
            None,
        )
        db.session.commit()
        return sent.contribution.id


def _stored(app: Flask, text: str) -> Comment:
    with app.app_context():
        comment = db.session.scalars(select(Comment).where(Comment.body_text == text)).one()
        db.session.expunge(comment)
        return comment


def test_a_resident_comments_and_replies_without_an_account(
    page: Page, live_app: Flask, scenario: Scenario
) -> None:
    """From the proposal to the comment form, the receipt, the comment at its anchor, and a
    reply through its reply link that lands under it."""
    workshop = open_workshop(live_app, scenario, [], capacity=None)
    proposal_id = _published_proposal(live_app, workshop.slug)
    proposal_path = f"/dialogues/{workshop.slug}/proposals/{proposal_id}"
    page.goto(proposal_path)
    expect(page.locator("#comments")).to_contain_text("0 kommentarer hittills")
    page.locator("#comments a.button").click()
    path_is(page, f"{proposal_path}/comments/new")
    expect(page.locator(".public-record")).to_contain_text("allmän handling")
    page.locator("#body").fill("Gärna vid lekplatserna också.")
    expect(page.locator("#body-count")).to_contain_text("tecken kvar")
    page.locator("#name").fill("Farid")
    page.locator("#email").fill(unique_email("comment"))
    send(page)

    comment = _stored(live_app, "Gärna vid lekplatserna också.")
    assert comment.parent_id == proposal_id
    expect(page.locator("h1")).to_contain_text(comment.reference)
    expect(page.locator("dl.receipt")).to_contain_text("Vattenposter i parkerna")
    expect(page.locator(".receipt-status")).to_contain_text("Publicerad")
    page.get_by_role("link", name="Se det på webbplatsen").click()
    # The permalink leads to the proposal's page, at the comment.
    path_is(page, f"{proposal_path}#comment-{comment.id}")
    anchored = page.locator(f"#comment-{comment.id}")
    expect(anchored).to_contain_text("Farid")
    expect(anchored).to_contain_text("Gärna vid lekplatserna också.")

    anchored.get_by_role("link", name=re.compile("^Svara")).click()
    path_is(page, f"{proposal_path}/comments/new")
    expect(page.locator(".answered-comment")).to_contain_text("Gärna vid lekplatserna")
    page.locator("#body").fill("Och vid utegymmet!")
    send(page)
    reply = _stored(live_app, "Och vid utegymmet!")
    assert reply.reply_to_id == comment.id
    page.goto(proposal_path)
    expect(page.locator(f"#comment-{comment.id} ~ .comment-replies")).to_contain_text(
        "Och vid utegymmet!"
    )
    expect(page.locator("#comments")).to_contain_text("2 kommentarer hittills")
    with live_app.app_context():
        assert db.session.get(Proposal, proposal_id).comment_count == 2
