"""Forms of the goal administration; every message is translated.

Years and numbers are text fields checked here, so what was typed is shown again as typed
when the form has errors (and "12,5" is as good as "12.5").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import (
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from dialog.core.forms import Form, ImportForm, max_length
from dialog.core.i18n import _l, localized
from dialog.core.slugs import MAX_SLUG_LENGTH
from dialog.goals.models import (
    DIRECTION_LABELS,
    FRAMEWORK_KIND_LABELS,
    GOAL_KIND_LABELS,
    KOLADA_KPI_LENGTH,
    MAX_ADOPTED_BY_LENGTH,
    MAX_FRAMEWORK_TITLE_LENGTH,
    MAX_GOAL_CODE_LENGTH,
    MAX_GOAL_TITLE_LENGTH,
    MAX_INDICATOR_NAME_LENGTH,
    MAX_STATEMENT_LENGTH,
    MAX_SUMMARY_LENGTH,
    MAX_UNIT_LENGTH,
    MAX_VISION_LENGTH,
    MUNICIPALITY_CODE_LENGTH,
    PRECISION_LABELS,
    SOURCE_LABELS,
    DatePrecision,
    Framework,
    FrameworkStatus,
    Goal,
    Sdg,
)
from dialog.goals.services import (
    YEAR_MAX,
    YEAR_MIN,
    FrameworkInput,
    GoalInput,
    IndicatorInput,
    parse_number,
)


class Year:
    """Check that a text field holds a year."""

    def __call__(self, form: Form, field: Field) -> None:
        text = (field.data or "").strip()
        if text and not (text.isdigit() and YEAR_MIN <= int(text) <= YEAR_MAX):
            raise ValidationError(
                _l("Give a year between %(first)d and %(last)d.", first=YEAR_MIN, last=YEAR_MAX)
            )


class Number:
    """Check that a text field holds a number (decimal comma or point)."""

    def __call__(self, form: Form, field: Field) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        try:
            parse_number(text)
        except ValueError:
            raise ValidationError(_l("Give a number, like 12.5.")) from None


def _year(field: Field) -> int | None:
    text = (field.data or "").strip()
    return int(text) if text else None


def _number(field: Field) -> float | None:
    text = (field.data or "").strip()
    return parse_number(text) if text else None


def _labelled(labels: dict[Any, Any]) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _title_sv() -> StringField:
    return StringField(
        _l("Title in Swedish"),
        validators=[
            InputRequired(_l("Give the title in Swedish.")),
            max_length(MAX_FRAMEWORK_TITLE_LENGTH),
        ],
    )


def _title_en() -> StringField:
    return StringField(
        _l("Title in English (optional)"),
        validators=[Optional(), max_length(MAX_FRAMEWORK_TITLE_LENGTH)],
        render_kw={"lang": "en"},
    )


def _slug() -> StringField:
    return StringField(
        _l("Address"),
        validators=[
            InputRequired(_l("Give the address.")),
            max_length(MAX_SLUG_LENGTH),
        ],
        description=_l("Part of the page's web address, like koping-2020-2027. It cannot change."),
    )


def _period_start() -> StringField:
    return StringField(
        _l("First year"),
        validators=[InputRequired(_l("Give the first year of the period.")), Year()],
        render_kw={"inputmode": "numeric"},
    )


def _period_end() -> StringField:
    return StringField(
        _l("Last year (optional)"),
        validators=[Optional(), Year()],
        render_kw={"inputmode": "numeric"},
    )


class FrameworkForm(Form):
    title_sv = _title_sv()
    title_en = _title_en()
    kind = RadioField(_l("Kind"), choices=_labelled(FRAMEWORK_KIND_LABELS), default="programme")
    period_start = _period_start()
    period_end = _period_end()
    vision_sv = TextAreaField(
        _l("Vision in Swedish (optional)"),
        validators=[Optional(), max_length(MAX_VISION_LENGTH)],
    )
    vision_en = TextAreaField(
        _l("Vision in English (optional)"),
        validators=[Optional(), max_length(MAX_VISION_LENGTH)],
        render_kw={"lang": "en"},
    )
    summary_sv = TextAreaField(
        _l("Summary in Swedish (optional)"),
        validators=[Optional(), max_length(MAX_SUMMARY_LENGTH)],
    )
    summary_en = TextAreaField(
        _l("Summary in English (optional)"),
        validators=[Optional(), max_length(MAX_SUMMARY_LENGTH)],
        render_kw={"lang": "en"},
    )
    submit = SubmitField(_l("Save"))

    def fill_from(self, framework: Framework) -> None:
        for name in ("title_sv", "title_en", "kind", "vision_sv", "vision_en"):
            getattr(self, name).data = getattr(framework, name) or ""
        self.summary_sv.data = framework.summary_sv or ""
        self.summary_en.data = framework.summary_en or ""
        self.period_start.data = str(framework.period_start)
        self.period_end.data = str(framework.period_end or "")

    def to_input(self) -> FrameworkInput:
        return FrameworkInput(
            title_sv=self.title_sv.data,
            title_en=self.title_en.data,
            kind=self.kind.data,
            period_start=_year(self.period_start) or YEAR_MIN,
            period_end=_year(self.period_end),
            vision_sv=self.vision_sv.data,
            vision_en=self.vision_en.data,
            summary_sv=self.summary_sv.data,
            summary_en=self.summary_en.data,
        )


class NewFrameworkForm(FrameworkForm):
    slug = _slug()
    supersedes = SelectField(_l("Replaces (optional)"))
    submit = SubmitField(_l("Create draft"))

    def set_replaceable(self, frameworks: list[Framework]) -> None:
        self.supersedes.choices = [SelectChoice("", _l("Nothing – a first version"))] + [
            SelectChoice(str(framework.id), localized(framework, "title") or "")
            for framework in frameworks
        ]


class StatusForm(Form):
    status = SelectField(
        choices=[
            SelectChoice(FrameworkStatus.DRAFT.value),
            SelectChoice(FrameworkStatus.CONSULTATION.value),
        ]
    )


class AdoptForm(Form):
    adopted_on = StringField(
        _l("Adopted on"),
        validators=[InputRequired(_l("Give the date of the decision."))],
        description=_l("As year-month-day, like 2019-12-16."),
        render_kw={"type": "date"},
    )
    precision = RadioField(
        _l("How much of the date is known?"),
        choices=_labelled(PRECISION_LABELS),
        default=DatePrecision.DAY.value,
    )
    adopted_by_sv = StringField(
        _l("Adopted by, in Swedish"),
        validators=[
            InputRequired(_l("Say who adopted it, for example Kommunfullmäktige.")),
            max_length(MAX_ADOPTED_BY_LENGTH),
        ],
        default="Kommunfullmäktige",
    )
    adopted_by_en = StringField(
        _l("Adopted by, in English (optional)"),
        validators=[Optional(), max_length(MAX_ADOPTED_BY_LENGTH)],
        default="Municipal Council",
        render_kw={"lang": "en"},
    )
    submit = SubmitField(_l("Adopt"))

    def validate_adopted_on(self, field: Field) -> None:
        try:
            date.fromisoformat((field.data or "").strip())
        except ValueError:
            raise ValidationError(_l("Give the date as year-month-day, like 2019-12-16.")) from None

    def decision_date(self) -> date:
        return date.fromisoformat(self.adopted_on.data.strip())


class NewVersionForm(Form):
    slug = _slug()
    title_sv = _title_sv()
    title_en = _title_en()
    period_start = _period_start()
    period_end = _period_end()
    submit = SubmitField(_l("Start the new version"))


class GoalForm(Form):
    kind = RadioField(_l("Kind"), choices=_labelled(GOAL_KIND_LABELS))
    parent_id = SelectField(_l("Placed under"))
    code = StringField(
        _l("Code"),
        validators=[
            InputRequired(_l("Give the goal a code, like 2 or 2.1.")),
            max_length(MAX_GOAL_CODE_LENGTH),
        ],
        description=_l("Like 2 for a goal area and 2.1 for its first sub-goal."),
    )
    title_sv = StringField(
        _l("Title in Swedish"),
        validators=[
            InputRequired(_l("Give the title in Swedish.")),
            max_length(MAX_GOAL_TITLE_LENGTH),
        ],
    )
    title_en = StringField(
        _l("Title in English (optional)"),
        validators=[Optional(), max_length(MAX_GOAL_TITLE_LENGTH)],
        render_kw={"lang": "en"},
    )
    statement_sv = TextAreaField(
        _l("Statement in Swedish (optional)"),
        validators=[Optional(), max_length(MAX_STATEMENT_LENGTH)],
    )
    statement_en = TextAreaField(
        _l("Statement in English (optional)"),
        validators=[Optional(), max_length(MAX_STATEMENT_LENGTH)],
        render_kw={"lang": "en"},
    )
    submit = SubmitField(_l("Save"))

    def set_parents(self, goals: list[Goal], exclude: set[int]) -> None:
        self.parent_id.choices = [SelectChoice("", _l("Top of the tree"))] + [
            SelectChoice(str(goal.id), f"{goal.code} {localized(goal, 'title')}")
            for goal in goals
            if goal.id not in exclude
        ]

    def fill_from(self, goal: Goal) -> None:
        for name in ("kind", "code", "title_sv", "title_en", "statement_sv", "statement_en"):
            getattr(self, name).data = getattr(goal, name) or ""
        self.parent_id.data = str(goal.parent_id or "")

    def to_input(self) -> GoalInput:
        return GoalInput(
            kind=self.kind.data,
            code=self.code.data,
            title_sv=self.title_sv.data,
            title_en=self.title_en.data,
            statement_sv=self.statement_sv.data,
            statement_en=self.statement_en.data,
            parent_id=int(self.parent_id.data) if self.parent_id.data else None,
        )


class MoveForm(Form):
    direction = SelectField(choices=[SelectChoice("up"), SelectChoice("down")])


class ConfirmForm(Form):
    """A button that only carries the CSRF token (delete, and the like)."""


class SdgForm(Form):
    sdgs = SelectMultipleField(
        _l("Agenda 2030 goals"),
        coerce=int,
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validate_choice=True,
    )
    submit = SubmitField(_l("Save"))

    def set_sdgs(self, sdgs: list[Sdg]) -> None:
        self.sdgs.choices = [
            SelectChoice(sdg.number, f"{sdg.number}. {localized(sdg, 'name')}") for sdg in sdgs
        ]


class IndicatorForm(Form):
    name_sv = StringField(
        _l("Name in Swedish"),
        validators=[
            InputRequired(_l("Give the name in Swedish.")),
            max_length(MAX_INDICATOR_NAME_LENGTH),
        ],
    )
    name_en = StringField(
        _l("Name in English (optional)"),
        validators=[Optional(), max_length(MAX_INDICATOR_NAME_LENGTH)],
        render_kw={"lang": "en"},
    )
    unit_sv = StringField(
        _l("Unit in Swedish"),
        validators=[
            InputRequired(_l("Give the unit, like procent or antal.")),
            max_length(MAX_UNIT_LENGTH),
        ],
    )
    unit_en = StringField(
        _l("Unit in English (optional)"),
        validators=[Optional(), max_length(MAX_UNIT_LENGTH)],
        render_kw={"lang": "en"},
    )
    direction = RadioField(
        _l("Which way is better?"), choices=_labelled(DIRECTION_LABELS), default="higher"
    )
    baseline_year = StringField(
        _l("Baseline year (optional)"),
        validators=[Optional(), Year()],
        render_kw={"inputmode": "numeric"},
    )
    baseline_value = StringField(
        _l("Baseline value (optional)"),
        validators=[Optional(), Number()],
        render_kw={"inputmode": "decimal"},
    )
    target_year = StringField(
        _l("Target year (optional)"),
        validators=[Optional(), Year()],
        render_kw={"inputmode": "numeric"},
    )
    target_value = StringField(
        _l("Target value (optional)"),
        validators=[Optional(), Number()],
        render_kw={"inputmode": "decimal"},
    )
    kolada_kpi = StringField(
        _l("Kolada KPI id (optional)"),
        validators=[Optional(), max_length(KOLADA_KPI_LENGTH)],
        description=_l("N or U and five digits, like N00945."),
    )
    municipality_code = StringField(
        _l("Municipality code (with a Kolada KPI)"),
        validators=[Optional(), max_length(MUNICIPALITY_CODE_LENGTH)],
        description=_l("Four digits, like 1983 for Köping or 1282 for Landskrona."),
        render_kw={"inputmode": "numeric"},
    )
    submit = SubmitField(_l("Save"))

    def fill_from(self, indicator: Any) -> None:
        for name in ("name_sv", "name_en", "unit_sv", "unit_en", "direction"):
            getattr(self, name).data = getattr(indicator, name) or ""
        self.kolada_kpi.data = indicator.kolada_kpi or ""
        self.municipality_code.data = indicator.municipality_code or ""
        for name in ("baseline_year", "target_year"):
            value = getattr(indicator, name)
            getattr(self, name).data = "" if value is None else str(value)
        for name in ("baseline_value", "target_value"):
            value = getattr(indicator, name)
            getattr(self, name).data = "" if value is None else f"{value:g}"

    def to_input(self) -> IndicatorInput:
        return IndicatorInput(
            name_sv=self.name_sv.data,
            name_en=self.name_en.data,
            unit_sv=self.unit_sv.data,
            unit_en=self.unit_en.data,
            direction=self.direction.data,
            baseline_year=_year(self.baseline_year),
            baseline_value=_number(self.baseline_value),
            target_year=_year(self.target_year),
            target_value=_number(self.target_value),
            kolada_kpi=self.kolada_kpi.data,
            municipality_code=self.municipality_code.data,
        )


class MeasurementForm(Form):
    year = StringField(
        _l("Year"),
        validators=[InputRequired(_l("Give the year.")), Year()],
        render_kw={"inputmode": "numeric"},
    )
    value = StringField(
        _l("Value"),
        validators=[InputRequired(_l("Give the value.")), Number()],
        render_kw={"inputmode": "decimal"},
    )
    source = RadioField(_l("Source"), choices=_labelled(SOURCE_LABELS), default="manual")
    submit = SubmitField(_l("Save the value"))

    def measured(self) -> tuple[int, float]:
        return int(self.year.data.strip()), parse_number(self.value.data)


class MeasurementImportForm(ImportForm):
    file_help = _l("Columns indicator, year, value and optionally source (kolada or manual).")
    paste_label = _l("Or paste the values")
    paste_help = _l(
        "The first row names the columns. The indicator is its number (shown in the "
        "list below) or its Kolada KPI id."
    )
