"""What the dialogue views share: loading with 404/403, mail links, template helpers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from dialog.contributions.models import WorkshopNote
from dialog.contributions.queries import note_in
from dialog.core.i18n import _
from dialog.core.times import format_period, format_time
from dialog.core.urls import absolute_url
from dialog.dialogues.models import (
    FORMAT_LABELS,
    GROUP_LABELS,
    LEVEL_EXPLANATIONS,
    LEVEL_LABELS,
    REGISTRATION_STATUS_LABELS,
    STATUS_LABELS,
    Dialogue,
    DialogueFormat,
    DialogueStatus,
    Group,
    Level,
    RegistrationStatus,
)
from dialog.dialogues.permissions import can_manage_dialogue
from dialog.dialogues.queries import PublicDialogue, dialogue_by_slug, public_dialogue
from dialog.dialogues.services import MailLinks


def dialogue_or_404(slug: str) -> Dialogue:
    """Load the dialogue or answer 404."""
    dialogue = dialogue_by_slug(slug)
    if dialogue is None:
        abort(404)
    return dialogue


def public_dialogue_or_404(slug: str) -> PublicDialogue:
    """The dialogue with what its public pages show (read-only), or answer 404."""
    found = public_dialogue(slug)
    if found is None:
        abort(404)
    return found


def managed_dialogue_or_404(slug: str) -> Dialogue:
    """Load a dialogue the current user manages: 404 when missing, 403 when not theirs."""
    dialogue = dialogue_or_404(slug)
    if not can_manage_dialogue(current_user, dialogue):
        abort(403)
    return dialogue


def note_or_404(dialogue: Dialogue, note_id: int) -> WorkshopNote:
    note = note_in(dialogue.id, note_id)
    if note is None:
        abort(404)
    return note


def mail_links() -> MailLinks:
    return MailLinks(
        dialogue_url=lambda d: absolute_url("dialogues.dialogue", slug=d.slug),
        cancel_url=lambda token: absolute_url("dialogues.cancel", token=token),
        calendar_url=lambda d: absolute_url("dialogues.calendar", slug=d.slug),
    )


# Labels and formats, for templates ------------------------------------------------------


def format_label(value: str) -> str:
    return str(FORMAT_LABELS[DialogueFormat(value)])


def group_label(value: str) -> str:
    return str(GROUP_LABELS[Group(value)])


def level_label(value: str) -> str:
    return str(LEVEL_LABELS[Level(value)])


def level_explanation(value: str) -> str:
    return str(LEVEL_EXPLANATIONS[Level(value)])


def dialogue_status_label(value: str) -> str:
    return str(STATUS_LABELS[DialogueStatus(value)])


def registration_status_label(value: str) -> str:
    return str(REGISTRATION_STATUS_LABELS[RegistrationStatus(value)])


@dataclass(frozen=True)
class DialogueLabels:
    """The names of every status, format and group in the reader's language."""

    statuses: dict[str, str]
    formats: dict[str, str]
    groups: dict[str, str]


def status_labels() -> dict[str, str]:
    """Every status name, translated once: for a list that names one on every line."""
    return {status.value: str(label) for status, label in STATUS_LABELS.items()}


def dialogue_labels() -> DialogueLabels:
    """Every status, format and group name, translated once: for a list that names them on
    every line."""
    return DialogueLabels(
        statuses=status_labels(),
        formats={value.value: str(label) for value, label in FORMAT_LABELS.items()},
        groups={group.value: str(label) for group, label in GROUP_LABELS.items()},
    )


def event_time(dialogue: Dialogue) -> str:
    """When the dialogue takes place, in Swedish time: "12 mars 2019 18:00–20:00"."""
    return format_period(dialogue.starts_at, dialogue.ends_at)


def input_window(dialogue: Dialogue) -> str:
    """When online input opens and closes, in words, or an empty string."""
    opens, closes = dialogue.opens_at, dialogue.closes_at
    if opens and closes:
        return _("From {opens} to {closes}").format(
            opens=format_time(opens),
            closes=format_time(closes),
        )
    if closes:
        return _("Until {closes}").format(closes=format_time(closes))
    if opens:
        return _("From {opens}").format(opens=format_time(opens))
    return ""
