"""Dialogue rules: planning, status, who may send input and when, registration with a
waiting list, capturing notes and headcounts, and the feedback report.

Services flush and never commit; the request (or the command) commits at its edge.
"""

from dialog.dialogues.services.capture import (
    capture_notes,
    correct_note,
    import_notes,
    read_notes_csv,
    set_headcounts,
)
from dialog.dialogues.services.common import (
    MAX_CAPTURE_LINES,
    RESERVED_SLUGS,
    TRANSITIONS,
    DialogueError,
    DialogueInput,
    ReportInput,
    accepts_input,
    accepts_online_input,
    allowed_statuses,
    awaits_report,
    check_accepts_input,
    configured_groups,
    input_refusal,
    places_left,
    registration_open,
)
from dialog.dialogues.services.planning import (
    check_slug,
    create_dialogue,
    set_status,
    update_dialogue,
)
from dialog.dialogues.services.registration import (
    MailLinks,
    cancel_registration,
    fill_places,
    register,
)
from dialog.dialogues.services.reports import (
    publish_report,
    save_report,
)

__all__ = [
    "RESERVED_SLUGS",
    "MAX_CAPTURE_LINES",
    "TRANSITIONS",
    "DialogueError",
    "DialogueInput",
    "ReportInput",
    "configured_groups",
    "accepts_input",
    "accepts_online_input",
    "check_accepts_input",
    "awaits_report",
    "input_refusal",
    "places_left",
    "registration_open",
    "allowed_statuses",
    "check_slug",
    "create_dialogue",
    "update_dialogue",
    "set_status",
    "MailLinks",
    "register",
    "fill_places",
    "cancel_registration",
    "capture_notes",
    "read_notes_csv",
    "import_notes",
    "correct_note",
    "set_headcounts",
    "save_report",
    "publish_report",
]
