"""Reads of goal frameworks: lists, the goal tree in a bounded number of queries, lookups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from dialog.core.cache import Relations, freeze, reference_data
from dialog.extensions import db
from dialog.goals.models import (
    PUBLIC_STATUSES,
    Framework,
    FrameworkStatus,
    Goal,
    GoalSdg,
    Indicator,
    Measurement,
    Sdg,
)

# Current versions first, then those out for consultation, drafts, and history last.
_STATUS_ORDER = case(
    {
        FrameworkStatus.ADOPTED.value: 0,
        FrameworkStatus.CONSULTATION.value: 1,
        FrameworkStatus.DRAFT.value: 2,
        FrameworkStatus.SUPERSEDED.value: 3,
    },
    value=Framework.status,
    else_=4,
)


@dataclass
class GoalNode:
    """A goal with its children, built in Python from one query of the framework's goals."""

    goal: Goal
    depth: int
    children: list[GoalNode] = field(default_factory=list)


@dataclass
class GoalPage:
    """What a goal's page shows: the goal, the way down to it and the goals below it."""

    goal: Goal
    ancestors: list[Goal]
    children: list[Goal]


def _sort_key(goal: Goal) -> tuple[int, int]:
    return (goal.position, goal.id or 0)


def build_tree(goals: Iterable[Goal]) -> list[GoalNode]:
    """Arrange a framework's goals as a tree, each level in position order."""
    by_parent: dict[int | None, list[Goal]] = {}
    for goal in goals:
        by_parent.setdefault(goal.parent_id, []).append(goal)

    def nodes(parent_id: int | None, depth: int) -> list[GoalNode]:
        level = sorted(by_parent.get(parent_id, []), key=_sort_key)
        return [GoalNode(goal, depth, nodes(goal.id, depth + 1)) for goal in level]

    return nodes(None, 0)


def flatten(tree: list[GoalNode]) -> list[GoalNode]:
    """The tree's nodes in reading order (depth first)."""
    result = []
    for node in tree:
        result.append(node)
        result.extend(flatten(node.children))
    return result


def all_sdgs() -> list[Sdg]:
    """Return the 17 Agenda 2030 goals in order."""
    return list(db.session.scalars(select(Sdg).order_by(Sdg.number)))


def _listing(statuses: Iterable[str] | None) -> list[Framework]:
    query = (
        select(Framework)
        .options(selectinload(Framework.supersedes), selectinload(Framework.successors))
        .order_by(_STATUS_ORDER, Framework.period_start.desc(), Framework.title_sv)
    )
    if statuses is not None:
        query = query.where(Framework.status.in_([str(status) for status in statuses]))
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class FrameworkName:
    """A framework's address and title, in both languages."""

    slug: str
    title_sv: str
    title_en: str | None


@dataclass(frozen=True)
class FrameworkSummary:
    """What the public list of frameworks and the open data API say about one framework,
    as plain values that can be kept between requests (see ``public_frameworks``)."""

    slug: str
    kind: str
    status: str
    title_sv: str
    title_en: str | None
    period_start: int
    period_end: int | None
    adopted_on: date | None
    adopted_on_precision: str
    adopted_by_sv: str | None
    adopted_by_en: str | None
    # The version it replaced, and the versions that replace it, when they are public.
    public_supersedes: FrameworkName | None
    public_successors: tuple[FrameworkName, ...]

    @property
    def is_superseded(self) -> bool:
        return self.status == FrameworkStatus.SUPERSEDED

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @classmethod
    def of(cls, framework: Framework) -> FrameworkSummary:
        """The summary of a framework loaded with its predecessor and successors."""
        supersedes = framework.supersedes
        return cls(
            slug=framework.slug,
            kind=framework.kind,
            status=framework.status,
            title_sv=framework.title_sv,
            title_en=framework.title_en,
            period_start=framework.period_start,
            period_end=framework.period_end,
            adopted_on=framework.adopted_on,
            adopted_on_precision=framework.adopted_on_precision,
            adopted_by_sv=framework.adopted_by_sv,
            adopted_by_en=framework.adopted_by_en,
            public_supersedes=_name(supersedes) if supersedes and supersedes.is_public else None,
            public_successors=tuple(_name(f) for f in framework.successors if f.is_public),
        )


def _name(framework: Framework) -> FrameworkName:
    return FrameworkName(framework.slug, framework.title_sv, framework.title_en)


def public_frameworks() -> tuple[FrameworkSummary, ...]:
    """Return the frameworks the public sees, current first and superseded last.

    Reference data: read once per process and change (``dialog.core.cache.reference_data``).
    """
    return reference_data(
        "public-frameworks",
        lambda: tuple(FrameworkSummary.of(f) for f in _listing(PUBLIC_STATUSES)),
    )


def all_frameworks() -> list[Framework]:
    """Return every framework, drafts included, for the administrators."""
    return _listing(None)


def framework_by_slug(slug: str) -> Framework | None:
    """Return the framework with this slug, with its predecessor and successors."""
    query = (
        select(Framework)
        .options(selectinload(Framework.supersedes), selectinload(Framework.successors))
        .where(Framework.slug == slug)
    )
    return db.session.scalar(query)


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Framework.id).where(Framework.slug == slug)) is not None


def framework_with_tree(slug: str, measurements: bool = True) -> Framework | None:
    """Return the framework with every goal, SDG link, indicator and measurement loaded
    (measurements=False leaves the measurements out, for pages that do not show them).

    A fixed number of queries, whatever the size of the tree.
    """
    goals = selectinload(Framework.goals)
    indicators = goals.selectinload(Goal.indicators)
    query = (
        select(Framework)
        .options(
            selectinload(Framework.supersedes),
            selectinload(Framework.successors),
            goals.selectinload(Goal.sdg_links).selectinload(GoalSdg.sdg),
            indicators.selectinload(Indicator.measurements) if measurements else indicators,
        )
        .where(Framework.slug == slug)
    )
    return db.session.scalar(query)


def framework_with_goals(slug: str) -> Framework | None:
    """Return the framework with its goals (no indicators), for comparisons and forms."""
    query = (
        select(Framework)
        .options(
            selectinload(Framework.supersedes),
            selectinload(Framework.successors),
            selectinload(Framework.goals),
        )
        .where(Framework.slug == slug)
    )
    return db.session.scalar(query)


# What the public framework and goal pages and the API show of a framework.
TREE_RELATIONS: Relations = {
    "supersedes": {},
    "successors": {},
    "goals": {"sdg_links": {"sdg": {}}, "indicators": {"measurements": {}}},
}


@dataclass(frozen=True)
class FrameworkTree:
    """A framework with every goal, Agenda 2030 link, indicator and measurement, frozen
    (``dialog.core.cache.freeze``), and its goals arranged as a tree."""

    framework: Framework
    tree: list[GoalNode]
    goals_by_id: dict[int, Goal]
    # Some Agenda 2030 link or indicator is made-up demo data.
    has_examples: bool


def framework_tree(slug: str) -> FrameworkTree | None:
    """Return the framework with its whole goal tree, or None.

    Reference data: read once per process and change (``dialog.core.cache.reference_data``);
    whether the reader may see it (a draft) is for the caller to check.
    """
    return reference_data(f"framework-tree:{slug}", lambda: _read_framework_tree(slug))


def _read_framework_tree(slug: str) -> FrameworkTree | None:
    loaded = framework_with_tree(slug)
    if loaded is None:
        return None
    framework = freeze(loaded, TREE_RELATIONS)
    goals = framework.goals
    has_examples = any(link.is_example for goal in goals for link in goal.sdg_links) or any(
        indicator.is_example for goal in goals for indicator in goal.indicators
    )
    by_id = {goal.id: goal for goal in goals}
    return FrameworkTree(framework, build_tree(goals), by_id, has_examples)


def goals_in_reading_order(slug: str) -> list[Goal]:
    """Return the framework's goals in tree reading order, frozen, from its tree kept in
    memory (``framework_tree``): for choices on pages that only read."""
    tree = framework_tree(slug)
    return [node.goal for node in flatten(tree.tree)] if tree is not None else []


def goal_in_tree(tree: FrameworkTree, goal_id: int) -> GoalPage | None:
    """Return the page of one goal of the tree: the goal, the way down to it, its children."""
    goal = tree.goals_by_id.get(goal_id)
    if goal is None:
        return None
    ancestors: list[Goal] = []
    parent_id = goal.parent_id
    while parent_id is not None and parent_id in tree.goals_by_id:
        ancestors.insert(0, tree.goals_by_id[parent_id])
        parent_id = tree.goals_by_id[parent_id].parent_id
    children = sorted(
        (g for g in tree.goals_by_id.values() if g.parent_id == goal.id), key=_sort_key
    )
    return GoalPage(goal, ancestors, children)


def goal_in(framework: Framework, goal_id: int) -> Goal | None:
    """Return the goal if it belongs to the framework."""
    goal = db.session.get(Goal, goal_id)
    return goal if goal is not None and goal.framework_id == framework.id else None


def public_goal(goal_id: int) -> Goal | None:
    """Return the goal if its framework is public (one query)."""
    query = (
        select(Goal)
        .join(Goal.framework)
        .where(Goal.id == goal_id, Framework.status.in_(PUBLIC_STATUSES))
    )
    return db.session.scalar(query)


def goals_of(framework: Framework) -> list[Goal]:
    """Return the framework's goals in tree reading order."""
    goals = db.session.scalars(select(Goal).where(Goal.framework_id == framework.id))
    return [node.goal for node in flatten(build_tree(goals))]


def goal_code_taken(framework: Framework, code: str, except_goal: Goal | None = None) -> bool:
    query = select(Goal.id).where(Goal.framework_id == framework.id, Goal.code == code)
    if except_goal is not None and except_goal.id is not None:
        query = query.where(Goal.id != except_goal.id)
    return db.session.scalar(query) is not None


def siblings_of(goal: Goal) -> list[Goal]:
    """Return the goals with the same parent (the goal included), in position order."""
    query = select(Goal).where(
        Goal.framework_id == goal.framework_id,
        Goal.parent_id.is_(None) if goal.parent_id is None else Goal.parent_id == goal.parent_id,
    )
    return sorted(db.session.scalars(query), key=_sort_key)


def descendant_ids(goal: Goal) -> set[int]:
    """Return the ids of every goal below this one."""
    goals = db.session.scalars(select(Goal).where(Goal.framework_id == goal.framework_id))
    below: set[int] = set()
    nodes = {node.goal.id: node for node in flatten(build_tree(goals))}
    stack = list(nodes[goal.id].children) if goal.id in nodes else []
    while stack:
        node = stack.pop()
        below.add(node.goal.id)
        stack.extend(node.children)
    return below


def has_children(goal: Goal) -> bool:
    return db.session.scalar(select(Goal.id).where(Goal.parent_id == goal.id).limit(1)) is not None


def indicator_in(framework: Framework, indicator_id: int) -> Indicator | None:
    """Return the indicator with its goal and measurements if it belongs to the framework."""
    query = (
        select(Indicator)
        .join(Goal)
        .options(selectinload(Indicator.measurements), selectinload(Indicator.goal))
        .where(Indicator.id == indicator_id, Goal.framework_id == framework.id)
    )
    return db.session.scalar(query)


def measurement_in(framework: Framework, measurement_id: int) -> Measurement | None:
    """Return the measurement if it belongs to one of the framework's indicators."""
    query = (
        select(Measurement)
        .join(Indicator)
        .join(Goal)
        .where(Measurement.id == measurement_id, Goal.framework_id == framework.id)
    )
    return db.session.scalar(query)


def indicators_of(framework: Framework) -> list[Indicator]:
    """Return the framework's indicators with their goals and measurements."""
    query = (
        select(Indicator)
        .join(Goal)
        .options(selectinload(Indicator.measurements), selectinload(Indicator.goal))
        .where(Goal.framework_id == framework.id)
        .order_by(Goal.code, Indicator.position, Indicator.id)
    )
    return list(db.session.scalars(query))


def open_successor(framework: Framework) -> Framework | None:
    """Return the newer version that replaces or will replace this one, if there is one."""
    for successor in framework.successors:
        if successor.status != FrameworkStatus.SUPERSEDED:
            return successor
    return None


def can_get_new_version(framework: Framework) -> bool:
    """Tell whether a new version may start from this one: adopted, and none in the works."""
    return framework.status == FrameworkStatus.ADOPTED and open_successor(framework) is None


def replaceable_frameworks() -> list[Framework]:
    """Return the adopted frameworks no newer version is being prepared for."""
    return [
        framework
        for framework in _listing([FrameworkStatus.ADOPTED])
        if can_get_new_version(framework)
    ]
