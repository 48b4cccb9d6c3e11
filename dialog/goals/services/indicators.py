"""Indicators of a goal and their yearly measurements (which stay open after adoption)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from dialog.accounts.models import User
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.sanitize import optional_text
from dialog.extensions import db
from dialog.goals import queries
from dialog.goals.csv_import import ImportFileError, ImportPreview, ImportRow, parse_measurements
from dialog.goals.models import (
    Direction,
    Framework,
    Goal,
    Indicator,
    Measurement,
    MeasurementSource,
)
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


def add_indicator(goal: Goal, data: IndicatorInput, actor: User | None) -> Indicator:
    """Add an indicator to a goal of a draft."""
    require_editable(goal.framework)
    data = _check_indicator_input(data)
    indicator = Indicator(position=len(goal.indicators), is_example=data.is_example)
    _apply_indicator_input(indicator, data)
    goal.indicators.append(indicator)
    after = audit.snapshot(indicator, INDICATOR_FIELDS)
    audit.record("indicator_created", actor, indicator, goal_id=goal.id, before=None, after=after)
    return indicator


def update_indicator(indicator: Indicator, data: IndicatorInput, actor: User | None) -> Indicator:
    """Change an indicator of a draft."""
    require_editable(indicator.goal.framework)
    data = _check_indicator_input(data)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    _apply_indicator_input(indicator, data)
    after = audit.snapshot(indicator, INDICATOR_FIELDS)
    audit.record_change(
        "indicator_updated", actor, indicator, before, after, goal_id=indicator.goal_id
    )
    return indicator


def delete_indicator(indicator: Indicator, actor: User | None) -> None:
    """Remove an indicator and its measurements from a draft."""
    require_editable(indicator.goal.framework)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    audit.record(
        "indicator_deleted", actor, indicator, goal_id=indicator.goal_id, before=before, after=None
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
    indicator: Indicator, year: int, value: float, source: str, actor: User | None
) -> Measurement:
    """Set the indicator's value for a year, replacing the one already there."""
    check_measurement(indicator, year, value, source)
    measurement, before = _set_measurement(indicator, year, value, source)
    after = {"value": value, "source": source}
    audit.record("measurement_recorded", actor, indicator, year=year, before=before, after=after)
    return measurement


def _set_measurement(
    indicator: Indicator, year: int, value: float, source: str
) -> tuple[Measurement, dict[str, Any] | None]:
    """Set the value and return the measurement and what it was before (None: new)."""
    existing = next((m for m in indicator.measurements if m.year == year), None)
    if existing is None:
        existing = Measurement(year=year, value=value, source=source)
        indicator.measurements.append(existing)
        db.session.flush()
        return existing, None
    before = {"value": existing.value, "source": existing.source}
    existing.value, existing.source = value, source
    db.session.flush()
    return existing, before


def read_measurements(framework: Framework, text: str) -> ImportPreview:
    """Read a CSV of yearly values for the framework; a row that breaks a rule is rejected.

    :raise GoalsError: when the text as a whole cannot be read (empty, no header, too big).
    """
    try:
        preview = parse_measurements(text, queries.indicators_of(framework))
    except ImportFileError as error:
        raise GoalsError(str(error), "csv_text") from None
    rows, preview.rows = preview.rows, []
    for row in rows:
        try:
            check_measurement(row.indicator, row.year, row.value, row.source)
        except GoalsError as error:
            preview.reject(row.line, row.text, str(error))
        else:
            preview.rows.append(row)
    preview.rejected.sort(key=lambda rejected: rejected.line)
    return preview


def import_measurements(framework: Framework, preview: ImportPreview, actor: User | None) -> int:
    """Record the good rows of a preview; one audit event lists them all. Return the count.

    Every row is checked before the first is written, so a faulty row records none.

    :raise GoalsError: when there is no row, or a row breaks a rule (naming its line).
    """
    if not preview.rows:
        raise GoalsError(_("There are no valid rows to import."))
    for row in preview.rows:
        _check_import_row(framework, row)
    changes = [_import_row(row) for row in preview.rows]
    rejected = len(preview.rejected)
    audit.record("measurements_imported", actor, framework, rows=changes, rejected=rejected)
    return len(changes)


def _import_row(row: ImportRow) -> dict[str, Any]:
    before = _set_measurement(row.indicator, row.year, row.value, row.source)[1]
    return {
        "indicator": row.indicator.id,
        "year": row.year,
        "before": None if before is None else before["value"],
        "after": row.value,
        "source": row.source,
    }


def _check_import_row(framework: Framework, row: ImportRow) -> None:
    try:
        if row.indicator.goal.framework_id != framework.id:
            raise GoalsError(_("the indicator is not in this framework"))
        check_measurement(row.indicator, row.year, row.value, row.source)
    except GoalsError as error:
        raise GoalsError(_("Line {line}: {reason}").format(line=row.line, reason=error)) from None


def delete_measurement(measurement: Measurement, actor: User | None) -> None:
    """Remove a yearly value (a mistake); the audit trail keeps what it was."""
    before = {"value": measurement.value, "source": measurement.source}
    audit.record(
        "measurement_deleted",
        actor,
        measurement.indicator,
        year=measurement.year,
        before=before,
        after=None,
    )
    db.session.delete(measurement)
    db.session.flush()
