"""The politicians' review of a goal and of a framework: filters, figures, no authors."""

from __future__ import annotations

from datetime import date

import pytest

from dialog.accounts.models import Role
from dialog.contributions.models import GoalRelation
from dialog.review.queries import NO_GROUP, ReviewFilters, Scope, review_figures, review_page
from tests.contributions.factories import make_proposal
from tests.review.factories import AUTHOR_EMAIL, AUTHOR_NAME, link, login, make_reviewed


@pytest.fixture
def reviewed(app):
    return make_reviewed(app)


def _scope(reviewed, goal=True) -> Scope:
    return Scope(reviewed.framework.id, reviewed.framework.slug, reviewed.goal if goal else None)


def _ids(app, reviewed, filters=None, goal=True) -> set[int]:
    filters = filters or ReviewFilters()
    with app.test_request_context():
        page = review_page(_scope(reviewed, goal), filters, 1, per_page=100)
    return {row.contribution_id for row in page.items}


def test_a_goal_shows_its_published_and_waiting_inputs_only(app, reviewed):
    """Published and waiting inputs tied to the goal; never rejected, hidden or withdrawn."""
    ids = reviewed.ids
    assert _ids(app, reviewed) == {ids[name] for name in ("p1", "p2", "p3", "n1", "n2", "c1")}


def test_the_figures_match_the_hand_count(app, reviewed):
    """Counts by relation, kind, group and month (Stockholm's months), and by dialogue."""
    with app.test_request_context():
        figures = review_figures(_scope(reviewed), ReviewFilters())
    assert figures.links == figures.inputs == 6
    assert dict(figures.by_relation) == {"related": 3, "suggested": 2, "influenced": 1}
    assert dict(figures.by_kind) == {"proposal": 3, "workshop_note": 2, "comment": 1}
    assert dict(figures.by_group) == {NO_GROUP: 4, "seniors": 1, "youth": 1}
    # n1 was sent at 22:30 UTC on 31 March: 00:30 on 1 April in Stockholm.
    assert figures.by_month == (("2026-04", 3), ("2026-03", 3))
    assert dict(figures.by_dialogue) == {reviewed.online.id: 4, reviewed.workshop.id: 2}
    assert figures.by_goal == ()


def test_the_framework_counts_ties_and_inputs(app, reviewed):
    """Across the framework: 8 ties from 7 inputs, per goal."""
    with app.test_request_context():
        figures = review_figures(_scope(reviewed, goal=False), ReviewFilters())
    assert (figures.links, figures.inputs) == (8, 7)
    assert dict(figures.by_goal) == {reviewed.goal: 6, reviewed.other_goal: 2}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ReviewFilters(kind="workshop_note"), {"n1", "n2"}),
        (ReviewFilters(relation="suggested"), {"p3", "n2"}),
        (ReviewFilters(relation="influenced"), {"p2"}),
        (ReviewFilters(group="seniors"), {"n1"}),
        (ReviewFilters(group=NO_GROUP), {"p1", "p2", "p3", "c1"}),
        (ReviewFilters(text="bostad"), {"p1", "c1", "n1"}),
        (ReviewFilters(text="cykelbana"), {"p2"}),
        (ReviewFilters(text="bostad unga"), {"p1"}),
        (ReviewFilters(text="ingenting sådant"), set()),
    ],
)
def test_each_filter_narrows_the_list(app, reviewed, filters, expected):
    """Kind, relation, group and words each keep only the inputs that match."""
    assert _ids(app, reviewed, filters) == {reviewed.ids[name] for name in expected}


def test_dialogue_and_dates_in_stockholm_time(app, reviewed):
    """A dialogue, and a period of local days (1 April starts at 22:00 UTC on 31 March)."""
    ids = reviewed.ids
    workshop = ReviewFilters(dialogue_id=reviewed.workshop.id)
    assert _ids(app, reviewed, workshop) == {ids["n1"], ids["n2"]}
    april = ReviewFilters(since=date(2026, 4, 1), until=date(2026, 4, 30))
    assert _ids(app, reviewed, april) == {ids["p2"], ids["p3"], ids["n1"]}
    march = ReviewFilters(until=date(2026, 3, 31))
    assert _ids(app, reviewed, march) == {ids["p1"], ids["c1"], ids["n2"]}


def test_the_page_filters_from_the_query_string(app, client, reviewed):
    """The page narrows by its query string and shows its figures and inputs."""
    login(app, client)
    response = client.get(f"/review/goals/{reviewed.goal}?kind=proposal&relation=influenced")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Bättre cykelbanor" in page
    assert "Målet nämner nu cykelbanor." in page
    assert "Fler bostäder för unga" not in page


@pytest.mark.parametrize("role", [Role.POLITICIAN, Role.EDITOR, Role.ADMIN])
def test_no_author_data_anywhere(app, client, reviewed, role):
    """Neither the name nor the address of any sender, on any page or export, for anyone."""
    login(app, client, role)
    paths = [
        "/review",
        f"/review/goals/{reviewed.goal}",
        f"/review/goals/{reviewed.goal}/report",
        f"/review/goals/{reviewed.goal}/inputs.csv",
        f"/review/frameworks/{reviewed.framework.slug}",
        f"/review/frameworks/{reviewed.framework.slug}/inputs.csv",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert AUTHOR_NAME not in body, path
        assert AUTHOR_EMAIL not in body, path
        assert "Greta" not in body, path


def test_personal_data_not_yet_redacted_is_left_out(app, client, reviewed):
    """A phone number sent anyway, waiting for an editor, never reaches a politician."""
    phone = make_proposal(
        app,
        reviewed.online.slug,
        "Ring mig",
        "<p>Ring mig på 070-123 45 67 om bostäder.</p>",
        published=False,
        send_anyway=True,
    )
    link(app, phone.id, reviewed.goal, GoalRelation.SUGGESTED)
    login(app, client)
    page = client.get(f"/review/goals/{reviewed.goal}").get_data(as_text=True)
    assert "Ring mig på […] om bostäder." in page
    assert "070-123 45 67" not in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        (Role.RESIDENT, 403),
        (Role.FACILITATOR, 403),
        (Role.POLITICIAN, 200),
        (Role.EDITOR, 200),
        (Role.ADMIN, 200),
    ],
)
def test_who_may_review(app, client, reviewed, role, status):
    """Politicians, editors and administrators; residents and facilitators are refused."""
    if role != "anonymous":
        login(app, client, role)
    for path in (f"/review/goals/{reviewed.goal}", f"/review/goals/{reviewed.goal}/inputs.csv"):
        response = client.get(path)
        assert response.status_code == status, path
        if status == 302:
            assert response.location.startswith("/login")


def test_both_languages(app, client, reviewed):
    """Swedish by default, English when chosen."""
    login(app, client)
    page = client.get(f"/review/goals/{reviewed.goal}").get_data(as_text=True)
    assert "Inlämnade från" in page or "Skickat från" in page
    assert "Påverkade målet" in page
    assert "april 2026" in page
    client.set_cookie("lang", "en")
    page = client.get(f"/review/goals/{reviewed.goal}").get_data(as_text=True)
    assert "Sent from" in page
    assert "Influenced the goal" in page
    assert "April 2026" in page
    assert "More homes and a safe environment" in page


def test_unknown_goal_and_framework_are_404(app, client, reviewed):
    """A goal or framework that does not exist is not found."""
    login(app, client)
    assert client.get("/review/goals/999999").status_code == 404
    assert client.get("/review/frameworks/no-such-framework").status_code == 404


def test_the_staff_start_page_links_to_the_review(app, client):
    """Politicians find the review on their start page and in the staff menu."""
    login(app, client)
    page = client.get("/staff").get_data(as_text=True)
    assert page.count('href="/review"') >= 2


def test_the_pages_cost_the_same_queries_whatever_the_data(app, client, reviewed, count_queries):
    """A fixed number of queries for the goal and the framework, however many inputs."""
    login(app, client)
    paths = (f"/review/goals/{reviewed.goal}", f"/review/frameworks/{reviewed.framework.slug}")
    few = {}
    for path in paths:
        client.get(path)
        with count_queries() as statements:
            client.get(path + "?q=bostad&kind=proposal")
        few[path] = len(statements)
    for number in range(12):
        proposal = make_proposal(app, reviewed.online.slug, f"Bostäder nummer {number}")
        link(app, proposal.id, reviewed.goal, GoalRelation.RELATED)
    for path in paths:
        client.get(path)
        with count_queries() as statements:
            client.get(path + "?q=bostad&kind=proposal")
        assert len(statements) == few[path], path
