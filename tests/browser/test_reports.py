"""Reporting a published proposal without an account, in a real browser, with the keyboard:
from the proposal's "Report" link to the form, a reason and a note, and the thank-you page."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from dialog.contributions import services
from dialog.contributions.models import Contribution
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.moderation.models import Flag
from tests.browser.flows import path_is
from tests.browser.scenario import Scenario, open_workshop

pytestmark = pytest.mark.browser


def _published_proposal(app: Flask, slug: str) -> int:
    """A proposal to the workshop, published at once."""
    with app.test_request_context(method="POST"):
        dialogue = db.session.scalars(select(Dialogue).where(Dialogue.slug == slug)).one()
        dialogue.moderation = "after"
        sent = services.submit_proposal(
            dialogue,
            services.ProposalInput(
                title="Reklam för en bilhandlare",
                body="<p>Köp din nästa bil hos oss, bäst pris i stan.</p>",
                submission_token=services.new_submission_token(),
            ),
            services.Sender(None, None),
            None,
        )
        db.session.commit()
        return sent.contribution.id


def test_a_visitor_reports_a_proposal_with_the_keyboard(
    page: Page, live_app: Flask, scenario: Scenario
) -> None:
    """The report link, the reasons as radio buttons, the note, and the thank-you page."""
    workshop = open_workshop(live_app, scenario, [], capacity=None)
    proposal_id = _published_proposal(live_app, workshop.slug)
    proposal_path = f"/dialogues/{workshop.slug}/proposals/{proposal_id}"
    page.goto(proposal_path)
    page.get_by_role("link", name="Anmäl förslaget").focus()
    page.keyboard.press("Enter")
    path_is(page, f"/inputs/{proposal_id}/report")
    expect(page.locator(".reported-input")).to_contain_text("Reklam för en bilhandlare")
    page.get_by_role("radio", name="Reklam eller kommersiellt").focus()
    page.keyboard.press("Space")
    page.get_by_label("Något att tillägga (frivilligt)").fill("Det här är en annons.")
    page.get_by_role("button", name="Skicka anmälan").focus()
    page.keyboard.press("Enter")
    path_is(page, f"/inputs/{proposal_id}/report/thanks")
    expect(page.locator("h1")).to_have_text("Tack för din anmälan")
    with live_app.app_context():
        [flag] = db.session.scalars(select(Flag).where(Flag.contribution_id == proposal_id)).all()
        assert (flag.reason, flag.note, flag.reporter_id) == (
            "commercial",
            "Det här är en annons.",
            None,
        )
        assert db.session.get(Contribution, proposal_id).report_count == 1
    page.get_by_role("link", name="Tillbaka till bidraget").click()
    path_is(page, proposal_path)
