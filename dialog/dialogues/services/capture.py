"""Capturing a workshop: notes line by line or from a CSV file, and headcounts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from flask_babel import force_locale, format_number

from dialog.accounts.models import User
from dialog.contributions import services as contributions
from dialog.contributions.models import WorkshopNote
from dialog.core import audit
from dialog.core.csv_rows import SHOWN_CHARACTERS
from dialog.core.i18n import _
from dialog.core.rules import RuleError
from dialog.dialogues.imports import (
    NoteRow,
    ParsedNotes,
    RejectedRow,
    group_lookup,
    parse_notes_csv,
    split_lines,
)
from dialog.dialogues.models import (
    GROUP_LABELS,
    MAX_HEADCOUNT,
    Dialogue,
    Group,
    Headcount,
)
from dialog.dialogues.services.common import (
    MAX_CAPTURE_LINES,
    DialogueError,
    check_accepts_input,
    configured_groups,
)
from dialog.extensions import db
from dialog.goals.models import Goal

# Capture -------------------------------------------------------------------------------


def _goal_of(dialogue: Dialogue, goal_id: int | None) -> Goal | None:
    if goal_id is None:
        return None
    goal = db.session.get(Goal, goal_id)
    if goal is None or goal.framework_id != dialogue.framework_id:
        raise DialogueError(_("Choose a goal of the dialogue's framework."), "goal")
    return goal


def _check_group(group: str) -> None:
    if group not in set(Group):
        raise DialogueError(_("Choose the participant group."), "group")


def capture_notes(
    dialogue: Dialogue, text: str, group: str, goal_id: int | None, actor: User | None
) -> list[WorkshopNote]:
    """Store each non-empty line of the text box as one note, with the group and goal."""
    check_accepts_input(dialogue)
    _check_group(group)
    goal = _goal_of(dialogue, goal_id)
    lines = split_lines(text)
    if not lines:
        raise DialogueError(_("Write at least one note, one per line."), "lines")
    if len(lines) > MAX_CAPTURE_LINES:
        raise DialogueError(
            _("At most {limit} notes at a time.").format(limit=MAX_CAPTURE_LINES), "lines"
        )
    # Check every line before storing any, so a faulty line stores nothing.
    for number, line in enumerate(lines, start=1):
        with _on_line(number, "lines"):
            contributions.check_text(line)
    notes = [
        contributions.add_workshop_note(dialogue.id, line, group, goal, actor) for line in lines
    ]
    audit.record("notes_captured", actor, dialogue, count=len(notes), group=group, goal_id=goal_id)
    return notes


def read_notes_csv(dialogue: Dialogue, text: str) -> ParsedNotes:
    """Parse a CSV of notes for the dialogue: the rows to store and the rows rejected."""
    spellings = {}
    for group in configured_groups():
        labels = []
        for language in ("sv", "en"):
            with force_locale(language):
                labels.append(str(GROUP_LABELS[Group(group)]))
        spellings[group] = "|".join(labels)
    goals = {goal.code: goal.id for goal in dialogue.framework.goals}
    parsed = parse_notes_csv(text, group_lookup(spellings), goals)
    # A row the note rules refuse (too long once read, say) is rejected with its line.
    accepted = []
    for row in parsed.rows:
        try:
            contributions.check_text(row.text)
        except contributions.ContributionError as error:
            parsed.rejected.append(
                RejectedRow(row.line, row.text[:SHOWN_CHARACTERS], (str(error),))
            )
        else:
            accepted.append(row)
    parsed.rows = accepted
    parsed.rejected.sort(key=lambda rejected: rejected.line)
    return parsed


def import_notes(
    dialogue: Dialogue, rows: Sequence[NoteRow], actor: User | None
) -> list[WorkshopNote]:
    """Store the accepted rows of a CSV import as notes; a faulty row stores none of them."""
    check_accepts_input(dialogue)
    if not rows:
        raise DialogueError(_("There are no rows to import."))
    goals = {goal.id: goal for goal in dialogue.framework.goals}
    checked = []
    for row in rows:
        with _on_line(row.line):
            checked.append((row, _checked_goal(row, goals)))
    notes = [
        contributions.add_workshop_note(dialogue.id, row.text, row.group, goal, actor)
        for row, goal in checked
    ]
    audit.record("notes_imported", actor, dialogue, count=len(notes))
    return notes


def _checked_goal(row: NoteRow, goals: dict[int, Goal]) -> Goal | None:
    """Check a row's group and text; return its goal, which must be of the framework."""
    _check_group(row.group)
    contributions.check_text(row.text)
    if row.goal_id is None:
        return None
    if row.goal_id not in goals:
        raise DialogueError(_("Choose a goal of the dialogue's framework."), "goal")
    return goals[row.goal_id]


@contextmanager
def _on_line(line: int, field: str | None = None) -> Iterator[None]:
    """Name the line in a broken rule's message."""
    try:
        yield
    except RuleError as error:
        raise DialogueError(
            _("Line {line}: {problem}").format(line=line, problem=error), field
        ) from None


def correct_note(
    dialogue: Dialogue,
    note: WorkshopNote,
    text: str,
    group: str,
    goal_id: int | None,
    actor: User | None,
) -> None:
    """Correct a captured note; who and when go to the audit trail."""
    _check_group(group)
    goal = _goal_of(dialogue, goal_id)
    try:
        contributions.correct_note(note, text, group, goal, actor)
    except contributions.ContributionError as error:
        raise DialogueError(str(error), "text") from None


def set_headcounts(dialogue: Dialogue, counts: dict[str, int | None], actor: User | None) -> None:
    """Record how many of each group took part; an empty count removes the row."""
    for group, count in counts.items():
        _check_group(group)
        if count is not None and not 0 <= count <= MAX_HEADCOUNT:
            raise DialogueError(
                _("Give a number between 0 and {most}.").format(most=format_number(MAX_HEADCOUNT)),
                f"count_{group}",
            )
    before = {row.group: row.count for row in dialogue.headcounts}
    rows = {row.group: row for row in dialogue.headcounts}
    for group, count in counts.items():
        if count is None or count == 0:
            rows.pop(group, None)
            continue
        if group in rows:
            rows[group].count = count
        else:
            rows[group] = Headcount(group=group, count=count)
    dialogue.headcounts = [rows[group] for group in sorted(rows)]
    db.session.flush()
    after = {row.group: row.count for row in dialogue.headcounts}
    if after != before:
        audit.record("headcount_recorded", actor, dialogue, before=before, after=after)
