"""Reference data kept in process memory is rebuilt after every change made through the app,
on every server, and never keeps what a transaction has written but not committed."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from dialog import create_app
from dialog.config import for_tests
from dialog.contributions.models import Proposal, WorkshopNote
from dialog.core.cache import freeze, reference_data, remembered_count
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Framework, Goal, GoalSdg, Indicator, Measurement
from tests.dialogues.factories import make_dialogue, make_framework, make_note
from tests.helpers import make_user

CSRF_FIELD = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')  # its value is signed with the time


def _retitle(app: Flask, slug: str, title: str) -> None:
    with app.app_context():
        db.session.execute(update(Framework).where(Framework.slug == slug).values(title_sv=title))
        db.session.commit()


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path, headers={"Accept-Language": "sv"})
    assert response.status_code == 200, path
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_retitled_framework_shows_at_once_on_every_page_that_lists_it(reference_on, client):
    """The goals list, the dialogue filter and the API show the new title on the next request."""
    framework = make_framework(reference_on)
    paths = ("/goals", "/dialogues", "/api/v1/frameworks?lang=sv")
    for path in paths:
        assert f"Mål {framework.slug}" in _page(client, path)
    assert "reference_data" in reference_on.extensions  # the lists came from memory
    _retitle(reference_on, framework.slug, "Nya målen")
    for path in paths:
        assert "Nya målen" in _page(client, path)


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_dialogue_page_shows_a_new_note_and_title_at_once(reference_on, client):
    """The dialogue's frozen copy and its counts are rebuilt after a change."""
    dialogue = make_dialogue(reference_on, make_framework(reference_on))
    page = _page(client, f"/dialogues/{dialogue.slug}")
    assert _page(client, f"/dialogues/{dialogue.slug}") == page  # now from memory
    make_note(reference_on, dialogue, "En ny anteckning")
    with reference_on.app_context():
        retitle = update(Dialogue).where(Dialogue.id == dialogue.id).values(title_sv="Ny titel")
        db.session.execute(retitle)
        db.session.commit()
    assert "Ny titel" in _page(client, f"/dialogues/{dialogue.slug}")
    assert "En ny anteckning" in _page(client, f"/dialogues/{dialogue.slug}/inputs")


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_change_through_one_server_is_seen_through_another(reference_on, database_url):
    """Another process's memory is rebuilt on its next request after the change."""
    other = create_app(for_tests(database_url, REFERENCE_CACHE=True))
    try:
        framework = make_framework(reference_on)
        visitor = other.test_client()
        assert f"Mål {framework.slug}" in _page(visitor, "/goals")
        _retitle(reference_on, framework.slug, "Omtryckta mål")
        assert "Omtryckta mål" in _page(visitor, "/goals")
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_data_read_after_an_uncommitted_write_is_not_kept(reference_on):
    """What a transaction reads after its own write may be rolled back: built, never kept."""
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    with reference_on.test_request_context():
        assert reference_data("test", build) == 1
        assert reference_data("test", build) == 1  # kept
        db.session.execute(update(Framework).values(title_en=None))
        assert reference_data("test", build) == 2
        assert reference_data("test", build) == 3  # not kept while the write is open
        db.session.rollback()
    with reference_on.test_request_context():
        assert reference_data("test", build) == 1  # what was kept before the write


def test_with_the_setting_off_it_is_built_on_every_call(app):
    """REFERENCE_CACHE off (as in the tests) reads the database every time."""
    builds: list[int] = []
    with app.test_request_context():
        reference_data("test", lambda: builds.append(1))
        reference_data("test", lambda: builds.append(1))
    assert len(builds) == 2


def _without_tokens(text: str) -> str:
    return CSRF_FIELD.sub("<csrf>", text)


@pytest.mark.commits  # the cache is used only for data that is committed
def test_pages_from_memory_are_the_pages_from_the_database(reference_on, client):
    """The goal pages and the API say the same built from frozen copies in memory."""
    result = reference_on.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with reference_on.app_context():
        indicator = db.session.scalars(
            select(Indicator).where(Indicator.measurements.any()).limit(1)
        ).one()
        goal, framework = indicator.goal, indicator.goal.framework
        linked = db.session.scalars(select(GoalSdg).limit(1)).one().goal
        dialogue = db.session.scalars(select(WorkshopNote).limit(1)).one().dialogue
        consultation = db.session.scalars(select(Proposal).limit(1)).one().dialogue
        paths = [
            "/goals",
            f"/goals/{framework.slug}",
            f"/goals/{framework.slug}/{goal.id}",
            f"/goals/{linked.framework.slug}/{linked.id}",
            f"/api/v1/frameworks/{framework.slug}?lang=sv",
            "/api/v1/frameworks?lang=en",
            "/dialogues",
            "/dialogues?when=past",
            "/api/v1/dialogues?lang=sv",
            "/api/v1/dialogues?lang=en&status=reported",
            f"/api/v1/dialogues/{dialogue.slug}?lang=sv",
            f"/api/v1/dialogues/{dialogue.slug}?lang=en",
            f"/api/v1/frameworks/{framework.slug}?lang=en",
            f"/dialogues/{dialogue.slug}",
            f"/dialogues/{dialogue.slug}/inputs",
            f"/dialogues/{dialogue.slug}/event.ics",
            "/goals/koping-2013-2019/compare/koping-2020-2027",
            f"/dialogues/{consultation.slug}/proposals",
            f"/dialogues/{consultation.slug}/proposals?sort=supported",
        ]
    reference_on.config["REFERENCE_CACHE"] = False
    from_database = {path: _without_tokens(_page(client, path)) for path in paths}
    reference_on.config["REFERENCE_CACHE"] = True
    for _ in range(2):  # built and kept, then from memory
        assert {path: _without_tokens(_page(client, path)) for path in paths} == from_database
    assert any(
        key.startswith("framework-tree:") for key in reference_on.extensions["reference_data"]
    )


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_list_count_is_kept_until_the_next_change(reference_on, client):
    """A paginated list counts its rows once per change, and again after one."""
    framework = make_framework(reference_on)
    make_dialogue(reference_on, framework)
    assert ">1 dialog<" in _page(client, "/dialogues")
    assert "counts" in reference_on.extensions  # the count was kept
    make_dialogue(reference_on, framework)
    assert ">2 dialoger<" in _page(client, "/dialogues")


@pytest.mark.commits  # kept only for committed data
def test_counts_of_other_parameters_are_their_own(reference_on):
    """The same list narrowed differently is counted for itself."""
    make_framework(reference_on, status="draft")
    with reference_on.test_request_context():
        drafts = select(Framework.id).where(Framework.status == "draft")
        adopted = select(Framework.id).where(Framework.status == "adopted")
        assert remembered_count(drafts) == 1
        assert remembered_count(adopted) == 0
        assert remembered_count(drafts) == 1
        assert len(reference_on.extensions["counts"]) == 2


def _chart_values(page: str) -> str:
    """The chart's text description (its <desc>), which names every measured value."""
    match = re.search(r"<desc[^>]*>(.*?)</desc>", page)
    assert match, "no chart on the page"
    return match.group(1)


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_goal_page_shows_a_new_dialogue_and_value_at_once(reference_on, client):
    """The goal's dialogues, charts and values, kept in memory, are read again after a change."""
    framework = make_framework(reference_on)
    goal_id = framework.goals["1.1"]
    with reference_on.app_context():
        indicator = Indicator(goal_id=goal_id, name_sv="Andel nöjda", name_en="Share satisfied")
        indicator.unit_sv = indicator.unit_en = "%"
        indicator.measurements = [Measurement(year=2020, value=40.5)]
        db.session.add(indicator)
        db.session.commit()
        measurement_id = indicator.measurements[0].id
    path = f"/goals/{framework.slug}/{goal_id}"
    english = {"Accept-Language": "en"}
    page = _page(client, path)
    assert _page(client, path) == page  # now from memory
    assert "2020: 40,5 %" in _chart_values(page)
    in_english = client.get(path, headers=english).get_data(as_text=True)
    assert "2020: 40.5 %" in _chart_values(in_english)  # each language its own chart
    assert "No dialogue has asked about this goal yet." in in_english
    dialogue = make_dialogue(reference_on, framework, focus=("1.1",))
    with reference_on.app_context():
        db.session.execute(
            update(Measurement).where(Measurement.id == measurement_id).values(value=41.0)
        )
        db.session.commit()
    page = _page(client, path)
    assert f'href="/dialogues/{dialogue.slug}"' in page
    assert "2020: 41 %" in _chart_values(page)
    assert "<td>41 %</td>" in page  # the table's value too
    in_english = client.get(path, headers=english).get_data(as_text=True)
    assert "2020: 41 %" in _chart_values(in_english)


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_dialogues_notes_page_shows_a_new_note_at_once(reference_on, client):
    """The notes page kept in memory is read again when a note is written or hidden."""
    dialogue = make_dialogue(reference_on, make_framework(reference_on))
    first = make_note(reference_on, dialogue, "Den första anteckningen")
    path = f"/dialogues/{dialogue.slug}/inputs"
    page = _page(client, path)
    assert _page(client, path) == page  # now from memory
    assert "Den första anteckningen" in page
    make_note(reference_on, dialogue, "En ny anteckning")
    assert "En ny anteckning" in _page(client, path)
    with reference_on.app_context():
        db.session.execute(
            update(WorkshopNote).where(WorkshopNote.id == first).values(status="hidden")
        )
        db.session.commit()
    assert "Den första anteckningen" not in _page(client, path)


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_the_api_answers_a_change_at_once_in_every_language(reference_on, client):
    """The API's dialogue JSON, kept in each language, shows a new title and count at once."""
    dialogue = make_dialogue(reference_on, make_framework(reference_on), title_en="A workshop")
    paths = ("/api/v1/dialogues?lang={}", f"/api/v1/dialogues/{dialogue.slug}?lang={{}}")
    for path in paths:
        assert "A workshop" in _page(client, path.format("en"))
        assert f"Workshop {dialogue.slug}" in _page(client, path.format("sv"))
        assert '"contribution_count": 0' in _page(client, path.format("sv"))
    make_note(reference_on, dialogue)
    with reference_on.app_context():
        retitle = update(Dialogue).where(Dialogue.id == dialogue.id).values(title_en="New title")
        db.session.execute(retitle)
        db.session.commit()
    for path in paths:
        assert "New title" in _page(client, path.format("en"))
        assert '"contribution_count": 1' in _page(client, path.format("sv"))


@pytest.mark.commits  # kept only for committed data
def test_goal_and_dialogue_pages_cost_no_query_of_their_own(
    reference_on, client, auth, count_queries
):
    """From memory the pages run the start page's queries only, the API none, whatever the data."""
    auth.login(make_user(reference_on))
    framework = make_framework(reference_on)
    dialogue = make_dialogue(reference_on, framework, focus=("1.1",), report=True)
    goal_id = framework.goals["1.1"]
    paths = (
        "/goals",
        f"/goals/{framework.slug}",
        f"/goals/{framework.slug}/{goal_id}",
        "/dialogues",
        f"/dialogues/{dialogue.slug}",
        f"/dialogues/{dialogue.slug}/inputs",
    )
    api = (
        "/api/v1/dialogues",
        f"/api/v1/dialogues/{dialogue.slug}",
        f"/api/v1/frameworks/{framework.slug}",
    )

    def counts() -> dict[str, int]:
        found = {}
        for path in ("/", *paths, *api):
            _page(client, path)  # built and kept
            with count_queries() as statements:
                _page(client, path)
            found[path] = len(statements)
        return found

    few = counts()
    for number in range(5):
        make_note(reference_on, make_dialogue(reference_on, framework, focus=("1.1", "2")))
        make_note(reference_on, dialogue, f"Anteckning {number}")
    assert counts() == few
    assert {few[path] for path in paths} == {few["/"]}
    assert {few[path] for path in api} == {0}


def test_a_frozen_objects_property_is_computed_once(app):
    """A property of a frozen copy is run on the copy once and then kept, with its value."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, audiences=("youth", "residents"))
    with app.app_context():
        loaded = db.session.get_one(Dialogue, dialogue.id)
        frozen = freeze(loaded, {"audience_links": {}})
    assert frozen.audiences == ["residents", "youth"]  # in the Group list's order
    assert "audiences" in vars(frozen)  # kept on the copy
    assert frozen.audiences is frozen.audiences
    with pytest.raises(AttributeError):
        frozen.audiences = []  # noqa: B010 - still read-only


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_the_dialogue_list_shows_a_moved_time_at_once_in_every_language(reference_on, client):
    """The list's times, written out in every language, are written again after a change."""
    dialogue = make_dialogue(reference_on, make_framework(reference_on))
    english = {"Accept-Language": "en"}
    start = datetime(2031, 3, 12, 17, 0, tzinfo=UTC)
    with reference_on.app_context():
        moved = update(Dialogue).where(Dialogue.id == dialogue.id)
        db.session.execute(moved.values(starts_at=start, ends_at=start + timedelta(hours=2)))
        db.session.commit()
    assert "12 mars 2031, 18:00–20:00" in _page(client, "/dialogues")
    assert "12 March 2031, 18:00–20:00" in client.get("/dialogues", headers=english).get_data(
        as_text=True
    )
    with reference_on.app_context():
        later = start + timedelta(days=1)
        db.session.execute(moved.values(starts_at=later, ends_at=later + timedelta(hours=2)))
        db.session.commit()
    assert "13 mars 2031, 18:00–20:00" in _page(client, "/dialogues")
    assert "13 March 2031, 18:00–20:00" in client.get("/dialogues", headers=english).get_data(
        as_text=True
    )


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_comparison_shows_a_reworded_goal_at_once(reference_on, client):
    """The comparison of two versions, kept in every language, is made again after a change."""
    older, newer = make_framework(reference_on), make_framework(reference_on)
    path = f"/goals/{older.slug}/compare/{newer.slug}"
    english = {"Accept-Language": "en"}
    page = _page(client, path)
    assert _page(client, path) == page  # now from memory
    assert "No goal was reworded." in client.get(path, headers=english).get_data(as_text=True)
    with reference_on.app_context():
        reworded = update(Goal).where(Goal.id == newer.goals["2.1"])
        db.session.execute(reworded.values(title_sv="Fler bostäder", title_en="More housing"))
        db.session.commit()
    assert "Fler bostäder" in _page(client, path)
    in_english = client.get(path, headers=english).get_data(as_text=True)
    assert "No goal was reworded." not in in_english
    assert "housing" in in_english
