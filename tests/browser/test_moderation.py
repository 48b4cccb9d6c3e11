"""Moderating with the keyboard alone, in a real browser: Tab to reach, Space to tick,
Enter to press; every action returns to the queue with its message; axe on the way."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect

from dialog.contributions.models import Contribution
from dialog.extensions import db
from dialog.moderation.models import Flag
from tests.browser.axe import assert_accessible
from tests.browser.flows import tab_to
from tests.browser.scenario import Scenario, StaffLogin, open_workshop
from tests.contributions.factories import make_proposal

pytestmark = pytest.mark.browser


def _status(app: Flask, contribution_id: int) -> tuple[str, int]:
    with app.app_context():
        found = db.session.get_one(Contribution, contribution_id)
        return found.status, found.report_count


def _reported(app: Flask, contribution_id: int) -> None:
    with app.app_context():
        found = db.session.get_one(Contribution, contribution_id)
        db.session.add(Flag(contribution_id=contribution_id, reason="offensive"))
        found.report_count += 1
        db.session.commit()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_editor_moderates_with_the_keyboard_alone(
    live_app: Flask,
    scenario: Scenario,
    staff_login: StaffLogin,
    new_context,  # noqa: ANN001
    language: str,
) -> None:
    """Publish one, publish a ticked selection, and dismiss a report, by Tab, Space and
    Enter only; the queue and the input's page pass axe."""
    workshop = open_workshop(live_app, scenario, [], None)
    first, second, third = (
        make_proposal(live_app, workshop.slug, title=f"Väntar {n}", published=False)
        for n in range(3)
    )
    reported = make_proposal(live_app, workshop.slug, title="Anmäld")
    _reported(live_app, reported.id)
    context = new_context(locale="sv-SE" if language == "sv" else "en-GB")
    context.add_cookies(staff_login("admin", language)["cookies"])
    page = context.new_page()
    queue = f"/moderation?dialogue={workshop.id}"
    page.goto(queue)
    expect(page.locator("ol.moderation-list > li")).to_have_count(4)
    assert_accessible(page, f"moderation queue ({language})")

    # The reported one comes first; publish the oldest waiting one with its own button.
    tab_to(page, f"button[value='publish:{first.id}']")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()
    assert page.evaluate("() => document.activeElement.id") == "waiting"
    assert _status(live_app, first.id)[0] == "published"

    # Tick the other two with Space and publish them with the selection's button.
    tab_to(page, f"#select-{second.id}")
    page.keyboard.press("Space")
    tab_to(page, f"#select-{third.id}")
    page.keyboard.press("Space")
    tab_to(page, "button[name=action][value=publish]")
    page.keyboard.press("Enter")
    expect(page.locator(".messages .message-success")).to_be_visible()
    assert _status(live_app, second.id)[0] == "published"
    assert _status(live_app, third.id)[0] == "published"

    # Open the reported one's page from its link and dismiss the report.
    tab_to(page, f"a[href^='/moderation/inputs/{reported.id}']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(reported.reference)
    assert_accessible(page, f"moderation input page ({language})")
    tab_to(page, "form[action*='/dismiss'] button")
    page.keyboard.press("Enter")
    expect(page.locator(".messages .message-success")).to_be_visible()
    assert _status(live_app, reported.id) == ("published", 0)
    expect(page.locator("ol.moderation-list > li")).to_have_count(0)
