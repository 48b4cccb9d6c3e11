"""Many residents at once, through the real stack in threads: references without gaps or
duplicates, one proposal per form, and support and comment counts that add up. On SQLite and on
PostgreSQL alike (the suite's database)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from dialog.contributions import services
from dialog.contributions.models import Comment, Contribution, Proposal, Support
from dialog.extensions import db
from tests.contributions.factories import (
    form_tokens,
    make_comment,
    make_consultation,
    make_proposal,
)
from tests.helpers import AuthActions, csrf_token, make_user

pytestmark = pytest.mark.commits

THREADS = 6
PER_THREAD = 5


@pytest.fixture
def consultation(app):
    return make_consultation(app)


def _together(work: Callable[[int], None], threads: int) -> None:
    """Run work(n) in threads that start at the same moment; re-raise the first failure."""
    start = threading.Barrier(threads)
    failures: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            work(number)
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            failures.append(error)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]


def test_references_have_no_gaps_and_no_duplicates_under_concurrent_sends(app, consultation):
    """Residents sending at once: every send stored once, numbered 1…N without a gap."""
    path = f"/dialogues/{consultation.slug}/proposals/new"
    # Each thread its own client address, so the per-address limit is not what is tested.
    clients = [app.test_client() for _ in range(THREADS)]
    forms = [
        [form_tokens(client, consultation.slug) for _ in range(PER_THREAD)] for client in clients
    ]

    def send(number: int) -> None:
        client = clients[number]
        for index, (csrf, token) in enumerate(forms[number]):
            response = client.post(
                path,
                data={
                    "csrf_token": csrf,
                    "submission": token,
                    "title": f"Förslag {number}-{index}",
                    "body": "Samtidigt som alla andra.",
                },
                environ_base={"REMOTE_ADDR": f"10.0.0.{number + 1}"},
            )
            assert response.status_code == 302, response.get_data(as_text=True)[-500:]

    _together(send, THREADS)
    with app.app_context():
        references = list(db.session.scalars(select(Proposal.reference)))
    total = THREADS * PER_THREAD
    assert len(references) == len(set(references)) == total
    assert sorted(int(reference.rsplit("-", 1)[1]) for reference in references) == list(
        range(1, total + 1)
    )


def test_the_same_form_sent_from_several_tabs_at_once_stores_one_proposal(app, consultation):
    """One submission token sent at the same moment by several requests: one row, one receipt."""
    client = app.test_client()
    csrf, token = form_tokens(client, consultation.slug)
    path = f"/dialogues/{consultation.slug}/proposals/new"
    session = client.get_cookie("dialog_session")
    assert session is not None
    tabs = []
    for _ in range(4):
        tab = app.test_client()  # the same browser: its session cookie
        tab.set_cookie("dialog_session", session.value)
        tabs.append(tab)
    locations: list[str] = []

    def send(number: int) -> None:
        response = tabs[number].post(
            path,
            data={"csrf_token": csrf, "submission": token, "title": "En gång", "body": "Text"},
        )
        assert response.status_code == 302
        locations.append(response.location)

    _together(send, 4)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 1
    assert len(set(locations)) == 1


def test_concurrent_supports_all_count(app, consultation):
    """Many residents support at once, one twice at once: the count equals the support rows."""
    proposal = make_proposal(app, consultation.slug)
    page = f"/dialogues/{consultation.slug}/proposals/{proposal.id}"
    residents = [make_user(app) for _ in range(THREADS)]
    clients = []
    for resident in residents:
        client = app.test_client()
        AuthActions(client).login(resident)
        clients.append((client, csrf_token(client, page)))
    # The first resident clicks twice at the same moment, from two requests.
    clients.append(clients[0])

    def click(number: int) -> None:
        client, token = clients[number]
        assert client.post(f"{page}/support", data={"csrf_token": token}).status_code == 302

    _together(click, len(clients))
    with app.app_context():
        stored = db.session.get(Proposal, proposal.id)
        rows = db.session.scalar(select(func.count()).select_from(Support))
        assert stored.support_count == rows == THREADS


def test_concurrent_comments_and_moderation_keep_the_comment_count(app, consultation):
    """Residents comment while a moderator hides one and an author withdraws another: the
    count on the proposal equals its published comments."""
    proposal = make_proposal(app, consultation.slug)
    to_hide = make_comment(app, proposal.id, "Hot och skällsord")
    to_withdraw = make_comment(app, proposal.id, "Jag ångrar mig")

    def change(comment_id: int, act: Callable[[Contribution], None]) -> None:
        with app.test_request_context(method="POST"):
            act(db.session.get(Contribution, comment_id))
            db.session.commit()

    def work(number: int) -> None:
        if number == 0:
            change(to_hide.id, lambda found: services.hide_contribution(found, "Hot", None))
        elif number == 1:
            change(to_withdraw.id, lambda found: services.withdraw_contribution(found, None, "x"))
        else:
            for index in range(PER_THREAD):
                make_comment(app, proposal.id, f"Kommentar {number}-{index}")

    _together(work, THREADS + 2)
    with app.app_context():
        stored = db.session.get(Proposal, proposal.id)
        published = db.session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(Comment.parent_id == proposal.id, Comment.status == "published")
        )
        assert stored.comment_count == published == THREADS * PER_THREAD
