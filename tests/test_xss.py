"""Cross-site scripting through every field of every form residents and editors write in
(proposal, comment and reply, page comment, content page):
what is stored holds only allowed markup (plain text exactly as typed), and no page that
shows it, to visitors or to staff, has markup that can run (tests/xss.py)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from dialog.accounts.models import Role
from dialog.contributions.models import Comment, Contribution, PageComment, Proposal
from dialog.core.sanitize import optional_text, typed_text
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.pages.models import Page
from tests.contributions.factories import (
    comment_form_tokens,
    comment_path,
    form_tokens,
    make_proposal,
)
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import AuthActions, csrf_token, make_user
from tests.xss import CORPUS, disallowed_markup, runnable_markup, single_line

ONE_LINE = set(single_line())
# A NUL is refused with the whole request (core.database), before any form sees it.
WITH_NUL = [payload for payload in CORPUS if "\x00" in payload]
STORABLE = [payload for payload in CORPUS if "\x00" not in payload]
_CONFIRM = re.compile(r'name="confirm_cleaning" type="hidden" value="([^"]+)"')


@pytest.fixture
def consultation(app):
    """An open online consultation that publishes at once; no rate limits in the way."""
    framework = make_framework(app)
    info = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    with app.app_context():
        db.session.get_one(Dialogue, info.id).moderation = "after"
        db.session.commit()
    app.config["RATELIMIT_ENABLED"] = False
    yield info
    app.config["RATELIMIT_ENABLED"] = True


def _post_confirmed(client: FlaskClient, path: str, data: dict[str, str]) -> TestResponse:
    """Send a form; when it shows what cleaning would cut, confirm and send it again."""
    response = client.post(path, data=data)
    confirmation = _CONFIRM.search(response.get_data(as_text=True))
    if response.status_code == 200 and confirmation:
        response = client.post(path, data={**data, "confirm_cleaning": confirmation.group(1)})
    return response


def _one_line(payload: str, fallback: str) -> str:
    return payload if payload in ONE_LINE else fallback


def _send_proposal(client: FlaskClient, slug: str, payload: str) -> TestResponse:
    csrf, submission = form_tokens(client, slug)
    data = {
        "csrf_token": csrf,
        "submission": submission,
        "title": _one_line(payload, "Förslag"),
        "body": f"Förslaget: {payload}",
        "name": _one_line(payload, "Anna"),
    }
    response = _post_confirmed(client, f"/dialogues/{slug}/proposals/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response


def _send_comment(
    client: FlaskClient, slug: str, proposal_id: int, payload: str, reply_to: int | None = None
) -> TestResponse:
    csrf, submission = comment_form_tokens(client, slug, proposal_id, reply_to)
    data = {
        "csrf_token": csrf,
        "submission": submission,
        "reply_to": str(reply_to) if reply_to is not None else "",
        "body": f"Kommentaren: {payload}",
        "name": _one_line(payload, "Bo"),
    }
    response = _post_confirmed(client, comment_path(slug, proposal_id), data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response


def _send_page_comment(client: FlaskClient, path: str, payload: str) -> None:
    form = f"/page-comment?page={path}"
    data = {
        "csrf_token": csrf_token(client, form),
        "page": path,
        "title": payload,
        "comment": payload,
        "email": "",
    }
    response = client.post("/page-comment", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]


def _write_page(client: FlaskClient, path: str, payload: str, before: str = "") -> None:
    """Write a page (path: new or edit) with the payload in every field."""
    data = {
        "csrf_token": csrf_token(client, path),
        "title": _one_line(payload, "Sidan") + before,
        "slug": "xss-sidan",
        "summary": before + payload,
        "body": f"<p>Sidan:{before}</p>{payload}",
    }
    response = _post_confirmed(client, path, data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]


def _stored(app: Flask, model: type, **where: object) -> object:
    with app.app_context():
        found = db.session.scalars(select(model).filter_by(**where)).one()
        db.session.expunge(found)
        return found


def _safe(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    assert runnable_markup(page) == [], path
    return page


@pytest.mark.parametrize("payload", STORABLE, ids=[f"payload{n}" for n in range(len(STORABLE))])
def test_a_payload_in_every_field_is_stored_safe_and_shown_inert(
    app: Flask, client: FlaskClient, auth: AuthActions, consultation, payload: str
) -> None:
    """Stored: rich text with allowed markup only, plain text as typed. Shown: on the proposal
    list and page, the receipt, my inputs, the API, the inbox and the page's admin and
    version pages, nothing that can run."""
    resident = make_user(app)
    auth.login(resident)
    receipt = _send_proposal(client, consultation.slug, payload).headers["Location"]
    proposal = _stored(app, Proposal)
    assert isinstance(proposal, Proposal)
    assert disallowed_markup(proposal.body_html) == []
    assert proposal.title == _one_line(payload, "Förslag").strip()
    assert proposal.author_name == _one_line(payload, "Anna").strip()
    comment_receipt = _send_comment(client, consultation.slug, proposal.id, payload)
    comment = _stored(app, Comment, reply_to_id=None)
    assert isinstance(comment, Comment)
    reply_receipt = _send_comment(client, consultation.slug, proposal.id, payload, comment.id)
    reply = _stored(app, Comment, reply_to_id=comment.id)
    assert isinstance(reply, Comment)
    for stored in (comment, reply):
        assert disallowed_markup(stored.body_html) == []
        assert stored.author_name == _one_line(payload, "Bo").strip()
    dialogue_path = f"/dialogues/{consultation.slug}"
    for path in (
        f"{dialogue_path}/proposals",
        f"{dialogue_path}/proposals/{proposal.id}",
        f"{comment_path(consultation.slug, proposal.id)}?reply_to={comment.id}",
        receipt,
        comment_receipt.headers["Location"],
        reply_receipt.headers["Location"],
        "/my/inputs",
    ):
        _safe(client, path)
    _safe(app.test_client(), f"{dialogue_path}/proposals")
    api = client.get("/api/v1/contributions")
    assert api.mimetype == "application/json"
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    items = {item["id"]: item for item in api.get_json()["results"]}
    assert (items[proposal.id]["title"], items[proposal.id]["html"]) == (
        proposal.title,
        proposal.body_html,
    )
    assert items[reply.id]["html"] == reply.body_html

    _send_page_comment(app.test_client(), dialogue_path, payload)
    comment = _stored(app, PageComment)
    assert isinstance(comment, PageComment)
    assert comment.body_text == typed_text(payload)
    auth.logout()
    editor = make_user(app, Role.EDITOR)
    auth.login(editor)
    inbox = _safe(client, "/admin/page-comments")
    _safe(client, f"/admin/page-comments/{comment.id}")
    assert str(comment.id) in inbox

    _write_page(client, "/admin/pages/new", payload)
    page = _stored(app, Page, slug="xss-sidan")
    assert isinstance(page, Page)
    assert disallowed_markup(page.body_html) == []
    assert page.title == _one_line(payload, "Sidan").strip()
    assert page.summary == optional_text(payload)
    # A second version, so that the versions page shows the payload in its diff.
    _write_page(client, f"/admin/pages/{page.id}/edit", payload, before=" ändrad ")
    for path in (
        f"/pages/{page.slug}",
        f"/admin/pages/{page.id}/edit",
        f"/admin/pages/{page.id}/versions",
        "/admin/pages",
    ):
        _safe(client, path)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Contribution)) == 4


@pytest.mark.parametrize("payload", WITH_NUL)
def test_a_payload_with_a_nul_is_refused_by_every_form(
    app: Flask, client: FlaskClient, auth: AuthActions, consultation, payload: str
) -> None:
    """A NUL byte (which PostgreSQL cannot store) is a 400 on every form; nothing is stored
    (but the proposal commented on)."""
    csrf, submission = form_tokens(client, consultation.slug)
    proposal = {"csrf_token": csrf, "submission": submission, "title": "T", "body": payload}
    assert (
        client.post(f"/dialogues/{consultation.slug}/proposals/new", data=proposal).status_code
        == 400
    )
    proposal = make_proposal(app, consultation.slug)
    csrf, submission = comment_form_tokens(client, consultation.slug, proposal.id)
    sent = {"csrf_token": csrf, "submission": submission, "body": payload}
    assert client.post(comment_path(consultation.slug, proposal.id), data=sent).status_code == 400
    path = f"/dialogues/{consultation.slug}"
    comment = {"csrf_token": csrf_token(client, f"/page-comment?page={path}"), "page": path}
    response = client.post("/page-comment", data={**comment, "comment": payload})
    assert response.status_code == 400
    auth.login(make_user(app, Role.EDITOR))
    page = {"csrf_token": csrf_token(client, "/admin/pages/new"), "title": "T", "slug": "t"}
    response = client.post("/admin/pages/new", data={**page, "body": payload})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Contribution)) == 1
        assert db.session.scalar(select(db.func.count()).select_from(Page)) == 0
