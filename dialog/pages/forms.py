"""Forms of the site's own pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from dialog.core.i18n import _l


class AccessibilityReportForm(FlaskForm):
    page = StringField(
        _l("Which page or part of the site?"),
        validators=[Optional(), Length(max=300, message=_l("At most 300 characters."))],
    )
    description = TextAreaField(
        _l("What is the problem?"),
        validators=[
            InputRequired(_l("Describe the problem.")),
            Length(max=5000, message=_l("At most 5,000 characters.")),
        ],
        description=_l("Tell us what you tried to do and what got in the way."),
    )
    email = EmailField(
        _l("Your email address (optional)"),
        validators=[
            Optional(),
            Length(max=320, message=_l("The email address is too long.")),
            Email(_l("Enter an email address like name@example.se."), check_deliverability=False),
        ],
        description=_l("Only if you want an answer. We use it for nothing else."),
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Send report"))
