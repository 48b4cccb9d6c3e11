"""Sending a proposal without an account and following it by its receipt link, in a real
browser: the form, the live character count, the receipt page, the mail and withdrawing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from dialog.contributions.models import Proposal
from dialog.core.models import OutboxMessage
from dialog.extensions import db
from tests.browser.flows import path_is, send, unique_email
from tests.browser.scenario import Scenario, open_workshop

pytestmark = pytest.mark.browser

RECEIPT_LINK = re.compile(r"https?://\S+/receipt/[A-Za-z0-9_-]+")


def _stored(app: Flask, title: str) -> Proposal:
    with app.app_context():
        proposal = db.session.scalars(select(Proposal).where(Proposal.title == title)).one()
        db.session.expunge(proposal)
        return proposal


def _receipt_path(app: Flask, email: str) -> str:
    with app.app_context():
        [message] = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == email)
        ).all()
        body = message.body
    match = RECEIPT_LINK.search(body)
    assert match, body
    return urlsplit(match.group(0)).path


def test_a_resident_sends_a_proposal_without_an_account_and_follows_its_receipt(
    page: Page,
    live_app: Flask,
    scenario: Scenario,
    new_context: Callable[..., BrowserContext],
) -> None:
    """From the dialogue page to the receipt; the mailed link shows it; withdrawing keeps it."""
    workshop = open_workshop(live_app, scenario, [], capacity=None)
    email = unique_email("proposal")
    page.goto(f"/dialogues/{workshop.slug}")
    page.locator("main a.button[href$='/proposals/new']").click()
    path_is(page, f"/dialogues/{workshop.slug}/proposals/new")
    expect(page.locator(".public-record")).to_contain_text("allmän handling")
    page.locator("#title").fill("Sittplatser vid busshållplatsen")
    page.locator("#body").fill("Det behöver finnas bänkar vid hållplatsen vid biblioteket.")
    # The script of our own counts the characters left (the form works without it).
    expect(page.locator("#body-count")).to_contain_text("tecken kvar")
    page.locator("#goal").select_option(str(workshop.goals["1.1"]))
    page.locator("#email").fill(email)
    send(page)

    stored = _stored(live_app, "Sittplatser vid busshållplatsen")
    assert stored.author_id is None
    assert stored.reference
    expect(page.locator("h1")).to_contain_text(stored.reference)
    expect(page.locator(".receipt-status")).to_contain_text("Väntar på granskning")
    receipt = urlsplit(page.url).path

    assert _receipt_path(live_app, email) == receipt
    # The link opened later, in another browser (the mail program's).
    followed = new_context().new_page()
    followed.goto(receipt)
    expect(followed.locator("dl.receipt")).to_contain_text(stored.reference)
    expect(followed.locator("dl.receipt")).to_contain_text("1.1")
    followed.locator("main form button[type=submit]").click()
    expect(followed.locator(".receipt-status")).to_contain_text("Återkallad")
    assert _stored(live_app, "Sittplatser vid busshållplatsen").status == "withdrawn"


def test_the_form_comes_back_with_the_text_when_something_is_missing(
    page: Page, live_app: Flask, scenario: Scenario
) -> None:
    """No title: the form says so, and the text typed is still there."""
    page.goto(f"/dialogues/{scenario.open}/proposals/new")
    page.locator("#body").fill("En lång text som inte får försvinna.")
    send(page)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#body")).to_have_value("En lång text som inte får försvinna.")
