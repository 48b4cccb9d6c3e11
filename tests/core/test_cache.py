"""The page cache serves visitors without a session and nobody else, keys on everything a
page depends on, and never serves a page older than the last change made through the app."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text, update

from dialog import create_app
from dialog.accounts.models import Role
from dialog.config import for_tests
from dialog.core.cache import MemoryStore, RedisStore, change_generation, page_key
from dialog.core.mail import queue_mail
from dialog.core.models import OutboxMessage
from dialog.extensions import db
from dialog.goals.models import Framework
from tests.dialogues.factories import DialogueInfo, make_dialogue, make_framework, make_note
from tests.helpers import AuthActions, UserInfo, make_user, post_form

REDIS_URL = "redis://127.0.0.1:6379/2"


def _redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis at 127.0.0.1:6379 cannot be reached")
        pytest.skip("Redis is not running")


@pytest.fixture(params=["memory", "redis"])
def cache_on(request: pytest.FixtureRequest, app: Flask) -> Iterator[Flask]:
    """The page cache on, in this process's memory or in Redis (db 2)."""
    saved = app.extensions["page_cache"]
    if request.param == "redis":
        _redis_or_skip()
        app.extensions["page_cache"] = RedisStore(REDIS_URL)
    else:
        app.extensions["page_cache"] = MemoryStore()
    app.extensions["page_cache"].clear()
    app.config["PAGE_CACHE_SECONDS"] = 30
    yield app
    app.extensions["page_cache"].clear()
    app.extensions["page_cache"] = saved
    app.config["PAGE_CACHE_SECONDS"] = 0
    app.config["MUNICIPALITY_NAME"] = "Testkommunen"


def _text(client: FlaskClient, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _generation(app: Flask) -> int:
    with app.app_context():
        return change_generation()


def test_visitors_get_the_cached_page(cache_on, client):
    """A second visitor gets the stored page, with this request's own headers added."""
    first = client.get("/privacy").get_data(as_text=True)
    cache_on.config["MUNICIPALITY_NAME"] = "Ändrad kommun"
    second = client.get("/privacy")
    assert second.get_data(as_text=True) == first
    assert "Ändrad kommun" not in first
    assert second.headers["Content-Security-Policy"]
    assert second.headers["X-Request-ID"]


def test_each_language_has_its_own_copy(cache_on, client):
    """Swedish and English readers of one page each get their own language."""
    swedish = _text(client, "/privacy")
    english = _text(client, "/privacy", **{"Accept-Language": "en"})
    assert '<html lang="sv">' in swedish
    assert '<html lang="en">' in english


def test_the_language_cookie_and_accept_language_are_both_in_the_key(cache_on, client):
    """A page chosen by the cookie is not served to a reader whose browser asks otherwise."""
    client.set_cookie("lang", "en")
    assert '<html lang="en">' in _text(client, "/privacy", **{"Accept-Language": "sv"})
    visitor = cache_on.test_client()
    assert '<html lang="sv">' in _text(visitor, "/privacy", **{"Accept-Language": "sv"})


def test_the_api_in_swedish_is_not_filed_for_english_readers(cache_on, client):
    """The API follows Accept-Language, not the cookie: its Swedish answer is not English's."""
    framework = make_framework(cache_on)
    path = f"/api/v1/frameworks/{framework.slug}"
    client.set_cookie("lang", "en")
    swedish = client.get(path, headers={"Accept-Language": "sv"}).get_json()
    assert swedish["title"] == f"Mål {framework.slug}"
    english = client.get(path, headers={"Accept-Language": "en"}).get_json()
    assert english["title"] == f"Goals {framework.slug}"
    reader = cache_on.test_client()
    reader.set_cookie("lang", "en")
    assert reader.get(path).get_json()["title"] == f"Mål {framework.slug}"  # the API's default
    assert reader.get(f"{path}?lang=en").get_json()["title"] == f"Goals {framework.slug}"


def test_the_host_is_in_the_key(cache_on):
    """A page asked for under one host name is not served for another."""
    with cache_on.test_request_context("/privacy", headers={"Host": "localhost"}):
        one = page_key()
    with cache_on.test_request_context("/privacy", headers={"Host": "localhost:8000"}):
        other = page_key()
    assert one != other


def test_logged_in_users_never_get_the_cached_page(cache_on, client, auth):
    """Anyone logged in gets a freshly rendered page."""
    client.get("/")
    cache_on.config["MUNICIPALITY_NAME"] = "Ändrad kommun"
    auth.login(make_user(cache_on))
    assert "Ändrad kommun" in client.get("/").get_data(as_text=True)


def test_a_page_with_a_message_waiting_is_neither_served_nor_stored(cache_on, client):
    """A page that used the session (here a flashed message) never goes into the cache."""
    client.get("/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Tack för ditt förslag")]
    assert "Tack för ditt förslag" in client.get("/").get_data(as_text=True)
    cache_on.config["MUNICIPALITY_NAME"] = "Ändrad kommun"
    visitor = cache_on.test_client()
    assert "Tack för ditt förslag" not in visitor.get("/").get_data(as_text=True)


def test_cache_off_by_setting(app, client):
    """DIALOG_PAGE_CACHE_SECONDS=0 renders every page afresh."""
    client.get("/privacy")
    app.config["MUNICIPALITY_NAME"] = "Ändrad kommun"
    try:
        assert "Ändrad kommun" in client.get("/privacy").get_data(as_text=True)
    finally:
        app.config["MUNICIPALITY_NAME"] = "Testkommunen"


def test_a_cached_page_opens_no_session_transaction(cache_on, client, count_queries):
    """The goal frameworks list costs its queries once; a hit reads only the change generation,
    on a pooled connection of its own, outside SQLAlchemy's statements."""
    with count_queries() as first:
        assert client.get("/goals").status_code == 200
    with count_queries() as second:
        assert client.get("/goals").status_code == 200
    assert len(first) > 0
    assert second == []


def test_api_answers_are_cached_per_language(cache_on, client):
    """The API's JSON and its CORS header survive the cache."""
    swedish = client.get("/api/v1/frameworks?lang=sv")
    english = client.get("/api/v1/frameworks?lang=en")
    assert swedish.status_code == english.status_code == 200
    assert swedish.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/v1/frameworks?lang=sv")
    assert again.headers["Content-Type"].startswith("application/json")
    assert again.headers["Access-Control-Allow-Origin"] == "*"


def _workshop_with_a_note(app: Flask) -> tuple[UserInfo, DialogueInfo, int]:
    facilitator = make_user(app, Role.FACILITATOR)
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, facilitators=[facilitator.id], starts_in=None)
    return facilitator, dialogue, make_note(app, dialogue, "Namn och telefonnummer till grannen")


def _hide_through_the_facilitators_form(
    app: Flask, facilitator: UserInfo, dialogue: DialogueInfo, note_id: int
) -> None:
    staff = app.test_client()
    AuthActions(staff).login(facilitator)
    path = f"/dialogues/{dialogue.slug}/notes/{note_id}"
    response = post_form(staff, f"{path}/hide", {"reason": "Personuppgifter"}, source=path)
    assert response.status_code == 302


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_hidden_note_is_gone_on_the_next_visitors_request(cache_on):
    """A note a facilitator hides leaves the cached public inputs page at once."""
    facilitator, dialogue, note_id = _workshop_with_a_note(cache_on)
    visitor = cache_on.test_client()
    path = f"/dialogues/{dialogue.slug}/inputs"
    assert "telefonnummer" in _text(visitor, path)
    assert "telefonnummer" in _text(visitor, path)  # now from the cache
    _hide_through_the_facilitators_form(cache_on, facilitator, dialogue, note_id)
    assert "telefonnummer" not in _text(visitor, path)


@pytest.fixture
def second_server(database_url: str) -> Iterator[Flask]:
    """Another app on the same database, with its own engine and its own memory store,
    as a second worker or server would be."""
    other = create_app(for_tests(database_url, PAGE_CACHE_SECONDS=30))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_change_on_one_server_is_seen_through_another_at_once(cache_on, second_server):
    """A hide made through one server empties the page cached in another's memory."""
    facilitator, dialogue, note_id = _workshop_with_a_note(cache_on)
    visitor = second_server.test_client()
    path = f"/dialogues/{dialogue.slug}/inputs"
    assert "telefonnummer" in _text(visitor, path)
    assert "telefonnummer" in _text(visitor, path)
    _hide_through_the_facilitators_form(cache_on, facilitator, dialogue, note_id)
    assert "telefonnummer" not in _text(visitor, path)


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_every_way_of_writing_changes_the_generation(app):
    """ORM flushes, bulk UPDATE, raw SQL and CLI commands all bump it; reads and rollbacks don't."""
    framework = make_framework(app)
    seen = [_generation(app)]

    def changed() -> bool:
        seen.append(_generation(app))
        return seen[-1] != seen[-2]

    with app.app_context():
        db.session.execute(select(Framework)).all()
        db.session.commit()
    assert not changed()
    with app.app_context():
        db.session.execute(
            update(Framework).where(Framework.id == framework.id).values(title_en="Bulk")
        )
        db.session.commit()
    assert changed()
    with app.app_context():
        db.session.execute(text("UPDATE frameworks SET title_en = 'Raw'"))
        db.session.commit()
    assert changed()
    with app.app_context():
        db.session.get(Framework, framework.id).title_en = "Rolled back"  # type: ignore[union-attr]
        db.session.flush()
        db.session.rollback()
    assert not changed()
    result = app.test_cli_runner().invoke(
        args=["users", "create", "cli@example.se", "--password", "a long enough password"]
    )
    assert result.exit_code == 0, result.output
    assert changed()


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_writes_no_page_shows_leave_the_generation_alone(app, client):
    """Mail and password reset requests (anyone can send those) empty no cache."""
    user = make_user(app)
    before = _generation(app)
    with app.app_context():
        queue_mail("someone@example.se", "Hej", "Text")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    response = post_form(client, "/login", {"email": user.email, "password": "wrong password"})
    assert response.status_code == 200
    for email in (user.email, "nobody@example.se"):
        response = post_form(client, "/password/forgot", {"email": email})
        assert response.status_code in (200, 302)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert _generation(app) == before


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_missing_generation_row_reads_as_zero_and_comes_back(app):
    """The emptied table reads as 0; the next write makes the row with a value never used."""
    make_framework(app)
    with app.app_context():
        earlier = change_generation()
        db.session.execute(text("DELETE FROM change_generation"))
        db.session.rollback()
        assert change_generation() == earlier
    with app.app_context():
        db.session.execute(text("DELETE FROM change_generation"))
        db.session.flush()
        assert change_generation() == 0
        db.session.commit()
    assert _generation(app) > earlier


class _Payload:
    """Unpickling this creates a file: a stand-in for any code an attacker would run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


def test_a_pickle_planted_in_redis_is_not_run_and_is_a_miss(app, tmp_path):
    """Whoever can write to Redis cannot make the app run code: the entry is only data."""
    _redis_or_skip()
    saved = app.extensions["page_cache"]
    store = app.extensions["page_cache"] = RedisStore(REDIS_URL)
    app.config["PAGE_CACHE_SECONDS"] = 30
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(marker))
    try:
        with app.test_request_context("/privacy"):
            key = page_key()
        store.client.set(RedisStore.PREFIX + key, payload, ex=30)
        response = app.test_client().get("/privacy")
        assert response.status_code == 200
        assert '<html lang="sv">' in response.get_data(as_text=True)
        assert not marker.exists()
        stored = store.client.get(RedisStore.PREFIX + key)
        assert stored is not None
        assert stored.startswith(b'{"status":200,')  # the miss stored the real page over it
        pickle.loads(payload)  # noqa: S301 - shows the payload was live
        assert marker.exists()
    finally:
        store.clear()
        app.extensions["page_cache"] = saved
        app.config["PAGE_CACHE_SECONDS"] = 0
