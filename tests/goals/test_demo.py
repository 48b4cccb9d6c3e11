"""The demo goal frameworks: worded as the sources, idempotent, example data marked."""

from __future__ import annotations

from sqlalchemy import func, select

from dialog.core.models import AuditEvent
from dialog.extensions import db
from dialog.goals.models import Framework, Goal, GoalSdg, Indicator, Measurement, Sdg

TABLES = (Framework, Goal, GoalSdg, Indicator, Measurement, Sdg, AuditEvent)


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in TABLES
        }


def test_demo_load_twice_changes_nothing(app):
    """Loading the goal frameworks again adds no framework, goal, indicator or audit event."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "/goals/koping-2020-2027" in first.output
    after_first = _counts(app)
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert _counts(app) == after_first
    assert after_first["Framework"] == 4
    assert after_first["Sdg"] == 17


def test_koping_is_worded_as_the_source(app, client):
    """Köping's goals 2020–2027 are worded as the news item of 2019-12-17."""
    app.test_cli_runner().invoke(args=["demo", "load"])
    with app.app_context():
        koping = db.session.scalar(select(Framework).where(Framework.slug == "koping-2020-2027"))
        assert koping.status == "adopted"
        assert koping.adopted_on.isoformat() == "2019-12-16"
        assert koping.adopted_by_sv == "Kommunfullmäktige"
        assert koping.vision_sv == "Tillsammans skapar vi vår framtid"
        assert koping.supersedes.slug == "koping-2013-2019"
        assert koping.supersedes.status == "superseded"
        assert koping.supersedes.goals == []
        titles = {goal.code: (goal.title_sv, goal.statement_sv) for goal in koping.goals}
        assert all(goal.title_en for goal in koping.goals)
    assert titles["1"][1] == (
        "När vi säger tillsammans menar vi det – Köpings kommun har en levande demokrati där "
        "delaktighet och kommunikation bygger tillit."
    )
    assert titles["2"][1] == (
        "Vi växer med ansvar – Köping ska vara en hållbar, trygg och inspirerande kommun som "
        "ger förutsättningar för livskvalitet."
    )
    assert titles["3"][1] == (
        "Det vi erbjuder lockar – Köping ska vara en kommun där människor och företag vill "
        "etablera sig och växa och där kompetens både finns och skapas."
    )
    assert titles["1.1"][0] == (
        "Vi erbjuder möjligheter att påverka och vara delaktig i utformningen av samhället."
    )
    assert titles["1.2"][0] == (
        "Tillsammans skapar vi förutsättningar för en förbättrad och jämlik folkhälsa"
    )
    assert titles["2.1"][0] == (
        "Vi skapar förutsättningar för fler bostäder och arbetar för en trygg och attraktiv "
        "livsmiljö"
    )
    assert titles["2.2"][0] == "Vi arbetar aktivt för en hållbar miljö och minskad klimatpåverkan"
    assert titles["3.1"][0] == (
        "Vi skapar bra förutsättningar för näringslivet genom kompetensutveckling, service och "
        "myndighetsutövning"
    )
    assert len(titles) == 8
    html = client.get("/goals/koping-2020-2027").get_data(as_text=True)
    assert "Tillsammans skapar vi vår framtid" in html
    assert "example-mark" in html


def test_landskrona_priority_areas(app):
    """Vägval (2010) is superseded by Vägval 2020, each with its five priority areas."""
    app.test_cli_runner().invoke(args=["demo", "load"])
    with app.app_context():
        frameworks = {
            f.slug: f
            for f in db.session.scalars(select(Framework).where(Framework.kind == "strategy"))
        }
        old, new = frameworks["landskrona-vagval"], frameworks["landskrona-vagval-2020"]
        assert (old.status, new.status) == ("superseded", "adopted")
        assert new.supersedes_id == old.id
        assert (new.adopted_on.isoformat(), new.adopted_on_precision) == ("2020-11-01", "month")
        assert [g.title_sv for g in sorted(old.goals, key=lambda g: g.position)] == [
            "Tillväxt",
            "Skola",
            "Leva och bo",
            "Hållbart samhälle",
            "Landskronaborna i fokus",
        ]
        assert [g.title_sv for g in sorted(new.goals, key=lambda g: g.position)] == [
            "Hållbar välfärd",
            "Tillväxt",
            "Trygghet",
            "Klimat",
            "Folkhälsa",
        ]
        assert {g.kind for g in old.goals + new.goals} == {"priority_area"}


def test_demo_sdg_links_and_indicators_are_example_data(app):
    """The made-up Agenda 2030 links and indicators are marked as example data."""
    app.test_cli_runner().invoke(args=["demo", "load"])
    with app.app_context():
        assert all(link.is_example for link in db.session.scalars(select(GoalSdg)))
        indicators = db.session.scalars(select(Indicator)).all()
        assert indicators
        assert all(indicator.is_example for indicator in indicators)
        assert {i.municipality_code for i in indicators if i.kolada_kpi} == {"1983", "1282"}


def test_vagval_comparison_keeps_growth_and_shows_the_rest(app, client):
    """Comparing the Vägval versions matches Growth and shows four added and four removed."""
    app.test_cli_runner().invoke(args=["demo", "load"])
    html = client.get(
        "/goals/landskrona-vagval/compare/landskrona-vagval-2020",
        headers={"Accept-Language": "en"},
    ).get_data(as_text=True)
    assert "Added: 4" in html
    assert "Removed: 4" in html
    unchanged = html[html.rindex("<h2") :]
    assert "Tillväxt" in unchanged or "Growth" in unchanged
