"""Reading yearly measurements from CSV: the rows to record and the rows rejected, with reasons.

The file has a header row with the columns ``indicator``, ``year``, ``value`` and optionally
``source`` (kolada or manual); Swedish names (indikator, år, värde, källa) work too. The
indicator is the indicator's number in Dialog or its Kolada KPI id. Commas or semicolons
separate the columns, and values may use a decimal comma, as a Swedish spreadsheet writes them.

A parser only: it takes the text and the framework's indicators and stores nothing; the rules
and the writing are in ``dialog/goals/services/indicators.py``. Nothing is kept on the server
between preview and import: the text goes back and forth in the form and is read again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dialog.core.csv_rows import CsvRow, csv_rows
from dialog.core.i18n import _
from dialog.core.numbers import parse_number
from dialog.goals.models import Indicator, MeasurementSource

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
    text: str  # the row as written
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

    def reject(self, line: int, text: str, reason: str) -> None:
        """Leave a row out, with the reason prefixed by its line number."""
        reason = _("Line {line}: {reason}").format(line=line, reason=reason)
        self.rejected.append(RejectedRow(line, text, reason))


class ImportFileError(ValueError):
    """The text as a whole cannot be read; the message is translated."""


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        known = _COLUMN_NAMES.get(name.strip().lower())
        if known is not None and known not in columns:
            columns[known] = index
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise ImportFileError(
            _(
                "The first row must name the columns indicator, year and value "
                "(and optionally source). Missing: {missing}."
            ).format(missing=", ".join(missing))
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
    return indicator, int(year_text), value, source


def parse_measurements(text: str, indicators: list[Indicator]) -> ImportPreview:
    """Read every row of the CSV text against the framework's indicators.

    :raise ImportFileError: when the text as a whole cannot be read (empty, no header, too big).
    """
    if not text.strip():
        raise ImportFileError(_("Choose a file or paste the values."))
    if len(text) > MAX_IMPORT_CHARACTERS:
        raise ImportFileError(_("The file is too big; import at most 5,000 rows at a time."))
    rows = csv_rows(text)
    header = next(rows)
    columns = _columns([] if header.problem else header.values)
    reading = _Reading(columns, _Indicators(indicators))
    for row in rows:
        if len(reading.preview.rows) + len(reading.preview.rejected) >= MAX_IMPORT_ROWS:
            raise ImportFileError(_("The file is too big; import at most 5,000 rows at a time."))
        reading.read(row)
    return reading.preview


class _Reading:
    """The rows read so far, and where each indicator and year was first given."""

    def __init__(self, columns: dict[str, int], indicators: _Indicators) -> None:
        self.columns, self.indicators = columns, indicators
        self.preview = ImportPreview()
        self.first_line: dict[tuple[int, int], int] = {}

    def read(self, row: CsvRow) -> None:
        try:
            if row.problem is not None:
                raise ValueError(row.problem)
            indicator, year, value, source = _parse_row(row.values, self.columns, self.indicators)
            earlier = self.first_line.setdefault((indicator.id, year), row.line)
            if earlier != row.line:
                raise ValueError(
                    _("the same indicator and year are already on line {line}").format(line=earlier)
                )
        except ValueError as error:
            self.preview.reject(row.line, row.source, str(error))
            return
        previous = next((m.value for m in indicator.measurements if m.year == year), None)
        self.preview.rows.append(
            ImportRow(row.line, row.source, indicator, year, value, source, previous)
        )
