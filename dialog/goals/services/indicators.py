"""Indicators of a goal and their yearly measurements (which stay open after adoption)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.sanitize import optional_text
from dialog.extensions import db
from dialog.goals.models import Direction, Goal, Indicator, Measurement, MeasurementSource
from dialog.goals.services.common import (
    KOLADA_KPI_PATTERN,
    MUNICIPALITY_CODE_PATTERN,
    GoalsError,
    IndicatorInput,
    check_value,
    check_year,
    require_editable,
)

# Indicators and measurements -------------------------------------------------------

INDICATOR_FIELDS = (
    "name_sv",
    "name_en",
    "unit_sv",
    "unit_en",
    "direction",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "kolada_kpi",
    "municipality_code",
)


def _check_indicator_input(data: IndicatorInput) -> IndicatorInput:
    if not optional_text(data.name_sv):
        raise GoalsError(_("Give the name in Swedish."), "name_sv")
    if not optional_text(data.unit_sv):
        raise GoalsError(_("Give the unit, like procent or antal."), "unit_sv")
    if data.direction not in set(Direction):
        raise GoalsError(_("Choose whether higher or lower is better."), "direction")
    for prefix in ("baseline", "target"):
        year, value = getattr(data, f"{prefix}_year"), getattr(data, f"{prefix}_value")
        check_year(year, f"{prefix}_year")
        check_value(value, f"{prefix}_value")
        if (year is None) != (value is None):
            raise GoalsError(_("Give both the year and the value, or neither."), f"{prefix}_year")
    kpi = (optional_text(data.kolada_kpi) or "").upper() or None
    municipality = optional_text(data.municipality_code)
    if kpi is not None and not KOLADA_KPI_PATTERN.match(kpi):
        raise GoalsError(_("A Kolada KPI id is N or U and five digits, like N00945."), "kolada_kpi")
    if municipality is not None and not MUNICIPALITY_CODE_PATTERN.match(municipality):
        raise GoalsError(
            _("A municipality code is four digits, like 1983 for Köping."), "municipality_code"
        )
    if kpi is not None and municipality is None:
        raise GoalsError(
            _("Give the municipality code the Kolada values are for."), "municipality_code"
        )
    if kpi is None and municipality is not None:
        raise GoalsError(_("Give the Kolada KPI id too, or neither."), "kolada_kpi")
    values = asdict(data)
    values.update(kolada_kpi=kpi, municipality_code=municipality)
    return IndicatorInput(**values)


def _apply_indicator_input(indicator: Indicator, data: IndicatorInput) -> None:
    for name in INDICATOR_FIELDS:
        value = getattr(data, name)
        setattr(indicator, name, optional_text(value) if isinstance(value, str) else value)


def _indicator_audit(
    action: str, indicator: Indicator, actor: Any, before: Any, after: Any
) -> None:
    audit.record(
        action,
        actor_id=audit.actor_id(actor),
        subject_type="indicator",
        subject_id=indicator.id,
        goal_id=indicator.goal_id,
        before=before,
        after=after,
    )


def add_indicator(goal: Goal, data: IndicatorInput, actor: Any) -> Indicator:
    """Add an indicator to a goal of a draft."""
    require_editable(goal.framework)
    data = _check_indicator_input(data)
    indicator = Indicator(position=len(goal.indicators))
    _apply_indicator_input(indicator, data)
    goal.indicators.append(indicator)
    db.session.flush()
    _indicator_audit(
        "indicator_created", indicator, actor, None, audit.snapshot(indicator, INDICATOR_FIELDS)
    )
    return indicator


def update_indicator(indicator: Indicator, data: IndicatorInput, actor: Any) -> Indicator:
    """Change an indicator of a draft."""
    require_editable(indicator.goal.framework)
    data = _check_indicator_input(data)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    _apply_indicator_input(indicator, data)
    db.session.flush()
    audit.record_change(
        "indicator_updated",
        actor=actor,
        subject_type="indicator",
        subject_id=indicator.id,
        before=before,
        after=audit.snapshot(indicator, INDICATOR_FIELDS),
        goal_id=indicator.goal_id,
    )
    return indicator


def delete_indicator(indicator: Indicator, actor: Any) -> None:
    """Remove an indicator and its measurements from a draft."""
    require_editable(indicator.goal.framework)
    _indicator_audit(
        "indicator_deleted", indicator, actor, audit.snapshot(indicator, INDICATOR_FIELDS), None
    )
    db.session.delete(indicator)
    db.session.flush()


def check_measurement(indicator: Indicator, year: int, value: float, source: str) -> None:
    """Check a yearly value against the rules.

    :raise GoalsError: naming the field that is wrong.
    """
    check_year(year, "year")
    check_value(value, "value")
    if source not in set(MeasurementSource):
        raise GoalsError(_("Choose where the value comes from."), "source")
    if source == MeasurementSource.KOLADA and indicator.kolada_kpi is None:
        raise GoalsError(
            _("The indicator has no Kolada KPI id, so the value cannot come from Kolada."),
            "source",
        )


def record_measurement(
    indicator: Indicator, year: int, value: float, source: str, actor: Any, audit_it: bool = True
) -> Measurement:
    """Set the indicator's value for a year, replacing the one already there."""
    check_measurement(indicator, year, value, source)
    existing = next((m for m in indicator.measurements if m.year == year), None)
    before = None if existing is None else {"value": existing.value, "source": existing.source}
    if existing is None:
        existing = Measurement(year=year, value=value, source=source)
        indicator.measurements.append(existing)
    else:
        existing.value = value
        existing.source = source
    db.session.flush()
    if audit_it:
        audit.record(
            "measurement_recorded",
            actor_id=audit.actor_id(actor),
            subject_type="indicator",
            subject_id=indicator.id,
            year=year,
            before=before,
            after={"value": value, "source": source},
        )
    return existing


def delete_measurement(measurement: Measurement, actor: Any) -> None:
    """Remove a yearly value (a mistake); the audit trail keeps what it was."""
    audit.record(
        "measurement_deleted",
        actor_id=audit.actor_id(actor),
        subject_type="indicator",
        subject_id=measurement.indicator_id,
        year=measurement.year,
        before={"value": measurement.value, "source": measurement.source},
        after=None,
    )
    db.session.delete(measurement)
    db.session.flush()
