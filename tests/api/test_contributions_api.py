"""Open data on inputs: exactly the listed fields, only what is public, the filters, pages
with links on the site's address, JSON errors, and a query count that does not grow."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dialog.accounts.models import User
from dialog.contributions import services
from dialog.contributions.models import Contribution, public_kinds
from dialog.core.cache import MemoryStore
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Framework, FrameworkStatus, Goal
from tests.contributions.factories import make_comment, make_proposal, send_proposal
from tests.dialogues.factories import make_dialogue, make_framework, make_note
from tests.helpers import make_user
from tests.pages.factories import make_page_comment

FIELDS = {
    "id",
    "reference",
    "kind",
    "dialogue",
    "title",
    "text",
    "html",
    "created_at",
    "support_count",
    "comment_count",
    "goals",
    "status",
    "parent",
    "reply_to",
}
PAGE_KEYS = {"count", "page", "pages", "next", "previous", "results"}


@pytest.fixture
def framework(app):
    return make_framework(app)


@pytest.fixture
def consultation(app, framework):
    """An open online consultation that publishes at once."""
    info = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    _set_dialogue(app, info.id, moderation="after")
    return info


def _set_dialogue(app, dialogue_id: int, **values) -> None:
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        for name, value in values.items():
            setattr(dialogue, name, value)
        db.session.commit()


def _change(app, contribution_id: int, change) -> None:
    """Run change(contribution) through the services' session and commit."""
    with app.test_request_context():
        change(db.session.get_one(Contribution, contribution_id))
        db.session.commit()


def _suggest(app, contribution_id: int, goal_id: int) -> None:
    _change(
        app,
        contribution_id,
        lambda item: services.suggest_goal(item, db.session.get_one(Goal, goal_id), None),
    )


def _results(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/contributions{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def test_an_input_has_exactly_the_open_fields(app, client, framework, consultation):
    """A proposal's JSON has the listed fields, its goals, and no email, name or token."""
    response = send_proposal(
        client,
        consultation.slug,
        title="Fler bänkar längs ån",
        body="Det behövs <strong>fler</strong> bänkar.",
        name="Hemlig Namnsson",
        email="hemlig@example.se",
    )
    assert response.status_code == 302
    receipt_token = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        proposal_id = db.session.scalars(select(Contribution.id)).one()
    _suggest(app, proposal_id, framework.goals["1.1"])
    response = client.get("/api/v1/contributions")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert set(data) == PAGE_KEYS
    [item] = data["results"]
    assert set(item) == FIELDS
    assert item["id"] == proposal_id
    assert item["reference"].startswith("DLG-")
    assert item["kind"] == "proposal"
    assert item["dialogue"] == consultation.slug
    assert item["title"] == "Fler bänkar längs ån"
    assert item["text"] == "Det behövs fler bänkar."
    assert item["html"] == "Det behövs <strong>fler</strong> bänkar."
    assert item["created_at"].endswith("Z")
    assert item["support_count"] == 0
    assert item["comment_count"] == 0
    assert item["goals"] == [{"id": framework.goals["1.1"], "relation": "suggested"}]
    assert item["status"] == "published"
    text = response.get_data(as_text=True)
    for secret in ("hemlig", "Namnsson", receipt_token):
        assert secret not in text


def test_only_public_inputs_and_withdrawn_ones_marked(app, client, consultation):
    """Published and withdrawn-after-publication are listed; waiting, hidden, withdrawn
    unpublished and page comments never are."""
    shown = make_proposal(app, consultation.slug, title="Synlig")
    withdrawn = make_proposal(app, consultation.slug, title="Återkallad")
    _change(app, withdrawn.id, lambda item: services.withdraw_contribution(item, None, "receipt"))
    hidden = make_proposal(app, consultation.slug, title="Dold")
    _change(app, hidden.id, lambda item: services.hide_contribution(item, "Spam", None))
    note = make_note(app, consultation, text="Anteckning från workshopen")
    make_page_comment(app, f"/dialogues/{consultation.slug}", text="Privat till redaktionen")
    _set_dialogue(app, consultation.id, moderation="before")
    make_proposal(app, consultation.slug, title="Väntande", published=False)
    never = make_proposal(app, consultation.slug, title="Aldrig publicerad", published=False)
    _change(app, never.id, lambda item: services.withdraw_contribution(item, None, "receipt"))

    response = client.get("/api/v1/contributions")
    by_id = {item["id"]: item for item in response.get_json()["results"]}
    assert set(by_id) == {shown.id, withdrawn.id, note}
    assert by_id[shown.id]["status"] == "published"
    assert by_id[withdrawn.id]["status"] == "withdrawn"
    assert by_id[note]["kind"] == "workshop_note"
    assert by_id[note]["reference"] is None
    body = response.get_data(as_text=True)
    for private in ("Dold", "Aldrig publicerad", "Väntande", "Privat till redaktionen"):
        assert private not in body


def test_the_filters_alone_and_combined(app, client, framework, consultation):
    """dialogue, goal and kind narrow the list, alone or together; newest first."""
    other = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    _set_dialogue(app, other.id, moderation="after")
    first = make_proposal(app, consultation.slug, title="Först")
    second = make_proposal(app, other.slug, title="Sedan")
    note = make_note(app, consultation)
    goal = framework.goals["2.1"]
    _suggest(app, second.id, goal)
    _suggest(app, note, goal)

    def ids(query: str) -> list[int]:
        return [item["id"] for item in _results(client, query)]

    assert ids("") == [note, second.id, first.id]
    assert ids(f"?dialogue={consultation.slug}") == [note, first.id]
    assert ids(f"?goal={goal}") == [note, second.id]
    assert ids("?kind=proposal") == [second.id, first.id]
    assert ids("?kind=workshop_note") == [note]
    assert ids(f"?dialogue={other.slug}&goal={goal}&kind=proposal") == [second.id]
    assert ids(f"?dialogue={other.slug}&kind=workshop_note") == []


def test_comments_and_replies_while_their_proposal_is_public(app, client, consultation):
    """Comments are listed with their proposal and thread, without name or email, and leave
    the list when their proposal (or the comment a reply answers) is hidden."""
    assert "comment" in public_kinds()
    proposal = make_proposal(app, consultation.slug, title="Förslaget")
    comment = make_comment(
        app, proposal.id, "Bra, men tänk på cyklisterna.", name="Hemlig", email="h@example.se"
    )
    reply = make_comment(app, proposal.id, "Håller med!", reply_to=comment.id)
    other = make_comment(app, proposal.id, "En annan tråd.")
    response = client.get("/api/v1/contributions?kind=comment")
    items = {item["id"]: item for item in response.get_json()["results"]}
    assert set(items) == {comment.id, reply.id, other.id}
    first = items[comment.id]
    assert set(first) == FIELDS
    assert (first["kind"], first["parent"], first["reply_to"]) == ("comment", proposal.id, None)
    assert first["reference"] == comment.reference
    assert first["text"] == "Bra, men tänk på cyklisterna."
    assert first["dialogue"] == consultation.slug
    assert items[reply.id]["reply_to"] == comment.id
    body = response.get_data(as_text=True)
    assert "Hemlig" not in body
    assert "h@example.se" not in body
    [listed] = _results(client, "?kind=proposal")
    assert listed["comment_count"] == 3

    _change(app, comment.id, lambda item: services.hide_contribution(item, "Hot", None))
    assert {item["id"] for item in _results(client, "?kind=comment")} == {other.id}
    _change(app, comment.id, lambda item: services.restore_contribution(item, None))
    _change(app, proposal.id, lambda item: services.hide_contribution(item, "Spam", None))
    assert _results(client, "?kind=comment") == []
    assert _results(client) == []
    _change(app, proposal.id, lambda item: services.restore_contribution(item, None))
    _change(app, proposal.id, lambda item: services.withdraw_contribution(item, None, "receipt"))
    assert len(_results(client, "?kind=comment")) == 3


def test_every_public_kind_is_a_filter_and_page_comments_are_not(app, client):
    """The kind filter takes each public kind, and refuses page_comment like any unknown kind."""
    assert "page_comment" not in public_kinds()
    for kind in public_kinds():
        assert client.get(f"/api/v1/contributions?kind={kind}").status_code == 200
    response = client.get("/api/v1/contributions?kind=page_comment")
    assert response.status_code == 400
    assert "proposal" in response.get_json()["message"]


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("dialogue=no-such-dialogue", "dialogue"),
        ("goal=abc", "goal"),
        ("goal=-1", "goal"),
        ("goal=0", "goal"),
        ("goal=1.5", "goal"),
        ("goal=99999999999999999999999", "goal"),
        ("goal=2147483648", "goal"),
        ("goal=2147483647", "goal"),
        ("goal=%EF%BC%91", "goal"),  # a full-width digit one
        ("kind=petition", "kind"),
        ("kind=" + "x" * 5000, "kind"),
    ],
)
def test_bad_filters_are_a_json_400_that_says_which(app, client, query, word):
    """A filter value that names nothing is a clear JSON 400, never a 500 or an empty list."""
    response = client.get(f"/api/v1/contributions?{query}")
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert data["error"] == "bad_request"
    assert word in data["message"]
    assert len(data["message"]) < 200


def test_a_goal_of_a_draft_framework_is_neither_filter_nor_shown(app, client, consultation):
    """A goal of a draft framework is not public: refused as a filter, left out of goals."""
    draft = make_framework(app, status=FrameworkStatus.DRAFT.value)
    proposal = make_proposal(app, consultation.slug)
    _suggest(app, proposal.id, draft.goals["1.1"])
    assert client.get(f"/api/v1/contributions?goal={draft.goals['1.1']}").status_code == 400
    [item] = _results(client)
    assert item["goals"] == []
    with app.app_context():
        db.session.get_one(Framework, draft.id).status = FrameworkStatus.ADOPTED.value
        db.session.commit()
    [item] = _results(client)
    assert item["goals"] == [{"id": draft.goals["1.1"], "relation": "suggested"}]


def test_pages_link_on_the_sites_address_and_keep_the_filters(
    app, client, consultation, monkeypatch
):
    """next and previous are absolute on DIALOG_BASE_URL with the filters; past the end is the
    last page; a page that is not a number is the first."""
    monkeypatch.setattr("dialog.api.views.contributions.PER_PAGE", 2)
    made = [make_proposal(app, consultation.slug, title=f"Förslag {n}").id for n in range(5)]
    first = client.get(
        f"/api/v1/contributions?kind=proposal&dialogue={consultation.slug}",
        headers={"Host": "evil.example"},
    )
    # Another host is refused before anything is built from it.
    assert first.status_code == 400
    first = client.get(f"/api/v1/contributions?kind=proposal&dialogue={consultation.slug}")
    data = first.get_json()
    assert (data["count"], data["page"], data["pages"]) == (5, 1, 3)
    assert data["previous"] is None
    assert data["next"] == (
        f"http://localhost/api/v1/contributions?dialogue={consultation.slug}&kind=proposal&page=2"
    )
    second = client.get(data["next"].removeprefix("http://localhost")).get_json()
    assert second["previous"].endswith("&page=1")
    last = client.get("/api/v1/contributions?page=99999999999999999999").get_json()
    assert last["page"] == 3
    assert last["next"] is None
    assert [item["id"] for item in last["results"]] == [made[0]]
    assert client.get("/api/v1/contributions?page=zwei").get_json()["page"] == 1
    seen = [item["id"] for page in (data, second, last) for item in page["results"]]
    assert seen == made[::-1]


def test_the_list_costs_the_same_queries_whatever_its_length(
    app, client, framework, consultation, count_queries
):
    """Ten times the inputs, with goals in two frameworks and supports: the same queries."""
    other = make_framework(app)

    def queries_for(query: str) -> int:
        with count_queries() as statements:
            assert client.get(f"/api/v1/contributions{query}").status_code == 200
        return len(statements)

    queries = [
        "",
        f"?dialogue={consultation.slug}&goal={framework.goals['1.1']}&kind=proposal",
    ]
    first = make_proposal(app, consultation.slug)
    _suggest(app, first.id, framework.goals["1.1"])
    few = [queries_for(query) for query in queries]
    supporter = make_user(app)
    for number in range(10):
        proposal = make_proposal(app, consultation.slug, title=f"Förslag {number}")
        _suggest(app, proposal.id, framework.goals["1.1"])
        _suggest(app, proposal.id, other.goals[f"{1 + number % 2}.1"])
        _change(
            app,
            proposal.id,
            lambda item: services.support(item, db.session.get_one(User, supporter.id)),
        )
        make_note(app, consultation)
        make_comment(app, proposal.id)
    assert [queries_for(query) for query in queries] == few
    assert few[0] <= 6


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_a_visitor_gets_the_cached_page_until_something_changes(app, consultation, count_queries):
    """Served from the page cache to visitors; a withdrawal shows on the very next request."""
    proposal = make_proposal(app, consultation.slug, title="Först")
    visitor = app.test_client()
    saved = app.extensions["page_cache"]
    app.extensions["page_cache"] = MemoryStore()
    app.config["PAGE_CACHE_SECONDS"] = 30
    try:
        assert _results(visitor)[0]["status"] == "published"
        with count_queries() as statements:
            assert _results(visitor)[0]["status"] == "published"
        assert statements == []  # a hit reads only the change generation, past the ORM
        _change(
            app, proposal.id, lambda item: services.withdraw_contribution(item, None, "receipt")
        )
        assert _results(visitor)[0]["status"] == "withdrawn"
    finally:
        app.extensions["page_cache"] = saved
        app.config["PAGE_CACHE_SECONDS"] = 0
