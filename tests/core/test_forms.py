"""Single-line fields refuse control characters on every form; text areas keep line breaks."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from babel.support import Translations
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

import dialog
from dialog.accounts.models import Role
from dialog.core import forms
from dialog.core.forms import Form, is_single_line_field
from dialog.core.rules import RuleError, single_line
from dialog.dialogues.forms import headcount_form
from dialog.dialogues.models import Dialogue, Registration
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.dialogues.test_planning import _form as dialogue_form
from tests.helpers import AuthActions, make_user, post_form

MESSAGE = "Write this on one line, without tabs, line breaks or other control characters."
REFUSED = ["\r\n", "\n", "\r", "\t", "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028"]
ACCEPTED = ["Åsa-Britt O'Neil", "<3 & a < b", "Kiosk 👍🏽", "\u200fمرحبا", "Cafe\u0301", "x" * 5]


def _form_classes() -> set[type[FlaskForm]]:
    for module in pkgutil.walk_packages(dialog.__path__, "dialog."):
        importlib.import_module(module.name)
    found: set[type[FlaskForm]] = set()
    pending = [FlaskForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass.__module__.startswith("dialog.") and subclass not in found:
                found.add(subclass)
                pending.append(subclass)
    return found


def test_every_form_derives_from_the_base_form(app):
    """No form in the app is a bare FlaskForm, so none escapes the single-line rule."""
    classes = _form_classes()
    assert len(classes) > 30
    assert [cls.__qualname__ for cls in classes if not issubclass(cls, Form)] == []
    with app.test_request_context():
        assert isinstance(headcount_form(["residents"], {}), Form)


@pytest.mark.parametrize("character", REFUSED, ids=repr)
def test_every_single_line_field_refuses_a_control_character(app, character):
    """Each text input of each form gives the localised error for a control character."""
    checked = 0
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for cls in _form_classes() - {Form}:
            names = [
                name
                for name, field in cls(formdata=None, meta={"csrf": False})._fields.items()
                if is_single_line_field(field)
            ]
            for name in names:
                form = cls(formdata=MultiDict({name: f"a{character}b"}), meta={"csrf": False})
                field = form[name]
                field.validate(form)
                assert MESSAGE in field.errors, f"{cls.__qualname__}.{name}"
                checked += 1
    assert checked > 30


def test_text_areas_and_passwords_keep_what_was_typed(app):
    """Line breaks in a text area, and a tab in a password, are not refused."""
    checked = 0
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for cls in _form_classes() - {Form}:
            blank = cls(formdata=None, meta={"csrf": False})
            for name, field in blank._fields.items():
                if not isinstance(field, TextAreaField | PasswordField):
                    continue
                form = cls(
                    formdata=MultiDict({name: "rad ett\r\nrad två\tslut"}), meta={"csrf": False}
                )
                form[name].validate(form)
                assert MESSAGE not in form[name].errors, f"{cls.__qualname__}.{name}"
                checked += 1
    assert checked > 10


@pytest.mark.parametrize("text", ACCEPTED)
def test_ordinary_text_passes(text):
    """Letters of any script, symbols, emoji, direction marks and combining marks are fine."""
    assert single_line(text) == text


@pytest.mark.parametrize("character", REFUSED, ids=repr)
def test_services_can_check_a_single_line(character):
    """Text that reaches a service without a form is checked by the same rule."""
    with pytest.raises(RuleError) as raised:
        single_line(f"Titel{character}", "title_sv")
    assert raised.value.field == "title_sv"


def test_a_hand_made_post_with_a_line_break_in_a_title_is_refused(app, client):
    """A dialogue titled "Titel\\r\\nBcc: x" comes back with the error; nothing is stored."""
    admin = make_user(app, Role.ADMIN, locale="en")
    framework = make_framework(app)
    AuthActions(client).login(admin)
    data = dialogue_form(framework, title_sv="Titel\r\nBcc: x")
    response = post_form(client, "/dialogues/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert MESSAGE in page
    assert "Munktorps bygdegård" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Dialogue)) == 0


def test_a_name_with_a_line_break_does_not_sign_up(app, client):
    """A sign-up whose name carries a header line is refused on the form, with no mail queued."""
    client.set_cookie("lang", "en")
    dialogue = make_dialogue(app, make_framework(app), registration=True, capacity=5)
    response = post_form(
        client,
        f"/dialogues/{dialogue.slug}/register",
        {"name": "Anna\nBcc: x@example.se", "email": "anna@example.se", "accept": "y"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


class _PickForm(Form):
    class Meta:
        csrf = False

    pick = SelectField("Pick", choices=[SelectChoice("a", "A")])


@pytest.mark.parametrize(
    ("language", "message"), [("sv", "Inte ett giltigt val"), ("en", "Not a valid choice.")]
)
def test_wtforms_own_messages_are_in_the_request_language(app, language, message):
    """WTForms' built-in messages follow the reader's language."""
    headers = {"Accept-Language": language}
    with app.test_request_context(headers=headers):
        form = _PickForm(MultiDict({"pick": "b"}))
        assert not form.validate()
        assert form.pick.errors == [message]


def test_wtforms_catalogs_are_read_once_per_process(app, monkeypatch):
    """The catalog files are read from disk once, not in every request."""
    forms._WTFORMS_CATALOGS.clear()
    reads: list[object] = []
    load = Translations.load
    monkeypatch.setattr(Translations, "load", lambda *a, **k: reads.append(a) or load(*a, **k))
    for _ in range(3):
        with app.test_request_context(headers={"Accept-Language": "sv"}):
            assert not _PickForm(MultiDict({"pick": "b"})).validate()
    assert len(reads) == 1
