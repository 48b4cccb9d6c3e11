"""The database fails in the middle of sending a proposal or a comment, through the real
stack and with real commits: after the reference number is taken, at COMMIT, and (on
PostgreSQL) by the server dropping the request's connection. Each time the resident gets a
503 page in their language with the form and everything typed, nothing half-written is left
(no input, no reference number used up, no receipt mail, no audit entry), and sending the
same form again stores it once, with the next number. A database down from the request's
start still gives the typed text back to copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Connection

from dialog.contributions.models import Contribution, Proposal, ReferenceCounter
from dialog.core.models import AuditEvent, OutboxMessage
from dialog.extensions import db
from tests.contributions.factories import (
    comment_form_tokens,
    comment_path,
    form_tokens,
    make_consultation,
    make_proposal,
)
from tests.helpers import database_down, driver_error, engine_of

pytestmark = pytest.mark.commits

TITLE = "Belysning på gångvägen"
BODY = "Gångvägen mellan skolan och <em>idrottshallen</em> är mörk på vintern. Sätt upp lampor."
TYPED = ("Belysning på gångvägen", "idrottshallen", "Sätt upp lampor", "anna@example.se")
SORRY_SV = "Vi kunde inte spara ditt förslag just nu"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_SUBMISSION = re.compile(r'name="submission" type="hidden" value="([^"]+)"')
INSERT_CONTRIBUTION = "INSERT INTO contributions"


@contextmanager
def _once_before_insert(app: Flask, act: Callable[[Connection], None]) -> Iterator[None]:
    """Run act on the request's connection just before it inserts the proposal (once),
    that is after the year's reference number was taken in the same transaction."""
    engine = engine_of(app)
    done: list[bool] = []

    def before(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(INSERT_CONTRIBUTION) and not done:
            done.append(True)
            act(conn)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)


@contextmanager
def fail_after_the_number(app: Flask) -> Iterator[None]:
    """The driver reports an I/O error on the proposal's INSERT."""

    def fail(_conn: Connection) -> None:
        raise driver_error(app, "disk I/O error")

    with _once_before_insert(app, fail):
        yield


@contextmanager
def fail_at_commit(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Everything is written and flushed, then the COMMIT itself fails (once)."""
    dialect = engine_of(app).dialect
    real_commit = dialect.do_commit
    done: list[bool] = []

    def commit(dbapi_connection: Any) -> None:
        if not done:
            done.append(True)
            raise driver_error(app, "could not commit: connection lost")
        real_commit(dbapi_connection)

    monkeypatch.setattr(dialect, "do_commit", commit)
    yield


@contextmanager
def drop_the_connection(app: Flask) -> Iterator[None]:
    """PostgreSQL ends the request's server process (as on a restart or a failover) after
    the number is taken: the INSERT meets a closed connection."""
    admin = create_engine(engine_of(app).url)

    def terminate(conn: Connection) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
        with admin.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    try:
        with _once_before_insert(app, terminate):
            yield
    finally:
        admin.dispose()


@pytest.fixture
def consultation(app):
    info = make_consultation(app)
    make_proposal(app, info.slug)  # number 1 is taken before the failure
    return info


def _state(app: Flask) -> dict[str, Any]:
    """What a failed send must not have changed."""
    with app.app_context():
        state = {
            "contributions": db.session.scalar(select(func.count()).select_from(Contribution)),
            "numbers": db.session.scalar(select(func.max(ReferenceCounter.value))),
            "mails": db.session.scalar(select(func.count()).select_from(OutboxMessage)),
            "audit": db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "contribution_submitted")
            ),
        }
        db.session.remove()
    return state


def _scenarios(database_url: str) -> list[str]:
    found = ["after the number", "at commit"]
    if database_url.startswith("postgresql"):
        found.append("connection dropped")
    return found


def _failure(name: str, app: Flask, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202
    if name == "after the number":
        return fail_after_the_number(app)
    if name == "at commit":
        return fail_at_commit(app, monkeypatch)
    return drop_the_connection(app)


@pytest.mark.parametrize("scenario", ["after the number", "at commit", "connection dropped"])
def test_a_database_failure_mid_send_keeps_the_text_and_leaves_nothing_half_written(
    app, consultation, monkeypatch, caplog, scenario
):
    """503 with the form and the text; no row, number, mail or audit entry; the resend works."""
    if scenario not in _scenarios(str(engine_of(app).url)):
        pytest.skip("PostgreSQL only: SQLite has no server to drop the connection")
    client = app.test_client()
    csrf, token = form_tokens(client, consultation.slug)
    path = f"/dialogues/{consultation.slug}/proposals/new"
    form = {
        "csrf_token": csrf,
        "submission": token,
        "title": TITLE,
        "body": BODY,
        "email": "anna@example.se",
    }
    before = _state(app)
    with _failure(scenario, app, monkeypatch):
        response = client.post(path, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert SORRY_SV in page
    for typed in TYPED:
        assert typed in page, typed
    assert _state(app) == before
    assert "anna@example.se" not in caplog.text  # the failed statement's values are not logged
    assert "idrottshallen" not in caplog.text
    # The page's form sends the same proposal again, with the same one-time token.
    again = {**form, "csrf_token": _CSRF.search(page).group(1)}
    assert _SUBMISSION.search(page).group(1) == token
    sent = client.post(path, data=again)
    assert sent.status_code == 302, sent.get_data(as_text=True)[-800:]
    after = _state(app)
    assert after["contributions"] == before["contributions"] + 1
    assert after["numbers"] == before["numbers"] + 1  # no number lost to the failure
    assert after["mails"] == before["mails"] + 1
    assert client.post(path, data=again).location == sent.location  # still one proposal
    assert _state(app) == after


def test_a_send_the_database_refused_does_not_count_against_the_limit(
    app, consultation, monkeypatch
):
    """One send a minute: a send whose COMMIT fails uses none of it, so the resend is stored;
    the next send after that is refused (429)."""
    monkeypatch.setitem(app.config, "SUBMISSION_LIMITS_PER_ADDRESS", "1/minute")
    client = app.test_client()
    csrf, token = form_tokens(client, consultation.slug)
    path = f"/dialogues/{consultation.slug}/proposals/new"
    form = {"csrf_token": csrf, "submission": token, "title": TITLE, "body": BODY}
    with fail_at_commit(app, monkeypatch):
        assert client.post(path, data=form).status_code == 503
    assert client.post(path, data=form).status_code == 302
    csrf, token = form_tokens(client, consultation.slug)
    another = {"csrf_token": csrf, "submission": token, "title": "En till", "body": BODY}
    assert client.post(path, data=another).status_code == 429


def test_the_english_page_says_the_same(app, consultation, monkeypatch):
    """In English the resident reads the same message, with the text still there."""
    client = app.test_client()
    client.set_cookie("lang", "en")
    csrf, token = form_tokens(client, consultation.slug)
    form = {"csrf_token": csrf, "submission": token, "title": TITLE, "body": BODY}
    with fail_at_commit(app, monkeypatch):
        response = client.post(f"/dialogues/{consultation.slug}/proposals/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "We could not store your proposal just now" in page
    assert "idrottshallen" in page


def test_a_database_down_from_the_start_gives_the_text_back_to_copy(app, consultation):
    """Not even the dialogue can be read: a 503 that says so, with the typed texts to copy
    (never the tokens), and nothing stored."""
    client = app.test_client()
    csrf, token = form_tokens(client, consultation.slug)
    form = {"csrf_token": csrf, "submission": token, "title": TITLE, "body": BODY}
    before = _state(app)
    with database_down(app):
        response = client.post(f"/dialogues/{consultation.slug}/proposals/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Vi når inte vår databas just nu" in page
    assert TITLE in page
    assert "Gångvägen mellan skolan och &lt;em&gt;idrottshallen&lt;/em&gt;" in page
    assert token not in page
    assert csrf not in page
    assert _state(app) == before


def test_the_api_says_unavailable_in_json(app):
    """An API client gets a JSON 503 with Retry-After, not an HTML page."""
    with database_down(app):
        response = app.test_client().get("/api/v1/dialogues")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.get_json()["error"] == "service_unavailable"


@pytest.mark.parametrize("scenario", ["after the number", "at commit", "connection dropped"])
def test_a_comment_keeps_its_text_and_its_proposals_count_through_a_failure(
    app, monkeypatch, scenario
):
    """A comment's send fails: 503 with the text, no row and the proposal's count unchanged;
    the resend stores it once and counts it once."""
    if scenario not in _scenarios(str(engine_of(app).url)):
        pytest.skip("PostgreSQL only: SQLite has no server to drop the connection")
    info = make_consultation(app)
    proposal = make_proposal(app, info.slug)
    client = app.test_client()
    csrf, token = comment_form_tokens(client, info.slug, proposal.id)
    form = {"csrf_token": csrf, "submission": token, "body": BODY}
    path = comment_path(info.slug, proposal.id)
    before = _state(app)
    with _failure(scenario, app, monkeypatch):
        response = client.post(path, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Vi kunde inte spara din kommentar just nu" in page
    assert "idrottshallen" in page
    assert _state(app) == before
    again = {**form, "csrf_token": _CSRF.search(page).group(1)}
    assert client.post(path, data=again).status_code == 302
    assert client.post(path, data=again).status_code == 302
    assert _state(app)["contributions"] == before["contributions"] + 1
    with app.app_context():
        assert db.session.get(Proposal, proposal.id).comment_count == 1
        db.session.remove()
