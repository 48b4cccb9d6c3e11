"""Factories for goal frameworks: build a framework of any size straight in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import count

from flask import Flask

from dialog.extensions import db
from dialog.goals.models import (
    Framework,
    FrameworkKind,
    FrameworkStatus,
    Goal,
    GoalKind,
    GoalSdg,
    Indicator,
    Measurement,
)
from dialog.goals.services import ensure_sdgs

_numbers = count(1)


@dataclass(frozen=True)
class FrameworkInfo:
    """What a test needs to know of a framework it made."""

    id: int
    slug: str
    goal_ids: list[int] = field(default_factory=list)
    indicator_ids: list[int] = field(default_factory=list)
    measurement_ids: list[int] = field(default_factory=list)


def make_framework(
    app: Flask,
    *,
    slug: str | None = None,
    status: FrameworkStatus = FrameworkStatus.ADOPTED,
    areas: int = 2,
    sub_goals: int = 1,
    indicators: int = 1,
    measurements: int = 3,
    supersedes: int | None = None,
    title_sv: str = "Testkommunens mål",
    title_en: str | None = "The test municipality's goals",
    kind: FrameworkKind = FrameworkKind.PROGRAMME,
) -> FrameworkInfo:
    """Create and commit a framework: areas × sub-goals, each sub-goal with indicators."""
    slug = slug or f"plan-{next(_numbers)}"
    with app.app_context():
        ensure_sdgs()
        framework = Framework(
            slug=slug,
            kind=kind.value,
            status=status.value,
            title_sv=title_sv,
            title_en=title_en,
            vision_sv="Tillsammans bygger vi kommunen",
            vision_en=None,
            period_start=2020,
            period_end=2027,
            adopted_on=date(2019, 12, 16) if status != FrameworkStatus.DRAFT else None,
            adopted_by_sv="Kommunfullmäktige",
            adopted_by_en="Municipal Council",
            supersedes_id=supersedes,
        )
        db.session.add(framework)
        for area_number in range(1, areas + 1):
            area = Goal(
                framework=framework,
                kind=GoalKind.AREA.value,
                code=str(area_number),
                title_sv=f"Målområde {area_number}",
                title_en=f"Goal area {area_number}",
                statement_sv=f"Vi gör område {area_number} bättre.",
                position=area_number,
                sdg_links=[GoalSdg(sdg_number=(area_number % 17) + 1)],
            )
            db.session.add(area)
            for sub_number in range(1, sub_goals + 1):
                sub = Goal(
                    framework=framework,
                    parent=area,
                    kind=GoalKind.SUB_GOAL.value,
                    code=f"{area_number}.{sub_number}",
                    title_sv=f"Delmål {area_number}.{sub_number}",
                    title_en=None,
                    position=sub_number,
                    sdg_links=[GoalSdg(sdg_number=3, is_example=True)],
                    indicators=[
                        Indicator(
                            name_sv=f"Indikator {area_number}.{sub_number}.{n}",
                            name_en=f"Indicator {area_number}.{sub_number}.{n}",
                            unit_sv="procent",
                            unit_en="per cent",
                            baseline_year=2019,
                            baseline_value=40.0,
                            target_year=2027,
                            target_value=60.0,
                            position=n,
                            measurements=[
                                Measurement(year=2019 + m, value=40.0 + m, source="manual")
                                for m in range(measurements)
                            ],
                        )
                        for n in range(indicators)
                    ],
                )
                db.session.add(sub)
        db.session.commit()
        goals = sorted(goal.id for goal in framework.goals)
        indicator_rows = [i for goal in framework.goals for i in goal.indicators]
        return FrameworkInfo(
            framework.id,
            slug,
            goals,
            sorted(i.id for i in indicator_rows),
            sorted(m.id for i in indicator_rows for m in i.measurements),
        )


def sub_goal_ids(app: Flask, info: FrameworkInfo) -> list[int]:
    """Return the ids of the framework's sub-goals (the goals that carry indicators)."""
    with app.app_context():
        return [
            goal.id
            for goal in db.session.get(Framework, info.id).goals
            if goal.kind == GoalKind.SUB_GOAL
        ]
