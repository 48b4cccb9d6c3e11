"""The review's exports, CSV and XLSX, written a row at a time so that their length costs
no memory: the rows come from the database a batch at a time (``queries.export_rows``).

CSV goes through ``core.csv_rows.csv_lines`` (semicolons, a byte order mark, formula-like
cells made harmless). XLSX is written by XlsxWriter in its constant-memory mode, which
writes each row to a temporary file as soon as the next one starts; the finished workbook
(a zip file) is then sent from its temporary file in chunks and the file removed. Cells
are written as strings and numbers explicitly, never as formulas, and a text that starts
like a formula gets the same apostrophe as in the CSV, so a spreadsheet never runs it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence

import xlsxwriter

from dialog.core.csv_rows import csv_cell, csv_lines

CHUNK = 64 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own limit of characters in a cell; a longer text is cut there, with a mark.
MAX_CELL = 32_767


def csv_export(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """The CSV file, a line at a time, as UTF-8."""
    for line in csv_lines(list(header), rows):
        yield line.encode()


def _cell_text(value: object) -> str:
    text = csv_cell(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _write_row(sheet: xlsxwriter.worksheet.Worksheet, number: int, cells: Sequence[object]) -> None:
    for column, value in enumerate(cells):
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(number, column, value)
        elif value is not None and value != "":
            sheet.write_string(number, column, _cell_text(value))


def xlsx_export(
    header: Sequence[str], rows: Iterable[Sequence[object]], sheet_name: str
) -> Iterator[bytes]:
    """The XLSX file in chunks: the workbook written row by row to a temporary file, then
    read back CHUNK bytes at a time; the temporary files are removed whatever happens."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "tmpdir": tempfile.gettempdir(),
            },
        )
        sheet = workbook.add_worksheet(sheet_name[:31])
        bold = workbook.add_format({"bold": True})
        for column, title in enumerate(header):
            sheet.write_string(0, column, title, bold)
        sheet.freeze_panes(1, 0)
        for number, cells in enumerate(rows, start=1):
            _write_row(sheet, number, cells)
        workbook.close()
        with open(path, "rb") as finished:
            while chunk := finished.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)
