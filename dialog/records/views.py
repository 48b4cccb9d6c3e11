"""Records' pages: a resident's data download and account closing; the registry's and the
audit trail's exports (streamed CSV)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask_babel import format_datetime
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

from dialog.accounts.models import Role
from dialog.accounts.permissions import current_actor, login_required, roles_required
from dialog.contributions.models import (
    CONTRIBUTION_KIND_LABELS,
    CONTRIBUTION_STATUS_LABELS,
    Contribution,
    ContributionStatus,
)
from dialog.core.csv_rows import csv_lines
from dialog.core.i18n import _, _l
from dialog.core.models import utcnow
from dialog.core.throttle import Throttle
from dialog.records import queries, services
from dialog.records.forms import CloseAccountForm, PeriodForm, RegistryForm
from dialog.records.permissions import (
    can_export_audit,
    can_export_registry,
    can_see_contact_details,
    hides_authors,
)

bp = Blueprint("records", __name__)

CLOSE_THROTTLE = Throttle(
    "close-account", "5/minute;20/hour", _l("Too many attempts. Wait a while and try again.")
)
EXPORT_ROLES = (Role.EDITOR, Role.ADMIN)
# The kinds of input in the registry's words.


def kind_label(kind: str) -> str:
    label = CONTRIBUTION_KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def status_label(status: str) -> str:
    return str(CONTRIBUTION_STATUS_LABELS.get(ContributionStatus(status), status))


def _attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/account/data")
@login_required
def my_data() -> Response:
    """Everything stored about the logged-in user, as a JSON file."""
    now = utcnow()
    data = queries.personal_data(current_actor(), now)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    return _attachment(response, f"dialog-data-{now:%Y-%m-%d}.json")


@bp.route("/account/close", methods=["GET", "POST"])
@login_required
def close_account() -> str | tuple[str, int] | WerkzeugResponse:
    user = current_actor()
    refusal = services.closing_refusal(user)
    if refusal is not None:
        return render_template("records/close_account.html", refusal=refusal)
    form = CloseAccountForm()
    if form.validate_on_submit():
        key = str(user.id)
        if CLOSE_THROTTLE.refuses(form, key):
            return render_template("records/close_account.html", form=form), 429
        try:
            services.close_account(user, form.password.data, utcnow())
        except services.RecordsError as error:
            CLOSE_THROTTLE.count(key)
            (form[error.field].errors if error.field else form.form_errors).append(str(error))
        else:
            logout_user()
            session.clear()
            flash(_("Your account is closed. What you sent stays, from a resident."), "success")
            return redirect(url_for("pages.home"))
    return render_template("records/close_account.html", form=form)


@bp.route("/admin/records")
@roles_required(*EXPORT_ROLES)
def exports() -> str:
    registry = _registry_form()
    period = _audit_form()
    return render_template("records/exports.html", registry=registry, period=period)


def _audit_form() -> PeriodForm:
    # Its fields are named audit-start and audit-end: the page holds both forms.
    return PeriodForm(request.args, prefix="audit")


def _registry_form() -> RegistryForm:
    form = RegistryForm(request.args)
    form.dialogue.choices = [("", _("All dialogues"))] + [
        (str(id_), title) for id_, title in queries.dialogue_choices()
    ]
    return form


def _csv_response(lines: Iterator[str], filename: str) -> Response:
    encoded = (line.encode() for line in lines)
    response = Response(stream_with_context(encoded), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return _attachment(response, filename)


def _stamp(value: Any) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm")


@bp.route("/admin/records/registry.csv")
@roles_required(*EXPORT_ROLES)
def registry_csv() -> Response | tuple[str, int]:
    """The received inputs of a period (and a dialogue) for the registry (diarium)."""
    form = _registry_form()
    if not form.validate():
        return render_template("records/exports.html", registry=form, period=_audit_form()), 400
    dialogue_id = int(form.dialogue.data) if form.dialogue.data else None
    rows = (
        [reference, _stamp(created), kind_label(kind), dialogue, status_label(status), title, text]
        for reference, created, kind, dialogue, status, title, text in queries.registry_rows(
            form.since, form.before, dialogue_id
        )
    )
    header = [
        _("Reference"),
        _("Received"),
        _("Kind"),
        _("Dialogue"),
        _("Status"),
        _("Title"),
        _("Text"),
    ]
    return _csv_response(csv_lines(header, rows), "diarium.csv")


@bp.route("/admin/records/audit.csv")
@roles_required(Role.ADMIN)
def audit_csv() -> Response | tuple[str, int]:
    """The audit trail of a period: when, who, what, about what, why, before and after."""
    form = _audit_form()
    if not form.validate():
        return render_template("records/exports.html", registry=_registry_form(), period=form), 400
    header = [
        _("When"),
        _("Who"),
        _("Action"),
        _("Concerns"),
        _("Reason"),
        _("Before"),
        _("After"),
        _("Details"),
    ]
    return _csv_response(csv_lines(header, _audit_lines(form)), "audit.csv")


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _audit_lines(form: PeriodForm) -> Iterator[list[Any]]:
    for created, actor_id, name, action, subject_type, subject_id, details in queries.audit_rows(
        form.since, form.before
    ):
        details = dict(details or {})
        before, after = details.pop("before", None), details.pop("after", None)
        reason = details.pop("reason", None)
        who = f"{name} ({actor_id})" if actor_id is not None else _("The system")
        subject = f"{subject_type}:{subject_id}" if subject_id is not None else subject_type
        yield [
            _stamp(created),
            who,
            action,
            subject,
            reason,
            _json(before),
            _json(after),
            _json(details or None),
        ]


def author_name(contribution: Contribution) -> str | None:
    """The name an input's author chose to show, unless the reader is shown no authors."""
    return None if authors_hidden() else contribution.author_name


def authors_hidden() -> bool:
    """Whether the reader is shown no authors (for templates: once per list, not per input)."""
    return hides_authors(current_user)


def author_label(contribution: Contribution) -> str:
    """Who sent the input, as every page shows it: the name, or "a resident"."""
    return author_name(contribution) or _("A resident")


bp.add_app_template_global(author_name)
bp.add_app_template_global(author_label)
bp.add_app_template_global(authors_hidden)
bp.add_app_template_global(can_see_contact_details)
bp.add_app_template_global(can_export_registry)
bp.add_app_template_global(can_export_audit)
