"""Forms of the moderation pages; every message is translated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel.speaklater import LazyString
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from dialog.contributions.models import (
    CONTRIBUTION_KIND_LABELS,
    MAX_REASON_LENGTH,
    MAX_REFERENCE_LENGTH,
    MAX_TITLE_LENGTH,
)
from dialog.core.forms import Form
from dialog.core.i18n import _l
from dialog.core.routing import id_from
from dialog.moderation.models import MAX_REPORT_NOTE_LENGTH, ModerationAction
from dialog.moderation.queries import QUEUE_KINDS, QueueFilters
from dialog.moderation.reasons import REPORTED, moderation_reasons

KIND_LABELS = CONTRIBUTION_KIND_LABELS
BULK_LABELS: dict[str, LazyString] = {
    ModerationAction.PUBLISH.value: _l("Publish the selected"),
    ModerationAction.REJECT.value: _l("Reject the selected"),
    ModerationAction.HIDE.value: _l("Hide the selected"),
}
DECISION_LABELS: dict[str, LazyString] = {
    ModerationAction.PUBLISH.value: _l("Published or kept"),
    ModerationAction.REJECT.value: _l("Rejected"),
    ModerationAction.HIDE.value: _l("Hidden"),
    ModerationAction.RESTORE.value: _l("Shown again"),
    ModerationAction.REDACT.value: _l("Redacted"),
    ModerationAction.DUPLICATE.value: _l("Marked as a duplicate"),
    ModerationAction.DISMISS_REPORTS.value: _l("Reports dismissed"),
}
_NOTE_HINT = _l("Shown to the author on their receipt and in the mail about the decision.")


def _reason_field(label: LazyString) -> SelectField:
    return SelectField(label, validate_choice=False)


def _note_field() -> TextAreaField:
    return TextAreaField(
        _l("Note to the author (optional)"),
        validators=[Optional(), Length(max=MAX_REASON_LENGTH)],
        description=_NOTE_HINT,
        render_kw={"rows": 3},
    )


def _reason_choices(empty: LazyString) -> list[SelectChoice]:
    return [SelectChoice("", str(empty))] + [
        SelectChoice(code, label) for code, label in moderation_reasons()
    ]


class BulkForm(Form):
    """The queue's one form: an input's own button ("one"), or an action button on the
    selection ("action", with the reason and note). The queue writes its fields out by hand
    (moderation/queue.html); this form reads and checks them."""

    action = StringField(_l("Action"))
    reason = StringField(_l("Reason (to reject or hide)"))
    note = _note_field()


class DecisionForm(Form):
    """Reject or hide one input: a reason and a note to the author."""

    reason = _reason_field(_l("Reason"))
    note = _note_field()

    def setup(self) -> DecisionForm:
        self.reason.choices = _reason_choices(_l("Choose a reason"))
        return self


class RedactForm(Form):
    """The text as the public should see it, with the parts struck out."""

    title = StringField(
        _l("Title as shown to the public"),
        validators=[Length(max=MAX_TITLE_LENGTH)],
        render_kw={"maxlength": MAX_TITLE_LENGTH},
    )
    body = TextAreaField(
        _l("Text as shown to the public"),
        description=_l(
            "Replace what must not be shown, e.g. a phone number, with [borttaget]. Editors "
            "still see the original. Give the original back unchanged to undo the redaction."
        ),
        render_kw={"rows": 10},
    )
    submit = SubmitField(_l("Save the redacted text"))


class DuplicateForm(Form):
    reference = StringField(
        _l("Reference number of the original input"),
        validators=[Length(max=MAX_REFERENCE_LENGTH)],
        description=_l("For example DLG-2026-00042. The duplicate then leads to the original."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    note = _note_field()
    submit = SubmitField(_l("Mark as a duplicate"))


class ActionForm(Form):
    """A button that only posts (publish, restore, dismiss): the CSRF token is all it carries."""


def queue_filters(args: Mapping[str, Any]) -> QueueFilters:
    """The queue's filters from a query string (or a form's hidden fields); anything odd is
    simply no filter."""
    kind = args.get("kind") or None
    return QueueFilters(
        dialogue_id=id_from(args.get("dialogue")),
        kind=kind if kind in QUEUE_KINDS else None,
        flagged=args.get("flagged") == "1",
        personal_data=args.get("personal") == "1",
    )


def selected_ids(values: list[str]) -> list[int]:
    """The ids of the inputs ticked in the queue (anything that is not an id is left out)."""
    return [number for number in map(id_from, values) if number is not None]


class ReportForm(Form):
    """A resident's report of a published input: why, and an optional note."""

    reason = RadioField(_l("Why do you report it?"), validate_choice=False)
    note = TextAreaField(
        _l("Anything to add (optional)"),
        validators=[Length(max=MAX_REPORT_NOTE_LENGTH)],
        description=_l("Only the web editors read it. Do not write personal data here."),
        render_kw={"rows": 4, "maxlength": MAX_REPORT_NOTE_LENGTH},
    )
    submit = SubmitField(_l("Send the report"))

    def setup(self) -> ReportForm:
        # "Reported by several residents" is what the count decides, not a reporter.
        self.reason.choices = [
            (code, label) for code, label in moderation_reasons() if code != REPORTED
        ]
        return self
