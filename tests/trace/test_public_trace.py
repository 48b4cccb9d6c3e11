"""The public trace: which inputs shaped a goal, counted against a fixture worked out by
hand, and its open data (the goal's trace and the framework's goals × dialogues matrix)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from dialog.contributions.models import (
    ContributionStatus,
    GoalRelation,
    WorkshopNote,
)
from dialog.contributions.services import link_goal
from dialog.core.models import utcnow
from dialog.extensions import db
from dialog.goals.models import Goal
from dialog.trace.queries import goal_and_below, trace_counts, trace_matrix
from tests.dialogues.factories import DialogueInfo, FrameworkInfo, make_dialogue, make_framework

RATIONALE = "Målets andra mening kommer från den här lappen."


@dataclass(frozen=True)
class Fixture:
    framework: FrameworkInfo
    workshop: DialogueInfo
    consultation: DialogueInfo
    notes: dict[str, int]


def _note(dialogue: DialogueInfo, text: str, group: str | None, status: str) -> WorkshopNote:
    note = WorkshopNote(
        dialogue_id=dialogue.id,
        body_html=text,
        body_text=text,
        participant_group=group,
        status=status,
        published_at=utcnow(),
    )
    db.session.add(note)
    db.session.flush()
    return note


def _link(note: WorkshopNote, goal_id: int, relation: GoalRelation, rationale: str | None = None):
    link_goal(note, db.session.get_one(Goal, goal_id), relation, None, rationale)


def build(app: Flask, extra_related: int = 0) -> Fixture:
    """Two dialogues; five notes, of which three count for 1.1 (one twice, for 2.1 too).

    Counted for 1.1: n1 (youth, influenced), n2 (residents, related) from the workshop, and
    n4 (no group: a resident's, related) from the consultation. Not counted: n3 (hidden) and
    n5 (only suggested).
    """
    framework = make_framework(app)
    workshop = make_dialogue(app, framework, headcount={"residents": 10, "youth": 5})
    consultation = make_dialogue(
        app, framework, format="online_consultation", starts_in=None, headcount={"residents": 40}
    )
    published, hidden = ContributionStatus.PUBLISHED.value, ContributionStatus.HIDDEN.value
    with app.test_request_context(method="POST"):
        n1 = _note(workshop, "Lyssna på de unga", "youth", published)
        n2 = _note(workshop, "Fler mötesplatser", "residents", published)
        n3 = _note(workshop, "Dolt inlägg", "residents", hidden)
        n4 = _note(consultation, "Bygg fler hyresrätter", None, published)
        n5 = _note(consultation, "Bara ett förslag", "residents", published)
        goal, other = framework.goals["1.1"], framework.goals["2.1"]
        _link(n1, goal, GoalRelation.INFLUENCED, RATIONALE)
        _link(n2, goal, GoalRelation.RELATED)
        _link(n3, goal, GoalRelation.RELATED)
        _link(n4, goal, GoalRelation.RELATED)
        _link(n4, other, GoalRelation.RELATED)
        _link(n5, goal, GoalRelation.SUGGESTED)
        for number in range(extra_related):
            _link(
                _note(consultation, f"Fler {number}", None, published), other, GoalRelation.RELATED
            )
        db.session.commit()
        notes = {"n1": n1.id, "n2": n2.id, "n3": n3.id, "n4": n4.id, "n5": n5.id}
    return Fixture(framework, workshop, consultation, notes)


@pytest.fixture
def traced(app) -> Fixture:
    return build(app)


def test_the_counts_are_the_hand_computed_ones(app, traced):
    """1.1: three inputs from two dialogues (one influenced, two related), by group, and the
    dialogues' headcounts; its area counts the same; 2.1 has one input."""
    goals = traced.framework.goals
    with app.app_context():
        counts = trace_counts(goal_and_below(goals["1.1"]))
        assert (counts.inputs, counts.dialogues, counts.influenced, counts.related) == (3, 2, 1, 2)
        assert counts.by_group == {"residents": 2, "youth": 1}
        assert counts.participants == {"residents": 50, "youth": 5}
        assert goal_and_below(goals["1"]) == [goals["1"], goals["1.1"]]
        assert trace_counts(goal_and_below(goals["1"])) == counts
        other = trace_counts([goals["2.1"]])
        assert (other.inputs, other.dialogues, other.influenced, other.related) == (1, 1, 0, 1)
        assert other.participants == {"residents": 40}


def test_the_matrix_counts_goals_by_dialogue(app, traced):
    """Each goal's public inputs per dialogue, and each input once in the goal's total."""
    goals = traced.framework.goals
    with app.app_context():
        matrix = trace_matrix(traced.framework.id)
    assert matrix.cells == {
        (goals["1.1"], traced.workshop.id): 2,
        (goals["1.1"], traced.consultation.id): 1,
        (goals["2.1"], traced.consultation.id): 1,
    }
    assert matrix.totals == {goals["1.1"]: 3, goals["2.1"]: 1}
    assert [row[0] for row in matrix.goals] == [goals[code] for code in ("1", "1.1", "2", "2.1")]
    assert {row[1] for row in matrix.dialogues} == {traced.workshop.slug, traced.consultation.slug}


def test_the_goal_trace_api_gives_counts_and_inputs_without_authors(client, traced):
    """The counts, then the inputs, the influence first with its rationale; a relation
    filter; nothing hidden, suggested or about who sent it."""
    goal = traced.framework.goals["1.1"]
    data = client.get(f"/api/v1/goals/{goal}/trace").get_json()
    assert data["goal"]["id"] == goal
    assert data["goal"]["framework"] == traced.framework.slug
    assert data["counts"] == {
        "inputs": 3,
        "dialogues": 2,
        "influenced": 1,
        "related": 2,
        "by_group": {"residents": 2, "youth": 1},
        "participants": {"residents": 50, "youth": 5},
    }
    results = data["inputs"]["results"]
    assert [row["id"] for row in results][0] == traced.notes["n1"]
    assert {row["id"] for row in results} == {traced.notes[n] for n in ("n1", "n2", "n4")}
    assert results[0]["relation"] == "influenced"
    assert results[0]["rationale"] == RATIONALE
    assert not {"author_name", "author_email", "name", "email"} & set(results[0])
    only = client.get(f"/api/v1/goals/{goal}/trace?relation=influenced").get_json()
    assert [row["id"] for row in only["inputs"]["results"]] == [traced.notes["n1"]]
    assert client.get(f"/api/v1/goals/{goal}/trace?relation=suggested").status_code == 400
    assert client.get("/api/v1/goals/2147483647/trace").status_code == 404
    assert client.get("/api/v1/goals/99999999999999999999/trace").status_code == 404


def test_the_framework_trace_api_is_the_matrix_in_either_language(client, traced):
    """Rows per goal with their dialogues' counts by slug; titles in the language asked."""
    data = client.get(f"/api/v1/frameworks/{traced.framework.slug}/trace?lang=en").get_json()
    rows = {row["code"]: row for row in data["goals"]}
    assert rows["1.1"]["inputs"] == 3
    assert rows["1.1"]["by_dialogue"] == {traced.workshop.slug: 2, traced.consultation.slug: 1}
    assert rows["1.1"]["title"] == "We offer ways to have a say"
    assert rows["2"]["inputs"] == 0
    swedish = client.get(f"/api/v1/frameworks/{traced.framework.slug}/trace?lang=sv").get_json()
    assert swedish["goals"][1]["title"] == "Vi erbjuder möjligheter att påverka"


def test_the_trace_costs_the_same_queries_with_more_inputs(app, count_queries):
    """A goal with 3 inputs and one with 60 are read with the same number of statements."""
    few, many = build(app), build(app, extra_related=60)
    counted = []
    for fixture in (few, many):
        client = app.test_client()
        with count_queries() as statements:
            response = client.get(f"/api/v1/goals/{fixture.framework.goals['2.1']}/trace")
        assert response.status_code == 200
        counted.append(len(statements))
    assert counted[0] == counted[1]


def test_the_goal_page_shows_how_residents_shaped_it(client, traced):
    """ "Så har invånarna format målet": the counts, the influence with its rationale, the
    related inputs and a link to all of them; nothing hidden or only suggested."""
    slug, goal = traced.framework.slug, traced.framework.goals["1.1"]
    page = client.get(f"/goals/{slug}/{goal}").get_data(as_text=True)
    assert "Så har invånarna format målet" in page
    assert "3 inlägg från invånare och workshoppar är kopplade till målet" in page
    assert "(från 2 dialoger)." in page
    assert RATIONALE in page
    assert "Lyssna på de unga" in page
    assert "Bygg fler hyresrätter" in page
    assert "Dolt inlägg" not in page
    assert "Bara ett förslag" not in page
    assert f"/goals/{slug}/{goal}/inputs" in page
    client.set_cookie("lang", "en")
    english = client.get(f"/goals/{slug}/{goal}").get_data(as_text=True)
    assert "How residents shaped this goal" in english


def test_a_goal_with_nothing_linked_says_so(client, traced):
    """A goal no input is linked to says so, in its own section."""
    slug, goal = traced.framework.slug, traced.framework.goals["2"]
    page = client.get(f"/goals/{slug}/{goal}").get_data(as_text=True)
    assert "Så har invånarna format målet" in page


def test_the_inputs_page_filters_by_dialogue_kind_and_relation(client, traced):
    """All the inputs behind a goal; a filter narrows them; an unknown filter is no filter."""
    slug, goal = traced.framework.slug, traced.framework.goals["1.1"]
    path = f"/goals/{slug}/{goal}/inputs"
    page = client.get(path).get_data(as_text=True)
    assert "3 inlägg." in page
    workshop = client.get(f"{path}?dialogue={traced.workshop.slug}").get_data(as_text=True)
    assert "2 inlägg." in workshop
    assert "Bygg fler hyresrätter" not in workshop
    influenced = client.get(f"{path}?relation=influenced").get_data(as_text=True)
    assert "1 inlägg." in influenced
    assert "Lyssna på de unga" in influenced
    assert "0 inlägg." in client.get(f"{path}?kind=proposal").get_data(as_text=True)
    assert "3 inlägg." in client.get(f"{path}?dialogue=nope&relation=x").get_data(as_text=True)
    assert client.get(f"/goals/{slug}/999999/inputs").status_code == 404
    assert client.get(f"/goals/no-such/{goal}/inputs").status_code == 404
