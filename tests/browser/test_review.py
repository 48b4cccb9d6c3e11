"""A politician reviews a goal's input in a real browser: filters by dialogue and words,
exports what is shown, opens the framework's review and the printable report; axe on each
page, in Swedish and English."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, expect

from dialog.accounts.models import Role
from dialog.contributions import services
from dialog.contributions.models import GoalRelation, WorkshopNote
from dialog.extensions import db
from dialog.goals.models import Goal
from tests.browser.axe import assert_accessible
from tests.browser.flows import choose_language, log_in
from tests.browser.scenario import Scenario, open_workshop
from tests.helpers import make_user

pytestmark = pytest.mark.browser

NOTES = (
    ("youth", "Fler bostäder för unga i centrum"),
    ("seniors", "Bättre belysning vid busstationen"),
    ("residents", "Cykelbanorna behöver lagas"),
)


def _notes(app: Flask, dialogue_id: int, goal_id: int) -> None:
    """Three notes of the workshop suggested for the goal; staff confirm the first."""
    with app.test_request_context(method="POST"):
        goal = db.session.get_one(Goal, goal_id)
        notes: list[WorkshopNote] = [
            services.add_workshop_note(dialogue_id, text, group, goal, None)
            for group, text in NOTES
        ]
        services.link_goal(notes[0], goal, GoalRelation.RELATED, None)
        db.session.commit()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_politician_filters_and_exports(
    live_app: Flask,
    live_server: str,
    scenario: Scenario,
    new_context,  # noqa: ANN001
    language: str,
) -> None:
    """Narrow the goal's inputs to a workshop and a word, export them, see the report."""
    workshop = open_workshop(live_app, scenario, [], None)
    _notes(live_app, workshop.id, scenario.goal)
    context: BrowserContext = new_context(locale="sv-SE" if language == "sv" else "en-GB")
    choose_language(context, live_server, language)
    page = context.new_page()
    log_in(page, live_app, make_user(live_app, Role.POLITICIAN, locale=language))

    page.goto(f"/review/goals/{scenario.goal}")
    page.locator("#filter-dialogue").select_option(str(workshop.id))
    page.locator("main form.review-filters button[type=submit]").click()
    expect(page.locator("ol.review-list > li")).to_have_count(3)
    assert_accessible(page, f"review of a goal ({language})")

    page.locator("#filter-q").fill("bostad")
    page.locator("#filter-q").press("Enter")
    items = page.locator("ol.review-list > li")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Fler bostäder för unga i centrum")

    with page.expect_download() as download_info:
        page.locator(".review-exports a", has_text="CSV").click()
    path = download_info.value.path()
    with open(path, encoding="utf-8-sig") as exported:
        rows = list(csv.reader(io.StringIO(exported.read()), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][11] == "Fler bostäder för unga i centrum"

    page.locator(
        "a", has_text="Rapport för utskrift" if language == "sv" else "Report for printing"
    ).click()
    expect(page.locator("ol.review-list > li")).to_have_count(1)
    assert_accessible(page, f"printable report ({language})")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")

    page.goto(f"/review/frameworks/{scenario.adopted}?dialogue={workshop.id}")
    expect(page.locator("ol.review-list > li")).to_have_count(3)
    assert_accessible(page, f"review of a framework ({language})")
    page.goto("/review")
    assert_accessible(page, f"review start ({language})")
