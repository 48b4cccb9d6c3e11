"""Forms of records: closing an account, and the exports' period and dialogue."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from wtforms import BooleanField, DateField, PasswordField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from dialog.core.forms import Form
from dialog.core.i18n import _, _l
from dialog.core.times import local_zone


class CloseAccountForm(Form):
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("I understand that my account is closed for good"),
        validators=[InputRequired(_l("Tick the box to confirm that you want to close it."))],
    )
    submit = SubmitField(_l("Close my account"))


def _day_start(day: date) -> datetime:
    """Midnight at the start of the day, in the municipality's time zone."""
    return datetime.combine(day, time.min, tzinfo=local_zone())


class PeriodForm(Form):
    """A period of days, both ends included and both optional (read from the address)."""

    class Meta:
        csrf = False

    start = DateField(_l("From (inclusive)"), validators=[Optional()])
    end = DateField(_l("To (inclusive)"), validators=[Optional()])

    def validate_end(self, field: DateField) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_("The end of the period comes before its start."))

    @property
    def since(self) -> datetime | None:
        return _day_start(self.start.data) if self.start.data else None

    @property
    def before(self) -> datetime | None:
        return _day_start(self.end.data + timedelta(days=1)) if self.end.data else None


class RegistryForm(PeriodForm):
    dialogue = SelectField(_l("Dialogue"), choices=[], default="")
