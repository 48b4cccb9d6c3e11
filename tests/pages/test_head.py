"""What every page's head carries: a meta description of its own and the site's icon."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import update

from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Goal
from tests.dialogues.factories import make_dialogue
from tests.dialogues.factories import make_framework as make_dialogue_framework
from tests.goals.factories import make_framework, sub_goal_ids

ENGLISH = {"Accept-Language": "en"}
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def _description(page: str) -> str:
    found = _DESCRIPTION.findall(page)
    assert len(found) == 1, found
    return html.unescape(found[0])


@pytest.mark.parametrize(
    "path", ["/", "/goals", "/dialogues", "/accessibility", "/privacy", "/login", "/no-such-page"]
)
@pytest.mark.parametrize("headers", [{}, ENGLISH], ids=["sv", "en"])
def test_every_page_has_one_description_and_the_icon(client, path, headers):
    """A non-empty description of at most 160 characters, and a link to the SVG icon."""
    page = client.get(path, headers=headers).get_data(as_text=True)
    description = _description(page)
    assert 40 <= len(description) <= 160
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_the_default_description_names_the_municipality_in_each_language(client):
    """Pages without their own text describe the site, in the reader's language."""
    swedish = _description(client.get("/").get_data(as_text=True))
    english = _description(client.get("/", headers=ENGLISH).get_data(as_text=True))
    assert swedish.startswith("Testkommunen: delta i medborgardialoger")
    assert english.startswith("Testkommunen: take part in citizen dialogues")


def test_a_goal_page_is_described_by_its_statement(app, client):
    """The goal's statement, in the reader's language where it has one."""
    framework = make_framework(app, slug="beskriven")
    goal_id = sub_goal_ids(app, framework)[0]
    with app.app_context():
        db.session.execute(
            update(Goal)
            .where(Goal.id == goal_id)
            .values(statement_sv="Alla ska kunna gå till skolan.", statement_en="Everyone walks.")
        )
        db.session.commit()
    path = f"/goals/{framework.slug}/{goal_id}"
    assert _description(client.get(path).get_data(as_text=True)) == "Alla ska kunna gå till skolan."
    assert _description(client.get(path, headers=ENGLISH).get_data(as_text=True)) == (
        "Everyone walks."
    )


def test_a_long_dialogue_summary_is_trimmed_at_a_word_and_escaped(app, client):
    """About 160 characters, cut between words with an ellipsis; quotes and tags stay text."""
    dialogue = make_dialogue(app, make_dialogue_framework(app))
    summary = 'Säg "vad" du tycker <script>alert(1)</script> om a < b & c. ' + "Ordet " * 40
    with app.app_context():
        db.session.execute(
            update(Dialogue).where(Dialogue.id == dialogue.id).values(description_text_sv=summary)
        )
        db.session.commit()
    page = client.get(f"/dialogues/{dialogue.slug}").get_data(as_text=True)
    raw = _DESCRIPTION.search(page)
    assert raw is not None
    assert "<script>" not in raw.group(1)
    assert "&#34;vad&#34;" in raw.group(1) or "&quot;vad&quot;" in raw.group(1)
    description = _description(page)
    assert description.startswith(
        'Säg "vad" du tycker <script>alert(1)</script> om a < b & c. Ordet'
    )
    assert len(description) <= 160
    assert description.endswith("Ordet…")


def test_the_browsers_own_icon_request_gets_the_icon_cacheable(client):
    """/favicon.ico answers with the SVG icon, cacheable for a week, and revalidates."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).startswith("<svg")
    assert response.cache_control.public
    assert response.cache_control.max_age == 7 * 24 * 3600
    again = client.get("/favicon.ico", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    static = client.get("/static/favicon.svg")
    assert static.data == response.data
    static.close()
