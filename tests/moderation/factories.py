"""Factories for moderation tests: a dialogue with waiting inputs, reports, an editor."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from dialog.accounts.models import Role
from dialog.contributions.models import Contribution
from dialog.extensions import db
from dialog.moderation.models import Flag
from tests.contributions.factories import ProposalInfo, make_proposal
from tests.dialogues.factories import DialogueInfo, make_dialogue, make_framework
from tests.helpers import AuthActions, UserInfo, make_user


@dataclass(frozen=True)
class Queue:
    dialogue: DialogueInfo
    pending: list[ProposalInfo]


def make_queue(app: Flask, count: int = 3, *, email: str | None = None) -> Queue:
    """An open consultation moderated before publication with `count` waiting proposals."""
    dialogue = make_dialogue(app, make_framework(app), format="online_consultation", starts_in=None)
    pending = [
        make_proposal(
            app,
            dialogue.slug,
            title=f"Förslag {n}",
            body=f"<p>Text {n}</p>",
            published=False,
            email=email,
        )
        for n in range(count)
    ]
    return Queue(dialogue, pending)


def report(app: Flask, contribution_id: int, reason: str = "offensive", times: int = 1) -> None:
    """Residents report a published input (as the report form will): flags and the count."""
    with app.app_context():
        contribution = db.session.get_one(Contribution, contribution_id)
        for _ in range(times):
            db.session.add(Flag(contribution_id=contribution_id, reason=reason))
        contribution.report_count += times
        db.session.commit()


def login_editor(app: Flask, client, role: Role = Role.EDITOR) -> UserInfo:  # noqa: ANN001
    editor = make_user(app, role)
    assert AuthActions(client).login(editor).status_code == 302
    return editor


def get(app: Flask, contribution_id: int) -> Contribution:
    """A fresh, detached copy of the input."""
    with app.app_context():
        found = db.session.get_one(Contribution, contribution_id)
        db.session.expunge(found)
        return found
