"""Forms of the site's own pages."""

from __future__ import annotations

from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Optional

from dialog.core.forms import Form, max_length
from dialog.core.i18n import _l
from dialog.core.models import MAX_EMAIL_LENGTH

# What the form takes: the page a report is about, and the report itself.
MAX_PAGE_LENGTH = 300
MAX_REPORT_LENGTH = 5_000


class AccessibilityReportForm(Form):
    page = StringField(
        _l("Which page or part of the site?"),
        validators=[Optional(), max_length(MAX_PAGE_LENGTH)],
    )
    description = TextAreaField(
        _l("What is the problem?"),
        validators=[
            InputRequired(_l("Describe the problem.")),
            max_length(MAX_REPORT_LENGTH),
        ],
        description=_l("Tell us what you tried to do and what got in the way."),
    )
    email = EmailField(
        _l("Your email address (optional)"),
        validators=[
            Optional(),
            max_length(MAX_EMAIL_LENGTH, _l("The email address is too long.")),
            Email(_l("Enter an email address like name@example.se."), check_deliverability=False),
        ],
        description=_l("Only if you want an answer. We use it for nothing else."),
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Send report"))
