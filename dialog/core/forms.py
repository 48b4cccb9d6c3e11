"""What every area's forms share: showing a broken rule, reading an uploaded file."""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import Field

from dialog.core.i18n import _
from dialog.core.rules import RuleError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def show_rule_error(form: FlaskForm, error: RuleError) -> None:
    """Put a rule's message on its field, or at the top of the form."""
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
