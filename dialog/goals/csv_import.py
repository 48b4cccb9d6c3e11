"""Importing yearly measurements from CSV: parse and check every row, then record the good ones.

The file has a header row with the columns ``indicator``, ``year``, ``value`` and optionally
``source`` (kolada or manual); Swedish names (indikator, år, värde, källa) work too. The
indicator is the indicator's number in Dialog or its Kolada KPI id. Commas or semicolons
separate the columns, and values may use a decimal comma, as a Swedish spreadsheet writes them.

Nothing is kept on the server between preview and import: the text goes back and forth in
the form, and the import checks it again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from dialog.core import audit
from dialog.core.i18n import _
from dialog.goals import queries
from dialog.goals.models import Framework, Indicator, MeasurementSource
from dialog.goals.services import GoalsError, check_measurement, parse_number, record_measurement

MAX_IMPORT_CHARACTERS = 1_000_000
MAX_IMPORT_ROWS = 5_000

_COLUMN_NAMES = {
    "indicator": "indicator",
    "indikator": "indicator",
    "kpi": "indicator",
    "year": "year",
    "år": "year",
    "ar": "year",
    "value": "value",
    "värde": "value",
    "varde": "value",
    "source": "source",
    "källa": "source",
    "kalla": "source",
}
_REQUIRED = ("indicator", "year", "value")


@dataclass
class ImportRow:
    """A row that will be recorded."""

    line: int
    indicator: Indicator
    year: int
    value: float
    source: str
    previous: float | None


@dataclass
class RejectedRow:
    """A row that will not be recorded, and why, in the reader's language."""

    line: int
    text: str
    reason: str


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


def _dialect(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ","


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        known = _COLUMN_NAMES.get(name.strip().lower())
        if known is not None and known not in columns:
            columns[known] = index
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise GoalsError(
            _(
                "The first row must name the columns indicator, year and value "
                "(and optionally source). Missing: {missing}."
            ).format(missing=", ".join(missing)),
            "csv_text",
        )
    return columns


class _Indicators:
    """The framework's indicators, found by their number or their Kolada KPI id."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.by_id = {str(indicator.id): indicator for indicator in indicators}
        self.by_kpi: dict[str, list[Indicator]] = {}
        for indicator in indicators:
            if indicator.kolada_kpi:
                self.by_kpi.setdefault(indicator.kolada_kpi, []).append(indicator)

    def find(self, reference: str) -> Indicator:
        """:raise ValueError: with the reason, when no single indicator matches."""
        reference = reference.strip()
        if not reference:
            raise ValueError(_("no indicator given"))
        if reference in self.by_id:
            return self.by_id[reference]
        matches = self.by_kpi.get(reference.upper(), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(
                _("several indicators use the Kolada KPI {kpi}; give the indicator number").format(
                    kpi=reference.upper()
                )
            )
        raise ValueError(
            _("no indicator {reference} in this framework").format(reference=reference)
        )


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def _parse_row(
    row: list[str], columns: dict[str, int], indicators: _Indicators
) -> tuple[Indicator, int, float, str]:
    """:raise ValueError: with the reason the row cannot be recorded."""
    width = max(columns[name] for name in _REQUIRED) + 1
    if len(row) < width:
        raise ValueError(
            _("the row has {count} columns, {expected} are needed").format(
                count=len(row), expected=width
            )
        )
    indicator = indicators.find(_cell(row, columns, "indicator"))
    year_text = _cell(row, columns, "year")
    if not year_text.isdigit() or len(year_text) != 4:
        raise ValueError(_("“{year}” is not a year").format(year=year_text))
    value_text = _cell(row, columns, "value")
    if not value_text:
        raise ValueError(_("no value given"))
    try:
        value = parse_number(value_text)
    except ValueError:
        raise ValueError(_("“{value}” is not a number").format(value=value_text)) from None
    source = _cell(row, columns, "source").lower() or MeasurementSource.MANUAL.value
    try:
        check_measurement(indicator, int(year_text), value, source)
    except GoalsError as error:
        raise ValueError(str(error)) from None
    return indicator, int(year_text), value, source


def parse_measurements(text: str, framework: Framework) -> ImportPreview:
    """Check every row of the CSV text against the framework's indicators.

    :raise GoalsError: when the text as a whole cannot be read (empty, no header, too big).
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise GoalsError(_("Choose a file or paste the values."), "csv_text")
    if len(text) > MAX_IMPORT_CHARACTERS:
        raise GoalsError(_("The file is too big; import at most 5,000 rows at a time."), "csv_text")
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text), delimiter=_dialect(lines[0]))
    header = next(reader)
    columns = _columns(header)
    indicators = _Indicators(queries.indicators_of(framework))
    preview = ImportPreview()
    first_line: dict[tuple[int, int], int] = {}
    line = reader.line_num
    for row in reader:
        row_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(preview.rows) + len(preview.rejected) >= MAX_IMPORT_ROWS:
            raise GoalsError(
                _("The file is too big; import at most 5,000 rows at a time."), "csv_text"
            )
        original = lines[row_line - 1] if row_line - 1 < len(lines) else ""
        try:
            indicator, year, value, source = _parse_row(row, columns, indicators)
            earlier = first_line.get((indicator.id, year))
            if earlier is not None:
                raise ValueError(
                    _("the same indicator and year are already on line {line}").format(line=earlier)
                )
        except ValueError as error:
            preview.rejected.append(
                RejectedRow(
                    row_line,
                    original,
                    _("Line {line}: {reason}").format(line=row_line, reason=error),
                )
            )
            continue
        first_line[(indicator.id, year)] = row_line
        previous = next((m.value for m in indicator.measurements if m.year == year), None)
        preview.rows.append(ImportRow(row_line, indicator, year, value, source, previous))
    return preview


def import_measurements(preview: ImportPreview, framework: Framework, actor: Any) -> int:
    """Record the preview's good rows; one audit event lists them all. Return the count."""
    changes = []
    for row in preview.rows:
        record_measurement(row.indicator, row.year, row.value, row.source, actor, audit_it=False)
        changes.append(
            {
                "indicator": row.indicator.id,
                "year": row.year,
                "before": row.previous,
                "after": row.value,
                "source": row.source,
            }
        )
    audit.record(
        "measurements_imported",
        actor_id=getattr(actor, "id", None),
        subject_type="framework",
        subject_id=framework.id,
        rows=changes,
        rejected=len(preview.rejected),
    )
    return len(changes)
