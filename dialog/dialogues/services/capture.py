"""Capturing a workshop: notes line by line or from a CSV file, and headcounts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import force_locale

from dialog.contributions import services as contributions
from dialog.contributions.models import WorkshopNote
from dialog.core import audit
from dialog.core.i18n import _
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
    Dialogue,
    Group,
    Headcount,
)
from dialog.dialogues.services.common import (
    MAX_CAPTURE_LINES,
    MAX_HEADCOUNT,
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
    dialogue: Dialogue, text: str, group: str, goal_id: int | None, actor: Any
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
        try:
            contributions.check_text(line)
        except contributions.ContributionError as error:
            raise DialogueError(
                _("Line {line}: {problem}").format(line=number, problem=error), "lines"
            ) from None
    notes = [
        contributions.add_workshop_note(dialogue.id, line, group, goal, actor) for line in lines
    ]
    db.session.flush()
    audit.record(
        "notes_captured",
        actor_id=audit.actor_id(actor),
        subject_type="dialogue",
        subject_id=dialogue.id,
        count=len(notes),
        group=group,
        goal_id=goal.id if goal else None,
    )
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
    # A row whose text is nothing once sanitised (only markup, say) is rejected too.
    accepted = []
    for row in parsed.rows:
        try:
            contributions.check_text(row.text)
        except contributions.ContributionError as error:
            parsed.rejected.append(RejectedRow(row.line, row.text[:300], (str(error),)))
        else:
            accepted.append(row)
    parsed.rows = accepted
    parsed.rejected.sort(key=lambda rejected: rejected.line)
    return parsed


def import_notes(dialogue: Dialogue, rows: Iterable[NoteRow], actor: Any) -> list[WorkshopNote]:
    """Store the accepted rows of a CSV import as notes."""
    check_accepts_input(dialogue)
    goals = {goal.id: goal for goal in dialogue.framework.goals}
    notes = []
    for row in rows:
        _check_group(row.group)
        goal = goals.get(row.goal_id) if row.goal_id is not None else None
        notes.append(contributions.add_workshop_note(dialogue.id, row.text, row.group, goal, actor))
    if not notes:
        raise DialogueError(_("There are no rows to import."))
    db.session.flush()
    audit.record(
        "notes_imported",
        actor_id=audit.actor_id(actor),
        subject_type="dialogue",
        subject_id=dialogue.id,
        count=len(notes),
    )
    return notes


def correct_note(
    dialogue: Dialogue, note: WorkshopNote, text: str, group: str, goal_id: int | None, actor: Any
) -> None:
    """Correct a captured note; who and when go to the audit trail."""
    _check_group(group)
    goal = _goal_of(dialogue, goal_id)
    try:
        contributions.correct_note(note, text, group, goal, actor)
    except contributions.ContributionError as error:
        raise DialogueError(str(error), "text") from None


def set_headcounts(dialogue: Dialogue, counts: dict[str, int | None], actor: Any) -> None:
    """Record how many of each group took part; an empty count removes the row."""
    for group, count in counts.items():
        _check_group(group)
        if count is not None and not 0 <= count <= MAX_HEADCOUNT:
            raise DialogueError(_("Give a number between 0 and 100,000."), f"count_{group}")
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
        audit.record(
            "headcount_recorded",
            actor_id=audit.actor_id(actor),
            subject_type="dialogue",
            subject_id=dialogue.id,
            before=before,
            after=after,
        )
