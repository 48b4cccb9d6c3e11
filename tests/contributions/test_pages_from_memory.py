"""The proposal pages from memory: the dialogue, the proposal, a page of its comments and a
page of the list are kept between requests (``dialog.core.cache.reference_data``), so they
must be the pages the database gives, show a change on the very next request and never share
a reader's own state; and each page costs the same queries however much is on it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from dialog.accounts.models import Role
from dialog.contributions import services
from dialog.contributions.models import Contribution
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Goal
from tests.contributions.factories import make_comment, make_proposal
from tests.dialogues.factories import DialogueInfo, make_dialogue, make_framework
from tests.helpers import AuthActions, UserInfo, csrf_token, make_user

# Made anew for every page: the CSRF token (signed with the time) and a form's one-time token.
TOKEN = re.compile(r'(name="(?:csrf_token|submission)"[^>]*value=")[^"]+"')
LONG = "<p>" + "Ett långt förslag om cykelvägar och bänkar längs ån. " * 10 + "</p>"


@dataclass(frozen=True)
class Site:
    """An open consultation with proposals, comments and replies, and its pages' paths."""

    slug: str
    proposal: int
    thread: int

    @property
    def proposal_page(self) -> str:
        return f"/dialogues/{self.slug}/proposals/{self.proposal}"

    @property
    def list_page(self) -> str:
        return f"/dialogues/{self.slug}/proposals"

    @property
    def thread_page(self) -> str:
        return f"/comments/{self.thread}/replies"


def _consultation(app: Flask) -> tuple[DialogueInfo, dict[str, int]]:
    framework = make_framework(app)
    consultation = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    with app.app_context():
        db.session.get(Dialogue, consultation.id).moderation = "after"  # published at once
        db.session.commit()
    return consultation, framework.goals


def _change(app: Flask, contribution_id: int, change: Callable[[Contribution], None]) -> None:
    """Apply a service to the stored input and commit, as a request would."""
    with app.test_request_context(method="POST"):
        change(db.session.get(Contribution, contribution_id))
        db.session.commit()


def _fill(app: Flask, comments: int = 22, replies: int = 12) -> Site:
    """Proposals with and without goals (one goal without an English title), a withdrawn one;
    on the first, comments over two pages (a withdrawn one, one with a name to escape) and a
    thread longer than its proposal's page shows."""
    consultation, goals = _consultation(app)
    with app.app_context():
        db.session.get(Goal, goals["2.1"]).title_en = None  # shown in Swedish, with lang="sv"
        db.session.commit()
    first = make_proposal(app, consultation.slug, "Cykelvägar", LONG, goal_id=goals["1.1"])
    make_proposal(app, consultation.slug, "Fler bostäder", goal_id=goals["2.1"])
    withdrawn = make_proposal(app, consultation.slug, "Ångrat förslag")
    _change(app, withdrawn.id, lambda found: services.withdraw_contribution(found, None, "x"))
    ids = [make_comment(app, first.id, f"Kommentar {n}").id for n in range(comments)]
    make_comment(app, first.id, "Hjärtligt <3 & tack", name="Anna <Andersson>")
    _change(app, ids[-1], lambda found: services.withdraw_contribution(found, None, "receipt"))
    for n in range(replies):
        make_comment(app, first.id, f"Svar {n}", reply_to=ids[0])
    return Site(consultation.slug, first.id, ids[0])


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return TOKEN.sub(r"\1-", response.get_data(as_text=True))


def _logged_in(app: Flask, user: UserInfo | None = None) -> FlaskClient:
    client = app.test_client()
    AuthActions(client).login(user or make_user(app))
    client.get("/")  # shows the message that says so, which no later page then shows
    return client


def _support(client: FlaskClient, site: Site) -> None:
    page = site.proposal_page
    response = client.post(f"{page}/support", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    client.get("/")  # shows the message that says so


@pytest.mark.commits  # memory keeps only what is committed
def test_the_pages_from_memory_are_the_pages_from_the_database(reference_on):
    """Every proposal page, for a visitor and a resident in both languages, is the same
    built from the copies kept in memory as read from the database."""
    site = _fill(reference_on)
    supporter = _logged_in(reference_on)
    _support(supporter, site)
    paths = [
        site.proposal_page,
        f"{site.proposal_page}?page=2",
        site.thread_page,
        site.list_page,
        f"{site.list_page}?sort=supported",
        f"{site.list_page}?sort=commented&status=published",
        f"{site.list_page}?status=withdrawn",
        f"/dialogues/{site.slug}/proposals/new",
        f"/dialogues/{site.slug}/proposals/{site.proposal}/comments/new?reply_to={site.thread}",
    ]
    readers = {"visitor": reference_on.test_client(), "supporter": supporter}
    for language in ("sv", "en"):
        for reader in readers.values():
            reader.set_cookie("lang", language)
        reference_on.config["REFERENCE_CACHE"] = False
        from_database = {
            (name, path): _page(reader, path) for name, reader in readers.items() for path in paths
        }
        reference_on.config["REFERENCE_CACHE"] = True
        for _ in range(2):  # built and kept, then from memory
            from_memory = {
                (name, path): _page(reader, path)
                for name, reader in readers.items()
                for path in paths
            }
            assert from_memory == from_database
    kept = reference_on.extensions["reference_data"]
    assert {key[0] for key in kept if isinstance(key, tuple)} >= {
        "input-dialogue",
        "proposal",
        "comments-page",
        "replies-page",
        "thread",
        "proposals-page",
    }
    lines = reference_on.extensions["lines"]
    assert {key[0] for key in lines} == {"proposal-lines", "comment-lists"}
    assert "See all 12 replies" in from_memory[("supporter", site.proposal_page)]
    second = from_memory[("visitor", f"{site.proposal_page}?page=2")]
    assert '<span id="comment-' in second
    assert "Anna &lt;Andersson&gt;</span>" in second  # escaped, as the name
    assert "to Anna &lt;Andersson&gt;</span>" in second  # and in the reply link
    listed = from_memory[("visitor", site.list_page)]
    assert '<span lang="sv">Fler bostäder och en trygg livsmiljö</span>' in listed
    assert "Ett långt förslag om cykelvägar och bänkar längs ån. Ett ..." not in listed
    assert "..." in listed  # the long text is cut, as the template's truncate cuts it


@pytest.mark.commits  # the change generation changes at a real COMMIT
def test_a_change_to_a_proposal_or_its_comments_shows_on_the_next_request(reference_on):
    """A new comment, a hidden comment, a new reply, a new proposal and a new support: each is
    on the next request of every page that shows it, though the pages came from memory."""
    site = _fill(reference_on, comments=3, replies=2)
    reader = _logged_in(reference_on)
    for path in (site.proposal_page, site.thread_page, site.list_page):
        assert _page(reader, path) == _page(reader, path)  # now kept in memory
    added = make_comment(reference_on, site.proposal, "En alldeles ny kommentar")
    assert "En alldeles ny kommentar" in _page(reader, site.proposal_page)
    _change(reference_on, added.id, lambda found: services.hide_contribution(found, "Hot", None))
    assert "En alldeles ny kommentar" not in _page(reader, site.proposal_page)
    make_comment(reference_on, site.proposal, "Ett nytt svar", reply_to=site.thread)
    assert "Ett nytt svar" in _page(reader, site.thread_page)
    assert "Ett nytt svar" in _page(reader, site.proposal_page)
    make_proposal(reference_on, site.slug, "Ett helt nytt förslag")
    assert "Ett helt nytt förslag" in _page(reader, site.list_page)
    assert "0 personer stöder förslaget." in _page(reader, site.proposal_page)
    _support(reader, site)
    assert "1 person stöder förslaget." in _page(reader, site.proposal_page)
    assert "1 stöd (inklusive ditt)" in _page(reader, f"{site.list_page}?sort=supported")


@pytest.mark.commits  # the pages are kept in memory only for committed data
def test_a_politician_is_shown_no_author_of_comments_kept_with_them(reference_on):
    """The comments are kept with their authors and without: a politician, between two
    residents, is shown none, and the residents every name."""
    site = _fill(reference_on, comments=2, replies=1)
    path = site.proposal_page
    resident = _logged_in(reference_on)
    politician = _logged_in(reference_on, make_user(reference_on, Role.POLITICIAN))
    for _ in range(2):  # the second time from memory
        assert "Anna &lt;Andersson&gt;</span>" in _page(resident, path)
        shown = _page(politician, path)
        assert "Anna" not in shown
        assert "kommentaren från En invånare</span>" in shown
        assert "Anna &lt;Andersson&gt;</span>" in _page(reference_on.test_client(), path)


@pytest.mark.commits  # the pages are kept in memory only for committed data
def test_a_readers_own_support_is_never_shared(reference_on):
    """The proposal and the list come from memory for everyone; whether the reader supports
    it is each reader's own, and a visitor is asked to log in."""
    site = _fill(reference_on, comments=1, replies=1)
    supporter, other = _logged_in(reference_on), _logged_in(reference_on)
    _support(supporter, site)
    supported = f"{site.list_page}?sort=supported"
    for _ in range(2):  # the second time from memory
        assert "Du stöder förslaget." in _page(supporter, site.proposal_page)
        assert "(inklusive ditt)" in _page(supporter, supported)
        assert "Du stöder förslaget." not in _page(other, site.proposal_page)
        assert "Stöd förslaget" in _page(other, site.proposal_page)
        assert "(inklusive ditt)" not in _page(other, supported)
        visitor = _page(reference_on.test_client(), site.proposal_page)
        assert "Logga in för att stödja förslaget" in visitor
        assert "Du stöder förslaget." not in visitor


def test_a_waiting_proposal_is_shown_to_its_author_only(app):
    """Kept for every reader alike, a proposal still waiting is shown to its author alone."""
    consultation, _ = _consultation(app)
    author = make_user(app)
    waiting = make_proposal(
        app, consultation.slug, "Väntar på granskning", user_id=author.id, published=False
    )
    with app.app_context():
        db.session.get(Contribution, waiting.id).status = "pending"
        db.session.commit()
    path = f"/dialogues/{consultation.slug}/proposals/{waiting.id}"
    assert "Väntar på granskning" in _page(_logged_in(app, author), path)
    assert _logged_in(app).get(path).status_code == 404
    assert app.test_client().get(path).status_code == 404


def _queries(count_queries, client: FlaskClient, path: str) -> int:
    with count_queries() as statements:
        assert client.get(path).status_code == 200, path
    return len(statements)


def _own_queries(count_queries, client: FlaskClient, path: str) -> int:
    """The queries of the page beyond what every logged-in request costs (the home page)."""
    return _queries(count_queries, client, path) - _queries(count_queries, client, "/")


# A logged-in resident's queries of each page beyond the home page's, read from the database
# (as in the tests, where nothing is kept in memory):
FROM_THE_DATABASE = {
    # the dialogue with its framework; the proposal with its dialogue, then its goals; the
    # reader's support; a page of comments: its rows, their number, the first replies of each
    "proposal": 7,
    # the dialogue; the framework's goal tree for the filter (goals.queries.framework_tree:
    # 5); a page of proposals: its rows, their number, their goals; the reader's supports
    "list": 10,
    # the comment with its proposal and dialogue; the dialogue; the proposal, then its goals;
    # a page of replies: its rows, their number
    "thread": 6,
}


def test_each_page_costs_the_same_queries_however_much_is_on_it(app, count_queries):
    """3 or 30 comments, replies and proposals: the same queries for every page."""
    site = _fill(app, comments=3, replies=3)
    reader = _logged_in(app)
    paths = {"proposal": site.proposal_page, "list": site.list_page, "thread": site.thread_page}
    few = {name: _own_queries(count_queries, reader, path) for name, path in paths.items()}
    assert few == FROM_THE_DATABASE
    for n in range(27):
        make_comment(app, site.proposal, f"Mer {n}")
        make_comment(app, site.proposal, f"Svar {n}", reply_to=site.thread)
        make_proposal(app, site.slug, f"Förslag {n}")
    many = {name: _own_queries(count_queries, reader, path) for name, path in paths.items()}
    assert many == FROM_THE_DATABASE


@pytest.mark.commits  # memory keeps only what is committed
def test_from_memory_a_page_costs_only_the_readers_own_queries(reference_on, count_queries):
    """Kept in memory, the proposal and the list ask the database only for the reader's own
    supports (and the change generation, when nothing else on the request read it)."""
    site = _fill(reference_on, comments=3, replies=3)
    reader = _logged_in(reference_on)
    for path in (site.proposal_page, site.list_page, site.thread_page):
        _page(reader, path)  # built and kept
        assert _own_queries(count_queries, reader, path) <= 2
    assert _own_queries(count_queries, reader, site.thread_page) <= 1  # no supports on it
