"""The administrators' goal pages, through real forms: create, edit, version, adopt."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.core.models import AuditEvent
from dialog.extensions import db
from dialog.goals.models import Framework, FrameworkStatus, Goal, GoalSdg, Indicator
from dialog.goals.services import ensure_sdgs
from tests.goals.factories import make_framework, sub_goal_ids
from tests.helpers import csrf_token, make_user, post_form


@pytest.fixture
def admin(app, client, auth):
    user = make_user(app, Role.ADMIN, locale="en")
    auth.login(user)
    with app.app_context():
        ensure_sdgs()
        db.session.commit()
    return user


def _framework(app, slug: str) -> Framework:
    with app.app_context():
        framework = db.session.scalar(select(Framework).where(Framework.slug == slug))
        assert framework is not None
        db.session.expunge(framework)
        return framework


def _actions(app) -> list[str]:
    with app.app_context():
        return [
            event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


FRAMEWORK_FORM = {
    "slug": "mal-2028",
    "supersedes": "",
    "title_sv": "Mål 2028–2035",
    "title_en": "Goals 2028–2035",
    "kind": "programme",
    "period_start": "2028",
    "period_end": "2035",
    "vision_sv": "Tillsammans",
    "vision_en": "Together",
    "summary_sv": "",
    "summary_en": "",
}


def test_admin_creates_a_framework_and_its_goal_tree(app, client, admin):
    """An admin creates a framework, an area and a sub-goal (its code suggested), all audited."""
    response = post_form(client, "/admin/frameworks/new", FRAMEWORK_FORM)
    assert response.status_code == 302
    assert response.location == "/admin/frameworks/mal-2028"
    area = {
        "kind": "area",
        "parent_id": "",
        "code": "1",
        "title_sv": "Demokrati",
        "title_en": "Democracy",
        "statement_sv": "Alla kan vara med.",
        "statement_en": "",
    }
    new_goal = "/admin/frameworks/mal-2028/goals/new"
    assert post_form(client, new_goal, area).status_code == 302
    with app.app_context():
        area_id = db.session.scalar(select(Goal.id).where(Goal.code == "1"))
    # The form suggests the next code under a parent.
    page = client.get(f"{new_goal}?parent={area_id}").get_data(as_text=True)
    assert 'value="1.1"' in page
    sub = {**area, "kind": "sub_goal", "parent_id": str(area_id), "code": "1.1"}
    sub.update(title_sv="Fler röster", title_en="")
    assert post_form(client, new_goal, sub).status_code == 302
    html = client.get("/admin/frameworks/mal-2028").get_data(as_text=True)
    assert "Demokrati" in html
    assert "Fler röster" in html
    assert _actions(app) == ["framework_created", "goal_created", "goal_created"]


def test_form_errors_keep_what_was_typed(app, client, admin):
    """Field errors and the service's address rule re-show the form filled in; nothing is stored."""
    data = {**FRAMEWORK_FORM, "slug": "Fel Adress", "period_start": "20x8", "title_sv": ""}
    data["vision_sv"] = "Min vision som inte får försvinna"
    response = post_form(client, "/admin/frameworks/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please check the form" in html
    assert "Give the title in Swedish." in html
    assert "Give a year between 1900 and 2100." in html
    assert 'value="Fel Adress"' in html
    assert 'value="20x8"' in html
    assert "Min vision som inte får försvinna" in html
    # The service's own rule (the address) shows on its field, with the rest kept.
    data = {**FRAMEWORK_FORM, "slug": "Fel Adress"}
    html = post_form(client, "/admin/frameworks/new", data).get_data(as_text=True)
    assert "Use lower-case letters" in html
    assert 'value="Mål 2028–2035"' in html
    assert _framework_count(app) == 0


def _framework_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Framework)).all())


def test_adopted_framework_pages_say_why_they_cannot_be_edited(app, client, admin):
    """An adopted framework's edit pages redirect with the reason and leave its goals unchanged."""
    info = make_framework(app, slug="antagen")
    response = client.get("/admin/frameworks/antagen/edit")
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "is kept as it was decided" in html
    assert "Start a new version" in html
    goal_id = info.goal_ids[0]
    response = post_form(
        client,
        f"/admin/frameworks/antagen/goals/{goal_id}",
        {"kind": "area", "code": "1", "title_sv": "Ändrad", "parent_id": ""},
        source="/admin/frameworks/antagen",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Goal, goal_id).title_sv == "Målområde 1"


def test_new_version_then_adopt_through_the_forms(app, client, admin):
    """A new version copies the tree as a draft; adopting it supersedes the old one, audited."""
    info = make_framework(app, slug="plan-2020", areas=2, sub_goals=1)
    page = client.get("/admin/frameworks/plan-2020/new-version").get_data(as_text=True)
    assert 'value="2028"' in page  # the next period starts after this one
    response = post_form(
        client,
        "/admin/frameworks/plan-2020/new-version",
        {
            "slug": "plan-2028",
            "title_sv": "Plan 2028",
            "title_en": "",
            "period_start": "2028",
            "period_end": "2035",
        },
    )
    assert response.status_code == 302
    assert response.location == "/admin/frameworks/plan-2028"
    draft = _framework(app, "plan-2028")
    assert draft.status == FrameworkStatus.DRAFT
    with app.app_context():
        assert len(db.session.scalars(select(Goal).where(Goal.framework_id == draft.id)).all()) == 4
    response = post_form(
        client,
        "/admin/frameworks/plan-2028/adopt",
        {
            "adopted_on": "2027-11-23",
            "precision": "day",
            "adopted_by_sv": "Kommunfullmäktige",
            "adopted_by_en": "Municipal Council",
        },
    )
    assert response.status_code == 302
    assert _framework(app, "plan-2028").status == FrameworkStatus.ADOPTED
    assert _framework(app, "plan-2020").status == FrameworkStatus.SUPERSEDED
    assert _framework(app, "plan-2020").id == info.id
    assert _actions(app) == [
        "framework_version_created",
        "framework_adopted",
        "framework_superseded",
    ]


def test_adopt_form_refuses_a_bad_date(app, client, admin):
    """A date not written year-month-day is refused and kept in the form; the draft stays."""
    make_framework(app, slug="utkast", status=FrameworkStatus.DRAFT)
    response = post_form(
        client,
        "/admin/frameworks/utkast/adopt",
        {"adopted_on": "16/12/2019", "precision": "day", "adopted_by_sv": "KF"},
    )
    html = response.get_data(as_text=True)
    assert "Give the date as year-month-day" in html
    assert 'value="16/12/2019"' in html
    assert _framework(app, "utkast").status == FrameworkStatus.DRAFT


def test_reorder_and_move_goals(app, client, admin):
    """A goal area moves up in the order; a sub-goal moves under another area with a new code."""
    info = make_framework(app, slug="utkast", status=FrameworkStatus.DRAFT, areas=3, sub_goals=1)
    with app.app_context():
        goals = db.session.scalars(select(Goal).where(Goal.framework_id == info.id)).all()
        by_code = {goal.code: goal.id for goal in goals}
    source = "/admin/frameworks/utkast"
    post_form(client, f"{source}/goals/{by_code['3']}/move", {"direction": "up"}, source=source)
    html = client.get("/goals/utkast").get_data(as_text=True)
    assert html.index("Goal area 3") < html.index("Goal area 2")
    # Move sub-goal 1.1 under goal area 3.
    response = post_form(
        client,
        f"{source}/goals/{by_code['1.1']}",
        {"kind": "sub_goal", "parent_id": str(by_code["3"]), "code": "3.2", "title_sv": "Delmål"},
    )
    assert response.status_code == 302
    with app.app_context():
        moved = db.session.get(Goal, by_code["1.1"])
        assert (moved.parent_id, moved.code) == (by_code["3"], "3.2")


def test_sdg_links_form(app, client, admin):
    """The SDG form lists the 17 goals as checkboxes and stores the chosen links as real ones."""
    info = make_framework(app, slug="utkast", status=FrameworkStatus.DRAFT)
    goal_id = sub_goal_ids(app, info)[0]
    path = f"/admin/frameworks/utkast/goals/{goal_id}/sdgs"
    page = client.get(path).get_data(as_text=True)
    assert "<fieldset" in page
    assert "Good Health and Well-being" in page
    assert "example data" in page
    response = client.post(
        path, data={"csrf_token": csrf_token(client, path), "sdgs": ["13", "11"]}
    )
    assert response.status_code == 302
    with app.app_context():
        links = db.session.scalars(select(GoalSdg).where(GoalSdg.goal_id == goal_id)).all()
        assert sorted((link.sdg_number, link.is_example) for link in links) == [
            (11, False),
            (13, False),
        ]


def test_indicator_and_measurements_forms(app, client, admin):
    """Indicator and measurement forms take decimal commas, check KPI ids and years, keep input."""
    info = make_framework(app, slug="utkast", status=FrameworkStatus.DRAFT, indicators=0)
    goal_id = sub_goal_ids(app, info)[0]
    data = {
        "name_sv": "Andel nöjda",
        "name_en": "",
        "unit_sv": "procent",
        "unit_en": "",
        "direction": "higher",
        "baseline_year": "2019",
        "baseline_value": "40,5",
        "target_year": "2027",
        "target_value": "abc",
        "kolada_kpi": "N12",
        "municipality_code": "",
    }
    path = f"/admin/frameworks/utkast/goals/{goal_id}/indicators/new"
    html = post_form(client, path, data).get_data(as_text=True)
    assert "Give a number, like 12.5." in html
    assert 'value="40,5"' in html
    data.update(target_value="60", kolada_kpi="N12")
    html = post_form(client, path, data).get_data(as_text=True)
    assert "A Kolada KPI id is N or U and five digits" in html
    data.update(kolada_kpi="n00945", municipality_code="1983")
    response = post_form(client, path, data)
    assert response.status_code == 302
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.goal_id == goal_id))
        assert (indicator.kolada_kpi, indicator.baseline_value) == ("N00945", 40.5)
        indicator_id = indicator.id
    page = f"/admin/frameworks/utkast/indicators/{indicator_id}"
    measurements = f"{page}/measurements"
    response = post_form(
        client, measurements, {"year": "2023", "value": "47,5", "source": "kolada"}, source=page
    )
    assert response.status_code == 302
    html = post_form(
        client, measurements, {"year": "23", "value": "1", "source": "manual"}, source=page
    ).get_data(as_text=True)
    assert "Give a year between 1900 and 2100." in html
    assert 'value="23"' in html
    with app.app_context():
        values = [
            (m.year, m.value, m.source)
            for m in db.session.get(Indicator, indicator_id).measurements
        ]
    assert values == [(2023, 47.5, "kolada")]


def test_measurements_are_recorded_on_adopted_frameworks_through_the_form(app, client, admin):
    """An adopted framework's indicator is locked, but new measurements can still be added."""
    info = make_framework(app, slug="antagen", measurements=1)
    indicator_id = info.indicator_ids[0]
    page = f"/admin/frameworks/antagen/indicators/{indicator_id}"
    html = client.get(page).get_data(as_text=True)
    assert "the definition cannot be changed" in html
    response = post_form(
        client,
        f"{page}/measurements",
        {"year": "2024", "value": "51", "source": "manual"},
        source=page,
    )
    assert response.status_code == 302
    with app.app_context():
        years = [m.year for m in db.session.get(Indicator, indicator_id).measurements]
    assert years == [2019, 2024]
