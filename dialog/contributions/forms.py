"""Forms of the proposal and comment pages; every message is translated.

The proposal and comment forms keep everything typed whatever goes wrong: they check their
own CSRF token (the views are exempt from the global check), so an expired session re-shows
the text with a fresh token instead of an error page.
"""

from __future__ import annotations

from flask_babel.speaklater import LazyString
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Optional

from dialog.contributions.models import MAX_AUTHOR_NAME_LENGTH, MAX_TITLE_LENGTH
from dialog.contributions.queries import ProposalSort, PublicStatus
from dialog.contributions.services import (
    MAX_BODY_LENGTH,
    MAX_COMMENT_LENGTH,
    CommentInput,
    ProposalInput,
)
from dialog.core.forms import Form
from dialog.core.i18n import _l, localized
from dialog.core.models import MAX_EMAIL_LENGTH
from dialog.core.routing import MAX_ID
from dialog.goals.models import Goal

_RICH_TEXT_HELP = _l(
    "You can use paragraphs, bold, italic, lists and links (HTML tags such as "
    "<strong> or <a href>). Anything else is shown to you before it is left out."
)


def _goal_choices(goals: list[Goal], empty_label: str) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [
        SelectChoice(str(goal.id), f"{goal.code} {localized(goal, 'title')}") for goal in goals
    ]


def _author_name(description: LazyString) -> StringField:
    return StringField(
        _l("Your name (optional)"),
        validators=[Optional(), Length(max=MAX_AUTHOR_NAME_LENGTH)],
        description=description,
        render_kw={"autocomplete": "name"},
    )


def _contact_email(description: LazyString) -> EmailField:
    return EmailField(
        _l("Your email (optional)"),
        validators=[
            Optional(),
            Email(message=_l("Check the email address.")),
            Length(max=MAX_EMAIL_LENGTH),
        ],
        description=description,
        render_kw={"autocomplete": "email"},
    )


def _spam_trap() -> StringField:
    """Hidden from people, filled in by programs that fill in every field."""
    return StringField(
        _l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"}
    )


def _send_anyway() -> SubmitField:
    """The second button, shown once personal data was found in the text."""
    return SubmitField(_l("Send anyway"))


class ProposalForm(Form):
    title = StringField(
        _l("Title"),
        validators=[Length(max=MAX_TITLE_LENGTH)],
        description=_l("A short line that says what you propose."),
        render_kw={"maxlength": MAX_TITLE_LENGTH, "autocomplete": "off"},
    )
    body = TextAreaField(
        _l("Your proposal"),
        validators=[Length(max=MAX_BODY_LENGTH)],
        description=_RICH_TEXT_HELP,
        render_kw={"rows": 12, "data-count-max": MAX_BODY_LENGTH},
    )
    goal = SelectField(_l("The goal it is about (optional)"), validate_choice=False)
    name = _author_name(_l("Shown with the proposal. Leave it empty to send it without a name."))
    email = _contact_email(
        _l("For the receipt with the link to follow your proposal. Never shown on the website.")
    )
    website = _spam_trap()
    submission = HiddenField()
    confirm_cleaning = HiddenField()
    submit = SubmitField(_l("Send the proposal"))
    send_anyway = _send_anyway()

    def setup(self, goals: list[Goal]) -> ProposalForm:
        self.goal.choices = _goal_choices(goals, str(_l("No particular goal")))
        return self

    def goal_id(self) -> int | None:
        value = self.goal.data or ""
        return int(value) if value.isascii() and value.isdigit() else None

    def to_input(self) -> ProposalInput:
        return ProposalInput(
            title=self.title.data or "",
            body=self.body.data or "",
            submission_token=self.submission.data or "",
            goal_id=self.goal_id(),
            name=self.name.data,
            email=self.email.data,
            honeypot=self.website.data,
            confirm_cleaning=self.confirm_cleaning.data or None,
            send_anyway=bool(self.send_anyway.data),
        )


def _id(value: str | None) -> int | None:
    """The id given: None when empty, 0 (which no row has) when it cannot be an id.

    0 rather than None, so that a broken reply link is refused instead of becoming a
    top-level comment.
    """
    value = (value or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ID)):
        return 0
    number = int(value)
    return number if number <= MAX_ID else 0


class CommentForm(Form):
    body = TextAreaField(
        _l("Your comment"),
        validators=[Length(max=MAX_COMMENT_LENGTH)],
        description=_RICH_TEXT_HELP,
        render_kw={"rows": 8, "data-count-max": MAX_COMMENT_LENGTH},
    )
    name = _author_name(_l("Shown with the comment. Leave it empty to send it without a name."))
    email = _contact_email(
        _l("For the receipt with the link to follow your comment. Never shown on the website.")
    )
    website = _spam_trap()
    # The comment answered: from the reply link's query string, then carried by the form.
    reply_to = HiddenField()
    submission = HiddenField()
    confirm_cleaning = HiddenField()
    submit = SubmitField(_l("Send the comment"))
    send_anyway = _send_anyway()

    def reply_to_id(self) -> int | None:
        return _id(self.reply_to.data)

    def to_input(self) -> CommentInput:
        return CommentInput(
            body=self.body.data or "",
            submission_token=self.submission.data or "",
            reply_to_id=self.reply_to_id(),
            name=self.name.data,
            email=self.email.data,
            honeypot=self.website.data,
            confirm_cleaning=self.confirm_cleaning.data or None,
            send_anyway=bool(self.send_anyway.data),
        )


class ProposalFilterForm(Form):
    """The list's sort and filters: a GET form, no CSRF token (the page is cached)."""

    class Meta:
        csrf = False

    sort = SelectField(
        _l("Sort by"),
        choices=[
            SelectChoice(ProposalSort.NEWEST.value, _l("Newest first")),
            SelectChoice(ProposalSort.SUPPORTED.value, _l("Most supported")),
            SelectChoice(ProposalSort.COMMENTED.value, _l("Most commented")),
        ],
        default=ProposalSort.NEWEST.value,
    )
    goal = SelectField(_l("Goal"), validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("Published and withdrawn")),
            SelectChoice(PublicStatus.PUBLISHED.value, _l("Published")),
            SelectChoice(PublicStatus.WITHDRAWN.value, _l("Withdrawn")),
        ],
        validate_choice=False,
    )
    submit = SubmitField(_l("Show"))

    def setup(self, goals: list[Goal]) -> ProposalFilterForm:
        self.goal.choices = _goal_choices(goals, str(_l("All goals")))
        return self

    def chosen_sort(self) -> str:
        value = self.sort.data
        return value if value in set(ProposalSort) else ProposalSort.NEWEST.value

    def chosen_goal(self, goals: list[Goal]) -> int | None:
        value = self.goal.data or ""
        ids = {goal.id for goal in goals}
        return int(value) if value.isascii() and value.isdigit() and int(value) in ids else None

    def chosen_status(self) -> str | None:
        value = self.status.data
        return value if value in set(PublicStatus) else None


class ActionForm(Form):
    """A button that only posts (support, withdraw): the CSRF token is all it carries."""
