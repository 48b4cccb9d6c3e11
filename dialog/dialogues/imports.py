"""Reading notes typed up elsewhere: the capture box's lines and CSV files.

Pure functions: they take the text and the lookups and return the rows to store and the
rows rejected, with their line numbers and reasons. Nothing is stored here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from dialog.contributions.models import MAX_NOTE_LENGTH
from dialog.core.csv_rows import CsvRow, csv_rows
from dialog.core.i18n import _

MAX_ROWS = 2000
# Bullets people type or paste in front of a line: "- ", "* ", "• ", "1. ".
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,3}[.)])\s+")

# Column names in the header row, in Swedish and English.
TEXT_COLUMNS = frozenset({"text", "note", "anteckning", "synpunkt", "notering"})
GROUP_COLUMNS = frozenset({"group", "grupp", "deltagargrupp", "participant group"})
GOAL_COLUMNS = frozenset({"goal", "mål", "mal", "goal code", "målkod"})

# What people write for a group, beyond the codes and the labels in both languages.
GROUP_ALIASES = {
    "invånare": "residents",
    "invanare": "residents",
    "boende": "residents",
    "medborgare": "residents",
    "resident": "residents",
    "unga": "youth",
    "ungdomar": "youth",
    "ung": "youth",
    "äldre": "seniors",
    "seniorer": "seniors",
    "senior": "seniors",
    "företag": "businesses",
    "företagare": "businesses",
    "näringsliv": "businesses",
    "business": "businesses",
    "föreningar": "associations",
    "förening": "associations",
    "föreningsliv": "associations",
    "association": "associations",
    "politiker": "politicians",
    "förtroendevalda": "politicians",
    "förtroendevald": "politicians",
    "politician": "politicians",
    "chefer": "managers",
    "chef": "managers",
    "manager": "managers",
    "fack": "unions",
    "fackliga": "unions",
    "facket": "unions",
    "fackförbund": "unions",
    "union": "unions",
    "övriga": "other",
    "övrigt": "other",
    "annat": "other",
    "others": "other",
}


@dataclass(frozen=True)
class NoteRow:
    """A note ready to be stored: its line in the source, text, group and goal."""

    line: int
    text: str
    group: str
    goal_id: int | None = None
    goal_code: str | None = None


@dataclass(frozen=True)
class RejectedRow:
    line: int
    content: str
    reasons: tuple[str, ...]


@dataclass
class ParsedNotes:
    rows: list[NoteRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    problem: str | None = None  # a fault of the whole file, such as a missing header


def group_lookup(codes: Mapping[str, str]) -> dict[str, str]:
    """Return every accepted spelling of a group, lower case, mapped to its code.

    codes maps each known code to its labels joined by "|" (both languages).
    """
    lookup = {alias: code for alias, code in GROUP_ALIASES.items() if code in codes}
    for code, labels in codes.items():
        lookup[code] = code
        for label in labels.split("|"):
            if label.strip():
                lookup[label.strip().lower()] = code
    return lookup


def split_lines(text: str) -> list[str]:
    """Return the capture box's non-empty lines, without leading bullets."""
    lines = []
    for raw in (text or "").splitlines():
        line = _BULLET.sub("", raw).strip()
        if line:
            lines.append(line)
    return lines


def _column(header: list[str], names: frozenset[str]) -> int | None:
    for index, name in enumerate(header):
        if name.strip().lower() in names:
            return index
    return None


def parse_notes_csv(
    text: str, groups: Mapping[str, str], goals_by_code: Mapping[str, int]
) -> ParsedNotes:
    """Read a CSV of notes: a header naming the columns text, group and (optionally) goal.

    groups maps spellings (see group_lookup) to codes; goals_by_code maps the framework's
    goal codes to ids. Line numbers count from the header, which is line 1.
    """
    result = ParsedNotes()
    rows = csv_rows(text or "")
    header = next(rows, None)
    if header is None:
        result.problem = _("The file is empty.")
        return result
    columns = (
        _column(header.values, TEXT_COLUMNS),
        _column(header.values, GROUP_COLUMNS),
        _column(header.values, GOAL_COLUMNS),
    )
    if header.problem is not None or columns[0] is None or columns[1] is None:
        result.problem = _(
            "The first row must name the columns: text and group (and goal if you like)."
        )
        return result
    for row in rows:
        if len(result.rows) + len(result.rejected) >= MAX_ROWS:
            result.problem = _("Only the first {limit} rows were read.").format(limit=MAX_ROWS)
            break
        if row.problem is not None:
            result.rejected.append(RejectedRow(row.line, row.source, (row.problem,)))
            continue
        _read_row(result, row, columns, groups, goals_by_code)
    return result


def _cell(values: list[str], index: int | None) -> str:
    if index is None or index >= len(values):
        return ""
    return values[index].strip()


def _read_row(
    result: ParsedNotes,
    row: CsvRow,
    columns: tuple[int | None, int | None, int | None],
    groups: Mapping[str, str],
    goals_by_code: Mapping[str, int],
) -> None:
    text, group_name, goal_code = (_cell(row.values, index) for index in columns)
    reasons = []
    if not text:
        reasons.append(_("The text is empty."))
    elif len(text) > MAX_NOTE_LENGTH:
        reasons.append(
            _("The text is longer than {limit} characters.").format(limit=MAX_NOTE_LENGTH)
        )
    group = groups.get(group_name.lower())
    if not group_name:
        reasons.append(_("The group is missing."))
    elif group is None:
        reasons.append(_("“{group}” is not a known group.").format(group=group_name))
    goal_id = None
    if goal_code:
        goal_id = goals_by_code.get(goal_code)
        if goal_id is None:
            reasons.append(_("“{code}” is not a goal of this framework.").format(code=goal_code))
    if reasons or group is None:
        result.rejected.append(RejectedRow(row.line, row.source, tuple(reasons)))
        return
    result.rows.append(NoteRow(row.line, text, group, goal_id, goal_code or None))
