"""Planning and running a dialogue through its pages: who may, what is stored, the status
form and the feedback report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.core.models import OutboxMessage
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import AuthActions, make_user, post_form


def _form(framework, **changes: str | list[str]) -> dict:
    data = {
        "slug": "munktorp-2019",
        "title_sv": "Medborgardialog i Munktorp",
        "title_en": "",
        "description_sv": "<p>Kom och tyck till!</p><p>Fika &amp; <em>samtal</em></p>",
        "framework": str(framework.id),
        "focus_goals": [str(framework.goals["1.1"]), str(framework.goals["2.1"])],
        "format": "citizen_dialogue",
        "audiences": ["residents", "seniors"],
        "level": "dialogue",
        "place_name": "Munktorps bygdegård",
        "starts_at": "2019-04-24T18:00",
        "ends_at": "2019-04-24T20:30",
        "moderation": "after",
        "registration_enabled": "y",
        "capacity": "40",
    }
    data.update(changes)
    return data


def _dialogue(app, slug: str) -> tuple[Dialogue, frozenset[int], list[int], list[str]]:
    """The stored dialogue (detached), its facilitators, focus goals and audiences."""
    with app.app_context():
        dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == slug))
        assert dialogue is not None
        related = (
            dialogue.facilitator_ids,
            [link.goal_id for link in dialogue.focus_links],
            dialogue.audiences,
        )
        db.session.expunge_all()
        return (dialogue, *related)


def test_a_facilitator_plans_a_dialogue_and_becomes_responsible(app, client, auth):
    """A facilitator's new dialogue is stored sanitised, in UTC, with them as its facilitator."""
    facilitator = make_user(app, Role.FACILITATOR, locale="en")
    framework = make_framework(app)
    auth.login(facilitator)
    response = post_form(client, "/dialogues/new", _form(framework, facilitators=[]))
    assert response.status_code == 302
    assert response.location == "/dialogues/munktorp-2019"
    dialogue, facilitator_ids, focus, audiences = _dialogue(app, "munktorp-2019")
    assert facilitator_ids == {facilitator.id}
    assert focus == [framework.goals["1.1"], framework.goals["2.1"]]
    assert audiences == ["residents", "seniors"]
    assert dialogue.status == "planned"
    # Typed in Swedish time (CEST in April), stored in UTC.
    assert dialogue.starts_at == datetime(2019, 4, 24, 16, 0, tzinfo=UTC)
    assert dialogue.description_html_sv == (
        "<p>Kom och tyck till!</p><p>Fika &amp; <em>samtal</em></p>"
    )
    assert dialogue.description_text_sv == "Kom och tyck till!\nFika & samtal"
    assert dialogue.capacity == 40
    manage = client.get("/dialogues/manage").get_data(as_text=True)
    assert "Medborgardialog i Munktorp" in manage


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "new"}, "Another dialogue already has this address."),
        ({"slug": "Inte OK"}, "Use lower-case letters"),
        ({"ends_at": "2019-04-24T17:00"}, "The end must come after the start."),
        ({"starts_at": "", "ends_at": ""}, "Registration is for events in a place"),
        ({"capacity": "0"}, "Give a whole number of places, at least 1."),
        ({"title_sv": ""}, "Fill this in."),
    ],
)
def test_planning_mistakes_are_shown_and_the_text_kept(app, client, auth, changes, message):
    """Each planning mistake is named on the re-shown form, the text stays and nothing is stored."""
    admin = make_user(app, Role.ADMIN, locale="en")
    framework = make_framework(app)
    auth.login(admin)
    response = post_form(client, "/dialogues/new", _form(framework, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "Munktorps bygdegård" in page
    with app.app_context():
        assert db.session.scalars(select(Dialogue)).all() == []


def test_focus_goals_must_belong_to_the_chosen_framework(app, client, auth):
    """A focus goal from another framework is refused with a message."""
    admin = make_user(app, Role.ADMIN, locale="en")
    framework = make_framework(app)
    other = make_framework(app)
    auth.login(admin)
    data = _form(framework, focus_goals=[str(other.goals["1"])])
    page = post_form(client, "/dialogues/new", data).get_data(as_text=True)
    assert "Choose focus goals of the chosen framework." in page


def test_facilitators_manage_only_their_own_dialogues_and_admins_all(app):
    """Only the dialogue's own facilitators and admins reach its staff pages and links."""
    mine = make_user(app, Role.FACILITATOR)
    theirs = make_user(app, Role.FACILITATOR)
    admin = make_user(app, Role.ADMIN)
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, facilitators=[theirs.id])
    pages = ("edit", "registrations", "capture", "import", "headcount", "notes", "report")
    for user, expected in ((mine, 403), (theirs, 200), (admin, 200)):
        client = app.test_client()
        AuthActions(client).login(user)
        for page in pages:
            assert client.get(f"/dialogues/{dialogue.slug}/{page}").status_code == expected
        public = client.get(f"/dialogues/{dialogue.slug}").get_data(as_text=True)
        assert (f"/dialogues/{dialogue.slug}/capture" in public) == (expected == 200)
        listed = client.get("/dialogues/manage").get_data(as_text=True)
        assert (f'/dialogues/{dialogue.slug}"' in listed) == (expected == 200)


def test_a_larger_capacity_gives_the_waiting_list_places(app, client, auth):
    """Raising the capacity moves the first on the waiting list to a place and mails them."""
    admin = make_user(app, Role.ADMIN)
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="planned", registration=True, capacity=1)
    visitor = app.test_client()
    for name in ("anna", "bo"):
        post_form(
            visitor,
            f"/dialogues/{dialogue.slug}/register",
            {"name": name, "email": f"{name}@example.se", "accept": "y"},
        )
    auth.login(admin)
    edit = f"/dialogues/{dialogue.slug}/edit"
    form = _form(framework, capacity="2", starts_at="2099-01-01T18:00", ends_at="2099-01-01T20:00")
    form.pop("slug")
    assert post_form(client, edit, form).status_code == 302
    with app.app_context():
        last = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[-1]
        assert last.recipient == "bo@example.se"


def test_the_status_form_and_the_report_before_reported(app, client, auth):
    """A dialogue is reported only after a complete report is published; registrants get mail."""
    facilitator = make_user(app, Role.FACILITATOR, locale="en")
    framework = make_framework(app)
    dialogue = make_dialogue(
        app, framework, status="open", facilitators=[facilitator.id], registration=True
    )
    post_form(
        app.test_client(),
        f"/dialogues/{dialogue.slug}/register",
        {"name": "Anna", "email": "anna@example.se", "accept": "y"},
    )
    auth.login(facilitator)
    page = f"/dialogues/{dialogue.slug}"
    post_form(client, f"{page}/status", {"status": "closed"}, source=page)
    response = post_form(client, f"{page}/status", {"status": "reported"}, source=page)
    assert "Publish the feedback report first" in client.get(response.location).get_data(
        as_text=True
    )
    report = f"{page}/report"
    response = post_form(
        client,
        report,
        {"heard_sv": "<p>Vi hörde om bostäder.</p>", "publish": "Publish"},
    )
    assert response.status_code == 200
    assert "Fill in what was heard" in response.get_data(as_text=True)
    response = post_form(
        client,
        report,
        {
            "heard_sv": "<p>Vi hörde om bostäder.</p>",
            "next_steps_sv": "<p>Kommunstyrelsen får förslagen.</p>",
            "decisions_expected_sv": "December 2019",
            "publish": "Publish",
        },
    )
    assert response.status_code == 302
    public = app.test_client().get(page).get_data(as_text=True)
    assert "Vi hörde om bostäder." in public
    assert "Kommunstyrelsen får förslagen." in public
    with app.app_context():
        assert db.session.scalar(select(Dialogue.status)) == "reported"
        last = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[-1]
        assert last.recipient == "anna@example.se"
        assert f"http://localhost/dialogues/{dialogue.slug}" in last.body
