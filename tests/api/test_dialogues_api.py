"""Open data on dialogues: exactly the listed fields, the filters, JSON errors, CORS,
and never a registrant's data."""

from __future__ import annotations

from tests.dialogues.factories import make_dialogue, make_framework, make_note
from tests.helpers import post_form

FIELDS = {
    "slug",
    "url",
    "title",
    "framework",
    "focus_goals",
    "format",
    "audiences",
    "level",
    "starts_at",
    "ends_at",
    "opens_at",
    "closes_at",
    "status",
    "headcount",
    "contribution_count",
    "feedback_report",
}


def test_a_dialogue_has_exactly_the_open_fields(app, client):
    """A dialogue's JSON has exactly the open fields, in the asked language, with no registrant."""
    framework = make_framework(app, slug="koping")
    dialogue = make_dialogue(
        app,
        framework,
        focus=("1.1", "2.1"),
        audiences=("residents", "youth"),
        headcount={"residents": 12, "youth": 3},
        status="planned",
        registration=True,
        title_en="Housing workshop",
    )
    make_note(app, dialogue)
    post_form(
        app.test_client(),
        f"/dialogues/{dialogue.slug}/register",
        {"name": "Privat Person", "email": "privat@example.se", "accept": "y"},
    )
    response = client.get(f"/api/v1/dialogues/{dialogue.slug}?lang=en")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert set(data) == FIELDS
    assert data["slug"] == dialogue.slug
    assert data["title"] == "Housing workshop"
    assert data["framework"] == "koping"
    assert data["focus_goals"] == [framework.goals["1.1"], framework.goals["2.1"]]
    assert data["format"] == "workshop"
    assert data["audiences"] == ["residents", "youth"]
    assert data["level"] == "dialogue"
    assert data["starts_at"].endswith("Z")
    assert data["opens_at"] is None
    assert data["status"] == "planned"
    assert data["headcount"] == {"residents": 12, "youth": 3}
    assert data["contribution_count"] == 1
    assert data["feedback_report"] is None
    text = response.get_data(as_text=True)
    assert "privat" not in text.lower()


def test_the_feedback_report_once_published(app, client):
    """A reported dialogue's JSON carries its published feedback report with a UTC time."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, status="reported", report=True)
    report = client.get(f"/api/v1/dialogues/{dialogue.slug}").get_json()["feedback_report"]
    assert report["heard"] == "Vi hörde mycket."
    assert report["next_steps"] == "Förslagen går till fullmäktige."
    assert report["decisions_expected"] == "December 2019"
    assert report["published_at"].endswith("Z")


def test_the_list_filters_by_framework_status_and_format(app, client):
    """The dialogue list filters by framework, status and format, alone or combined."""
    koping = make_framework(app, slug="koping")
    other = make_framework(app, slug="annan")
    make_dialogue(app, koping, slug="a", status="open")
    make_dialogue(app, koping, slug="b", status="closed", format="citizen_dialogue")
    make_dialogue(app, other, slug="c", status="open", format="online_consultation")

    def slugs(query: str) -> list[str]:
        response = client.get(f"/api/v1/dialogues{query}")
        assert response.status_code == 200
        return sorted(item["slug"] for item in response.get_json())

    assert slugs("") == ["a", "b", "c"]
    assert slugs("?framework=koping") == ["a", "b"]
    assert slugs("?status=open") == ["a", "c"]
    assert slugs("?format=citizen_dialogue") == ["b"]
    assert slugs("?framework=koping&status=open") == ["a"]
    assert slugs("?framework=nothing") == []
    assert all(set(item) == FIELDS for item in client.get("/api/v1/dialogues").get_json())


def test_errors_are_json(app, client):
    """An unknown dialogue gives a JSON 404 and an unknown status filter a JSON 400."""
    response = client.get("/api/v1/dialogues/no-such-dialogue")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    response = client.get("/api/v1/dialogues?status=sleeping")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"
