"""Goal suggestions: the command, the service, leaf goals only, determinism, and a model
that learns a new confirmed input at once."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dialog.contributions.models import GoalRelation, WorkshopNote
from dialog.contributions.services.common import (
    add_workshop_note,
    hide_contribution,
    link_goal,
    suggest_goal,
)
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Goal
from dialog.trace import queries, services
from dialog.trace.model import Example, GoalDocument, SuggestionModel
from tests.trace.labelled import confirm, labelled, load_demo_goals

KOPING_LEAVES = {"1.1", "1.2", "2.1", "2.2", "3.1"}
VAGVAL_LEAVES = {"1", "2", "3", "4", "5"}
TEXTS = [
    "Fler cykelbanor och laddstolpar, vi måste minska utsläppen",
    "bygglovet tog fyra månader, det är för långsamt för oss företagare",
    "Gatlamporna i parken är trasiga och det känns otryggt på kvällen",
]


def _suggest(app, slug: str, lines: list[str]):
    result = app.test_cli_runner().invoke(
        args=["trace", "suggest", slug], input="\n".join(lines) + "\n"
    )
    return result


def _dialogue_of(framework_id: int) -> int:
    return db.session.scalar(
        select(Dialogue.id).where(Dialogue.framework_id == framework_id).order_by(Dialogue.id)
    )


def _goal(framework_id: int, code: str) -> Goal:
    return db.session.scalar(
        select(Goal).where(Goal.framework_id == framework_id, Goal.code == code)
    )


def _framework_id(app, slug: str) -> int:
    with app.app_context():
        framework_id = queries.framework_id_for(slug)
    assert framework_id is not None
    return framework_id


@pytest.fixture
def demo(app):
    """The demo's goal frameworks and dialogues."""
    with app.app_context():
        load_demo_goals()
    return app


@pytest.mark.parametrize(
    ("slug", "leaves"),
    [("koping-2020-2027", KOPING_LEAVES), ("landskrona-vagval-2020", VAGVAL_LEAVES)],
)
def test_the_command_suggests_three_leaf_goals_per_line(demo, slug, leaves):
    """One JSON object per line in order: the text and three leaf goals, best first."""
    result = _suggest(demo, slug, [*TEXTS[:2], "", TEXTS[2]])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.output.splitlines()]
    assert [found["text"] for found in objects] == TEXTS
    for found in objects:
        codes = [goal["code"] for goal in found["goals"]]
        scores = [goal["score"] for goal in found["goals"]]
        assert len(codes) == 3 == len(set(codes))
        assert set(codes) <= leaves
        assert scores == sorted(scores, reverse=True)
        assert all(isinstance(score, float) for score in scores)


def test_an_unknown_framework_is_a_clear_error(demo):
    """An unknown slug says so and exits non-zero, without a traceback."""
    result = _suggest(demo, "no-such-framework", TEXTS)
    assert result.exit_code == 1
    assert "There is no goal framework 'no-such-framework'." in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_framework_without_leaves_suggests_none(demo):
    """Köping's goals 2013–2019 are not in Dialog goal by goal: no goal to suggest."""
    result = _suggest(demo, "koping-2013-2019", TEXTS[:1])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"text": TEXTS[0], "goals": []}


def test_the_suggestions_are_deterministic(demo):
    """The same goals and confirmed inputs give the same output, from a model built anew."""
    with demo.app_context():
        confirm(queries.framework_id_for("koping-2020-2027"), labelled("koping-2020-2027", "train"))
    first = _suggest(demo, "koping-2020-2027", TEXTS).output
    demo.extensions.pop("trace_models", None)
    assert _suggest(demo, "koping-2020-2027", TEXTS).output == first


def test_the_model_is_deterministic_whatever_the_order_of_equal_scores():
    """Goals that score the same come in the framework's order, on every build."""
    goals = [GoalDocument(i, code, "samma text") for i, code in enumerate(["a", "b", "c", "d"])]
    for _ in range(3):
        model = SuggestionModel(goals, [Example(3, "något annat")])
        assert [found.code for found in model.suggest("samma text")] == ["a", "b", "c"]


def test_a_framework_with_fewer_leaves_suggests_them_all():
    """Two leaf goals: two suggestions."""
    goals = [GoalDocument(1, "1", "Bostäder"), GoalDocument(2, "2", "Klimat")]
    assert [found.code for found in SuggestionModel(goals, []).suggest("klimatet")] == ["2", "1"]


def test_the_service_suggests_for_an_input_and_for_a_text(demo):
    """An input of a Köping dialogue gets three of Köping's leaf goals; one with no
    dialogue, or no input at all, gets none; a free text gets the same as the command."""
    framework_id = _framework_id(demo, "koping-2020-2027")
    with demo.app_context():
        confirm(framework_id, labelled("koping-2020-2027", "train"))
        note = add_workshop_note(_dialogue_of(framework_id), TEXTS[0], "residents", None, None)
        db.session.commit()
        found = services.suggest_for_contribution(note.id)
        assert len(found) == 3
        assert {suggestion.code for suggestion in found} <= KOPING_LEAVES
        assert found[0].code == "2.2"
        assert found == services.suggest_for_text(framework_id, TEXTS[0])
        assert services.suggest_for_contribution(note.id + 1000) == []
    line = json.loads(_suggest(demo, "koping-2020-2027", TEXTS[:1]).output)
    assert line["goals"] == [{"code": s.code, "score": s.score} for s in found]


def test_suggested_links_teach_nothing(demo):
    """Only staff decisions (related, influenced) teach the model, never a suggestion."""
    framework_id = _framework_id(demo, "koping-2020-2027")
    with demo.app_context():
        before = services.suggest_for_text(framework_id, TEXTS[2])
        goal = _goal(framework_id, "3.1")
        for _ in range(3):
            note = add_workshop_note(_dialogue_of(framework_id), TEXTS[2], "residents", None, None)
            suggest_goal(note, goal, None)
        db.session.commit()
        assert queries.confirmed_inputs(framework_id, 10) == []
        assert services.suggest_for_text(framework_id, TEXTS[2]) == before


@pytest.fixture
def kept(reference_on):
    """The models kept in memory as in production, none built yet."""
    reference_on.extensions.pop("trace_models", None)
    yield reference_on
    reference_on.extensions.pop("trace_models", None)


@pytest.mark.commits  # the change generation changes at a real COMMIT
def test_a_new_confirmed_input_changes_the_model_on_the_next_call(kept):
    """The model is kept while nothing it learns from changes, an unrelated write included,
    and rebuilt on the next call after an input is confirmed for a goal or a goal reworded."""
    with kept.app_context():
        load_demo_goals()
        framework_id = queries.framework_id_for("koping-2020-2027")
        confirm(framework_id, labelled("koping-2020-2027", "train"))
    text = "En skatepark vid ån vore kul för ungdomarna"
    with kept.app_context():
        model = services.model_for(framework_id)
        before = model.suggest(text, 5)
        assert services.model_for(framework_id) is model
        add_workshop_note(_dialogue_of(framework_id), "Ingen länk", "residents", None, None)
        db.session.commit()
    with kept.app_context():
        assert services.model_for(framework_id) is model  # an unrelated write
        note = add_workshop_note(
            _dialogue_of(framework_id), "Bygg en skatepark för ungdomarna", "youth", None, None
        )
        link_goal(note, _goal(framework_id, "1.2"), GoalRelation.INFLUENCED, None, "Skatepark")
        db.session.commit()
    with kept.app_context():
        rebuilt = services.model_for(framework_id)
        assert rebuilt is not model
        after = rebuilt.suggest(text, 5)
        assert _score(after, "1.2") > _score(before, "1.2")
        assert after[0].code == "1.2"
        _goal(framework_id, "3.1").title_sv = "Skatepark och ungdomar i näringslivet"
        db.session.commit()
    with kept.app_context():
        assert services.model_for(framework_id) is not rebuilt  # a goal reworded


def _score(suggestions, code: str) -> float:
    return next(found.score for found in suggestions if found.code == code)


def test_the_model_learns_from_the_latest_confirmed_inputs_per_goal(demo):
    """At most per_goal of each goal's latest confirmed inputs are read, so a build is bounded;
    a hidden input is not learned from."""
    framework_id = _framework_id(demo, "koping-2020-2027")
    with demo.app_context():
        rows = labelled("koping-2020-2027", "train")
        confirm(framework_id, [row for row in rows if row.codes == ("2.2",)][:4])
        confirm(framework_id, [row for row in rows if row.codes == ("3.1",)][:1])
        texts = [text for _, text in queries.confirmed_inputs(framework_id, 4)]
        latest = queries.confirmed_inputs(framework_id, 2)
        assert [goal for goal, _ in latest] == [_goal(framework_id, "2.2").id] * 2 + [
            _goal(framework_id, "3.1").id
        ]
        assert [text for _, text in latest] == [texts[2], texts[3], texts[4]]
        note = db.session.scalar(select(WorkshopNote).where(WorkshopNote.body_text == texts[4]))
        hide_contribution(note, "Test", None)
        db.session.commit()
        assert [text for _, text in queries.confirmed_inputs(framework_id, 4)] == texts[:4]
