"""Workshop notes with personal data: stored without holding up the capture, but held for an
editor, with the facilitator told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.contributions.models import WorkshopNote
from dialog.core.models import AuditEvent
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import make_user, post_form


@pytest.fixture
def running(app, client, auth):
    """An open workshop, and its facilitator logged in (in Swedish)."""
    facilitator = make_user(app, Role.FACILITATOR)
    dialogue = make_dialogue(
        app, make_framework(app), facilitators=[facilitator.id], starts_in=None
    )
    auth.login(facilitator)
    return dialogue


def _notes(app) -> list[tuple[str, str, list | None]]:
    with app.app_context():
        notes = db.session.scalars(select(WorkshopNote).order_by(WorkshopNote.id)).all()
        return [(note.body_text, note.status, note.personal_data_findings) for note in notes]


def _followed(client, path: str, data: dict[str, str]) -> str:
    """Post the form (residents' group unless given) and return the page it leads to."""
    response = post_form(client, path, {"group": "residents", "goal": "", **data})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return client.get(response.location).get_data(as_text=True)


def test_a_captured_note_with_a_phone_number_waits_and_the_facilitator_is_told(
    app, client, running
):
    """Notes are all stored; the one with a phone number waits, findings kept, with a notice."""
    lines = "Fler bänkar\nAnna vill bli kontaktad på 070-123 45 67"
    page = _followed(client, f"/dialogues/{running.slug}/capture", {"lines": lines})
    assert "2 anteckningar är sparade." in page
    assert "1 anteckning kan innehålla personuppgifter" in page
    assert _notes(app) == [
        ("Fler bänkar", "published", None),
        (
            "Anna vill bli kontaktad på 070-123 45 67",
            "pending",
            [{"kind": "phone", "field": "body", "start": 27, "end": 40}],
        ),
    ]
    listed = client.get(f"/dialogues/{running.slug}/notes").get_data(as_text=True)
    assert "Väntar på en redaktör" in listed
    public = client.get(f"/dialogues/{running.slug}").get_data(as_text=True)
    assert "070-123 45 67" not in public


def test_correcting_a_held_note_publishes_it_and_a_new_number_holds_it(app, client, running):
    """A held note corrected without the number is published; a number added holds it again."""
    _followed(client, f"/dialogues/{running.slug}/capture", {"lines": "Ring Anna 08-123 456 78"})
    assert _notes(app)[0][1] == "pending"
    with app.app_context():
        note_id = db.session.scalars(select(WorkshopNote.id)).one()
    path = f"/dialogues/{running.slug}/notes/{note_id}"
    post_form(client, path, {"text": "Ring Anna", "group": "residents", "goal": ""})
    assert _notes(app) == [("Ring Anna", "published", None)]
    page = _followed(client, path, {"text": "Mejla anna@example.se", "group": "residents"})
    assert "kan innehålla personuppgifter" in page
    assert _notes(app)[0][1] == "pending"
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_id == note_id)
        ).all()
    assert "contribution_published" in actions
    assert "contribution_held" in actions


def test_imported_notes_with_personal_data_wait(app, client, running):
    """A CSV import holds the rows with personal data the same way."""
    path = f"/dialogues/{running.slug}/import"
    rows = "text,group\nFler träd,residents\nMitt personnummer är 850709-9805,residents\n"
    page = _followed(client, path, {"csv_text": rows, "confirm": "1"})
    assert "1 anteckning kan innehålla personuppgifter" in page
    assert [note[1] for note in _notes(app)] == ["published", "pending"]
