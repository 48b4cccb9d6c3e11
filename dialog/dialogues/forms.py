"""Forms of the dialogue pages; every message is translated.

Times are typed in Swedish time (Europe/Stockholm) and stored in UTC. Numbers are text
fields checked here, so what was typed is shown again as typed when the form has errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Optional, ValidationError

from dialog.accounts.models import User
from dialog.contributions.models import MAX_REASON_LENGTH
from dialog.core.forms import Form, ImportForm, max_length
from dialog.core.i18n import _l, localized
from dialog.core.models import MAX_EMAIL_LENGTH
from dialog.core.slugs import MAX_SLUG_LENGTH
from dialog.core.times import to_local, to_utc
from dialog.dialogues.models import (
    FORMAT_LABELS,
    GROUP_LABELS,
    LEVEL_LABELS,
    MAX_ADDRESS_LENGTH,
    MAX_DECISIONS_LENGTH,
    MAX_DIALOGUE_TITLE_LENGTH,
    MAX_HEADCOUNT,
    MAX_PLACE_NAME_LENGTH,
    MAX_REGISTRANT_NAME_LENGTH,
    MAX_RICH_TEXT_LENGTH,
    MODERATION_LABELS,
    STATUS_LABELS,
    Dialogue,
    DialogueFormat,
    DialogueStatus,
    Group,
    Level,
    Moderation,
)
from dialog.dialogues.services import DialogueInput, ReportInput
from dialog.goals.models import Framework, Goal
from dialog.goals.queries import FrameworkSummary

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def group_choices(groups: list[str]) -> list[SelectChoice]:
    return [SelectChoice(group, str(GROUP_LABELS[Group(group)])) for group in groups]


def goal_choices(goals: list[Goal], empty_label: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice("", empty_label)] if empty_label is not None else []
    choices += [
        SelectChoice(str(goal.id), f"{goal.code} {localized(goal, 'title')}") for goal in goals
    ]
    return choices


def _time_field(label: Any, description: Any = None) -> DateTimeLocalField:
    return DateTimeLocalField(
        label,
        format=DATETIME_FORMAT,
        validators=[Optional()],
        description=description,
    )


def _text(label: Any, limit: int, required: bool = False, **kwargs: Any) -> StringField:
    validators: list[Any] = [max_length(limit)]
    validators.insert(0, InputRequired(_l("Fill this in.")) if required else Optional())
    return StringField(label, validators=validators, **kwargs)


def _area(label: Any, required: bool = False, rows: int = 5, **kwargs: Any) -> TextAreaField:
    validators: list[Any] = [max_length(MAX_RICH_TEXT_LENGTH, _l("The text is too long."))]
    validators.insert(0, InputRequired(_l("Fill this in.")) if required else Optional())
    return TextAreaField(label, validators=validators, render_kw={"rows": rows}, **kwargs)


class DialogueForm(Form):
    slug = _text(
        _l("Address"),
        MAX_SLUG_LENGTH,
        required=True,
        description=_l(
            "The last part of the dialogue's web address: lower-case letters a–z, digits and "
            "hyphens, like kolsva-2019. It cannot be changed later."
        ),
    )
    title_sv = _text(_l("Title in Swedish"), MAX_DIALOGUE_TITLE_LENGTH, required=True)
    title_en = _text(_l("Title in English (optional)"), MAX_DIALOGUE_TITLE_LENGTH)
    description_sv = _area(
        _l("Description in Swedish"),
        rows=8,
        description=_l("What the dialogue is about and who it is for. Simple HTML is allowed."),
    )
    description_en = _area(_l("Description in English (optional)"), rows=8)
    confirm_cleaning = HiddenField()
    framework = SelectField(_l("The goals it feeds"), coerce=int)
    focus_goals = SelectMultipleField(
        _l("Focus goals"),
        coerce=int,
        description=_l(
            "The goals the dialogue asks about, from the framework chosen above. Hold down "
            "Ctrl (Cmd on a Mac) to choose more than one."
        ),
        render_kw={"size": 10},
    )
    format = SelectField(
        _l("Format"),
        choices=[SelectChoice(value.value, str(FORMAT_LABELS[value])) for value in DialogueFormat],
    )
    audiences = SelectMultipleField(_l("Audiences"), render_kw={"size": 9})
    level = SelectField(
        _l("Level on the participation ladder"),
        choices=[SelectChoice(value.value, str(LEVEL_LABELS[value])) for value in Level],
        description=_l("Residents see a plain explanation of what their input can change."),
    )
    influence_sv = _area(
        _l("What input can and cannot change here, in Swedish (optional)"),
        rows=3,
        description=_l("Add to the general explanation of the level, for this dialogue."),
    )
    influence_en = _area(_l("The same in English (optional)"), rows=3)
    place_name = _text(_l("Place"), MAX_PLACE_NAME_LENGTH, description=_l("Like Kolsva bibliotek."))
    address = _text(_l("Address of the place"), MAX_ADDRESS_LENGTH)
    accessibility_sv = _area(
        _l("Accessibility of the venue, in Swedish (optional)"),
        rows=3,
        description=_l("Step-free entrance, hearing loop, toilets, parking, interpretation …"),
    )
    accessibility_en = _area(_l("Accessibility of the venue, in English (optional)"), rows=3)
    starts_at = _time_field(_l("Starts"), _l("Swedish time. Leave empty for online only."))
    ends_at = _time_field(_l("Ends"))
    opens_at = _time_field(_l("Online input opens"), _l("Leave empty to open with the status."))
    closes_at = _time_field(_l("Online input closes"))
    moderation = SelectField(
        _l("Moderation of residents' input"),
        choices=[SelectChoice(value.value, str(MODERATION_LABELS[value])) for value in Moderation],
    )
    registration_enabled = BooleanField(_l("Registration: people sign up to come"))
    capacity = _text(
        _l("Number of places"),
        7,
        description=_l("Leave empty for no limit. When it is full, people join a waiting list."),
        render_kw={"inputmode": "numeric"},
    )
    facilitators = SelectMultipleField(
        _l("Responsible facilitators"),
        coerce=int,
        description=_l("They run the dialogue, capture the notes and write the feedback."),
        render_kw={"size": 6},
    )
    submit = SubmitField(_l("Save"))

    def setup(
        self,
        frameworks: list[tuple[Framework, list[Goal]]],
        facilitators: list[User],
        groups: list[str],
    ) -> DialogueForm:
        """Fill in the choices, which depend on the data and the configured groups.

        frameworks pairs each framework with its goals in reading order.
        """
        self.framework.choices = [
            SelectChoice(framework.id, localized(framework, "title")) for framework, _ in frameworks
        ]
        self.focus_goals.choices = [
            SelectChoice(
                goal.id,
                f"{goal.code} {localized(goal, 'title')}",
                optgroup=localized(framework, "title"),
            )
            for framework, goals in frameworks
            for goal in goals
        ]
        self.audiences.choices = group_choices(groups)
        self.facilitators.choices = [
            SelectChoice(user.id, f"{user.display_name} ({user.email})") for user in facilitators
        ]
        return self

    def validate_capacity(self, field: StringField) -> None:
        text = (field.data or "").strip()
        if text and not (text.isdigit() and 1 <= int(text) <= MAX_HEADCOUNT):
            raise ValidationError(_l("Give a whole number of places, at least 1."))

    def fill_from(self, dialogue: Dialogue) -> None:
        """Show a saved dialogue in the form (times in Swedish time)."""
        self.process(obj=dialogue)
        self.framework.data = dialogue.framework_id
        self.focus_goals.data = [link.goal_id for link in dialogue.focus_links]
        self.audiences.data = dialogue.audiences
        self.facilitators.data = sorted(dialogue.facilitator_ids)
        self.description_sv.data = dialogue.description_html_sv
        self.description_en.data = dialogue.description_html_en
        self.capacity.data = str(dialogue.capacity) if dialogue.capacity else ""
        for name in ("starts_at", "ends_at", "opens_at", "closes_at"):
            getattr(self, name).data = to_local(getattr(dialogue, name))

    def to_input(self, framework: Framework) -> DialogueInput:
        capacity = (self.capacity.data or "").strip()
        return DialogueInput(
            framework=framework,
            title_sv=self.title_sv.data or "",
            title_en=self.title_en.data,
            description_sv=self.description_sv.data or "",
            description_en=self.description_en.data,
            focus_goal_ids=list(self.focus_goals.data or []),
            format=self.format.data,
            audiences=list(self.audiences.data or []),
            level=self.level.data,
            influence_sv=self.influence_sv.data,
            influence_en=self.influence_en.data,
            place_name=self.place_name.data,
            address=self.address.data,
            accessibility_sv=self.accessibility_sv.data,
            accessibility_en=self.accessibility_en.data,
            starts_at=to_utc(self.starts_at.data),
            ends_at=to_utc(self.ends_at.data),
            opens_at=to_utc(self.opens_at.data),
            closes_at=to_utc(self.closes_at.data),
            moderation=self.moderation.data,
            registration_enabled=bool(self.registration_enabled.data),
            capacity=int(capacity) if capacity else None,
            facilitator_ids=list(self.facilitators.data or []),
            confirm_cleaning=self.confirm_cleaning.data or None,
        )


class StatusForm(Form):
    status = SelectField(_l("New status"))
    submit = SubmitField(_l("Change status"))

    def setup(self, statuses: list[DialogueStatus]) -> StatusForm:
        self.status.choices = [SelectChoice(s.value, str(STATUS_LABELS[s])) for s in statuses]
        return self


class FilterForm(Form):
    """The public list's filters, sent with GET so a filtered list has its own address."""

    class Meta:
        csrf = False

    when = SelectField(
        _l("When"),
        choices=[
            SelectChoice("", _l("Any time")),
            SelectChoice("open", _l("Open for input now")),
            SelectChoice("upcoming", _l("Upcoming")),
            SelectChoice("past", _l("Past")),
        ],
        validators=[Optional()],
    )
    framework = SelectField(_l("Goals"), validators=[Optional()])
    format = SelectField(
        _l("Format"),
        validators=[Optional()],
    )
    audience = SelectField(_l("Audience"), validators=[Optional()])

    def setup(self, frameworks: Iterable[FrameworkSummary], groups: list[str]) -> FilterForm:
        self.framework.choices = [SelectChoice("", _l("All goals"))] + [
            SelectChoice(framework.slug, localized(framework, "title")) for framework in frameworks
        ]
        self.audience.choices = [SelectChoice("", _l("Everyone"))] + group_choices(groups)
        self.format.choices = [SelectChoice("", _l("Any format"))] + [
            SelectChoice(value.value, str(FORMAT_LABELS[value])) for value in DialogueFormat
        ]
        return self

    def clean(self, name: str) -> str | None:
        """The filter's value when it is one of the choices, else None."""
        field = getattr(self, name)
        value = field.data or ""
        return value if value and any(c.value == value for c in field.iter_choices()) else None


class RegistrationForm(Form):
    name = _text(
        _l("Name"), MAX_REGISTRANT_NAME_LENGTH, required=True, render_kw={"autocomplete": "name"}
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            InputRequired(_l("Enter your email address.")),
            max_length(MAX_EMAIL_LENGTH, _l("The email address is too long.")),
            Email(_l("Enter an email address like name@example.se."), check_deliverability=False),
        ],
        description=_l("We send the confirmation here, with a link to cancel."),
        render_kw={"autocomplete": "email"},
    )
    needs = _area(
        _l("Needs (optional)"),
        rows=3,
        description=_l(
            "For example interpretation, sign language, hearing loop, wheelchair access or food."
        ),
    )
    accept = BooleanField(
        _l("I have read how my personal data is handled"),
        validators=[InputRequired(_l("You need to accept how your personal data is handled."))],
    )
    submit = SubmitField(_l("Sign up"))


class CancelForm(Form):
    submit = SubmitField(_l("Cancel my registration"))


class CaptureForm(Form):
    lines = TextAreaField(
        _l("Notes, one per line"),
        validators=[InputRequired(_l("Write at least one note, one per line."))],
        description=_l("Each line becomes one note. Empty lines are skipped."),
        render_kw={"rows": 12},
    )
    group = SelectField(_l("Participant group"))
    goal = SelectField(_l("Goal (optional)"))
    submit = SubmitField(_l("Save the notes"))

    def setup(self, groups: list[str], goals: list[Goal]) -> CaptureForm:
        self.group.choices = group_choices(groups)
        self.goal.choices = goal_choices(goals, str(_l("No particular goal")))
        return self


class NoteImportForm(ImportForm):
    file_help = _l("Columns text, group and optionally goal (its code, like 1.2).")
    paste_help = _l(
        "The first row names the columns, like: text;group;goal. Comma, semicolon or tab "
        "between the columns."
    )


class NoteForm(Form):
    text = _area(_l("Note"), required=True, rows=4)
    group = SelectField(_l("Participant group"))
    goal = SelectField(_l("Goal (optional)"))
    submit = SubmitField(_l("Save the correction"))

    def setup(self, groups: list[str], goals: list[Goal]) -> NoteForm:
        self.group.choices = group_choices(groups)
        self.goal.choices = goal_choices(goals, str(_l("No particular goal")))
        return self


class HideForm(Form):
    reason = _text(
        _l("Reason for hiding"),
        MAX_REASON_LENGTH,
        required=True,
        description=_l("Kept in the log with your name. The note is hidden, never deleted."),
    )
    hide = SubmitField(_l("Hide the note"))


class RestoreForm(Form):
    restore = SubmitField(_l("Show the note again"))


class ReportForm(Form):
    heard_sv = _area(_l("What we heard, in Swedish"), rows=8)
    heard_en = _area(_l("What we heard, in English (optional)"), rows=6)
    next_steps_sv = _area(_l("What happens next, in Swedish"), rows=6)
    next_steps_en = _area(_l("What happens next, in English (optional)"), rows=4)
    decisions_expected_sv = _text(
        _l("When decisions are expected, in Swedish"),
        MAX_DECISIONS_LENGTH,
        description=_l("Like: Kommunfullmäktige beslutar om målen i december 2019."),
    )
    decisions_expected_en = _text(
        _l("When decisions are expected, in English (optional)"), MAX_DECISIONS_LENGTH
    )
    confirm_cleaning = HiddenField()
    save = SubmitField(_l("Save draft"))
    publish = SubmitField(_l("Publish and tell the participants"))

    def fill_from(self, dialogue: Dialogue) -> None:
        report = dialogue.report
        if report is None:
            return
        self.heard_sv.data = report.heard_html_sv
        self.heard_en.data = report.heard_html_en
        self.next_steps_sv.data = report.next_steps_html_sv
        self.next_steps_en.data = report.next_steps_html_en
        self.decisions_expected_sv.data = report.decisions_expected_sv
        self.decisions_expected_en.data = report.decisions_expected_en

    def to_input(self) -> ReportInput:
        return ReportInput(
            heard_sv=self.heard_sv.data or "",
            heard_en=self.heard_en.data,
            next_steps_sv=self.next_steps_sv.data or "",
            next_steps_en=self.next_steps_en.data,
            decisions_expected_sv=self.decisions_expected_sv.data or "",
            decisions_expected_en=self.decisions_expected_en.data,
            confirm_cleaning=self.confirm_cleaning.data or None,
        )


def headcount_form(groups: list[str], counts: dict[str, int], formdata: Any = None) -> Form:
    """A form with one number field per participant group."""

    class HeadcountForm(Form):
        submit = SubmitField(_l("Save the headcount"))

    for group in groups:
        setattr(
            HeadcountForm,
            f"count_{group}",
            StringField(
                GROUP_LABELS[Group(group)],
                validators=[Optional(), _whole_number],
                render_kw={"inputmode": "numeric", "size": 6},
            ),
        )
    form = HeadcountForm(formdata=formdata) if formdata is not None else HeadcountForm()
    if formdata is None:
        for group in groups:
            getattr(form, f"count_{group}").data = str(counts[group]) if group in counts else ""
    return form


def _whole_number(form: Form, field: Field) -> None:
    text = (field.data or "").strip()
    if text and not (text.isdigit() and int(text) <= MAX_HEADCOUNT):
        raise ValidationError(_l("Give a whole number, 0 or more."))


def headcounts_from(form: Form, groups: list[str]) -> dict[str, int | None]:
    counts: dict[str, int | None] = {}
    for group in groups:
        text = (getattr(form, f"count_{group}").data or "").strip()
        counts[group] = int(text) if text else None
    return counts
