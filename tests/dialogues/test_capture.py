"""Capturing a workshop: each line a note with its group and goal, the CSV import with a
preview and a report of rejected rows, the headcount, correcting and hiding a note."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role, User
from dialog.contributions import services as contributions
from dialog.contributions.models import Contribution, GoalLink, GoalRelation, WorkshopNote
from dialog.core.models import AuditEvent
from dialog.dialogues import services
from dialog.dialogues.imports import NoteRow
from dialog.dialogues.models import Dialogue, Headcount
from dialog.extensions import db
from dialog.goals.models import Goal
from tests.dialogues.factories import make_dialogue, make_framework, make_note
from tests.helpers import csrf_token, make_user, post_form


@pytest.fixture
def running(app, client, auth):
    """An open workshop, and its facilitator logged in (in English)."""
    facilitator = make_user(app, Role.FACILITATOR, locale="en")
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, facilitators=[facilitator.id], starts_in=None)
    auth.login(facilitator)
    client.set_cookie("lang", "en")
    return facilitator, framework, dialogue


def _notes(app) -> list[tuple[str, str, str | None, list[tuple[int, str]]]]:
    with app.app_context():
        notes = db.session.scalars(select(WorkshopNote).order_by(WorkshopNote.id)).all()
        return [
            (
                note.body_text,
                note.participant_group,
                note.status,
                [(link.goal_id, link.relation) for link in note.goal_links],
            )
            for note in notes
        ]


def test_each_line_becomes_a_note_with_group_and_suggested_goal(app, client, running):
    """Each non-blank line, bullet stripped, sanitised, is a published note with group and goal."""
    facilitator, framework, dialogue = running
    goal = framework.goals["2.1"]
    response = post_form(
        client,
        f"/dialogues/{dialogue.slug}/capture",
        {
            "lines": "Fler hyresrätter i centrum\n\n- Bättre belysning vid ån\n"
            "• Trygga gångvägar <script>alert(1)</script>\n   \n",
            "group": "politicians",
            "goal": str(goal),
        },
    )
    assert response.status_code == 302
    # The next batch keeps the group and goal chosen.
    assert "group=politicians" in response.location
    assert f"goal={goal}" in response.location
    notes = _notes(app)
    assert [note[0] for note in notes] == [
        "Fler hyresrätter i centrum",
        "Bättre belysning vid ån",
        "Trygga gångvägar <script>alert(1)</script>",
    ]
    assert {note[1] for note in notes} == {"politicians"}
    assert {note[2] for note in notes} == {"published"}
    assert all(note[3] == [(goal, "suggested")] for note in notes)
    with app.app_context():
        stored = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
        assert {type(note) for note in stored} == {WorkshopNote}
        assert {note.kind for note in stored} == {"workshop_note"}
        # Kept as typed, and shown as text: the HTML is the escaped text.
        assert all("<script" not in note.body_html for note in stored)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in stored[2].body_html
        assert all(note.created_by_id == facilitator.id for note in stored)
    page = client.get(f"/dialogues/{dialogue.slug}").get_data(as_text=True)
    assert "3 inputs so far." in page


def test_a_note_without_a_goal_has_no_link(app, client, running):
    """A note captured with no goal chosen gets no goal link."""
    _, _, dialogue = running
    post_form(
        client,
        f"/dialogues/{dialogue.slug}/capture",
        {"lines": "Torget behöver mer liv", "group": "residents", "goal": ""},
    )
    assert _notes(app) == [("Torget behöver mer liv", "residents", "published", [])]


def test_capture_is_refused_when_closed_and_the_text_is_kept(app, client, auth):
    """Capturing into a closed dialogue re-shows the form with the reason and the text typed."""
    facilitator = make_user(app, Role.FACILITATOR, locale="en")
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="closed", facilitators=[facilitator.id])
    auth.login(facilitator)
    client.set_cookie("lang", "en")
    response = post_form(
        client,
        f"/dialogues/{dialogue.slug}/capture",
        {"lines": "En viktig synpunkt", "group": "residents", "goal": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The dialogue is not open for input." in page
    assert "En viktig synpunkt" in page
    assert _notes(app) == []


def test_a_goal_of_another_framework_is_refused(app, client, running):
    """A goal from another framework than the dialogue's is refused and nothing is stored."""
    _, _, dialogue = running
    other = make_framework(app)
    response = post_form(
        client,
        f"/dialogues/{dialogue.slug}/capture",
        {"lines": "En synpunkt", "group": "residents", "goal": str(other.goals["1"])},
    )
    assert response.status_code == 200
    assert _notes(app) == []


CSV = (
    "text;group;goal\n"
    "Fler bänkar längs ån;invånare;2.1\n"
    ";residents;1\n"
    "Bättre information om bygglov;företagare;9.9\n"
    '"Ungdomsråd,\nsom får svar";Young people;1.1\n'
    "Mer kollektivtrafik;marsmänniskor;\n"
    "Snabbare handläggning;Managers;\n"
)


def _preview(client, path: str, text: str) -> str:
    response = post_form(client, path, {"csv_text": text, "preview": "Preview"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_csv_import_previews_rejects_with_line_numbers_and_keeps_the_text(app, client, running):
    """The preview stores nothing and lists bad rows by line; confirming imports the good rows."""
    _, framework, dialogue = running
    path = f"/dialogues/{dialogue.slug}/import"
    page = _preview(client, path, CSV)
    assert "3 rows can be imported." in page
    assert "3 rows are rejected." in page
    assert "The text is empty." in page
    assert "“9.9” is not a goal of this framework." in page
    assert "“marsmänniskor” is not a known group." in page
    rejected = page[page.index("Rejected rows") : page.index("Rows to import")]
    assert [line for line in ('<th scope="row">3<', ">4<", ">7<") if line in rejected]
    for line in (3, 4, 7):
        assert f'<th scope="row">{line}</th>' in rejected
    # Nothing is stored by a preview, and the text stays in the form for the confirmation.
    assert _notes(app) == []
    assert "Fler bänkar längs ån;invånare;2.1" in page

    response = post_form(client, path, {"csv_text": CSV, "confirm": "Import"}, source=path)
    assert response.status_code == 302
    assert _notes(app) == [
        ("Fler bänkar längs ån", "residents", "published", [(framework.goals["2.1"], "suggested")]),
        (
            "Ungdomsråd,\nsom får svar",
            "youth",
            "published",
            [(framework.goals["1.1"], "suggested")],
        ),
        ("Snabbare handläggning", "managers", "published", []),
    ]
    flashes = client.get(f"/dialogues/{dialogue.slug}/notes").get_data(as_text=True)
    assert "3 notes are imported." in flashes
    assert "These lines were not imported: 3, 4, 7." in flashes


def test_the_csv_import_reads_an_uploaded_file(app, client, running):
    """An uploaded cp1252 CSV file is previewed and its text put in the box for confirming."""
    _, _, dialogue = running
    path = f"/dialogues/{dialogue.slug}/import"
    data = "Text,Grupp\nCykelvägar som hänger ihop,invånare\n".encode("cp1252")
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "file": (io.BytesIO(data), "anteckningar.csv"),
            "preview": "Preview",
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "1 row can be imported." in page
    assert "0 rows are rejected." in page
    # The file's text is now in the text box, so confirming imports what was previewed.
    assert "Cykelvägar som hänger ihop,invånare" in page


def test_a_huge_cell_is_a_rejected_row_and_the_others_are_previewed(app, client, running):
    """A 200,000-character cell is rejected with its line; the rows around it still count."""
    _, _, dialogue = running
    huge = "x" * 200_000
    text = f"text;group\nFörsta;invånare\n{huge};invånare\nTredje;unga\n"
    page = _preview(client, f"/dialogues/{dialogue.slug}/import", text)
    assert "2 rows can be imported." in page
    assert "1 row is rejected." in page
    rejected = page[page.index("Rejected rows") : page.index("Rows to import")]
    assert '<th scope="row">3</th>' in rejected
    assert "A cell is longer than 131,072 characters." in rejected
    assert huge not in rejected  # shown cut short


def test_no_note_is_stored_when_row_3_of_5_breaks_a_rule(app, running):
    """The import checks every row before the first write, so a refused import stores none."""
    _, _, dialogue = running
    rows = [NoteRow(line, f"Anteckning {line}", "residents") for line in range(2, 7)]
    rows[2] = NoteRow(4, "Anteckning 4", "martians")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(services.DialogueError) as error:
            services.import_notes(db.session.get(Dialogue, dialogue.id), rows, None)
        db.session.commit()  # the request commits a response that shows the error
    assert _notes(app) == []
    assert str(error.value) == "Line 4: Choose the participant group."


def test_the_csv_import_needs_a_header(app, client, running):
    """A CSV without a header row is refused with a message and nothing is stored."""
    _, _, dialogue = running
    path = f"/dialogues/{dialogue.slug}/import"
    response = post_form(client, path, {"csv_text": "Bara en rad;invånare\n", "confirm": "Import"})
    assert "The first row must name the columns" in response.get_data(as_text=True)
    assert _notes(app) == []


def test_the_headcount_per_group(app, client, running):
    """Headcounts per group are checked, stored, shown on the page, and a blank removes a group."""
    _, _, dialogue = running
    path = f"/dialogues/{dialogue.slug}/headcount"
    response = post_form(client, path, {"count_residents": "38", "count_seniors": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give a whole number, 0 or more." in page
    assert 'value="38"' in page
    response = post_form(client, path, {"count_residents": "38", "count_seniors": "14"})
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(Headcount).order_by(Headcount.group)).all()
        assert [(row.group, row.count) for row in rows] == [("residents", 38), ("seniors", 14)]
    page = client.get(f"/dialogues/{dialogue.slug}").get_data(as_text=True)
    assert "<caption>How many took part</caption>" in page
    post_form(client, path, {"count_residents": "40", "count_seniors": ""})
    with app.app_context():
        rows = db.session.scalars(select(Headcount)).all()
        assert [(row.group, row.count) for row in rows] == [("residents", 40)]


def test_a_note_is_corrected_with_who_and_when(app, client, running):
    """Correcting a note changes its text, group and goal, audited with actor, before and after."""
    facilitator, framework, dialogue = running
    note_id = make_note(app, dialogue, "Fler hyresrätter i centrm")
    path = f"/dialogues/{dialogue.slug}/notes/{note_id}"
    assert "Fler hyresrätter i centrm" in client.get(path).get_data(as_text=True)
    goal = framework.goals["2.1"]
    response = post_form(
        client, path, {"text": "Fler hyresrätter i centrum", "group": "youth", "goal": str(goal)}
    )
    assert response.status_code == 302
    assert _notes(app) == [
        ("Fler hyresrätter i centrum", "youth", "published", [(goal, "suggested")])
    ]
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "contribution_corrected")
        )
        assert event.actor_id == facilitator.id
        assert event.subject_id == note_id
        assert event.details["before"] == {
            "text": "Fler hyresrätter i centrm",
            "group": "residents",
            "goal_id": None,
        }
        assert event.details["after"]["goal_id"] == goal


def test_correcting_a_note_never_weakens_a_link_staff_confirmed(app, client, running):
    """Choosing an influenced goal as the note's goal keeps it influenced, with its rationale."""
    facilitator, framework, dialogue = running
    suggested, influenced = framework.goals["1.1"], framework.goals["2.1"]
    with app.app_context():
        actor = db.session.get(User, facilitator.id)
        note = contributions.add_workshop_note(
            dialogue.id, "Fler bänkar", "residents", db.session.get(Goal, suggested), actor
        )
        goal = db.session.get(Goal, influenced)
        contributions.link_goal(note, goal, GoalRelation.INFLUENCED, actor, "Blev delmål 2.1")
        db.session.commit()
        note_id = note.id
    path = f"/dialogues/{dialogue.slug}/notes/{note_id}"
    response = post_form(
        client, path, {"text": "Fler bänkar", "group": "residents", "goal": str(influenced)}
    )
    assert response.status_code == 302
    with app.app_context():
        links = db.session.scalars(select(GoalLink).where(GoalLink.contribution_id == note_id))
        assert [(link.goal_id, link.relation, link.rationale) for link in links] == [
            (influenced, "influenced", "Blev delmål 2.1")
        ]
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "contribution_corrected")
        )
        assert (event.details["before"]["goal_id"], event.details["after"]["goal_id"]) == (
            suggested,
            None,
        )


def test_a_note_is_hidden_with_a_reason_never_deleted_and_shown_again(app, client, running):
    """Hiding needs a reason, removes the note from public view only, and can be undone."""
    facilitator, _, dialogue = running
    note_id = make_note(app, dialogue, "Namn och telefonnummer till grannen")
    other = make_note(app, dialogue, "Bättre belysning")
    path = f"/dialogues/{dialogue.slug}/notes/{note_id}"
    response = post_form(client, f"{path}/hide", {"reason": ""}, source=path)
    assert response.status_code == 200
    assert "Fill this in." in response.get_data(as_text=True)
    response = post_form(
        client, f"{path}/hide", {"reason": "Innehåller personuppgifter"}, source=path
    )
    assert response.status_code == 302
    with app.app_context():
        note = db.session.get(WorkshopNote, note_id)
        assert note.status == "hidden"
        assert note.hidden_reason == "Innehåller personuppgifter"
        assert note.hidden_by_id == facilitator.id
        assert note.hidden_at is not None
        assert db.session.get(WorkshopNote, other).status == "published"
    public = app.test_client().get(f"/dialogues/{dialogue.slug}/inputs")
    text = public.get_data(as_text=True)
    assert "Bättre belysning" in text
    assert "telefonnummer" not in text
    staff = client.get(f"/dialogues/{dialogue.slug}/notes").get_data(as_text=True)
    assert "telefonnummer" in staff
    assert "Innehåller personuppgifter" in staff
    response = post_form(client, f"{path}/restore", {}, source=path)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(WorkshopNote, note_id).status == "published"
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["contribution_hidden", "contribution_restored"]


def test_notes_of_another_dialogue_are_not_found(app, client, running):
    """A note addressed through another dialogue's URL answers 404."""
    _, framework, dialogue = running
    elsewhere = make_dialogue(app, framework)
    note_id = make_note(app, elsewhere)
    assert client.get(f"/dialogues/{dialogue.slug}/notes/{note_id}").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(GoalLink)).all() == []
