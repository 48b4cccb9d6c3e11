"""Forms of the site's own pages."""

from __future__ import annotations

from wtforms import (
    EmailField,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Email, InputRequired, Optional

from dialog.core.forms import Form, max_length
from dialog.core.i18n import _l
from dialog.core.models import MAX_EMAIL_LENGTH
from dialog.pages.models import MAX_SLUG_LENGTH, MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH, Page
from dialog.pages.services import PageInput
from dialog.pages.services.comments import MAX_ANSWER_LENGTH, MAX_COMMENT_LENGTH

# What the form takes: the page a report is about, and the report itself.
MAX_PAGE_LENGTH = 300
MAX_REPORT_LENGTH = 5_000


def answer_email_field() -> EmailField:
    """The optional address a reader leaves for an answer, used for nothing else."""
    return EmailField(
        _l("Your email address (optional)"),
        validators=[
            Optional(),
            max_length(MAX_EMAIL_LENGTH, _l("The email address is too long.")),
            Email(_l("Enter an email address like name@example.se."), check_deliverability=False),
        ],
        description=_l("Only if you want an answer. We use it for nothing else."),
        render_kw={"autocomplete": "email"},
    )


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
    email = answer_email_field()
    submit = SubmitField(_l("Send report"))


class PageForm(Form):
    """A content page as the editors write it."""

    title = StringField(
        _l("Title"),
        validators=[
            InputRequired(_l("Give the page a title.")),
            max_length(MAX_TITLE_LENGTH),
        ],
    )
    slug = StringField(
        _l("Address"),
        validators=[
            InputRequired(_l("Give the page an address.")),
            max_length(MAX_SLUG_LENGTH),
        ],
        description=_l(
            "The last part of the page's web address, /pages/…: lower-case letters a–z, "
            "digits and hyphens, like var-vision."
        ),
    )
    summary = TextAreaField(
        _l("Summary (optional)"),
        validators=[
            Optional(),
            max_length(MAX_SUMMARY_LENGTH),
        ],
        description=_l("One or two sentences shown under the title and in the list of pages."),
        render_kw={"rows": 3},
    )
    body = TextAreaField(
        _l("Text"),
        validators=[InputRequired(_l("Write the text of the page."))],
        description=_l(
            "Simple HTML is allowed: paragraphs, bold, italic, lists, headings and links."
        ),
        render_kw={"rows": 16},
    )
    goals = SelectMultipleField(
        _l("Goals the page is about (optional)"),
        coerce=int,
        description=_l("Hold down Ctrl (Cmd on a Mac) to choose more than one."),
        render_kw={"size": 8},
    )
    dialogues = SelectMultipleField(
        _l("Dialogues the page is about (optional)"),
        coerce=int,
        description=_l("Hold down Ctrl (Cmd on a Mac) to choose more than one."),
        render_kw={"size": 6},
    )
    # The confirmation of a body whose cleaning was shown (see core.sanitize.TextLossError).
    confirm_cleaning = HiddenField()
    submit = SubmitField(_l("Save"))

    def setup(
        self, frameworks: list[tuple[str, list[tuple[int, str]]]], dialogues: list[tuple[int, str]]
    ) -> PageForm:
        """Fill in the choices: each framework's title with its goals, and the dialogues."""
        self.goals.choices = [
            SelectChoice(goal_id, label, optgroup=framework)
            for framework, goals in frameworks
            for goal_id, label in goals
        ]
        self.dialogues.choices = [SelectChoice(value, label) for value, label in dialogues]
        return self

    def fill(self, page: Page) -> None:
        """Show the page as it is now."""
        self.title.data, self.slug.data, self.summary.data = page.title, page.slug, page.summary
        self.body.data = page.body_html
        self.goals.data = [goal.id for goal in page.goals]
        self.dialogues.data = [dialogue.id for dialogue in page.dialogues]

    def to_input(self) -> PageInput:
        return PageInput(
            title=self.title.data or "",
            slug=self.slug.data or "",
            body=self.body.data or "",
            summary=self.summary.data,
            goal_ids=list(self.goals.data or []),
            dialogue_ids=list(self.dialogues.data or []),
            confirm_cleaning=self.confirm_cleaning.data or None,
        )


class PublishForm(Form):
    """Publish a page, or take it back to a draft (published = "1" or "0")."""

    published = HiddenField(validators=[AnyOf(["0", "1"])])
    submit = SubmitField(_l("Publish"))


class PageCommentForm(Form):
    """A comment on a page for the web editors; "website" is a trap for robots."""

    page = HiddenField()
    title = HiddenField()
    comment = TextAreaField(
        _l("Your comment on the page"),
        validators=[
            InputRequired(_l("Write your comment.")),
            max_length(MAX_COMMENT_LENGTH),
        ],
        description=_l(
            "For example something that is wrong, missing or hard to understand on the page."
        ),
        render_kw={"rows": 6},
    )
    email = answer_email_field()
    # Hidden from people (and screen readers); robots fill in every field they find.
    website = StringField(_l("Leave this field empty"))
    submit = SubmitField(_l("Send to the web editors"))


class AnswerForm(Form):
    """The editors' answer to a page comment, sent by email."""

    answer = TextAreaField(
        _l("Answer"),
        validators=[
            InputRequired(_l("Write the answer.")),
            max_length(MAX_ANSWER_LENGTH),
        ],
        render_kw={"rows": 8},
    )
    submit = SubmitField(_l("Send the answer"))


class HandledForm(Form):
    """Mark a page comment handled."""

    submit = SubmitField(_l("Mark as handled"))
