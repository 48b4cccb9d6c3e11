"""What the dialogue rules share: the error, the inputs, the rules on input and status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from dialog.core.i18n import _
from dialog.core.models import utcnow
from dialog.core.rules import RuleError
from dialog.dialogues.models import (
    Dialogue,
    DialogueStatus,
    Group,
    Level,
    Moderation,
)
from dialog.goals.models import Framework

# Paths under /dialogues/ that are pages, not dialogues.
RESERVED_SLUGS = frozenset({"new", "manage", "cancel"})
MAX_CAPTURE_LINES = 500

# Which status may follow which. Reporting needs the published feedback report.
TRANSITIONS = {
    DialogueStatus.PLANNED: frozenset({DialogueStatus.OPEN, DialogueStatus.CLOSED}),
    DialogueStatus.OPEN: frozenset({DialogueStatus.CLOSED}),
    DialogueStatus.CLOSED: frozenset({DialogueStatus.OPEN, DialogueStatus.REPORTED}),
    DialogueStatus.REPORTED: frozenset(),
}


class DialogueError(RuleError):
    """A rule of this area was broken."""


@dataclass
class DialogueInput:
    """What the planning form gives: every field of a dialogue but its slug and status."""

    framework: Framework
    title_sv: str
    format: str
    level: str
    title_en: str | None = None
    description_sv: str = ""
    description_en: str | None = None
    focus_goal_ids: list[int] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    influence_sv: str | None = None
    influence_en: str | None = None
    place_name: str | None = None
    address: str | None = None
    accessibility_sv: str | None = None
    accessibility_en: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    moderation: str = Moderation.BEFORE.value
    registration_enabled: bool = False
    capacity: int | None = None
    facilitator_ids: list[int] = field(default_factory=list)
    is_example: bool = False
    # The fingerprint of the text the author confirmed after seeing what cleaning removes.
    confirm_cleaning: str | None = None


@dataclass
class ReportInput:
    heard_sv: str
    next_steps_sv: str
    decisions_expected_sv: str
    heard_en: str | None = None
    next_steps_en: str | None = None
    decisions_expected_en: str | None = None
    # The fingerprint of the text the author confirmed after seeing what cleaning removes.
    confirm_cleaning: str | None = None


def configured_groups() -> list[str]:
    """The groups this installation offers (setting DIALOGUE_GROUPS), in the list's order."""
    wanted = set(current_app.config.get("DIALOGUE_GROUPS") or ())
    return [group.value for group in Group if not wanted or group.value in wanted]


# Rules ---------------------------------------------------------------------------------


def accepts_input(dialogue: Dialogue) -> bool:
    """Input (notes on the day included) only while open, and never at the inform level."""
    return dialogue.takes_input()


def accepts_online_input(dialogue: Dialogue, now: datetime | None = None) -> bool:
    """Residents' online input: open, and inside the window when one is set."""
    return dialogue.takes_online_input(now)


def input_refusal(dialogue: Dialogue) -> str | None:
    """Why the dialogue takes no input now, for staff; None when it does."""
    if dialogue.level == Level.INFORM:
        return _("This dialogue only informs; it takes no input.")
    if dialogue.status != DialogueStatus.OPEN:
        return _("The dialogue is not open for input. Open it first.")
    return None


def check_accepts_input(dialogue: Dialogue) -> None:
    """Raise DialogueError, saying why, unless the dialogue takes input now."""
    refusal = input_refusal(dialogue)
    if refusal is not None:
        raise DialogueError(refusal)


def awaits_report(dialogue: Dialogue) -> bool:
    """Closed, and the feedback report that lets it be marked reported is not published."""
    return dialogue.status == DialogueStatus.CLOSED and dialogue.published_report is None


def places_left(dialogue: Dialogue, confirmed: int) -> int | None:
    """How many places are free with this many confirmed; None when places are unlimited."""
    if not dialogue.capacity:
        return None
    return max(dialogue.capacity - confirmed, 0)


def registration_open(dialogue: Dialogue, now: datetime | None = None) -> bool:
    """Sign-up: an event with registration, not yet started, planned or open."""
    now = now or utcnow()
    return (
        dialogue.registration_enabled
        and dialogue.is_event
        and dialogue.starts_at is not None
        and now < dialogue.starts_at
        and dialogue.status in (DialogueStatus.PLANNED, DialogueStatus.OPEN)
    )


def allowed_statuses(dialogue: Dialogue) -> list[DialogueStatus]:
    """The statuses the dialogue may move to now (what the status form offers)."""
    allowed = TRANSITIONS[DialogueStatus(dialogue.status)]
    return [
        status
        for status in DialogueStatus
        if status in allowed
        and not (status == DialogueStatus.OPEN and dialogue.level == Level.INFORM)
    ]
