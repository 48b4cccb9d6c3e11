"""Every paginated page answers any page number: past the end the last page, else the first."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from dialog.accounts.models import Role
from dialog.contributions.models import GoalRelation, WorkshopNote
from dialog.core.mail import queue_mail
from dialog.core.models import utcnow
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.contributions.factories import make_proposal
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import PASSWORD, AuthActions, UserInfo, make_user
from tests.pages.factories import make_page, make_page_comment
from tests.review.factories import link

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

PAST_THE_END = ("3", "99999999999999999999", "9223372036854775807", "9" * 5000)
NOT_A_PAGE = ("-1", "0", "abc", "", "1.5", "1e3", "²", "0x10", " ")


@dataclass(frozen=True)
class Paged:
    """A paginated page: who sees it, and how to fill it with one more row than a page."""

    role: Role | None
    fill: Callable[[Flask], str]  # makes the rows, returns the page's path
    # A page of one's own: the rows belong to the user the test logs in as.
    owner: str | None = None


def _dialogues(app: Flask) -> str:
    framework = make_framework(app)
    for _ in range(21):  # 20 a page
        make_dialogue(app, framework)
    return "/dialogues"


def _notes(app: Flask) -> str:
    dialogue = make_dialogue(app, make_framework(app), facilitators=())
    with app.app_context():
        db.session.add_all(
            WorkshopNote(
                dialogue_id=dialogue.id,
                body_html=f"Anteckning {number}",
                body_text=f"Anteckning {number}",
                participant_group="residents",
                published_at=utcnow(),
            )
            for number in range(51)  # 50 a page
        )
        db.session.commit()
    return f"/dialogues/{dialogue.slug}"


def _users(app: Flask) -> str:
    for _ in range(25):  # 25 a page, with the administrator looking
        make_user(app)
    return "/admin/users"


def _mail(app: Flask) -> str:
    with app.app_context():
        for number in range(51):  # 50 a page
            queue_mail(f"person{number}@example.se", f"Ämne {number}", "Hej")
        db.session.commit()
    return "/admin/mail"


def _page_comments(app: Flask) -> str:
    page = make_page(app)
    for number in range(21):  # 20 a page
        make_page_comment(app, f"/pages/{page.slug}", text=f"Kommentar {number}")
    return "/admin/page-comments"


def _open_consultation(app: Flask) -> str:
    dialogue = make_dialogue(app, make_framework(app), format="online_consultation", starts_in=None)
    with app.app_context():
        db.session.get(Dialogue, dialogue.id).moderation = "after"
        db.session.commit()
    return dialogue.slug


def _proposals(app: Flask) -> str:
    slug = _open_consultation(app)
    for number in range(21):  # 20 a page
        make_proposal(app, slug, title=f"Förslag {number}")
    return f"/dialogues/{slug}/proposals"


def _moderation_queue(app: Flask) -> str:
    dialogue = make_dialogue(app, make_framework(app), format="online_consultation", starts_in=None)
    for number in range(21):  # 20 a page, each waiting for the editors
        make_proposal(app, dialogue.slug, title=f"Väntar {number}", published=False)
    return "/moderation"


def _reviewed_goal(app: Flask) -> tuple[str, int]:
    """A goal with 26 inputs tied to it (25 a page): its framework's address and its id."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    goal = framework.goals["2.1"]
    for number in range(26):
        proposal = make_proposal(app, dialogue.slug, title=f"Bostäder {number}")
        link(app, proposal.id, goal, GoalRelation.RELATED)
    return framework.slug, goal


OWNER = "egen@example.se"


def _my_inputs(app: Flask) -> str:
    slug = _open_consultation(app)
    owner = make_user(app, email=OWNER)
    for number in range(21):  # 20 a page
        make_proposal(app, slug, title=f"Mitt förslag {number}", user_id=owner.id)
    return "/my/inputs"


PAGINATED: dict[str, Paged] = {
    "contributions.proposals": Paged(None, _proposals),
    "contributions.my_inputs": Paged(None, _my_inputs, owner=OWNER),
    "dialogues.index": Paged(None, _dialogues),
    "dialogues.inputs": Paged(None, lambda app: _notes(app) + "/inputs"),
    "dialogues.notes": Paged(Role.ADMIN, lambda app: _notes(app) + "/notes"),
    "accounts.admin_users": Paged(Role.ADMIN, _users),
    "outbox.index": Paged(Role.ADMIN, _mail),
    "pages.admin_page_comments": Paged(Role.EDITOR, _page_comments),
    "moderation.queue": Paged(Role.EDITOR, _moderation_queue),
    "review.goal": Paged(Role.POLITICIAN, lambda app: f"/review/goals/{_reviewed_goal(app)[1]}"),
    "review.framework": Paged(
        Role.POLITICIAN, lambda app: f"/review/frameworks/{_reviewed_goal(app)[0]}"
    ),
}


def test_every_paginated_page_is_in_the_table():
    """A page that shows the pagination macro is tested here."""
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r'pagination\(page, "([\w.]+)"', template.read_text()))
    assert used == set(PAGINATED)


def _page_shown(client: FlaskClient, path: str, page: str) -> str:
    response = client.get(path, query_string={"page": page})
    assert response.status_code == 200, f"page={page[:30]!r} answered {response.status_code}"
    found = re.search(r"Page (\d+) of (\d+)", response.get_data(as_text=True))
    assert found, f"page={page[:30]!r} shows no pagination"
    return f"{found[1]} of {found[2]}"


@pytest.mark.parametrize("endpoint", sorted(PAGINATED))
def test_any_page_number_gives_a_page(app, client, endpoint):
    """Huge, negative and non-numeric page numbers give the last or the first page, never 500."""
    paged = PAGINATED[endpoint]
    path = paged.fill(app)
    if paged.owner is not None:
        AuthActions(client).login(UserInfo(0, paged.owner, PASSWORD, None, ()))
    elif paged.role is not None:
        AuthActions(client).login(make_user(app, paged.role, locale="en"))
    client.set_cookie("lang", "en")
    assert _page_shown(client, path, "2") == "2 of 2"
    for page in PAST_THE_END:
        assert _page_shown(client, path, page) == "2 of 2"
    for page in NOT_A_PAGE:
        assert _page_shown(client, path, page) == "1 of 2"
