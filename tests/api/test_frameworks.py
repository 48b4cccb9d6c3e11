"""The open data API: the shapes the issue names, languages, JSON errors and CORS."""

from __future__ import annotations

import pytest

from dialog.extensions import db
from dialog.goals.models import Framework, FrameworkStatus, Indicator
from tests.goals.factories import make_framework

SUMMARY_KEYS = {
    "slug",
    "url",
    "title",
    "kind",
    "status",
    "period_start",
    "period_end",
    "adopted_on",
    "adopted_by",
    "supersedes",
}
GOAL_KEYS = {"id", "code", "kind", "title", "statement", "sdgs", "indicators", "children"}
INDICATOR_KEYS = {
    "name",
    "unit",
    "direction",
    "baseline",
    "target",
    "kolada_kpi",
    "measurements",
}


@pytest.fixture
def frameworks(app):
    old = make_framework(app, slug="gamla", status=FrameworkStatus.SUPERSEDED)
    current = make_framework(app, slug="nya", supersedes=old.id, sub_goals=2, measurements=2)
    make_framework(app, slug="utkast", status=FrameworkStatus.DRAFT)
    with app.app_context():
        indicator = db.session.get(Indicator, current.indicator_ids[0])
        indicator.kolada_kpi, indicator.municipality_code = "N00945", "1983"
        db.session.commit()
    return old, current


def test_list_has_the_published_frameworks_with_the_named_fields(client, frameworks):
    """The list has adopted and superseded frameworks, current first, no drafts, named fields."""
    response = client.get("/api/v1/frameworks")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert [item["slug"] for item in data] == ["nya", "gamla"]  # current first, no drafts
    for item in data:
        assert set(item) == SUMMARY_KEYS
    current = data[0]
    assert current == {
        "slug": "nya",
        "url": "http://localhost/goals/nya",
        "title": "Testkommunens mål",
        "kind": "programme",
        "status": "adopted",
        "period_start": 2020,
        "period_end": 2027,
        "adopted_on": "2019-12-16",
        "adopted_by": "Kommunfullmäktige",
        "supersedes": "gamla",
    }
    assert data[1]["supersedes"] is None


def test_detail_has_the_nested_goals(client, frameworks):
    """A framework's JSON nests areas, sub-goals, SDGs, indicators and measurements."""
    data = client.get("/api/v1/frameworks/nya").get_json()
    assert set(data) == SUMMARY_KEYS | {"vision", "goals"}
    assert data["vision"] == "Tillsammans bygger vi kommunen"
    assert [goal["code"] for goal in data["goals"]] == ["1", "2"]
    area = data["goals"][0]
    assert set(area) == GOAL_KEYS
    assert area["kind"] == "area"
    assert area["title"] == "Målområde 1"
    assert area["statement"] == "Vi gör område 1 bättre."
    assert area["sdgs"] == [2]
    assert area["indicators"] == []
    assert [child["code"] for child in area["children"]] == ["1.1", "1.2"]
    sub = area["children"][0]
    assert set(sub) == GOAL_KEYS
    assert isinstance(sub["id"], int)
    assert sub["sdgs"] == [3]
    assert sub["children"] == []
    (indicator,) = sub["indicators"]
    assert set(indicator) == INDICATOR_KEYS
    assert indicator == {
        "name": "Indikator 1.1.0",
        "unit": "procent",
        "direction": "higher",
        "baseline": {"year": 2019, "value": 40.0},
        "target": {"year": 2027, "value": 60.0},
        "kolada_kpi": "N00945",
        "measurements": [{"year": 2019, "value": 40.0}, {"year": 2020, "value": 41.0}],
    }


def test_english_by_parameter_with_swedish_fallback(client, frameworks):
    """?lang=en gives English texts, and Swedish where a text has no English version."""
    data = client.get("/api/v1/frameworks/nya?lang=en").get_json()
    assert data["title"] == "The test municipality's goals"
    assert data["adopted_by"] == "Municipal Council"
    assert data["vision"] == "Tillsammans bygger vi kommunen"  # no English vision: Swedish
    area = data["goals"][0]
    assert area["title"] == "Goal area 1"
    assert area["statement"] == "Vi gör område 1 bättre."  # no English statement
    assert area["children"][0]["title"] == "Delmål 1.1"  # no English title
    assert area["children"][0]["indicators"][0]["unit"] == "per cent"


def test_language_from_accept_language_and_parameter_wins(client, frameworks):
    """Accept-Language picks the language, ?lang beats it, an unknown lang falls back to Swedish."""
    english = client.get("/api/v1/frameworks", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert english.get_json()[0]["title"] == "The test municipality's goals"
    swedish = client.get("/api/v1/frameworks?lang=sv", headers={"Accept-Language": "en"})
    assert swedish.get_json()[0]["title"] == "Testkommunens mål"
    unknown = client.get("/api/v1/frameworks?lang=fi")
    assert unknown.get_json()[0]["title"] == "Testkommunens mål"


@pytest.mark.parametrize("path", ["/api/v1/frameworks/no-such", "/api/v1/frameworks/utkast"])
def test_unknown_and_draft_frameworks_are_a_json_404(client, frameworks, path):
    """An unknown or draft framework answers a JSON 404 with a message and open CORS."""
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == "not_found"
    assert body["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_api_path_is_a_json_404(client):
    """A path under /api/v1 that does not exist answers JSON, not an HTML page."""
    response = client.get("/api/v1/goals")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/frameworks", "/api/v1/frameworks/nya"])
def test_cors_is_open_for_get(client, frameworks, path):
    """GETs and their preflight requests from any origin are allowed."""
    response = client.get(path, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(path, headers={"Origin": "https://example.org"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_month_precision_dates_are_reduced_iso(app, client):
    """An adoption date known to the month is given as YYYY-MM."""
    info = make_framework(app, slug="vagval")
    with app.app_context():
        db.session.get(Framework, info.id).adopted_on_precision = "month"
        db.session.commit()
    assert client.get("/api/v1/frameworks/vagval").get_json()["adopted_on"] == "2019-12"


def test_detail_query_count_does_not_grow(app, client, count_queries):
    """A framework with 8 areas and many indicators costs the same queries as a tiny one."""
    make_framework(app, slug="liten", areas=1, sub_goals=1, indicators=1, measurements=1)
    make_framework(app, slug="stor", areas=8, sub_goals=4, indicators=3, measurements=6)
    with count_queries() as small:
        client.get("/api/v1/frameworks/liten")
    with count_queries() as large:
        client.get("/api/v1/frameworks/stor")
    assert len(large) == len(small)
