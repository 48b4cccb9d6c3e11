"""Demo goal frameworks (``data/goals/*.toml``, one file per framework version).

Each version is built as staff would build it: a draft (or "new version" of the one it
supersedes, which copies the goals that continue), its goal tree, Agenda 2030 links,
indicators and measurements, then adoption. A framework whose slug exists is left as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dialog.accounts.models import User
from dialog.demo.common import Source
from dialog.demo.past import set_past
from dialog.demo.schema import MapOf, is_year
from dialog.goals import services
from dialog.goals.models import (
    DatePrecision,
    Direction,
    Framework,
    FrameworkKind,
    FrameworkStatus,
    Goal,
    GoalKind,
    MeasurementSource,
)
from dialog.goals.queries import framework_by_slug, siblings_of
from dialog.goals.services import FrameworkInput, GoalInput, IndicatorInput

YEAR_VALUE = {"year": int, "value": float}
INDICATOR = {
    "name_sv": str,
    "name_en?": str,
    "unit_sv": str,
    "unit_en?": str,
    "direction": Direction,
    "baseline?": YEAR_VALUE,
    "target?": YEAR_VALUE,
    "kolada_kpi?": str,
    "municipality_code?": str,
    "measurements?": MapOf(is_year, float, "a year"),
}
GOAL = {
    "code": str,
    "kind": GoalKind,
    "parent?": str,
    "continues?": str,
    "title_sv": str,
    "title_en?": str,
    "statement_sv?": str,
    "statement_en?": str,
    "sdgs?": [int],
    "indicators?": [INDICATOR],
}
SCHEMA = {
    "actor": str,
    "example_data?": bool,
    "slug": str,
    "kind": FrameworkKind,
    "title_sv": str,
    "title_en?": str,
    "period": {"start": int, "end?": int},
    "vision_sv?": str,
    "vision_en?": str,
    "summary_sv?": str,
    "summary_en?": str,
    "supersedes?": str,
    "adoption?": {"on?": date, "precision?": DatePrecision, "by_sv?": str, "by_en?": str},
    "goals?": [GOAL],
}


def in_order(sources: list[Source]) -> list[Source]:
    """The files in name order, except that a version comes after the one it supersedes."""
    by_slug: dict[str, Source] = {}
    for source in sources:
        slug = source.data["slug"]
        if slug in by_slug:
            raise source.error("slug", f"{slug} is also the slug of {by_slug[slug].file}")
        by_slug[slug] = source
    ordered: list[Source] = []

    def visit(source: Source, chain: frozenset[str]) -> None:
        slug = source.data["slug"]
        if source in ordered:
            return
        if slug in chain:
            raise source.error("supersedes", "the versions supersede each other in a circle")
        previous = by_slug.get(source.data.get("supersedes", ""))
        if previous is not None:
            visit(previous, chain | {slug})
        ordered.append(source)

    for source in sources:
        visit(source, frozenset())
    return ordered


def load(source: Source, now: datetime) -> Framework:
    """Create the file's framework unless its slug exists; return the framework."""
    existing = framework_by_slug(source.data["slug"])
    if existing is not None:
        return existing
    actor = source.actor()
    services.ensure_sdgs()
    framework = _create(source, actor)
    _build_tree(source, framework, actor)
    if "adoption" in source.data:
        _adopt(source, framework, actor)
    return framework


def _framework_input(data: dict[str, Any]) -> FrameworkInput:
    return FrameworkInput(
        title_sv=data["title_sv"],
        title_en=data.get("title_en"),
        kind=data["kind"],
        period_start=data["period"]["start"],
        period_end=data["period"].get("end"),
        vision_sv=data.get("vision_sv"),
        vision_en=data.get("vision_en"),
        summary_sv=data.get("summary_sv"),
        summary_en=data.get("summary_en"),
    )


def _create(source: Source, actor: User) -> Framework:
    data = source.data
    fields = _framework_input(data)
    if "supersedes" not in data:
        with source.at("slug"):
            return services.create_framework(data["slug"], fields, actor)
    previous = framework_by_slug(data["supersedes"])
    if previous is None:
        raise source.error("supersedes", f"no framework {data['supersedes']} in goals/")
    with source.at("supersedes"):
        draft = services.new_version(
            previous,
            data["slug"],
            actor,
            fields.title_sv,
            fields.period_start,
            fields.period_end,
            fields.title_en,
        )
        return services.update_framework(draft, fields, actor)


def _build_tree(source: Source, framework: Framework, actor: User) -> None:
    """Shape the draft's tree as the file says: drop the copied goals that do not continue,
    change those that do, add the new ones, and put them in the file's order."""
    items: list[dict[str, Any]] = source.data.get("goals", [])
    copied = {goal.code: goal for goal in framework.goals}
    for index, item in enumerate(items):
        if "continues" in item and item["continues"] not in copied:
            raise source.error(
                f"goals[{index}].continues", f"no goal {item['continues']} in the version before"
            )
    continued = {item["continues"] for item in items if "continues" in item}
    for goal in sorted(copied.values(), key=_depth, reverse=True):
        if goal.code not in continued:
            services.delete_goal(goal, actor)
    by_code: dict[str, Goal] = {}
    # Continued goals first, so the codes they leave are free for the new ones.
    for index, item in sorted(enumerate(items), key=lambda pair: "continues" not in pair[1]):
        key = f"goals[{index}]"
        parent = item.get("parent")
        if parent is not None and parent not in by_code:
            raise source.error(f"{key}.parent", f"no goal {parent} before it in the file")
        goal_input = GoalInput(
            kind=item["kind"],
            code=item["code"],
            title_sv=item["title_sv"],
            title_en=item.get("title_en"),
            statement_sv=item.get("statement_sv"),
            statement_en=item.get("statement_en"),
            parent_id=by_code[parent].id if parent is not None else None,
        )
        with source.at(key):
            if "continues" in item:
                goal = services.update_goal(copied[item["continues"]], goal_input, actor)
            else:
                goal = services.add_goal(framework, goal_input, actor)
            services.set_goal_sdgs(
                goal, item.get("sdgs", []), actor, is_example=source.data.get("example_data", False)
            )
        by_code[goal.code] = goal
        _indicators(source, key, goal, item.get("indicators", []), actor)
    _order(source, [by_code[item["code"]] for item in items], actor)


def _depth(goal: Goal) -> int:
    return 0 if goal.parent is None else 1 + _depth(goal.parent)


def _indicators(
    source: Source, key: str, goal: Goal, items: list[dict[str, Any]], actor: User
) -> None:
    """Add the goal's indicators and their measurements; a copied one is kept by name."""
    copied = {indicator.name_sv: indicator for indicator in goal.indicators}
    for index, item in enumerate(items):
        baseline, target = item.get("baseline", {}), item.get("target", {})
        data = IndicatorInput(
            name_sv=item["name_sv"],
            name_en=item.get("name_en"),
            unit_sv=item["unit_sv"],
            unit_en=item.get("unit_en"),
            direction=item["direction"],
            baseline_year=baseline.get("year"),
            baseline_value=baseline.get("value"),
            target_year=target.get("year"),
            target_value=target.get("value"),
            kolada_kpi=item.get("kolada_kpi"),
            municipality_code=item.get("municipality_code"),
            is_example=source.data.get("example_data", False),
        )
        with source.at(f"{key}.indicators[{index}]"):
            existing = copied.pop(item["name_sv"], None)
            if existing is None:
                indicator = services.add_indicator(goal, data, actor)
            else:
                indicator = services.update_indicator(existing, data, actor)
            origin = MeasurementSource.KOLADA if indicator.kolada_kpi else MeasurementSource.MANUAL
            for year, value in item.get("measurements", {}).items():
                services.record_measurement(indicator, int(year), value, origin.value, actor)
    for indicator in copied.values():
        services.delete_indicator(indicator, actor)


def _order(source: Source, wanted: list[Goal], actor: User) -> None:
    """Move goals up among their siblings until they stand in the file's order."""
    groups: dict[int | None, list[Goal]] = {}
    for goal in wanted:
        groups.setdefault(goal.parent_id, []).append(goal)
    for siblings in groups.values():
        for index, goal in enumerate(siblings):
            for _ in range(siblings_of(goal).index(goal) - index):
                services.move_goal(goal, -1, actor)


def _adopt(source: Source, framework: Framework, actor: User) -> None:
    adoption = source.data["adoption"]
    precision = adoption.get("precision", DatePrecision.DAY.value)
    if "on" in adoption and "by_sv" in adoption:
        with source.at("adoption"):
            services.adopt_framework(
                framework,
                adoption["on"],
                adoption["by_sv"],
                actor,
                adoption.get("by_en"),
                precision,
            )
        return
    # The sources say the version was adopted but not when, or not by whom, and
    # adopt_framework rightly asks for both: the past is set as far as it is known, and the
    # version it replaces is superseded, as adoption does.
    previous = framework.supersedes
    set_past(
        actor,
        framework,
        [
            (
                framework,
                {
                    "status": FrameworkStatus.ADOPTED.value,
                    "adopted_on": adoption.get("on"),
                    "adopted_on_precision": precision,
                    "adopted_by_sv": adoption.get("by_sv"),
                    "adopted_by_en": adoption.get("by_en"),
                },
            )
        ],
    )
    if previous is not None and previous.status == FrameworkStatus.ADOPTED:
        set_past(actor, previous, [(previous, {"status": FrameworkStatus.SUPERSEDED.value})])
