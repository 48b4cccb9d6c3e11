"""The page cache serves visitors without a session and nobody else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.helpers import make_user


@pytest.fixture
def cache_on(app: Flask) -> Iterator[Flask]:
    app.config["PAGE_CACHE_SECONDS"] = 30
    yield app
    app.config["PAGE_CACHE_SECONDS"] = 0
    app.config["MUNICIPALITY_NAME"] = "Testkommunen"
    app.extensions["page_cache"].clear()


def test_visitors_get_the_cached_page(cache_on, client):
    first = client.get("/privacy").get_data(as_text=True)
    cache_on.config["MUNICIPALITY_NAME"] = "Ändrad kommun"
    second = client.get("/privacy")
    assert second.get_data(as_text=True) == first
    assert "Ändrad kommun" not in first
    assert second.headers["Content-Security-Policy"]
    assert second.headers["X-Request-ID"]


def test_each_language_has_its_own_copy(cache_on, client):
    swedish = client.get("/privacy").get_data(as_text=True)
    english = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="sv">' in swedish
    assert '<html lang="en">' in english


def test_logged_in_users_never_get_the_cached_page(cache_on, client, auth):
    client.get("/")
    cache_on.config["MUNICIPALITY_NAME"] = "Ändrad kommun"
    auth.login(make_user(cache_on))
    assert "Ändrad kommun" in client.get("/").get_data(as_text=True)


def test_a_page_with_a_message_waiting_is_neither_served_nor_stored(cache_on, client):
    client.get("/")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Tack för ditt förslag")]
    assert "Tack för ditt förslag" in client.get("/").get_data(as_text=True)
    cache_on.config["MUNICIPALITY_NAME"] = "Ändrad kommun"
    visitor = cache_on.test_client()
    assert "Tack för ditt förslag" not in visitor.get("/").get_data(as_text=True)


def test_cache_off_by_setting(app, client):
    client.get("/privacy")
    app.config["MUNICIPALITY_NAME"] = "Ändrad kommun"
    try:
        assert "Ändrad kommun" in client.get("/privacy").get_data(as_text=True)
    finally:
        app.config["MUNICIPALITY_NAME"] = "Testkommunen"


def test_a_cached_page_runs_no_queries(cache_on, client, count_queries):
    """The goal frameworks list costs its queries once, then nothing while it is fresh."""
    with count_queries() as first:
        assert client.get("/goals").status_code == 200
    with count_queries() as second:
        assert client.get("/goals").status_code == 200
    assert len(first) > 0
    assert second == []


def test_api_answers_are_cached_per_language(cache_on, client):
    swedish = client.get("/api/v1/frameworks?lang=sv")
    english = client.get("/api/v1/frameworks?lang=en")
    assert swedish.status_code == english.status_code == 200
    assert swedish.headers["Access-Control-Allow-Origin"] == "*"
    assert (
        client.get("/api/v1/frameworks?lang=sv")
        .headers["Content-Type"]
        .startswith("application/json")
    )
