"""Account forms; every message is translated and every form carries a CSRF token."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from dialog.accounts.models import MAX_DISPLAY_NAME_LENGTH, Role
from dialog.accounts.services import MIN_PASSWORD_LENGTH
from dialog.core.forms import Form, max_length
from dialog.core.i18n import _l, language_names
from dialog.core.models import MAX_EMAIL_LENGTH


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        validators=[
            InputRequired(_l("Enter your email address.")),
            max_length(MAX_EMAIL_LENGTH, _l("The email address is too long.")),
            Email(_l("Enter an email address like name@example.se."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )


def _display_name_field(**kwargs: Any) -> StringField:
    return StringField(
        _l("Name"),
        validators=[
            InputRequired(_l("Enter the name other people will see.")),
            max_length(
                MAX_DISPLAY_NAME_LENGTH,
                _l("The name can be at most %(max)d characters.", max=MAX_DISPLAY_NAME_LENGTH),
            ),
        ],
        **kwargs,
    )


def _new_password_field(label: str | object) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=256,
                message=_l("The password must be at least %(min)d characters long."),
            ),
        ],
        description=_l(
            "At least %(min)d characters. A few words in a row are easy to remember.",
            min=MIN_PASSWORD_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )


def _repeat_field() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[
            InputRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _locale_field() -> SelectField:
    return SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in language_names().items()],
    )


class RegisterForm(Form):
    """The first step: the address the link to finish registering goes to."""

    email = _email_field()
    submit = SubmitField(_l("Send the link"))


class FinishRegistrationForm(Form):
    """The second step, from the emailed link: name, password, language, consent."""

    display_name = _display_name_field(
        description=_l("Shown with what you write. It can be a first name or a nickname."),
        render_kw={"autocomplete": "nickname"},
    )
    password = _new_password_field(_l("Password"))
    confirm = _repeat_field()
    locale = _locale_field()
    accept = BooleanField(
        _l("I have read how my personal data is handled"),
        validators=[InputRequired(_l("You need to accept how your personal data is handled."))],
    )
    submit = SubmitField(_l("Create account"))

    def __init__(self, *args: object, email: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.email_address = email

    def validate_password(self, field: PasswordField) -> None:
        if field.data and field.data.lower() == self.email_address.lower():
            raise ValidationError(_l("The password cannot be your email address."))


class LoginForm(Form):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class SecondFactorForm(Form):
    code = StringField(
        _l("Code"),
        validators=[
            InputRequired(_l("Enter the code.")),
            Length(max=20, message=_l("The code is too long.")),
        ],
        description=_l(
            "The six digits from your authenticator app, or one of your recovery codes."
        ),
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )
    submit = SubmitField(_l("Continue"))


class EnrolForm(Form):
    code = StringField(
        _l("Code from the app"),
        validators=[
            InputRequired(_l("Enter the code the app shows.")),
            Length(max=10, message=_l("The code is too long.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Turn on two-factor login"))


class ProfileForm(Form):
    display_name = _display_name_field()
    locale = _locale_field()
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field(_l("New password"))
    confirm = _repeat_field()
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(Form):
    email = _email_field()
    submit = SubmitField(_l("Send link"))


class ResetPasswordForm(Form):
    password = _new_password_field(_l("New password"))
    confirm = _repeat_field()
    submit = SubmitField(_l("Save new password"))


class RecoveryCodesForm(Form):
    submit = SubmitField(_l("Make new recovery codes"))


class LogoutForm(Form):
    submit = SubmitField(_l("Log out"))


class UserSearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name or email"), validators=[Optional(), Length(max=100)])


def _roles_shown(form: Form, field: HiddenField) -> None:
    if not field.raw_data or not set(field.data.split()) <= {role.value for role in Role}:
        raise ValidationError("not the roles a page showed")


class RolesForm(Form):
    """A user's roles on the administrators' list: the boxes ticked, and the roles the page
    showed as held (sent along, so that only what was changed on the page is changed)."""

    roles = SelectMultipleField(choices=[SelectChoice(role.value) for role in Role])
    shown = HiddenField(validators=[_roles_shown])

    def changes(self) -> tuple[set[Role], set[Role]]:
        """The roles ticked and the roles shown as held."""
        return {Role(role) for role in self.roles.data}, set(map(Role, self.shown.data.split()))


class ActiveForm(Form):
    active = SelectField(choices=[SelectChoice("1"), SelectChoice("0")])
