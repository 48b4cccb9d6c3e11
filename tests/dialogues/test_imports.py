"""Reading notes: the capture box's lines and the CSV file, with rejected rows reported."""

from __future__ import annotations

from dialog.dialogues.imports import group_lookup, parse_notes_csv, split_lines

GROUPS = group_lookup({"residents": "Invånare|Residents", "unions": "Fackliga|Unions"})
GOALS = {"1": 10, "1.1": 11}


def test_lines_skip_blanks_and_bullets():
    """Blank lines are dropped and bullets or numbers stripped, but a leading minus sign stays."""
    text = "  - Första\n\n* Andra\n• Tredje\n3. Fjärde\n– Femte\n   \n-1 grader är kallt"
    assert split_lines(text) == [
        "Första",
        "Andra",
        "Tredje",
        "Fjärde",
        "Femte",
        "-1 grader är kallt",
    ]


def test_groups_are_read_as_codes_labels_and_common_words():
    """A group is found by code, label or common word, and only among the offered groups."""
    assert GROUPS["residents"] == GROUPS["invånare"] == GROUPS["boende"] == "residents"
    assert GROUPS["fack"] == GROUPS["unions"] == "unions"
    assert "politiker" not in GROUPS  # not offered by this installation


def test_a_csv_with_comma_and_quoted_lines():
    """A comma-separated file with quoted, multi-line texts is read row by row with line numbers."""
    text = 'Text,Group,Goal\n"Ett, två",Residents,1\n"Flera\nrader",fack,\n'
    parsed = parse_notes_csv(text, GROUPS, GOALS)
    assert parsed.problem is None
    assert parsed.rejected == []
    assert [(row.line, row.text, row.group, row.goal_id) for row in parsed.rows] == [
        (2, "Ett, två", "residents", 10),
        (3, "Flera\nrader", "unions", None),
    ]


def test_rejected_rows_keep_their_line_numbers_and_reasons():
    """Rejected rows keep their file line numbers and every reason; a BOM is ignored."""
    text = "\ufefftext;grupp;mål\nBra;invånare;1.1\n\n;invånare;\nDåligt;okänd;7\n"
    parsed = parse_notes_csv(text, GROUPS, GOALS)
    assert [row.line for row in parsed.rows] == [2]
    assert [(row.line, len(row.reasons)) for row in parsed.rejected] == [(4, 1), (5, 2)]


def test_a_file_without_the_columns_is_refused_whole():
    """An empty file, or one without a text column, is refused as a whole."""
    assert parse_notes_csv("", GROUPS, GOALS).problem
    assert parse_notes_csv("a;b\n1;2\n", GROUPS, GOALS).problem
