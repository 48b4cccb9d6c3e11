"""Reading CSV text: line numbers as the reader sees them, and unreadable rows rejected alone;
writing it: formula-like cells escaped, a line at a time."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from dialog.core.csv_rows import SHOWN_CHARACTERS, csv_cell, csv_lines, csv_rows


def test_rows_keep_the_line_they_start_on_and_blank_rows_are_skipped():
    """A quoted cell over two lines moves the next row's line number on by two."""
    text = '\ufefftext;group\n"Två\nrader";unga\n\n  ;  \nSist;äldre\n'
    rows = [(row.line, row.values, row.source) for row in csv_rows(text)]
    assert rows == [
        (1, ["text", "group"], "text;group"),
        (2, ["Två\nrader", "unga"], '"Två\nrader";unga'),
        (6, ["Sist", "äldre"], "Sist;äldre"),
    ]


def test_a_cell_past_the_field_limit_is_one_rejected_row(app):
    """The rows after a 200,000-character cell are still read, with their own lines."""
    text = "a,b\n1,2\n3," + "x" * 200_000 + "\n5,6\n"
    with app.test_request_context(), force_locale("en"):
        rows = list(csv_rows(text))
    assert [(row.line, row.values, row.problem) for row in rows] == [
        (1, ["a", "b"], None),
        (2, ["1", "2"], None),
        (3, [], "A cell is longer than 131,072 characters."),
        (4, ["5", "6"], None),
    ]
    assert len(rows[2].source) == SHOWN_CHARACTERS


def test_the_delimiter_is_the_one_the_header_uses_most():
    """Comma, semicolon or tab, as spreadsheets save them."""
    assert next(csv_rows("a\tb;c\td\n")).values == ["a", "b;c", "d"]
    assert next(csv_rows("a;b,c;d\n")).values == ["a", "b,c", "d"]
    assert next(csv_rows("a\n")).values == ["a"]
    assert list(csv_rows("")) == []


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+46 70 123", "'+46 70 123"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("a=b", "a=b"),
        ("Åsa", "Åsa"),
        (None, ""),
        (42, "42"),
    ],
)
def test_csv_cell_escapes_what_a_spreadsheet_runs(value, cell):
    """A cell starting with = + - @ tab or CR gets an apostrophe; others stay as they are."""
    assert csv_cell(value) == cell


def test_csv_lines_stream_a_header_and_rows_with_a_byte_order_mark():
    """One line at a time: the BOM and the header first; semicolons; cells escaped."""
    lines = csv_lines(["Namn", "Text"], iter([["=1", 'a "b"; c'], ["x", None]]))
    assert next(lines) == "\ufeffNamn;Text\r\n"
    assert next(lines) == '\'=1;"a ""b""; c"\r\n'
    assert list(lines) == ["x;\r\n"]
