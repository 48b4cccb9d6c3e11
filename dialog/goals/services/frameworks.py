"""Framework rules: create, edit, consultation, adoption, and "new version" (a deep copy)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from dialog.accounts.models import User
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.sanitize import optional_text
from dialog.core.slugs import MAX_SLUG_LENGTH, clean_slug
from dialog.extensions import db
from dialog.goals import queries
from dialog.goals.models import (
    DatePrecision,
    Framework,
    FrameworkKind,
    FrameworkStatus,
    Goal,
    GoalSdg,
    Indicator,
    Measurement,
    Sdg,
)
from dialog.goals.reference import SDGS
from dialog.goals.services.common import (
    RESERVED_SLUGS,
    FrameworkInput,
    GoalsError,
    check_year,
    require_editable,
)
from dialog.goals.services.indicators import INDICATOR_FIELDS

# Reference data --------------------------------------------------------------------


def ensure_sdgs() -> None:
    """Add the Agenda 2030 goals that are missing (the migration adds them on a new database)."""
    present = set(db.session.scalars(select(Sdg.number)))
    for number, name_sv, name_en in SDGS:
        if number not in present:
            db.session.add(Sdg(number=number, name_sv=name_sv, name_en=name_en))
    db.session.flush()


# Frameworks ------------------------------------------------------------------------

FRAMEWORK_FIELDS = (
    "slug",
    "kind",
    "status",
    "title_sv",
    "title_en",
    "vision_sv",
    "vision_en",
    "summary_sv",
    "summary_en",
    "period_start",
    "period_end",
    "adopted_on",
    "adopted_on_precision",
    "adopted_by_sv",
    "adopted_by_en",
    "supersedes_id",
)


def _framework_snapshot(framework: Framework) -> dict[str, Any]:
    return audit.snapshot(framework, FRAMEWORK_FIELDS)


def _check_framework_input(data: FrameworkInput) -> None:
    if not optional_text(data.title_sv):
        raise GoalsError(_("Give the title in Swedish."), "title_sv")
    if data.kind not in set(FrameworkKind):
        raise GoalsError(_("Choose a kind."), "kind")
    check_year(data.period_start, "period_start")
    check_year(data.period_end, "period_end")
    if data.period_end is not None and data.period_end < data.period_start:
        raise GoalsError(_("The period cannot end before it starts."), "period_end")


def _check_slug(typed: str) -> str:
    slug = clean_slug(typed)
    if slug is None:
        raise GoalsError(
            _(
                "Use lower-case letters a–z, digits and hyphens, like koping-2020-2027 "
                "(at most {count} characters)."
            ).format(count=MAX_SLUG_LENGTH),
            "slug",
        )
    if slug in RESERVED_SLUGS or queries.slug_taken(slug):
        raise GoalsError(_("Another framework already has this address."), "slug")
    return slug


def _apply_framework_input(framework: Framework, data: FrameworkInput) -> None:
    framework.kind = data.kind
    framework.title_sv = optional_text(data.title_sv) or ""
    framework.title_en = optional_text(data.title_en)
    framework.vision_sv = optional_text(data.vision_sv)
    framework.vision_en = optional_text(data.vision_en)
    framework.summary_sv = optional_text(data.summary_sv)
    framework.summary_en = optional_text(data.summary_en)
    framework.period_start = data.period_start
    framework.period_end = data.period_end


def create_framework(
    slug: str, data: FrameworkInput, actor: User | None, supersedes: Framework | None = None
) -> Framework:
    """Create a draft framework, optionally as the coming replacement of an adopted one."""
    slug = _check_slug(slug)
    _check_framework_input(data)
    if supersedes is not None:
        _check_replaceable(supersedes)
    framework = Framework(slug=slug, status=FrameworkStatus.DRAFT.value, supersedes=supersedes)
    _apply_framework_input(framework, data)
    db.session.add(framework)
    db.session.flush()  # supersedes_id, for the snapshot
    after = _framework_snapshot(framework)
    audit.record("framework_created", actor, framework, before=None, after=after)
    return framework


def update_framework(framework: Framework, data: FrameworkInput, actor: User | None) -> Framework:
    """Change a draft's (or consultation version's) text and period."""
    require_editable(framework)
    _check_framework_input(data)
    before = _framework_snapshot(framework)
    _apply_framework_input(framework, data)
    audit.record_change(
        "framework_updated", actor, framework, before, _framework_snapshot(framework)
    )
    return framework


def set_status(framework: Framework, status: str, actor: User | None) -> Framework:
    """Send a draft out for consultation, or take it back to draft."""
    require_editable(framework)
    if status not in {FrameworkStatus.DRAFT, FrameworkStatus.CONSULTATION}:
        raise GoalsError(_("A framework becomes adopted through the adoption form."), "status")
    if framework.status == status:
        return framework
    before = framework.status
    framework.status = status
    audit.record(
        "framework_status_changed",
        actor,
        framework,
        before={"status": before},
        after={"status": status},
    )
    return framework


def adopt_framework(
    framework: Framework,
    adopted_on: date,
    adopted_by_sv: str,
    actor: User | None,
    adopted_by_en: str | None = None,
    precision: str = DatePrecision.DAY.value,
) -> Framework:
    """Adopt a draft; the version it supersedes becomes superseded."""
    require_editable(framework)
    if not optional_text(adopted_by_sv):
        raise GoalsError(_("Say who adopted it, for example Kommunfullmäktige."), "adopted_by_sv")
    if precision not in set(DatePrecision):
        raise GoalsError(_("Choose how much of the date is known."), "precision")
    check_year(adopted_on.year, "adopted_on")
    previous = framework.supersedes
    if previous is not None and previous.status == FrameworkStatus.SUPERSEDED:
        raise GoalsError(
            _("“{title}” has already been replaced by another version.").format(
                title=previous.title_sv
            )
        )
    before = _framework_snapshot(framework)
    framework.status = FrameworkStatus.ADOPTED.value
    framework.adopted_on = adopted_on
    framework.adopted_on_precision = precision
    framework.adopted_by_sv = optional_text(adopted_by_sv)
    framework.adopted_by_en = optional_text(adopted_by_en)
    # Adopting always changes the status, so there is always something to record.
    audit.record_change(
        "framework_adopted", actor, framework, before, _framework_snapshot(framework)
    )
    if previous is not None and previous.status == FrameworkStatus.ADOPTED:
        previous.status = FrameworkStatus.SUPERSEDED.value
        audit.record(
            "framework_superseded",
            actor,
            previous,
            before={"status": FrameworkStatus.ADOPTED.value},
            after={"status": FrameworkStatus.SUPERSEDED.value, "superseded_by": framework.slug},
        )
    return framework


def _check_replaceable(framework: Framework) -> None:
    if framework.status != FrameworkStatus.ADOPTED:
        raise GoalsError(_("Only the adopted version can get a new version."))
    successor = queries.open_successor(framework)
    if successor is not None:
        raise GoalsError(
            _("A newer version is already being prepared: “{title}”.").format(
                title=successor.title_sv
            )
        )


def _load_tree(framework: Framework) -> None:
    """Load the framework's whole tree in a fixed number of queries before it is copied.

    :raise RuntimeError: when the framework is not the session's own object (a caller's bug:
        the copy would then read a tree that was never loaded).
    """
    if queries.framework_with_tree(framework.slug) is not framework:
        raise RuntimeError(f"framework {framework.slug!r} is not loaded in this session")


def new_version(
    framework: Framework,
    slug: str,
    actor: User | None,
    title_sv: str,
    period_start: int,
    period_end: int | None = None,
    title_en: str | None = None,
) -> Framework:
    """Copy an adopted framework's tree (goals, SDG links, indicators, measurements) into a
    draft that supersedes it. Copied goals keep their lineage, so versions can be compared.
    """
    _check_replaceable(framework)
    slug = _check_slug(slug)
    data = FrameworkInput(
        title_sv=title_sv,
        title_en=title_en,
        kind=framework.kind,
        period_start=period_start,
        period_end=period_end,
        vision_sv=framework.vision_sv,
        vision_en=framework.vision_en,
        summary_sv=framework.summary_sv,
        summary_en=framework.summary_en,
    )
    _check_framework_input(data)
    _load_tree(framework)
    draft = Framework(slug=slug, status=FrameworkStatus.DRAFT.value, supersedes=framework)
    _apply_framework_input(draft, data)
    db.session.add(draft)
    copies: dict[int, Goal] = {}
    for node in queries.flatten(queries.build_tree(framework.goals)):
        copies[node.goal.id] = _copy_goal(node.goal, draft, copies)
        db.session.add(copies[node.goal.id])
    db.session.flush()  # supersedes_id, for the snapshot
    after = {**_framework_snapshot(draft), "copied_from": framework.slug, "goals": len(copies)}
    audit.record("framework_version_created", actor, draft, before=None, after=after)
    return draft


def _copy_goal(goal: Goal, draft: Framework, copies: dict[int, Goal]) -> Goal:
    copy = Goal(
        framework=draft,
        parent=copies.get(goal.parent_id) if goal.parent_id is not None else None,
        kind=goal.kind,
        code=goal.code,
        title_sv=goal.title_sv,
        title_en=goal.title_en,
        statement_sv=goal.statement_sv,
        statement_en=goal.statement_en,
        position=goal.position,
        lineage=goal.lineage,
        copied_from_id=goal.id,
        sdg_links=[
            GoalSdg(sdg_number=link.sdg_number, is_example=link.is_example)
            for link in goal.sdg_links
        ],
        indicators=[_copy_indicator(indicator) for indicator in goal.indicators],
    )
    return copy


def _copy_indicator(indicator: Indicator) -> Indicator:
    fields = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    return Indicator(
        **fields,
        position=indicator.position,
        is_example=indicator.is_example,
        measurements=[
            Measurement(year=m.year, value=m.value, source=m.source) for m in indicator.measurements
        ],
    )
