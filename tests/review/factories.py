"""A framework whose inputs and ties to goals were counted by hand, for the review tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask

from dialog.accounts.models import Role
from dialog.contributions import services
from dialog.contributions.models import (
    Contribution,
    ContributionStatus,
    GoalRelation,
    WorkshopNote,
)
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Goal
from tests.contributions.factories import make_comment, make_proposal
from tests.dialogues.factories import DialogueInfo, FrameworkInfo, make_dialogue, make_framework
from tests.helpers import AuthActions, UserInfo, make_user

MARCH = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
APRIL = datetime(2026, 4, 14, 9, 0, tzinfo=UTC)
# 00:30 on 1 April in Stockholm (summer time): an April input, though March in UTC.
FIRST_OF_APRIL = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)
AUTHOR_NAME = "Greta Lindqvist"
AUTHOR_EMAIL = "greta.lindqvist@example.se"


@dataclass(frozen=True)
class Reviewed:
    framework: FrameworkInfo
    goal: int  # 2.1
    other_goal: int  # 1.1
    online: DialogueInfo
    workshop: DialogueInfo
    ids: dict[str, int]  # name → input id


def link(app: Flask, contribution_id: int, goal_id: int, relation: GoalRelation, **kw) -> None:
    """Tie an input to a goal through the contribution service, as staff would."""
    with app.test_request_context():
        contribution = db.session.get_one(Contribution, contribution_id)
        goal = db.session.get_one(Goal, goal_id)
        services.link_goal(contribution, goal, relation, None, kw.get("rationale"))
        db.session.commit()


def _set(app: Flask, contribution_id: int, **values) -> None:
    """Change columns of an input directly: a time in the past, a status to test with."""
    with app.app_context():
        contribution = db.session.get_one(Contribution, contribution_id)
        for name, value in values.items():
            setattr(contribution, name, value)
        db.session.commit()


def _note(app: Flask, dialogue_id: int, text: str, group: str, sent: datetime) -> int:
    """A published workshop note from a group, sent at the given time."""
    with app.app_context():
        note = WorkshopNote(
            dialogue_id=dialogue_id,
            body_html=f"<p>{text}</p>",
            body_text=text,
            participant_group=group,
            status=ContributionStatus.PUBLISHED.value,
            created_at=sent,
            published_at=sent,
        )
        db.session.add(note)
        db.session.commit()
        return note.id


def make_reviewed(app: Flask) -> Reviewed:
    """Inputs of every status and kind tied to goal 2.1, counted by hand.

    Shown for 2.1 (6): p1 related, proposal, no group, March; p2 influenced, proposal, April;
    p3 suggested, proposal, waiting, April; n1 related, note, seniors, 1 April in Stockholm;
    n2 suggested, note, youth, March; c1 related, comment, March.
    Never shown: p4 rejected, p5 hidden, p6 withdrawn (all related to 2.1).
    Across the framework also p7 (1.1 only) and n1's second tie to 1.1: 8 ties, 7 inputs.
    """
    framework = make_framework(app)
    goal, other = framework.goals["2.1"], framework.goals["1.1"]
    online = make_dialogue(
        app, framework, format="online_consultation", starts_in=None, audiences=("residents",)
    )
    workshop = make_dialogue(app, framework, audiences=("seniors", "youth"))
    with app.app_context():
        db.session.get_one(Dialogue, online.id).moderation = "after"
        db.session.commit()
    author = {"name": AUTHOR_NAME, "email": AUTHOR_EMAIL}
    ids = {
        "p1": make_proposal(app, online.slug, "Fler bostäder för unga", **author).id,
        "p2": make_proposal(
            app, online.slug, "Bättre cykelbanor", "<p>Cykelbanorna är för smala.</p>", **author
        ).id,
        "p3": make_proposal(app, online.slug, "Väntar på beslut", published=False, **author).id,
        "p4": make_proposal(app, online.slug, "Avvisat förslag", **author).id,
        "p5": make_proposal(app, online.slug, "Dolt förslag", **author).id,
        "p6": make_proposal(app, online.slug, "Återtaget förslag", **author).id,
        "p7": make_proposal(app, online.slug, "Om något annat mål", **author).id,
    }
    ids["c1"] = make_comment(app, ids["p1"], "Bostäder behövs", published=True, **author).id
    ids["n1"] = _note(app, workshop.id, "Trygga gångvägar till bostaden", "seniors", FIRST_OF_APRIL)
    ids["n2"] = _note(app, workshop.id, "Mötesplatser för unga", "youth", MARCH)
    for name in ("p1", "c1", "p4", "p5", "p6"):
        _set(app, ids[name], created_at=MARCH)
    for name in ("p2", "p3", "p7"):
        _set(app, ids[name], created_at=APRIL)
    _set(app, ids["p3"], status=ContributionStatus.PENDING.value)
    _set(app, ids["p4"], status=ContributionStatus.REJECTED.value)
    _set(app, ids["p5"], status=ContributionStatus.HIDDEN.value)
    _set(app, ids["p6"], status=ContributionStatus.WITHDRAWN.value)
    for name in ("p1", "c1", "n1", "p4", "p5", "p6"):
        link(app, ids[name], goal, GoalRelation.RELATED)
    for name in ("p3", "n2"):
        link(app, ids[name], goal, GoalRelation.SUGGESTED)
    link(app, ids["p2"], goal, GoalRelation.INFLUENCED, rationale="Målet nämner nu cykelbanor.")
    link(app, ids["p7"], other, GoalRelation.RELATED)
    link(app, ids["n1"], other, GoalRelation.RELATED)
    return Reviewed(framework, goal, other, online, workshop, ids)


def login(app: Flask, client, role: Role = Role.POLITICIAN) -> UserInfo:  # noqa: ANN001
    user = make_user(app, role)
    assert AuthActions(client).login(user).status_code == 302
    return user
