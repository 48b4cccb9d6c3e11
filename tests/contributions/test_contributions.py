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
        assert stored.body_html == "Mer <em>dialog</em>"
        assert stored.body_text == "Mer dialog"
        assert stored.status == "published"
        assert stored.published_at is not None
        assert [(link.goal_id, link.relation) for link in note.goal_links] == [
            (goal.id, "suggested")
        ]


def test_an_empty_or_too_long_text_is_refused(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(services.ContributionError, match="empty"):
            services.check_text("<b> </b>")
        with pytest.raises(services.ContributionError, match="at most"):
            services.check_text("x" * (services.MAX_NOTE_LENGTH + 1))


def test_one_link_per_contribution_and_goal(app, setting):
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


def test_a_link_grows_in_strength_and_influence_needs_a_reason(app, setting):
    framework, dialogue, editor = setting
    with app.test_request_context(headers={"Accept-Language": "en"}):
        actor = db.session.get(User, editor.id)
        goal = db.session.get(Goal, framework.goals["2.1"])
        note = services.add_workshop_note(dialogue.id, "Text", "residents", goal, actor)
        db.session.flush()
        with pytest.raises(services.ContributionError, match="influenced"):
            services.link_goal(note, goal, GoalRelation.INFLUENCED, actor)
        services.link_goal(note, goal, GoalRelation.RELATED, actor)
        link = services.link_goal(
            note, goal, GoalRelation.INFLUENCED, actor, rationale="Blev delmål 2.1"
        )
        assert len(note.goal_links) == 1
        assert (link.relation, link.rationale) == ("influenced", "Blev delmål 2.1")


def test_hide_and_restore_keep_the_row_and_the_trail(app, setting):
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
