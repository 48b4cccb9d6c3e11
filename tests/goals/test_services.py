"""The rules of goal frameworks: versions, adoption, the goal tree and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from dialog.accounts.models import Role, User
from dialog.core.models import AuditEvent
from dialog.extensions import db
from dialog.goals import services
from dialog.goals.models import (
    Framework,
    FrameworkStatus,
    Goal,
    Indicator,
    Measurement,
)
from dialog.goals.services import FrameworkInput, GoalInput, GoalsError, IndicatorInput
from tests.goals.factories import make_framework
from tests.helpers import make_user


@pytest.fixture(autouse=True)
def _english(ctx):
    """Messages in English, whatever the catalogs say, so the tests can match them."""
    with force_locale("en"):
        yield


@pytest.fixture
def admin(app, ctx):
    info = make_user(app, Role.ADMIN)
    user = db.session.get(User, info.id)
    services.ensure_sdgs()
    # End the read so frameworks the test makes in its own context are seen (SQLite snapshots).
    db.session.commit()
    return user


def _framework(slug: str) -> Framework:
    framework = db.session.scalar(select(Framework).where(Framework.slug == slug))
    assert framework is not None
    return framework


def _events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def _draft(admin, slug: str = "ny-plan") -> Framework:
    return services.create_framework(
        slug, FrameworkInput(title_sv="Ny plan", period_start=2024, period_end=2030), admin
    )


def test_create_framework_records_who_and_what(app, admin):
    """A new framework is a draft, audited with its actor and its fields after."""
    framework = _draft(admin)
    assert framework.status == FrameworkStatus.DRAFT
    (event,) = _events("framework_created")
    assert event.actor_id == admin.id
    assert event.subject_id == framework.id
    assert event.details["before"] is None
    assert event.details["after"]["title_sv"] == "Ny plan"
    assert event.details["after"]["slug"] == "ny-plan"


@pytest.mark.parametrize("slug", ["Stora Bokstäver", "new", "a--b", "-a", ""])
def test_bad_or_reserved_slugs_are_refused(app, admin, slug):
    """A slug with capitals, spaces, stray or double hyphens, a reserved word or none is refused."""
    with pytest.raises(GoalsError) as error:
        _draft(admin, slug)
    assert error.value.field == "slug"


def test_slug_must_be_unique(app, admin):
    """A second framework with a slug already in use is refused."""
    _draft(admin, "plan")
    with pytest.raises(GoalsError, match="already"):
        _draft(admin, "plan")


def test_update_records_only_what_changed(app, admin):
    """An update's audit entry holds only the fields that changed, before and after."""
    framework = _draft(admin)
    data = FrameworkInput(
        title_sv="Ny plan", title_en="New plan", period_start=2024, period_end=2030
    )
    services.update_framework(framework, data, admin)
    (event,) = _events("framework_updated")
    assert event.details == {"before": {"title_en": None}, "after": {"title_en": "New plan"}}


def test_period_cannot_end_before_it_starts(app, admin):
    """A period whose end year comes before its start is refused on the end field."""
    framework = _draft(admin)
    with pytest.raises(GoalsError) as error:
        services.update_framework(
            framework, FrameworkInput(title_sv="X", period_start=2030, period_end=2020), admin
        )
    assert error.value.field == "period_end"


@pytest.mark.parametrize("status", [FrameworkStatus.ADOPTED, FrameworkStatus.SUPERSEDED])
def test_adopted_and_superseded_frameworks_are_never_edited(app, admin, status):
    """Every edit of a decided framework is refused with a pointer to a new version."""
    info = make_framework(app, status=status)
    framework = _framework(info.slug)
    goal = framework.goals[0]
    indicator = next(g for g in framework.goals if g.indicators).indicators[0]
    attempts = [
        lambda: services.update_framework(framework, FrameworkInput(title_sv="Ändrad"), admin),
        lambda: services.add_goal(
            framework, GoalInput(kind="area", code="9", title_sv="Nytt"), admin
        ),
        lambda: services.update_goal(
            goal, GoalInput(kind="area", code=goal.code, title_sv="Ändrat"), admin
        ),
        lambda: services.move_goal(goal, 1, admin),
        lambda: services.set_goal_sdgs(goal, [1], admin),
        lambda: services.delete_indicator(indicator, admin),
        lambda: services.set_status(framework, "consultation", admin),
        lambda: services.adopt_framework(framework, date(2024, 1, 1), "KF", admin),
    ]
    for attempt in attempts:
        with pytest.raises(GoalsError, match="new version"):
            attempt()
    db.session.rollback()
    assert _framework(info.slug).title_sv == "Testkommunens mål"


def test_measurements_are_recorded_on_an_adopted_framework(app, admin):
    """Yearly values keep coming after adoption, so they are not locked."""
    info = make_framework(app, measurements=1)
    indicator = db.session.get(Indicator, info.indicator_ids[0])
    services.record_measurement(indicator, 2024, 55.5, "manual", admin)
    services.record_measurement(indicator, 2024, 56.0, "manual", admin)
    values = {m.year: m.value for m in indicator.measurements}
    assert values[2024] == 56.0
    events = _events("measurement_recorded")
    assert [e.details["before"] for e in events] == [None, {"value": 55.5, "source": "manual"}]


def test_kolada_source_needs_a_kolada_kpi(app, admin):
    """A value marked as from Kolada is refused for an indicator without a Kolada KPI."""
    info = make_framework(app)
    indicator = db.session.get(Indicator, info.indicator_ids[0])
    with pytest.raises(GoalsError) as error:
        services.record_measurement(indicator, 2024, 1.0, "kolada", admin)
    assert error.value.field == "source"


def test_new_version_copies_the_whole_tree_and_keeps_lineage(app, admin):
    """A new version is a draft copy of goals, SDGs, indicators and values, linked to the old."""
    info = make_framework(app, areas=2, sub_goals=2, indicators=2, measurements=3)
    old = _framework(info.slug)
    draft = services.new_version(old, "plan-2028", admin, title_sv="Plan 2028", period_start=2028)
    db.session.expire_all()
    old, draft = _framework(info.slug), _framework("plan-2028")
    assert draft.status == FrameworkStatus.DRAFT
    assert draft.supersedes_id == old.id
    assert old.status == FrameworkStatus.ADOPTED  # until the draft is adopted
    assert draft.vision_sv == old.vision_sv
    assert len(draft.goals) == len(old.goals) == 6

    def shape(framework: Framework) -> list[tuple]:
        by_id = {goal.id: goal for goal in framework.goals}
        return sorted(
            (
                goal.code,
                goal.lineage,
                by_id[goal.parent_id].code if goal.parent_id else None,
                tuple(link.sdg_number for link in goal.sdg_links),
                tuple(
                    (i.name_sv, tuple((m.year, m.value) for m in i.measurements))
                    for i in goal.indicators
                ),
            )
            for goal in framework.goals
        )

    assert shape(draft) == shape(old)
    old_ids = {goal.id for goal in old.goals}
    assert {goal.copied_from_id for goal in draft.goals} == old_ids
    assert not old_ids & {goal.id for goal in draft.goals}
    (event,) = _events("framework_version_created")
    assert event.details["after"]["copied_from"] == info.slug


def test_only_one_new_version_at_a_time(app, admin):
    """A second new version of a framework is refused while one is being prepared."""
    info = make_framework(app)
    old = _framework(info.slug)
    services.new_version(old, "plan-b", admin, title_sv="B", period_start=2028)
    with pytest.raises(GoalsError, match="already being prepared"):
        services.new_version(old, "plan-c", admin, title_sv="C", period_start=2028)


@pytest.mark.commits  # the other session reads on its own connection
def test_new_version_refuses_a_framework_from_outside_the_session(app, admin):
    """A framework object the session does not hold is a clear error, never a half copy."""
    info = make_framework(app)
    with Session(db.engine) as other:
        old = other.get(Framework, info.id)
        with pytest.raises(RuntimeError, match="not loaded in this session"):
            services.new_version(old, "plan-b", admin, title_sv="B", period_start=2028)
    assert db.session.scalar(select(Framework).where(Framework.slug == "plan-b")) is None


def test_new_version_only_of_an_adopted_framework(app, admin):
    """A draft cannot be the source of a new version."""
    framework = _draft(admin)
    with pytest.raises(GoalsError, match="Only the adopted"):
        services.new_version(framework, "plan-b", admin, title_sv="B", period_start=2028)


def test_adopting_a_new_version_supersedes_the_old_one(app, admin):
    """Adopting a version records the date and body and supersedes its predecessor, audited."""
    info = make_framework(app)
    old = _framework(info.slug)
    draft = services.new_version(old, "plan-b", admin, title_sv="B", period_start=2028)
    services.adopt_framework(
        draft,
        date(2027, 11, 1),
        "Kommunfullmäktige",
        admin,
        adopted_by_en="Municipal Council",
        precision="month",
    )
    assert draft.status == FrameworkStatus.ADOPTED
    assert draft.adopted_on == date(2027, 11, 1)
    assert draft.adopted_on_precision == "month"
    assert old.status == FrameworkStatus.SUPERSEDED
    (adopted,) = _events("framework_adopted")
    assert adopted.details["before"]["status"] == "draft"
    assert adopted.details["after"]["status"] == "adopted"
    assert adopted.details["after"]["adopted_on"] == "2027-11-01"
    (superseded,) = _events("framework_superseded")
    assert superseded.subject_id == old.id
    assert superseded.details["after"] == {"status": "superseded", "superseded_by": "plan-b"}


def test_adoption_needs_the_adopting_body(app, admin):
    """Adoption without the body that decided it is refused on that field."""
    framework = _draft(admin)
    with pytest.raises(GoalsError) as error:
        services.adopt_framework(framework, date(2024, 1, 1), "  ", admin)
    assert error.value.field == "adopted_by_sv"


def test_consultation_and_back_to_draft(app, admin):
    """A draft goes to consultation and back, audited; it cannot be set to adopted directly."""
    framework = _draft(admin)
    services.set_status(framework, "consultation", admin)
    services.set_status(framework, "draft", admin)
    with pytest.raises(GoalsError):
        services.set_status(framework, "adopted", admin)
    changes = [
        (e.details["before"], e.details["after"]) for e in _events("framework_status_changed")
    ]
    assert changes == [
        ({"status": "draft"}, {"status": "consultation"}),
        ({"status": "consultation"}, {"status": "draft"}),
    ]


def test_goal_tree_rules(app, admin):
    """Sub-goals need an area parent, codes are unique and set, and no goal goes under itself."""
    framework = _draft(admin)
    area = services.add_goal(framework, GoalInput(kind="area", code="1", title_sv="Område"), admin)
    sub = services.add_goal(
        framework,
        GoalInput(kind="sub_goal", code="1.1", title_sv="Delmål", parent_id=area.id),
        admin,
    )
    refused = [
        (GoalInput(kind="sub_goal", code="2.1", title_sv="Utan förälder"), "parent_id"),
        (GoalInput(kind="area", code="3", title_sv="Under", parent_id=area.id), "parent_id"),
        (GoalInput(kind="area", code="1", title_sv="Samma kod"), "code"),
        (GoalInput(kind="area", code=" ", title_sv="Ingen kod"), "code"),
        (GoalInput(kind="area", code="4", title_sv=""), "title_sv"),
        (GoalInput(kind="nonsense", code="5", title_sv="Fel sort"), "kind"),
    ]
    for data, field in refused:
        with pytest.raises(GoalsError) as error:
            services.add_goal(framework, data, admin)
        assert error.value.field == field, data
    # A goal cannot go under itself or under one of its own sub-goals.
    with pytest.raises(GoalsError) as error:
        services.update_goal(
            area,
            GoalInput(kind="sub_goal", code="1", title_sv="Område", parent_id=sub.id),
            admin,
        )
    assert error.value.field == "parent_id"


def test_move_within_and_across_the_tree(app, admin):
    """Goals are reordered and moved to another parent, each move audited with before and after."""
    framework = _draft(admin)
    first = services.add_goal(framework, GoalInput(kind="area", code="1", title_sv="A"), admin)
    second = services.add_goal(framework, GoalInput(kind="area", code="2", title_sv="B"), admin)
    child = services.add_goal(
        framework,
        GoalInput(kind="sub_goal", code="1.1", title_sv="a", parent_id=first.id),
        admin,
    )
    services.move_goal(second, -1, admin)
    assert [g.code for g in sorted([first, second], key=lambda g: g.position)] == ["2", "1"]
    (moved,) = _events("goal_moved")
    assert moved.details["before"] == {"order": ["1", "2"]}
    assert moved.details["after"] == {"order": ["2", "1"]}
    services.update_goal(
        child,
        GoalInput(kind="sub_goal", code="2.1", title_sv="a", parent_id=second.id),
        admin,
    )
    assert child.parent_id == second.id
    (updated,) = _events("goal_updated")
    assert updated.details["before"]["parent_id"] == first.id
    assert updated.details["after"]["parent_id"] == second.id
    assert updated.details["after"]["code"] == "2.1"
    assert updated.details["framework"] == framework.slug


def test_delete_goal_only_without_sub_goals(app, admin):
    """A goal is deleted only once it has no sub-goals, each deletion audited."""
    framework = _draft(admin)
    area = services.add_goal(framework, GoalInput(kind="area", code="1", title_sv="A"), admin)
    sub = services.add_goal(
        framework,
        GoalInput(kind="sub_goal", code="1.1", title_sv="a", parent_id=area.id),
        admin,
    )
    with pytest.raises(GoalsError, match="first"):
        services.delete_goal(area, admin)
    services.delete_goal(sub, admin)
    services.delete_goal(area, admin)
    assert db.session.scalars(select(Goal).where(Goal.framework_id == framework.id)).all() == []
    deleted = _events("goal_deleted")
    assert [e.details["before"]["code"] for e in deleted] == ["1.1", "1"]
    assert all(e.details["after"] is None for e in deleted)


def test_sdg_links_are_replaced_and_audited(app, admin):
    """Setting SDG links replaces them without duplicates, audited; a goal beyond 17 is refused."""
    framework = _draft(admin)
    goal = services.add_goal(framework, GoalInput(kind="area", code="1", title_sv="A"), admin)
    services.set_goal_sdgs(goal, [13, 3, 3], admin)
    services.set_goal_sdgs(goal, [3, 16], admin)
    assert [link.sdg_number for link in goal.sdg_links] == [3, 16]
    events = _events("goal_sdgs_changed")
    assert [(e.details["before"], e.details["after"]) for e in events] == [
        ({"sdgs": []}, {"sdgs": [3, 13]}),
        ({"sdgs": [3, 13]}, {"sdgs": [3, 16]}),
    ]
    with pytest.raises(GoalsError):
        services.set_goal_sdgs(goal, [18], admin)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kolada_kpi": "X12345", "municipality_code": "1983"}, "kolada_kpi"),
        ({"kolada_kpi": "N1234", "municipality_code": "1983"}, "kolada_kpi"),
        ({"kolada_kpi": "N00945"}, "municipality_code"),
        ({"kolada_kpi": "N00945", "municipality_code": "19830"}, "municipality_code"),
        ({"municipality_code": "1983"}, "kolada_kpi"),
        ({"target_year": 2027}, "target_year"),
        ({"baseline_year": 1800, "baseline_value": 1.0}, "baseline_year"),
        ({"direction": "sideways"}, "direction"),
        ({"unit_sv": ""}, "unit_sv"),
    ],
)
def test_indicator_rules(app, admin, changes, field):
    """Each bad indicator field (KPI id, municipality, years, direction, unit) is refused."""
    framework = _draft(admin)
    goal = services.add_goal(framework, GoalInput(kind="area", code="1", title_sv="A"), admin)
    data = IndicatorInput(name_sv="Andel", unit_sv="procent")
    for name, value in changes.items():
        setattr(data, name, value)
    with pytest.raises(GoalsError) as error:
        services.add_indicator(goal, data, admin)
    assert error.value.field == field


def test_indicator_with_kolada_kpi(app, admin):
    """A KPI id is trimmed and upper-cased; deleting the indicator deletes its values."""
    framework = _draft(admin)
    goal = services.add_goal(framework, GoalInput(kind="area", code="1", title_sv="A"), admin)
    data = IndicatorInput(
        name_sv="Bostäder",
        unit_sv="antal",
        kolada_kpi=" u01234 ",
        municipality_code="1282",
        target_year=2027,
        target_value=120,
    )
    indicator = services.add_indicator(goal, data, admin)
    assert indicator.kolada_kpi == "U01234"
    services.record_measurement(indicator, 2023, 95, "kolada", admin)
    (created,) = _events("indicator_created")
    assert created.details["after"]["kolada_kpi"] == "U01234"
    services.delete_indicator(indicator, admin)
    assert db.session.scalars(select(Measurement)).all() == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,5", 12.5), ("12.5", 12.5), ("1 234,5", 1234.5), ("\u22123", -3.0), (" 7 ", 7.0)],
)
def test_numbers_in_swedish_and_english(text, value):
    """Numbers parse with a decimal comma or point, spaces in thousands and a minus sign."""
    assert services.parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,2.3", "nan", "inf"])
def test_not_numbers(text):
    """Empty text, words, mixed separators, nan and inf are not numbers."""
    with pytest.raises(ValueError, match=r".*"):
        services.parse_number(text)
