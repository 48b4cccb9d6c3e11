"""What the goal services share: the error, the inputs, checks and audit helpers."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dialog.core.i18n import _
from dialog.core.rules import RuleError
from dialog.goals.models import (
    FRAMEWORK_STATUS_LABELS,
    Direction,
    Framework,
    FrameworkKind,
    FrameworkStatus,
)

KOLADA_KPI_PATTERN = re.compile(r"^[NU]\d{5}$")
MUNICIPALITY_CODE_PATTERN = re.compile(r"^\d{4}$")
RESERVED_SLUGS = frozenset({"new"})
YEAR_MIN, YEAR_MAX = 1900, 2100


class GoalsError(RuleError):
    """A rule of this area was broken."""


@dataclass
class FrameworkInput:
    title_sv: str
    kind: str = FrameworkKind.PROGRAMME.value
    period_start: int = 2020
    period_end: int | None = None
    title_en: str | None = None
    vision_sv: str | None = None
    vision_en: str | None = None
    summary_sv: str | None = None
    summary_en: str | None = None


@dataclass
class GoalInput:
    kind: str
    code: str
    title_sv: str
    parent_id: int | None = None
    title_en: str | None = None
    statement_sv: str | None = None
    statement_en: str | None = None


@dataclass
class IndicatorInput:
    name_sv: str
    unit_sv: str
    direction: str = Direction.HIGHER.value
    name_en: str | None = None
    unit_en: str | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    kolada_kpi: str | None = None
    municipality_code: str | None = None
    is_example: bool = False  # made-up demo data, shown as example data


# Helpers ---------------------------------------------------------------------------


def check_year(year: int | None, field: str) -> None:
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        raise GoalsError(
            _("Give a year between {first} and {last}.").format(first=YEAR_MIN, last=YEAR_MAX),
            field,
        )


def check_value(value: float | None, field: str) -> None:
    if value is not None and not math.isfinite(value):
        raise GoalsError(_("Give a number."), field)


def require_editable(framework: Framework) -> None:
    """Refuse changes to an adopted or superseded framework.

    :raise GoalsError: when the framework is no longer a draft or out for consultation.
    """
    if not framework.is_editable:
        raise GoalsError(
            _(
                "“{title}” is {status} and is kept as it was decided. "
                "Start a new version to change it."
            ).format(
                title=framework.title_sv,
                status=str(FRAMEWORK_STATUS_LABELS[FrameworkStatus(framework.status)]).lower(),
            )
        )
