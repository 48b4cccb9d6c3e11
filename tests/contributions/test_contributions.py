"""The contribution table: one table for every kind, its goal links and its rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dialog.accounts.models import Role, User
from dialog.contributions import services
from dialog.contributions.models import (
    Contribution,
    GoalLink,
    GoalRelation,
    WorkshopNote,
)
from dialog.core.models import AuditEvent
from dialog.extensions import db
from dialog.goals.models import Goal
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import make_user


@pytest.fixture
def setting(app):
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework)
    editor = make_user(app, Role.FACILITATOR)
    return framework, dialogue, editor


def test_a_note_is_a_contribution_of_its_kind(app, setting):
    """A workshop note is a published Contribution row, sanitised, with its suggested goal."""
    framework, dialogue, editor = setting
    with app.app_context():
        goal = db.session.get(Goal, framework.goals["1.1"])
        note = services.add_workshop_note(
            dialogue.id, "Mer <em>dialog</em> <img src=x>", "residents", goal, None
        )
        db.session.commit()
        stored = db.session.scalars(select(Contribution)).one()
        assert isinstance(stored, WorkshopNote)
        assert stored.kind == "workshop_note"
        # A note is plain text: kept as typed, escaped for showing.
        assert stored.body_text == "Mer <em>dialog</em> <img src=x>"
        assert stored.body_html == "Mer &lt;em&gt;dialog&lt;/em&gt; &lt;img src=x&gt;"
        assert stored.status == "published"
        assert stored.published_at is not None
        assert [(link.goal_id, link.relation) for link in note.goal_links] == [
            (goal.id, "suggested")
        ]


def test_an_empty_or_too_long_text_is_refused(app):
    """A text empty after sanitising, or longer than the maximum, is refused with a message."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(services.ContributionError, match="empty"):
            services.check_text(" \r\n \t ")
        with pytest.raises(services.ContributionError, match="at most"):
            services.check_text("x" * (services.MAX_NOTE_LENGTH + 1))


def test_one_link_per_contribution_and_goal(app, setting):
    """The database refuses a second link between the same contribution and goal."""
    framework, dialogue, _ = setting
    with app.app_context():
        goal_id = framework.goals["1"]
        note = services.add_workshop_note(dialogue.id, "Text", "residents", None, None)
        db.session.flush()
        db.session.add(GoalLink(contribution_id=note.id, goal_id=goal_id))
        db.session.add(GoalLink(contribution_id=note.id, goal_id=goal_id))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


@pytest.fixture
def linking(app, setting):
    """A note with a suggested goal 2.1, an editor as the actor, in English."""
    framework, dialogue, editor = setting
    with app.test_request_context(headers={"Accept-Language": "en"}):
        actor = db.session.get(User, editor.id)
        goal = db.session.get(Goal, framework.goals["2.1"])
        note = services.add_workshop_note(dialogue.id, "Text", "residents", goal, actor)
        db.session.flush()
        yield note, goal, actor


def _link_events() -> list[tuple[str, dict | None, dict | None]]:
    query = select(AuditEvent).where(AuditEvent.action.like("goal_link_%")).order_by(AuditEvent.id)
    return [(e.action, e.details["before"], e.details["after"]) for e in db.session.scalars(query)]


def _link(note: WorkshopNote) -> tuple[str, str | None]:
    (link,) = note.goal_links
    return link.relation, link.rationale


def test_staff_confirm_a_suggestion_and_the_trail_has_before_and_after(linking):
    """Suggested becomes related by a staff decision, recorded with before and after."""
    note, goal, actor = linking
    services.link_goal(note, goal, GoalRelation.RELATED, actor)
    assert _link(note) == ("related", None)
    assert _link_events() == [
        ("goal_link_changed", {"relation": "suggested"}, {"relation": "related"})
    ]


def test_related_becomes_influenced_with_the_rationale_stripped(linking):
    """Influenced keeps its rationale without the surrounding white space."""
    note, goal, actor = linking
    services.link_goal(note, goal, GoalRelation.RELATED, actor, rationale="  ")
    services.link_goal(note, goal, GoalRelation.INFLUENCED, actor, "\n Blev delmål 2.1 \r\n")
    assert _link(note) == ("influenced", "Blev delmål 2.1")
    assert _link_events()[-1] == (
        "goal_link_changed",
        {"relation": "related", "rationale": None},
        {"relation": "influenced", "rationale": "Blev delmål 2.1"},
    )


def test_a_suggestion_never_weakens_a_confirmed_link(linking):
    """Suggesting a goal that is already influenced changes nothing and records nothing."""
    note, goal, actor = linking
    services.link_goal(note, goal, GoalRelation.INFLUENCED, actor, rationale="Blev delmål 2.1")
    events = _link_events()
    link = services.suggest_goal(note, goal, actor)
    assert link is note.goal_links[0]
    assert _link(note) == ("influenced", "Blev delmål 2.1")
    assert _link_events() == events


def test_staff_can_weaken_a_link_explicitly_and_it_is_audited(linking):
    """An explicit downgrade by staff is allowed, and the trail keeps the rationale it had."""
    note, goal, actor = linking
    services.link_goal(note, goal, GoalRelation.INFLUENCED, actor, rationale="Blev delmål 2.1")
    services.link_goal(note, goal, GoalRelation.SUGGESTED, actor)
    assert _link(note) == ("suggested", None)
    assert _link_events()[-1] == (
        "goal_link_changed",
        {"relation": "influenced", "rationale": "Blev delmål 2.1"},
        {"relation": "suggested", "rationale": None},
    )


def test_a_new_link_and_a_removed_link_are_audited(app, linking):
    """Creating a link by a staff decision and removing it are both in the trail."""
    note, _, actor = linking
    other = db.session.scalar(select(Goal).where(Goal.code == "1.1"))
    services.link_goal(note, other, GoalRelation.RELATED, actor, rationale=" Samma fråga ")
    services.unlink_goal(note, other, actor)
    services.unlink_goal(note, other, actor)  # already gone: nothing more to record
    assert [link.goal_id for link in note.goal_links] == [linking[1].id]
    state = {"relation": "related", "rationale": "Samma fråga"}
    assert _link_events() == [
        ("goal_link_created", None, state),
        ("goal_link_removed", state, None),
    ]
    assert db.session.scalars(select(GoalLink)).all() == note.goal_links


def test_influenced_needs_a_rationale_that_is_more_than_white_space(linking):
    """A blank rationale is refused for influenced, on a new link and on an existing one."""
    note, goal, actor = linking
    other = db.session.scalar(select(Goal).where(Goal.code == "1.1"))
    with pytest.raises(services.ContributionError, match="influenced"):
        services.link_goal(note, goal, GoalRelation.INFLUENCED, actor, rationale=" \n\t ")
    with pytest.raises(services.ContributionError, match="influenced"):
        services.link_goal(note, other, GoalRelation.INFLUENCED, actor, rationale="   ")
    assert [(link.goal_id, link.relation) for link in note.goal_links] == [(goal.id, "suggested")]
    assert _link_events() == []


def test_hide_and_restore_keep_the_row_and_the_trail(app, setting):
    """Hiding needs a reason, restoring clears it, the row stays and both are audited."""
    _, dialogue, editor = setting
    with app.test_request_context(headers={"Accept-Language": "en"}):
        actor = db.session.get(User, editor.id)
        note = services.add_workshop_note(dialogue.id, "Text", "residents", None, actor)
        db.session.flush()
        with pytest.raises(services.ContributionError, match="reason"):
            services.hide_contribution(note, "  ", actor)
        services.hide_contribution(note, "Kränkande", actor)
        assert (note.status, note.hidden_reason, note.hidden_by_id) == (
            "hidden",
            "Kränkande",
            editor.id,
        )
        services.restore_contribution(note, actor)
        assert note.status == "published"
        assert note.hidden_reason is None
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.actor_id) for e in events] == [
            ("contribution_hidden", editor.id),
            ("contribution_restored", editor.id),
        ]
        assert events[1].details["hidden_reason"] == "Kränkande"
        assert db.session.scalars(select(Contribution)).all() == [note]
