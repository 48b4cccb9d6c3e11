"""Hand-made requests get an answer, never a 500: huge ids, NUL characters, wrong methods."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from dialog.accounts.models import Role
from dialog.contributions.models import WorkshopNote
from dialog.core.routing import MAX_ID
from dialog.extensions import db
from dialog.goals.models import FrameworkStatus
from tests.dialogues.factories import make_dialogue
from tests.dialogues.factories import make_framework as make_dialogue_framework
from tests.goals.factories import make_framework as make_goal_framework
from tests.helpers import AuthActions, csrf_token, make_user, post_form

WRITES = ("POST", "PUT", "PATCH", "DELETE")
HUGE = ("99999999999999999999", "9223372036854775808", str(MAX_ID + 1))


def _api_paths(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            paths.append(re.sub(r"<[^>]+>", "no-such", rule.rule))
    return sorted(paths)


def test_every_api_route_is_covered(app):
    """The API's routes, as the 405 test below fills them in."""
    assert "/api/v1/frameworks" in _api_paths(app)
    assert "/api/v1/dialogues/no-such" in _api_paths(app)


@pytest.mark.parametrize("method", WRITES)
def test_writes_on_the_api_are_a_json_405_with_allow(app, client, method):
    """POST, PUT, PATCH and DELETE on any /api/ route answer JSON 405 with an Allow header."""
    for path in [*_api_paths(app), "/api/v2/anything"]:
        response = client.open(path, method=method)
        if path.startswith("/api/v2"):
            assert response.status_code == 404, path
            assert response.get_json()["error"] == "not_found"
            continue
        assert response.status_code == 405, path
        assert response.mimetype == "application/json", path
        body = response.get_json()
        assert body["error"] == "method_not_allowed"
        assert body["message"]
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_wrong_method_on_a_page_says_which_methods_work(client):
    """The HTML 405 page carries the Allow header too."""
    response = client.put("/login")
    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert "POST" in response.headers["Allow"]


def _int_routes(app) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            method = "GET" if "GET" in rule.methods else "POST"
            found.append((method, rule.rule))
    return sorted(found)


def test_an_id_too_large_for_the_database_is_a_404(app, client):
    """Every route with a number in its path answers 404 for a number no id can have."""
    admin = make_user(app, Role.ADMIN, locale="en")
    plan = make_goal_framework(app, status=FrameworkStatus.DRAFT)
    dialogue = make_dialogue(app, make_dialogue_framework(app))
    AuthActions(client).login(admin)
    token = csrf_token(client, "/login")
    routes = _int_routes(app)
    assert len(routes) >= 10
    for method, rule in routes:
        slug = dialogue.slug if rule.startswith("/dialogues/") else plan.slug
        for number in HUGE:
            path = re.sub(r"<int:\w+>", number, rule.replace("<slug>", slug))
            response = client.open(path, method=method, data={"csrf_token": token})
            assert response.status_code == 404, f"{method} {path}"


@pytest.mark.parametrize(
    "path",
    [
        "/dialogues/a%00b",
        "/dialogues?framework=%00",
        "/api/v1/dialogues?framework=%00",
        "/api/v1/dialogues/%00",
        "/admin/users?q=%00",
        "/goals?x%00=1",
    ],
)
def test_a_nul_character_is_a_bad_request(app, client, path):
    """PostgreSQL stores no NUL: a request that carries one is a 400, on SQLite alike."""
    AuthActions(client).login(make_user(app, Role.ADMIN, locale="en"))
    response = client.get(path)
    assert response.status_code == 400


def test_a_nul_in_a_form_is_refused_and_nothing_stored(app, client):
    """A form field with a NUL gets a 400 that says why and gives the text back (without the
    NUL) to copy, and no note is stored."""
    AuthActions(client).login(make_user(app, Role.ADMIN, locale="en"))
    dialogue = make_dialogue(app, make_dialogue_framework(app))
    response = post_form(
        client,
        f"/dialogues/{dialogue.slug}/capture",
        {"lines": "Fler bänkar\x00 vid ån", "group": "residents", "goal": ""},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "an invisible character that cannot be stored" in page
    assert "Fler bänkar vid ån</textarea>" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WorkshopNote)) == 0
