"""What every area's forms share: the base form, length limits, showing a broken rule,
reading an upload, the CSV import form."""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations, Translations
from flask import current_app
from flask_babel import format_number, get_locale
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import Field, HiddenField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.i18n import messages_path
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import TextArea

from dialog.core.i18n import _, _l
from dialog.core.rules import SINGLE_LINE_MESSAGE, RuleError, is_single_line
from dialog.core.sanitize import TextLossError
from dialog.core.security import csrf_token


def single_line_validator(form: FlaskForm, field: Field) -> None:
    """Refuse control characters and line breaks (CR, LF, tab, NUL, NEL, U+2028 …)."""
    if isinstance(field.data, str) and not is_single_line(field.data):
        raise ValidationError(str(SINGLE_LINE_MESSAGE))


def is_single_line_field(field: Field) -> bool:
    """A text input of one line: not a text area, a password or a hidden field."""
    return (
        isinstance(field, StringField)
        and not isinstance(field, PasswordField | HiddenField)
        and not isinstance(field.widget, TextArea)
    )


# WTForms' own messages ("Not a valid choice", the default labels) per language: files that
# ship with WTForms, read once per process. Flask-WTF reads the file again in every request.
_WTFORMS_CATALOGS: dict[str, NullTranslations] = {}


def _wtforms_catalog() -> NullTranslations:
    locale = get_locale()
    if locale is None:
        return NullTranslations()
    key = str(locale)
    catalog = _WTFORMS_CATALOGS.get(key)
    if catalog is None:
        catalog = Translations.load(messages_path(), [key], domain="wtforms")
        _WTFORMS_CATALOGS[key] = catalog
    return catalog


class WtformsTranslations:
    """WTForms' messages in the request's language (WTForms asks this object for them)."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalog().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog().ungettext(singular, plural, n)


class _KeptSerializerCSRF(_FlaskFormCSRF):
    """Flask-WTF's CSRF field, signing with the kept serializer (``core.security``)."""

    def generate_csrf_token(self, csrf_token_field: Any) -> str:
        return csrf_token()


class Form(FlaskForm):
    """The base of every form in the application.

    Every single-line text field (titles, names, places, codes, addresses …) refuses control
    characters, whatever form it is on: a CR/LF in a title would otherwise reach mail headers,
    calendar files and CSV exports. Passwords are left alone (they are never shown or sent),
    and text areas keep their line breaks.
    """

    class Meta(FlaskForm.Meta):
        csrf_class = _KeptSerializerCSRF

        def bind_field(self, form: Any, unbound_field: UnboundField, options: Any) -> Field:
            field: Field = super().bind_field(form, unbound_field, options)
            if is_single_line_field(field):
                # First, so that Optional() cannot pass a value of only line breaks.
                field.validators = [single_line_validator, *field.validators]
            return field

        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _WTFORMS_TRANSLATIONS


_WTFORMS_TRANSLATIONS = WtformsTranslations()


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


def max_upload_bytes() -> int:
    """The largest file an import accepts (``DIALOG_MAX_UPLOAD_MB``)."""
    return int(current_app.config["MAX_UPLOAD_BYTES"])


def uploaded_text(upload: FileStorage | None, max_bytes: int | None = None) -> str | None:
    """An uploaded file as text: UTF-8 (with or without BOM), else Windows-1252 as Excel saves.

    None when nothing was uploaded or the file is larger than max_bytes (by default the
    configured limit).
    """
    if upload is None or not upload.filename:
        return None
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def take_upload(form: FlaskForm) -> bool:
    """Move an import form's uploaded file into its text box, so the confirmation sends it.

    The form has a ``file`` and a ``csv_text`` field. Return True when the file was refused
    (too large, or not text), with the error on the field.
    """
    upload = form.file.data
    if upload is None or not upload.filename:
        return False
    text = uploaded_text(upload)
    if text is None:
        size = f"{max_upload_bytes() / 1024 / 1024:g}"
        form.file.errors = [_("The file is too large (at most {size} MB).").format(size=size)]
        return True
    if "\x00" in text:
        # A spreadsheet, a picture or UTF-16 text: nothing a CSV import can read, and no
        # database stores a NUL in text.
        form.file.errors = [_("This is not a text file. Save it as CSV (UTF-8) and try again.")]
        return True
    form.csv_text.data = text
    return False


class ImportForm(Form):
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
