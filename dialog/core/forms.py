"""What every area's forms share: length limits, showing a broken rule, the CSV import form."""

from __future__ import annotations

from typing import Any

from flask_babel import format_number
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import Field, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from dialog.core.i18n import _, _l
from dialog.core.rules import RuleError
from dialog.core.sanitize import TextLossError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _at_most(limit: int) -> str:
    return _("At most {count} characters.").format(count=format_number(limit))


def max_length(limit: int, message: Any = None) -> Length:
    """Check a field against a column's size; the default message names the limit."""
    return Length(max=limit, message=message or LazyString(_at_most, limit))


def show_rule_error(form: FlaskForm, error: RuleError) -> None:
    """Put a rule's message on its field, or at the top of the form.

    Text that cleaning would cut shows what would be stored under each field it concerns,
    and the form's hidden ``confirm_cleaning`` field carries the confirmation to send back.
    """
    if isinstance(error, TextLossError):
        form.form_errors.append(str(error))
        for name, preview in error.previews.items():
            getattr(form, name).cleaned_preview = preview
        form.confirm_cleaning.data = error.confirmation
        return
    field = getattr(form, error.field, None) if error.field else None
    if isinstance(field, Field):
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def uploaded_text(upload: FileStorage | None, max_bytes: int = MAX_UPLOAD_BYTES) -> str | None:
    """An uploaded file as text: UTF-8 (with or without BOM), else Windows-1252 as Excel saves.

    None when nothing was uploaded or the file is larger than max_bytes.
    """
    if upload is None or not upload.filename:
        return None
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def take_upload(form: FlaskForm) -> bool:
    """Move an import form's uploaded file into its text box, so the confirmation sends it.

    The form has a ``file`` and a ``csv_text`` field. Return True when the file was refused
    (too large), with the error on the field.
    """
    upload = form.file.data
    if upload is None or not upload.filename:
        return False
    text = uploaded_text(upload)
    if text is None:
        form.file.errors = [_("The file is too large (at most 2 MB).")]
        return True
    form.csv_text.data = text
    return False


class ImportForm(FlaskForm):
    """A CSV file or pasted rows, previewed, then the valid rows imported.

    A subclass says what the columns are: ``file_help``, ``paste_label`` and ``paste_help``.
    """

    file_help: Any = None
    paste_label: Any = _l("Or paste the rows")
    paste_help: Any = None

    file = FileField(_l("CSV file"))
    csv_text = TextAreaField(
        _l("Or paste the rows"),
        validators=[Optional()],
        render_kw={"rows": 10, "spellcheck": "false"},
    )
    preview = SubmitField(_l("Preview"))
    confirm = SubmitField(_l("Import the valid rows"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file.description = self.file_help
        self.csv_text.label.text = self.paste_label
        self.csv_text.description = self.paste_help
