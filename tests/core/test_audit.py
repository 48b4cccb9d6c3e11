"""The audit trail: one call that works out the subject's type and id from the object."""

from __future__ import annotations

from sqlalchemy import select

from dialog.accounts.models import Role, User
from dialog.contributions.models import WorkshopNote
from dialog.core import audit
from dialog.core.models import AuditEvent
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import make_user


def test_the_subject_is_named_by_its_table_kind_and_a_new_one_gets_its_id(app, ctx):
    """Every kind of input is a contribution; a subject not yet stored is stored first."""
    dialogue = make_dialogue(app, make_framework(app))
    actor = db.session.get(User, make_user(app, Role.FACILITATOR).id)
    note = WorkshopNote(dialogue_id=dialogue.id, body_html="x", body_text="x")
    db.session.add(note)
    event = audit.record("contribution_checked", actor, note, reason="test")
    assert note.id is not None
    assert (event.subject_type, event.subject_id, event.actor_id) == (
        "contribution",
        note.id,
        actor.id,
    )
    assert event.details == {"reason": "test"}


def test_a_change_records_only_the_fields_that_changed(app, ctx):
    """Before and after name the changed fields; no change, no event; no actor, no id."""
    user = db.session.get(User, make_user(app).id)
    unchanged = audit.record_change("user_updated", None, user, {"a": 1}, {"a": 1})
    event = audit.record_change("user_updated", None, user, {"a": 1, "b": 2}, {"a": 1, "b": 3})
    assert unchanged is None
    assert (event.subject_type, event.actor_id) == ("user", None)
    assert event.details == {"before": {"b": 2}, "after": {"b": 3}}
    assert db.session.scalars(select(AuditEvent.action)).all() == ["user_updated"]
