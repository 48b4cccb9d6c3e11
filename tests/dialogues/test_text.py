"""No text lost: notes are stored as typed and shown escaped; rich text says what cleaning
would remove and stores it only once the author has confirmed."""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.contributions.models import WorkshopNote
from dialog.dialogues.models import Dialogue, FeedbackReport
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import make_user, post_form

# What people write: angle brackets, ampersands, emoji, RTL marks, combining characters.
NOTES = [
    "Vi vill ha <fler bänkar> vid ån",
    "a < b & b > c",
    "<3 Kolsva",
    "Fika & samtal &amp; mer",
    "Glass 🍦 och 👩🏽‍🦽 överallt",
    "\u200fمرحبا بكم\u200f vid torget",
    "Cafe\u0301 vid A\u030angermanälven",
    '<script>alert("x")</script><img src=x onerror=alert(1)>',
]
VOID_TAGS = frozenset({"br", "img", "input", "meta", "link", "hr"})


class _ElementTexts(HTMLParser):
    """The text of every element with a class, and the tags found inside those elements."""

    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.depth = 0
        self.texts: list[str] = []
        self.inner_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.inner_tags.append(tag)
            self.depth += tag not in VOID_TAGS
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1] += data


def _texts_of(page: str, css_class: str) -> tuple[list[str], list[str]]:
    parser = _ElementTexts(css_class)
    parser.feed(page)
    return parser.texts, parser.inner_tags


def _stored_notes(app) -> list[str]:
    with app.app_context():
        notes = db.session.scalars(select(WorkshopNote).order_by(WorkshopNote.id))
        return [note.body_text for note in notes]


@pytest.fixture
def running(app, client, auth):
    """An open workshop, and its facilitator logged in (in English)."""
    facilitator = make_user(app, Role.FACILITATOR, locale="en")
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, facilitators=[facilitator.id], starts_in=None)
    auth.login(facilitator)
    return framework, dialogue


def test_captured_notes_are_stored_and_shown_exactly_as_typed(app, client, running):
    """Each captured line is stored as typed and the public page shows it as text."""
    _, dialogue = running
    response = post_form(
        client,
        f"/dialogues/{dialogue.slug}/capture",
        {"lines": "\r\n".join(f"  {note}  " for note in NOTES), "group": "residents", "goal": ""},
    )
    assert response.status_code == 302
    assert _stored_notes(app) == NOTES

    public = app.test_client().get(f"/dialogues/{dialogue.slug}/inputs").get_data(as_text=True)
    texts, inner_tags = _texts_of(public, "note-body")
    assert sorted(texts) == sorted(NOTES)
    # Escaped, never markup: nothing typed became an element of the page.
    assert inner_tags == []
    assert "<script>" not in public
    assert "<fler" not in public


def test_imported_notes_are_stored_exactly_as_written_in_the_file(app, client, running):
    """A CSV import keeps angle brackets, ampersands, emoji, RTL marks and combining marks."""
    _, dialogue = running
    rows = "".join('"{text}";invånare\n'.format(text=note.replace('"', '""')) for note in NOTES)
    path = f"/dialogues/{dialogue.slug}/import"
    preview = post_form(client, path, {"csv_text": f"text;group\n{rows}", "preview": "Preview"})
    page = preview.get_data(as_text=True)
    assert f"{len(NOTES)} rows can be imported." in page
    assert escape("Vi vill ha <fler bänkar> vid ån") in page
    response = post_form(
        client, path, {"csv_text": f"text;group\n{rows}", "confirm": "Import"}, source=path
    )
    assert response.status_code == 302
    assert _stored_notes(app) == NOTES


def test_a_corrected_note_keeps_what_was_typed(app, client, running):
    """A correction is plain text too: stored as typed, shown in the form as typed."""
    _, dialogue = running
    post_form(
        client,
        f"/dialogues/{dialogue.slug}/capture",
        {"lines": "Fler bänkar", "group": "residents", "goal": ""},
    )
    with app.app_context():
        note_id = db.session.scalar(select(WorkshopNote.id))
    path = f"/dialogues/{dialogue.slug}/notes/{note_id}"
    typed = "Vi vill ha <fler bänkar> vid ån\r\n<3 & \u200fé\u0301 🍦"
    response = post_form(client, path, {"text": typed, "group": "seniors", "goal": ""})
    assert response.status_code == 302
    assert _stored_notes(app) == ["Vi vill ha <fler bänkar> vid ån\n<3 & \u200fé\u0301 🍦"]
    form = client.get(path).get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*id="text"[^>]*>(.*?)</textarea>', form, re.DOTALL)
    assert textarea is not None
    assert unescape(textarea.group(1)).strip() == typed.replace("\r\n", "\n")


@pytest.fixture
def closed(app, client, auth):
    """A closed workshop, and its facilitator logged in (in English)."""
    facilitator = make_user(app, Role.FACILITATOR, locale="en")
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="closed", facilitators=[facilitator.id])
    auth.login(facilitator)
    return dialogue


def _report_form(**changes: str) -> dict[str, str]:
    return {
        "heard_sv": "Vi hörde mycket.",
        "next_steps_sv": "Förslagen går till fullmäktige.",
        "decisions_expected_sv": "I december",
        **changes,
    }


def _stored_report(app, slug: str) -> FeedbackReport | None:
    with app.app_context():
        dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == slug))
        report = dialogue.report if dialogue else None
        db.session.expunge_all()
        return report


def test_report_text_with_brackets_and_symbols_is_kept(app, client, closed):
    """Rich text that cleaning keeps whole is stored at once and shown as written."""
    heard = "a < b & b > c, <3 🍦 \u200fمرحبا\u200f Cafe\u0301"
    response = post_form(
        client, f"/dialogues/{closed.slug}/report", _report_form(heard_sv=heard, publish="x")
    )
    assert response.status_code == 302
    report = _stored_report(app, closed.slug)
    assert report is not None
    assert report.heard_text_sv == heard
    assert report.published_at is not None

    visitor = app.test_client()
    page = visitor.get(f"/dialogues/{closed.slug}").get_data(as_text=True)
    assert escape(heard) in page
    api = visitor.get(f"/api/v1/dialogues/{closed.slug}?lang=sv").get_json()
    assert api["feedback_report"]["heard"] == heard


def test_the_report_shows_what_cleaning_would_remove_and_waits_for_confirmation(
    app, client, closed
):
    """Text the allowlist would cut is shown as it would be stored; it is saved only once
    the author sends the same text again with the confirmation."""
    path = f"/dialogues/{closed.slug}/report"
    typed = "<p>Vi vill ha <fler bänkar> vid ån</p>"
    response = post_form(client, path, _report_form(heard_sv=typed, save="Save"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Some of what you wrote is not allowed and would be removed." in page
    # What would be stored, and the typed text still in the form.
    assert f"<pre>{escape('<p>Vi vill ha  vid ån</p>')}</pre>" in page
    assert escape(typed) in page
    assert _stored_report(app, closed.slug) is None
    confirmation = re.search(r'name="confirm_cleaning" type="hidden" value="(\w+)"', page)
    assert confirmation is not None

    # A changed text is checked again: the earlier confirmation does not cover it.
    changed = "<p>Vi vill ha <fler bord> vid ån</p>"
    response = post_form(
        client,
        path,
        _report_form(heard_sv=changed, save="Save", confirm_cleaning=confirmation.group(1)),
    )
    assert "would be removed" in response.get_data(as_text=True)
    assert _stored_report(app, closed.slug) is None

    response = post_form(
        client,
        path,
        _report_form(heard_sv=typed, save="Save", confirm_cleaning=confirmation.group(1)),
    )
    assert response.status_code == 302
    report = _stored_report(app, closed.slug)
    assert report is not None
    assert report.heard_html_sv == "<p>Vi vill ha  vid ån</p>"


def test_a_description_that_would_lose_text_is_confirmed_first(app, client, auth):
    """The dialogue's description is rich text: the planning form asks before cutting."""
    admin = make_user(app, Role.ADMIN, locale="en")
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework)
    auth.login(admin)
    path = f"/dialogues/{dialogue.slug}/edit"
    form = {
        "title_sv": "Workshop",
        "description_sv": "<p>Kom!</p><script>x()</script>",
        "framework": str(framework.id),
        "format": "workshop",
        "audiences": ["residents"],
        "level": "dialogue",
        "moderation": "after",
    }
    response = post_form(client, path, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<pre>{escape('<p>Kom!</p>x()')}</pre>" in page
    with app.app_context():
        assert db.session.get(Dialogue, dialogue.id).description_text_sv == (
            "Vi vill höra vad du tycker."
        )
    confirmation = re.search(r'name="confirm_cleaning" type="hidden" value="(\w+)"', page)
    assert confirmation is not None
    response = post_form(client, path, {**form, "confirm_cleaning": confirmation.group(1)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Dialogue, dialogue.id).description_html_sv == "<p>Kom!</p>x()"
