"""Administration of indicators, their yearly values and the CSV import. Administrators only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from dialog.accounts.permissions import current_actor
from dialog.core.forms import show_rule_error, take_upload
from dialog.core.i18n import _, ngettext
from dialog.goals import services
from dialog.goals.forms import (
    ConfirmForm,
    IndicatorForm,
    MeasurementForm,
    MeasurementImportForm,
)
from dialog.goals.models import Framework, Indicator
from dialog.goals.queries import (
    indicators_of,
    measurement_in,
)
from dialog.goals.views import bp
from dialog.goals.views.helpers import (
    admin_required,
    framework_or_404,
    goal_or_404,
    indicator_or_404,
    overview,
    refuse_if_locked,
)


@bp.route("/admin/frameworks/<slug>/goals/<int:goal_id>/indicators/new", methods=["GET", "POST"])
@admin_required
def admin_new_indicator(slug: str, goal_id: int) -> str | Response:
    framework = framework_or_404(slug)
    goal = goal_or_404(framework, goal_id)
    if (refused := refuse_if_locked(framework)) is not None:
        return refused
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            indicator = services.add_indicator(goal, form.to_input(), current_actor())
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("The indicator is added."), "success")
            return redirect(
                url_for("goals.admin_indicator", slug=framework.slug, indicator_id=indicator.id)
            )
    return render_template(
        "goals/admin/indicator.html",
        form=form,
        framework=framework,
        goal=goal,
        indicator=None,
        measurement_form=None,
        confirm_form=None,
    )


def _indicator_page(
    framework: Framework,
    indicator: Indicator,
    form: IndicatorForm | None = None,
    measurement_form: MeasurementForm | None = None,
) -> str:
    if form is None:
        form = IndicatorForm(formdata=None)
        form.fill_from(indicator)
    return render_template(
        "goals/admin/indicator.html",
        form=form,
        framework=framework,
        goal=indicator.goal,
        indicator=indicator,
        measurement_form=measurement_form or MeasurementForm(formdata=None),
        confirm_form=ConfirmForm(),
    )


@bp.route("/admin/frameworks/<slug>/indicators/<int:indicator_id>", methods=["GET", "POST"])
@admin_required
def admin_indicator(slug: str, indicator_id: int) -> str | Response:
    framework = framework_or_404(slug)
    indicator = indicator_or_404(framework, indicator_id)
    if request.method == "GET":
        return _indicator_page(framework, indicator)
    if (refused := refuse_if_locked(framework)) is not None:
        return refused
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            services.update_indicator(indicator, form.to_input(), current_actor())
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("The indicator is saved."), "success")
            return redirect(request.path)
    return _indicator_page(framework, indicator, form=form)


@bp.route("/admin/frameworks/<slug>/indicators/<int:indicator_id>/delete", methods=["POST"])
@admin_required
def admin_delete_indicator(slug: str, indicator_id: int) -> Response:
    framework = framework_or_404(slug)
    indicator = indicator_or_404(framework, indicator_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.delete_indicator(indicator, current_actor())
    except services.GoalsError as error:
        flash(str(error), "error")
    else:
        flash(_("The indicator is removed."), "success")
    return overview(framework)


@bp.route("/admin/frameworks/<slug>/indicators/<int:indicator_id>/measurements", methods=["POST"])
@admin_required
def admin_record_measurement(slug: str, indicator_id: int) -> str | Response:
    framework = framework_or_404(slug)
    indicator = indicator_or_404(framework, indicator_id)
    form = MeasurementForm()
    if form.validate_on_submit():
        year, value = form.measured()
        try:
            services.record_measurement(indicator, year, value, form.source.data, current_actor())
        except services.GoalsError as error:
            show_rule_error(form, error)
        else:
            flash(_("The value for {year} is saved.").format(year=year), "success")
            return redirect(
                url_for("goals.admin_indicator", slug=framework.slug, indicator_id=indicator.id)
            )
    return _indicator_page(framework, indicator, measurement_form=form)


@bp.route("/admin/frameworks/<slug>/measurements/<int:measurement_id>/delete", methods=["POST"])
@admin_required
def admin_delete_measurement(slug: str, measurement_id: int) -> Response:
    framework = framework_or_404(slug)
    measurement = measurement_in(framework, measurement_id)
    if measurement is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    indicator_id, year = measurement.indicator_id, measurement.year
    services.delete_measurement(measurement, current_actor())
    flash(_("The value for {year} is removed.").format(year=year), "success")
    return redirect(
        url_for("goals.admin_indicator", slug=framework.slug, indicator_id=indicator_id)
    )


@bp.route("/admin/frameworks/<slug>/import", methods=["GET", "POST"])
@admin_required
def admin_import(slug: str) -> str | Response:
    framework = framework_or_404(slug)
    form = MeasurementImportForm()
    preview = None
    if form.validate_on_submit() and not take_upload(form):
        try:
            preview = services.read_measurements(framework, form.csv_text.data or "")
            if form.confirm.data:
                count = services.import_measurements(framework, preview, current_actor())
                _flash_import(count, len(preview.rejected))
                return overview(framework)
        except services.GoalsError as error:
            show_rule_error(form, error)
    return render_template(
        "goals/admin/import.html",
        form=form,
        framework=framework,
        preview=preview,
        indicators=indicators_of(framework),
    )


def _flash_import(count: int, rejected: int) -> None:
    imported = ngettext("%(num)d value imported.", "%(num)d values imported.", count)
    left_out = ngettext("%(num)d row left out.", "%(num)d rows left out.", rejected)
    flash(f"{imported} {left_out}", "success")
