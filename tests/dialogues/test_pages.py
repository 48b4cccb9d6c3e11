"""The public pages: the list and its filters, a dialogue's page in both languages, the
goal page's dialogues, and query counts that do not grow with the data."""

from __future__ import annotations

import re

from flask import render_template_string

from dialog.dialogues.queries import dialogues_for_goal
from tests.dialogues.factories import make_dialogue, make_framework, make_note

ENGLISH = {"Accept-Language": "en"}


def test_the_list_filters_by_time_framework_format_and_audience(app, client):
    """The list filters by time, framework, format and audience; unknown values are ignored."""
    koping = make_framework(app, slug="koping")
    other = make_framework(app, slug="annan")
    make_dialogue(app, koping, slug="d-open", status="open", title_en=None)
    make_dialogue(app, koping, slug="d-planned", status="planned", title_en=None)
    make_dialogue(
        app,
        other,
        slug="d-past",
        status="reported",
        report=True,
        format="citizen_dialogue",
        audiences=("unions",),
        title_en=None,
    )

    def shown(query: str) -> set[str]:
        page = client.get(f"/dialogues{query}", headers=ENGLISH).get_data(as_text=True)
        return {slug for slug in ("d-open", "d-planned", "d-past") if f'/dialogues/{slug}"' in page}

    assert shown("") == {"d-open", "d-planned", "d-past"}
    assert shown("?when=open") == {"d-open"}
    assert shown("?when=upcoming") == {"d-planned"}
    assert shown("?when=past") == {"d-past"}
    assert shown("?framework=koping") == {"d-open", "d-planned"}
    assert shown("?format=citizen_dialogue") == {"d-past"}
    assert shown("?audience=unions") == {"d-past"}
    assert shown("?audience=residents&when=open") == {"d-open"}
    # Unknown values are ignored rather than answered with an error.
    assert shown("?when=someday&format=x") == {"d-open", "d-planned", "d-past"}


def test_the_dialogue_page_explains_the_level_and_shows_what_happened(app, client):
    """A dialogue's page explains its level and shows place, focus goals, headcount and report."""
    framework = make_framework(app)
    dialogue = make_dialogue(
        app,
        framework,
        status="reported",
        report=True,
        level="consult",
        focus=("1.1", "2.1"),
        headcount={"residents": 30, "seniors": 4},
    )
    make_note(app, dialogue)
    page = client.get(f"/dialogues/{dialogue.slug}", headers=ENGLISH).get_data(as_text=True)
    assert "<h1>A workshop</h1>" in page
    assert "Level: Consult" in page
    assert "We ask for your views before we decide." in page
    assert "Kolsva bibliotek, Centrumvägen 1, Kolsva" in page
    assert f"/goals/{framework.slug}/{framework.goals['2.1']}" in page
    assert "1 input so far." in page
    assert '<th scope="row">Residents</th><td>30</td>' in page
    assert "<td>34</td>" in page
    assert "What we heard" in page
    assert "Vi hörde mycket." in page
    assert "December 2019" in page
    assert page.count("<h1") == 1


def test_both_languages(app, client):
    """A dialogue is shown in English where translated, else in Swedish marked with lang="sv"."""
    framework = make_framework(app)
    translated = make_dialogue(app, framework, title_en="Workshop on housing")
    swedish_only = make_dialogue(app, framework, title_en=None)
    english = client.get(f"/dialogues/{translated.slug}", headers=ENGLISH).get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Workshop on housing" in english
    swedish = client.get(
        f"/dialogues/{translated.slug}", headers={"Accept-Language": "sv"}
    ).get_data(as_text=True)
    assert '<html lang="sv">' in swedish
    assert f"<h1>Workshop {translated.slug}</h1>" in swedish
    # Content not translated falls back to Swedish and says so with a lang attribute.
    fallback = client.get(f"/dialogues/{swedish_only.slug}", headers=ENGLISH).get_data(as_text=True)
    assert f'<h1 lang="sv">Workshop {swedish_only.slug}</h1>' in fallback


def test_the_example_data_is_marked(app, client):
    """A dialogue loaded as example data says so on its page."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework)
    with app.app_context():
        from dialog.dialogues.models import Dialogue
        from dialog.extensions import db

        db.session.get(Dialogue, dialogue.id).is_example = True
        db.session.commit()
    page = client.get(f"/dialogues/{dialogue.slug}", headers=ENGLISH).get_data(as_text=True)
    assert "Example data" in page


def test_a_goal_lists_the_dialogues_that_asked_about_it(app):
    """A goal's section lists only the dialogues focused on it, or says none has asked yet."""
    framework = make_framework(app)
    asked = make_dialogue(app, framework, focus=("1.1", "2.1"))
    make_dialogue(app, framework, focus=("2.1",))
    with app.test_request_context(headers=ENGLISH):
        found = dialogues_for_goal(framework.goals["1.1"])
        assert [dialogue.slug for dialogue in found] == [asked.slug]
        html = render_template_string(
            '{% include "dialogues/_for_goal.html" %}', goal={"id": framework.goals["1.1"]}
        )
        assert "Dialogues that asked about this goal" in html
        assert f'href="/dialogues/{asked.slug}"' in html
        nothing = render_template_string(
            '{% set goal = {"id": -1} %}{% include "dialogues/_for_goal.html" %}'
        )
        assert "No dialogue has asked about this goal yet." in nothing


def _many(app, framework, count: int) -> None:
    for number in range(count):
        dialogue = make_dialogue(
            app,
            framework,
            focus=("1", "1.1", "2.1"),
            audiences=("residents", "youth"),
            headcount={"residents": number + 1, "seniors": 2},
            registration=True,
        )
        make_note(app, dialogue)


def test_query_counts_do_not_grow_with_the_data(app, client, count_queries):
    """The list, a dialogue's page and the API cost at most 10 queries, for 3 dialogues or 28."""
    framework = make_framework(app)
    _many(app, framework, 2)
    first = make_dialogue(app, framework, report=True, status="reported", focus=("1", "2"))
    with count_queries() as small_list:
        assert client.get("/dialogues").status_code == 200
    with count_queries() as small_page:
        assert client.get(f"/dialogues/{first.slug}").status_code == 200
    with count_queries() as small_api:
        assert client.get("/api/v1/dialogues").status_code == 200
    _many(app, framework, 25)
    for _ in range(5):
        make_note(app, first)
    with count_queries() as large_list:
        assert client.get("/dialogues").status_code == 200
    with count_queries() as large_page:
        assert client.get(f"/dialogues/{first.slug}").status_code == 200
    with count_queries() as large_api:
        assert client.get("/api/v1/dialogues").status_code == 200
    assert len(large_list) == len(small_list) <= 10
    assert len(large_page) == len(small_page) <= 10
    assert len(large_api) == len(small_api) <= 10


def test_the_input_count_and_its_link_read_as_two_sentences_in_both_languages(app, client):
    """A space between "… so far." and the link, as a reader sees the rendered text."""
    dialogue = make_dialogue(app, make_framework(app))
    for _ in range(9):
        make_note(app, dialogue)

    def text(headers: dict[str, str]) -> str:
        page = client.get(f"/dialogues/{dialogue.slug}", headers=headers).get_data(as_text=True)
        return " ".join(re.sub(r"<[^>]+>", "", page).split())

    assert "9 synpunkter hittills. Läs vad som sades" in text({})
    assert "9 inputs so far. Read what was said" in text(ENGLISH)
