"""Drafts stay private: a dialogue feeds only a framework out of draft, and a dialogue whose
framework is (back) in draft shows neither its name nor its goals, on its pages or the API."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dialog.accounts.models import Role
from dialog.contributions.models import GoalLink
from dialog.dialogues import services
from dialog.dialogues.models import Dialogue
from dialog.dialogues.services import DialogueInput
from dialog.extensions import db
from dialog.goals.models import Framework, FrameworkStatus
from tests.dialogues.factories import GOALS, make_dialogue, make_framework, make_note
from tests.helpers import make_user, post_form

# The goal titles of the factory's framework, in both languages.
GOAL_TITLES = [title for _, _, sv, en in GOALS for title in (sv, en)]


def _plan(framework, slug: str = "hemligt-2020") -> dict:
    return {
        "slug": slug,
        "title_sv": "Dialog om utkastet",
        "framework": str(framework.id),
        "focus_goals": [str(framework.goals["1.1"])],
        "format": "citizen_dialogue",
        "audiences": ["residents"],
        "level": "dialogue",
        "moderation": "after",
    }


def _dialogue_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Dialogue)) or 0


def test_the_planning_form_offers_no_draft_and_refuses_a_hand_made_one(app, client, auth):
    """The form lists frameworks out of draft only; a POST naming a draft stores nothing."""
    admin = make_user(app, Role.ADMIN, locale="en")
    public = make_framework(app, slug="antagna")
    draft = make_framework(app, slug="utkastet", status=FrameworkStatus.DRAFT.value)
    auth.login(admin)
    form = client.get("/dialogues/new").get_data(as_text=True)
    choices = re.search(r'<select id="framework".*?</select>', form, re.DOTALL)
    assert choices is not None
    assert f'<option value="{public.id}"' in choices.group(0)
    assert f'<option value="{draft.id}"' not in choices.group(0)
    assert "Mål utkastet" not in form

    response = post_form(client, "/dialogues/new", _plan(draft))
    assert response.status_code in (200, 400)
    assert _dialogue_count(app) == 0
    assert post_form(client, "/dialogues/new", _plan(public)).status_code == 302
    assert _dialogue_count(app) == 1


def test_the_service_refuses_to_tie_a_dialogue_to_a_draft(app):
    """The rule holds below the form: creating or moving a dialogue to a draft is refused."""
    draft = make_framework(app, status=FrameworkStatus.DRAFT.value)
    public = make_framework(app)
    existing = make_dialogue(app, public)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        framework = db.session.get_one(Framework, draft.id)
        data = DialogueInput(
            framework=framework, title_sv="Hemlig", format="workshop", level="dialogue"
        )
        with pytest.raises(services.DialogueError, match="not a draft") as raised:
            services.create_dialogue("hemlig", data, None)
        assert raised.value.field == "framework"
        dialogue = db.session.get_one(Dialogue, existing.id)
        with pytest.raises(services.DialogueError, match="not a draft"):
            services.update_dialogue(dialogue, data, None)
        db.session.rollback()


@pytest.fixture
def back_in_draft(app):
    """A dialogue with a focus goal and a note tied to a goal, whose framework went back to
    draft after it was planned."""
    framework = make_framework(app, slug="tillbaka", status=FrameworkStatus.CONSULTATION.value)
    dialogue = make_dialogue(app, framework, status="open", focus=("1.1", "2.1"))
    note_id = make_note(app, dialogue)
    with app.app_context():
        db.session.add(GoalLink(contribution_id=note_id, goal_id=framework.goals["2"]))
        db.session.get_one(Framework, framework.id).status = FrameworkStatus.DRAFT.value
        db.session.commit()
    return framework, dialogue


def test_pages_of_a_dialogue_hide_the_goals_of_a_draft(app, back_in_draft):
    """The dialogue, its inputs and the list name no goal and no framework of a draft."""
    framework, dialogue = back_in_draft
    visitor = app.test_client()
    assert visitor.get(f"/goals/{framework.slug}").status_code == 404
    for path in (f"/dialogues/{dialogue.slug}", f"/dialogues/{dialogue.slug}/inputs", "/dialogues"):
        response = visitor.get(path, headers={"Accept-Language": "sv"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert dialogue.slug in page
        for title in [*GOAL_TITLES, "Mål tillbaka", "Goals tillbaka"]:
            assert title not in page, (path, title)
    page = visitor.get(f"/dialogues/{dialogue.slug}", headers={"Accept-Language": "en"})
    assert "The goals this dialogue asks about are not published yet." in page.get_data(
        as_text=True
    )


def test_the_api_leaves_out_the_goals_of_a_draft(app, back_in_draft):
    """/api/v1/dialogues/<slug> gives no framework and no focus goals for a draft."""
    framework, dialogue = back_in_draft
    visitor = app.test_client()
    data = visitor.get(f"/api/v1/dialogues/{dialogue.slug}").get_json()
    assert data["framework"] is None
    assert data["focus_goals"] == []
    listed = visitor.get("/api/v1/dialogues").get_json()
    assert [(item["slug"], item["framework"]) for item in listed] == [(dialogue.slug, None)]
    # Filtering by the draft's slug finds nothing, as its own page is a 404.
    assert visitor.get(f"/api/v1/dialogues?framework={framework.slug}").get_json() == []


def test_a_dialogue_keeps_its_framework_when_that_goes_back_to_draft(app, client, auth):
    """Editing such a dialogue still works: keeping the framework is not choosing a draft."""
    admin = make_user(app, Role.ADMIN, locale="en")
    framework = make_framework(app, status=FrameworkStatus.CONSULTATION.value)
    dialogue = make_dialogue(app, framework)
    with app.app_context():
        db.session.get_one(Framework, framework.id).status = FrameworkStatus.DRAFT.value
        db.session.commit()
    auth.login(admin)
    form = _plan(framework)
    form.pop("slug")
    response = post_form(client, f"/dialogues/{dialogue.slug}/edit", form)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get_one(Dialogue, dialogue.id).title_sv == "Dialog om utkastet"
