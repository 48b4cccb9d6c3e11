"""Reading CSV that people save from a spreadsheet or paste: every row with its line number;
and writing CSV for spreadsheets, streamed, with formula-like cells made harmless.

The delimiter is the one the header row uses most (comma, semicolon or tab: Excel in Swedish
saves with semicolons). A row the csv module cannot read, such as one with a cell longer than
its field limit, comes back with the reason instead of ending the file, so every other row is
still read and the reader learns which line to fix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from flask_babel import format_number

from dialog.core.i18n import _

SHOWN_CHARACTERS = 300  # of a row shown back to the reader


@dataclass(frozen=True)
class CsvRow:
    """One row: the line it starts on (the header is line 1), its cells, and its text."""

    line: int
    source: str  # the row as written, cut to SHOWN_CHARACTERS
    values: list[str] = field(default_factory=list)
    problem: str | None = None  # why the row cannot be read, in the reader's language


def csv_rows(text: str) -> Iterator[CsvRow]:
    """Yield every row of the text that is not blank, the header first."""
    lines = list(io.StringIO(text.lstrip("\ufeff"), newline=""))
    if not lines:
        return
    reader = csv.reader(iter(lines), delimiter=_delimiter(lines[0]))
    start = 0
    while True:
        try:
            values, problem = next(reader), None
        except StopIteration:
            return
        except csv.Error as error:
            values, problem = [], _unreadable(error)
        source = "".join(lines[start : reader.line_num]).strip()[:SHOWN_CHARACTERS]
        if problem is not None or any(value.strip() for value in values):
            yield CsvRow(start + 1, source, values, problem)
        start = reader.line_num


def _delimiter(header: str) -> str:
    counts = {delimiter: header.count(delimiter) for delimiter in (";", ",", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ","


def _unreadable(error: csv.Error) -> str:
    if "field limit" in str(error):
        limit = format_number(csv.field_size_limit())
        return _("A cell is longer than {limit} characters.").format(limit=limit)
    return _("The row could not be read as CSV.")


# A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"  # so that spreadsheet programs read the file as UTF-8


def csv_cell(value: object) -> str:
    """A cell's text: nothing for None, and a leading apostrophe before a formula's start."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_lines(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV text, a line at a time: the byte order mark and the header row first, each
    cell made safe by csv_cell; semicolons, as Excel in Swedish reads them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def line(cells: Iterable[object]) -> str:
        writer.writerow([csv_cell(cell) for cell in cells])
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    yield BYTE_ORDER_MARK + line(header)
    for row in rows:
        yield line(row)
