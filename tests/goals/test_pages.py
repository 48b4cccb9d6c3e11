"""The public goal pages: the list, a framework, a goal, in both languages, in few queries."""

from __future__ import annotations

import re

import pytest

from dialog.accounts.models import Role
from dialog.extensions import db
from dialog.goals.models import FrameworkStatus, Indicator
from tests.goals.factories import make_framework, sub_goal_ids
from tests.helpers import make_user

ENGLISH = {"Accept-Language": "en"}


def _html(client, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_list_shows_current_first_and_marks_superseded(app, client):
    """The list puts the current framework first, marks the superseded one, and hides drafts."""
    old = make_framework(
        app,
        slug="gamla",
        title_sv="Gamla målen",
        title_en=None,
        status=FrameworkStatus.SUPERSEDED,
    )
    make_framework(app, slug="nya", title_sv="Nya målen", title_en=None, supersedes=old.id)
    make_framework(
        app, slug="utkast", title_sv="Utkastet", title_en=None, status=FrameworkStatus.DRAFT
    )
    html = _main(_html(client, "/goals", **ENGLISH))
    assert html.index("Nya målen") < html.index("Gamla målen")
    assert "Utkastet" not in html
    superseded = html[html.index("Gamla målen") :]
    assert "Superseded" in superseded
    assert "Replaced by" in superseded
    assert "status-superseded" in html


def test_framework_page_shows_vision_period_adoption_and_tree(app, client):
    """A framework's page shows vision, period, adoption and the goal tree with ordered headings."""
    make_framework(app, slug="plan", areas=2, sub_goals=2)
    html = _main(_html(client, "/goals/plan", **ENGLISH))
    assert html.count("<h1") == 1
    assert "Tillsammans bygger vi kommunen" in html
    assert "2020–2027" in html
    assert "December 16, 2019" in html
    assert "Municipal Council" in html
    for code in ("1", "1.1", "1.2", "2", "2.1", "2.2"):
        assert f'<span class="goal-code">{code}</span>' in html
    # Goal areas are h3 under the h2, sub-goals h4: headings in order.
    assert re.search(r"<h3 class=\"goal-heading\">\s*<span class=\"goal-code\">1</span>", html)
    assert re.search(r"<h4 class=\"goal-heading\">\s*<span class=\"goal-code\">1.1</span>", html)
    assert "Example data" in html


def test_framework_page_in_both_languages_with_swedish_fallback(app, client):
    """A framework's page is in the reader's language; untranslated text is Swedish, marked so."""
    make_framework(app, slug="plan")
    swedish = _main(_html(client, "/goals/plan"))
    english = _main(_html(client, "/goals/plan", **ENGLISH))
    assert "Testkommunens mål" in swedish
    assert "Målområde 1" in swedish
    assert "The test municipality&#39;s goals" in english
    assert "Goal area 1" in english
    # The sub-goals and the vision have no English text: shown in Swedish, marked as such.
    assert '<a href="/goals/plan/' in english
    assert re.search(r'lang="sv">Delmål 1.1<', english)
    assert re.search(r'class="vision" lang="sv">Tillsammans bygger vi kommunen<', english)
    assert 'lang="sv"' not in swedish.replace('lang="sv" hreflang', "")


def test_goal_page_has_sdg_badges_chart_and_table(app, client):
    """A goal's page has SDG badges in words, an accessible chart naming each value, and a table."""
    info = make_framework(app, slug="plan", sub_goals=1, indicators=1, measurements=4)
    with app.app_context():
        indicator = db.session.get(Indicator, info.indicator_ids[0])
        indicator.kolada_kpi, indicator.municipality_code = "N00945", "1983"
        indicator.is_example = True
        for measurement in indicator.measurements:
            measurement.source = "kolada"
        db.session.commit()
    goal_id = sub_goal_ids(app, info)[0]
    html = _main(_html(client, f"/goals/plan/{goal_id}", **ENGLISH))
    assert html.count("<h1") == 1
    # SDG badges carry their number and name as text, not colour alone.
    assert "Goal 3" in html
    assert "Good Health and Well-being" in html
    # The chart is an image with a title and a description naming every value.
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert re.search(r'aria-labelledby="chart-\d+-title chart-\d+-desc"', svg)
    assert "<title" in svg
    assert "Measured values 2019: 40 per cent, 2020: 41 per cent" in svg
    assert "Target 2027: 60 per cent" in svg
    assert "chart-target" in svg
    # The same figures in a table.
    table = html[html.index('<table class="measurements">') :]
    assert "<caption>" in table
    assert '<th scope="row">2022</th>' in table
    assert "43 per cent" in table
    assert "Source: Kolada" in html
    assert "N00945" in html
    assert "Example data" in html


def test_goal_page_numbers_in_swedish_format(app, client):
    """Measured values are written 12,5 in Swedish and 12.5 in English."""
    info = make_framework(app, slug="plan", measurements=1)
    with app.app_context():
        db.session.get(Indicator, info.indicator_ids[0]).measurements[0].value = 12.5
        db.session.commit()
    goal_id = sub_goal_ids(app, info)[0]
    assert "12,5 procent" in _html(client, f"/goals/plan/{goal_id}")
    assert "12.5 per cent" in _html(client, f"/goals/plan/{goal_id}", **ENGLISH)


def test_goal_without_measurements_has_no_chart(app, client):
    """A goal whose indicator has no values shows no chart but says none are measured yet."""
    info = make_framework(app, slug="plan", measurements=0)
    with app.app_context():
        indicator = db.session.get(Indicator, info.indicator_ids[0])
        indicator.baseline_year = indicator.baseline_value = None
        indicator.target_year = indicator.target_value = None
        db.session.commit()
    html = _html(client, f"/goals/plan/{sub_goal_ids(app, info)[0]}", **ENGLISH)
    assert "<svg" not in html
    assert "No values measured yet." in html


def test_goal_of_another_framework_is_not_found(app, client):
    """A goal addressed under another framework, or an unknown framework, answers 404."""
    one = make_framework(app, slug="ett")
    make_framework(app, slug="tva")
    assert client.get(f"/goals/tva/{one.goal_ids[0]}").status_code == 404
    assert client.get("/goals/no-such").status_code == 404


def test_drafts_are_for_administrators_only(app, client, auth):
    """A draft framework is 404 to visitors and editors, and shown to admins with a notice."""
    make_framework(app, slug="utkast", status=FrameworkStatus.DRAFT)
    assert client.get("/goals/utkast").status_code == 404
    auth.login(make_user(app, Role.EDITOR))
    assert client.get("/goals/utkast").status_code == 404
    auth.logout()
    auth.login(make_user(app, Role.ADMIN, locale="en"))
    html = _html(client, "/goals/utkast")
    assert "Only administrators see this version." in html


def test_navigation_links_to_the_goals(client):
    """The site navigation has a link to the goals."""
    html = client.get("/", headers=ENGLISH).get_data(as_text=True)
    assert '<a href="/goals">Goals</a>' in html


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "admin"])
def test_framework_and_goal_pages_run_a_fixed_number_of_queries(
    app, client, auth, count_queries, logged_in
):
    """The tree is loaded eagerly: a bigger framework costs no more queries."""
    if logged_in:
        auth.login(make_user(app, Role.ADMIN))
    small = make_framework(app, slug="liten", areas=1, sub_goals=1, indicators=1, measurements=1)
    large = make_framework(app, slug="stor", areas=8, sub_goals=5, indicators=4, measurements=8)
    counts = {}
    for info in (small, large):
        goal_id = sub_goal_ids(app, info)[0]
        with count_queries() as framework_queries:
            _html(client, f"/goals/{info.slug}")
        with count_queries() as goal_queries:
            _html(client, f"/goals/{info.slug}/{goal_id}")
        with count_queries() as list_queries:
            _html(client, "/goals")
        counts[info.slug] = (len(framework_queries), len(goal_queries), len(list_queries))
    assert counts["stor"] == counts["liten"]
    framework_count, goal_count, list_count = counts["stor"]
    assert framework_count <= 10
    # The goal page reads its trace too (how residents shaped it): its counts in one
    # statement and its first inputs in another, once per change.
    assert goal_count <= 11
    assert list_count <= 5
