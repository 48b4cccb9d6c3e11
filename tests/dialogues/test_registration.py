"""Signing up for an event: capacity, the waiting list moving up when someone cancels by
the link in their email, the facilitator's list and CSV, and the calendar file."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.core.models import OutboxMessage
from dialog.dialogues.models import Dialogue, Registration
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import make_user, post_form

CANCEL_LINK = re.compile(r"http://localhost(/dialogues/cancel/[\w-]+)")


def _sign_up(client, slug: str, name: str, email: str, needs: str = ""):
    return post_form(
        client,
        f"/dialogues/{slug}/register",
        {"name": name, "email": email, "needs": needs, "accept": "y"},
    )


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(messages)


def _statuses(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
        return {row.email: row.status for row in rows}


def test_capacity_fills_then_the_waiting_list_moves_up_on_cancel(app, client):
    """Sign-ups past capacity wait in order; cancelling by the mailed link moves the next one up."""
    client.set_cookie("lang", "en")
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="planned", registration=True, capacity=2)
    for name in ("anna", "bo", "cecilia", "david"):
        response = _sign_up(client, dialogue.slug, name.title(), f"{name}@example.se")
        assert response.status_code == 302
    assert _statuses(app) == {
        "anna@example.se": "confirmed",
        "bo@example.se": "confirmed",
        "cecilia@example.se": "waiting",
        "david@example.se": "waiting",
    }
    messages = _outbox(app)
    assert [m.recipient for m in messages] == [
        "anna@example.se",
        "bo@example.se",
        "cecilia@example.se",
        "david@example.se",
    ]
    assert messages[0].subject.startswith("You have a place")
    assert "number 1 on the waiting list" in messages[2].body
    assert "number 2 on the waiting list" in messages[3].body
    assert f"/dialogues/{dialogue.slug}/event.ics" in messages[0].body
    cancel_path = CANCEL_LINK.search(messages[1].body).group(1)

    # The link shows a confirmation page; only the form cancels (mail scanners follow links).
    page = client.get(cancel_path)
    assert page.status_code == 200
    assert _statuses(app)["bo@example.se"] == "confirmed"
    response = post_form(client, cancel_path, {})
    assert response.status_code == 302
    assert _statuses(app) == {
        "anna@example.se": "confirmed",
        "bo@example.se": "cancelled",
        "cecilia@example.se": "confirmed",
        "david@example.se": "waiting",
    }
    promotion = _outbox(app)[-1]
    assert promotion.recipient == "cecilia@example.se"
    assert promotion.subject.startswith("A place has opened up")
    assert CANCEL_LINK.search(promotion.body)
    # Cancelling twice changes nothing and promotes nobody else.
    assert "already cancelled" in client.get(cancel_path).get_data(as_text=True)
    post_form(client, cancel_path, {}, source="/login")
    assert _statuses(app)["david@example.se"] == "waiting"


def test_signing_up_again_sends_a_fresh_link_instead_of_a_second_place(app, client):
    """Signing up again with the same address keeps one place and replaces the cancel link."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="planned", registration=True, capacity=1)
    _sign_up(client, dialogue.slug, "Anna", "anna@example.se")
    _sign_up(client, dialogue.slug, "Anna", "ANNA@example.se")
    assert _statuses(app) == {"anna@example.se": "confirmed"}
    first, second = (CANCEL_LINK.search(m.body).group(1) for m in _outbox(app))
    assert first != second
    assert client.get(first).status_code == 404  # the older link no longer works
    assert client.get(second).status_code == 200


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(app, client):
    """A sign-up with a bad address and no consent names both errors and keeps the text."""
    client.set_cookie("lang", "en")
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="planned", registration=True)
    response = post_form(
        client,
        f"/dialogues/{dialogue.slug}/register",
        {"name": "Anna Andersson", "email": "not-an-email", "needs": "Teckentolk"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Anna Andersson" in page
    assert "Teckentolk" in page
    assert "not-an-email" in page
    assert "Enter an email address like name@example.se." in page
    assert "You need to accept how your personal data is handled." in page
    assert _statuses(app) == {}


def test_registration_is_closed_when_the_event_has_begun_or_has_none(app, client):
    """No one can sign up once the event has begun, or for one without registration."""
    framework = make_framework(app)
    started = make_dialogue(app, framework, status="open", registration=True, starts_in=None)
    without = make_dialogue(app, framework, status="planned", registration=False)
    for slug in (started.slug, without.slug):
        assert client.get(f"/dialogues/{slug}/register").status_code == 302
        response = post_form(
            client,
            f"/dialogues/{slug}/register",
            {"name": "Anna", "email": "anna@example.se", "accept": "y"},
            source="/login",
        )
        assert response.status_code == 302
    assert _statuses(app) == {}


def test_registrants_are_never_public(app, client):
    """A registrant's name, address and needs appear on no public page, API answer or calendar."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="planned", registration=True, capacity=5)
    _sign_up(client, dialogue.slug, "Hemlig Person", "hemlig@example.se", "Rullstol")
    client = app.test_client()  # someone else, who was not told "thank you, hemlig@…"
    for path in (
        f"/dialogues/{dialogue.slug}",
        "/dialogues",
        f"/api/v1/dialogues/{dialogue.slug}",
        "/api/v1/dialogues",
        f"/dialogues/{dialogue.slug}/event.ics",
    ):
        text = client.get(path).get_data(as_text=True)
        assert "hemlig" not in text.lower(), path
        assert "Rullstol" not in text, path
    assert client.get(f"/dialogues/{dialogue.slug}/registrations").status_code == 302


def test_the_facilitator_sees_and_exports_the_list(app, client, auth):
    """The facilitator sees the registrants and gets them as CSV, formulas written as text."""
    facilitator = make_user(app, Role.FACILITATOR)
    framework = make_framework(app)
    dialogue = make_dialogue(
        app,
        framework,
        status="planned",
        registration=True,
        capacity=1,
        facilitators=[facilitator.id],
    )
    _sign_up(client, dialogue.slug, "Anna", "anna@example.se", "Tolk till somaliska")
    _sign_up(client, dialogue.slug, "=HYPERLINK(1)", "bo@example.se")
    auth.login(facilitator)
    page = client.get(f"/dialogues/{dialogue.slug}/registrations").get_data(as_text=True)
    assert "anna@example.se" in page
    assert "Tolk till somaliska" in page
    response = client.get(f"/dialogues/{dialogue.slug}/registrations.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("Anna;anna@example.se;Tolk till somaliska;")
    # A name a spreadsheet would run as a formula is written as text.
    assert lines[2].startswith("'=HYPERLINK(1);bo@example.se;;")


def test_every_event_has_a_calendar_file(app, client):
    """An event in a place has an iCalendar file with UTC times; an online one has none."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="planned")
    online = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    response = client.get(f"/dialogues/{dialogue.slug}/event.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert f"UID:dialogue-{dialogue.id}@localhost\r\n" in body
    assert re.search(r"DTSTART:\d{8}T\d{6}Z\r\n", body)
    assert "LOCATION:Kolsva bibliotek\\, Centrumvägen 1\\, Kolsva\r\n" in body
    assert client.get(f"/dialogues/{online.slug}/event.ics").status_code == 404


def _set_times(app, dialogue_id: int, starts_at: datetime, ends_at: datetime) -> None:
    with app.app_context():
        found = db.session.get_one(Dialogue, dialogue_id)
        found.starts_at, found.ends_at = starts_at, ends_at
        db.session.commit()


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "on_page", "in_mail"),
    [
        # The same day in UTC, but past midnight in Stockholm (UTC+1 in January).
        (
            datetime(2099, 1, 15, 22, 30, tzinfo=UTC),
            datetime(2099, 1, 15, 23, 30, tzinfo=UTC),
            "15 January 2099, 23:30 – 16 January 2099, 00:30",
            "Thursday 15 January 2099, 23:30 – Friday 16 January 2099, 00:30",
        ),
        # Two days in UTC, one night in Stockholm.
        (
            datetime(2099, 1, 15, 23, 30, tzinfo=UTC),
            datetime(2099, 1, 16, 0, 30, tzinfo=UTC),
            "16 January 2099, 00:30–01:30",
            "Friday 16 January 2099, 00:30–01:30",
        ),
    ],
)
def test_event_times_follow_the_stockholm_day_on_the_page_and_in_the_mail(
    app, client, starts_at, ends_at, on_page, in_mail
):
    """An event's time reads the same, by the Swedish calendar day, on its page and in mail."""
    client.set_cookie("lang", "en")
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="planned", registration=True)
    _set_times(app, dialogue.id, starts_at, ends_at)
    page = client.get(f"/dialogues/{dialogue.slug}").get_data(as_text=True)
    assert on_page in page
    assert _sign_up(client, dialogue.slug, "Anna", "anna@example.se").status_code == 302
    assert f"When: {in_mail}\n" in _outbox(app)[-1].body
