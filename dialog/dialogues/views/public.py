"""Public dialogue pages: the list with filters, a dialogue, its inputs, sign-up and
cancelling by the emailed link, and the calendar file.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from dialog.contributions.models import WorkshopNote
from dialog.contributions.queries import public_notes_page
from dialog.core.cache import cached_page
from dialog.core.forms import show_rule_error
from dialog.core.i18n import _, _l, current_language, localized
from dialog.core.pagination import requested_page
from dialog.core.templating import lang_attr
from dialog.core.throttle import Throttle, client_address
from dialog.core.urls import absolute_url, base_host
from dialog.dialogues import ics, services
from dialog.dialogues.forms import (
    CancelForm,
    FilterForm,
    RegistrationForm,
    StatusForm,
)
from dialog.dialogues.models import Dialogue
from dialog.dialogues.permissions import can_create_dialogue, can_manage_dialogue
from dialog.dialogues.queries import (
    DialogueFilters,
    dialogues_for_goal,
    dialogues_page,
    registration_by_token,
)
from dialog.dialogues.views import bp
from dialog.dialogues.views.helpers import (
    dialogue_labels,
    dialogue_or_404,
    dialogue_status_label,
    event_time,
    format_label,
    group_label,
    input_window,
    level_explanation,
    level_label,
    mail_links,
    public_dialogue_or_404,
    registration_status_label,
)
from dialog.goals.queries import public_frameworks

SIGNUP_THROTTLE = Throttle(
    "dialogue-signup",
    "10/minute;50/hour",
    _l("Too many sign-ups. Wait a few minutes and try again."),
)


@bp.route("/dialogues")
@cached_page
def index() -> str:
    groups = services.configured_groups()
    form = FilterForm(request.args).setup(public_frameworks(), groups)
    filters = DialogueFilters(
        when=form.clean("when"),
        framework=form.clean("framework"),
        format=form.clean("format"),
        audience=form.clean("audience"),
    )
    listing = dialogues_page(filters, requested_page())
    return render_template(
        "dialogues/index.html",
        form=form,
        page=listing.page,
        filters={key: value for key, value in vars(filters).items() if value},
        input_counts=listing.input_counts,
        event_times=listing.event_times[current_language()],
    )


@bp.route("/dialogues/<slug>")
@cached_page
def dialogue(slug: str) -> str:
    shown = public_dialogue_or_404(slug)
    found = shown.dialogue
    status_form = None
    if can_manage_dialogue(current_user, found):
        status_form = StatusForm(formdata=None).setup(services.allowed_statuses(found))
    return render_template(
        "dialogues/dialogue.html",
        dialogue=found,
        status_form=status_form,
        input_count=shown.published_inputs,
        places_left=services.places_left(found, shown.confirmed_places),
        awaits_report=services.awaits_report(found),
        proposal_count=shown.public_proposals,
        accepts_online_input=services.accepts_online_input(found),
        registration_open=services.registration_open(found),
        accepts_input=services.accepts_input(found),
    )


@bp.route("/dialogues/<slug>/inputs")
@cached_page
def inputs(slug: str) -> str:
    shown = public_dialogue_or_404(slug)
    group = request.args.get("group") or None
    if group not in services.configured_groups():
        group = None
    page = public_notes_page(shown.dialogue.id, requested_page(), group=group)
    return render_template(
        "dialogues/inputs.html",
        dialogue=shown.dialogue,
        page=page,
        group=group,
        proposal_count=shown.public_proposals,
        goal_names=_goal_names(page.items),
    )


def _goal_names(notes: Iterable[WorkshopNote]) -> dict[int, tuple[str, Markup, str | None]]:
    """Each goal the notes are tied to, once: its code, lang attribute and title."""
    goals = {link.goal.id: link.goal for note in notes for link in note.goal_links}
    return {
        goal_id: (goal.code, lang_attr(goal, "title"), localized(goal, "title"))
        for goal_id, goal in goals.items()
    }


@bp.route("/dialogues/<slug>/register", methods=["GET", "POST"])
def register(slug: str) -> str | tuple[str, int] | BaseResponse:
    found = dialogue_or_404(slug)
    if not services.registration_open(found):
        flash(_("Registration for this dialogue is closed."), "info")
        return redirect(url_for("dialogues.dialogue", slug=found.slug))
    form = RegistrationForm()
    if request.method == "GET" and current_user.is_authenticated:
        form.name.data = current_user.display_name
        form.email.data = current_user.email
    if form.validate_on_submit():
        if SIGNUP_THROTTLE.attempt(form, client_address()):
            return render_template("dialogues/register.html", dialogue=found, form=form), 429
        try:
            services.register(
                found,
                form.name.data,
                form.email.data,
                form.needs.data,
                current_language(),
                mail_links(),
            )
        except services.DialogueError as error:
            show_rule_error(form, error)
        else:
            # The same words whatever the outcome, so the page tells no one who is signed up.
            flash(
                _(
                    "Thank you! We have sent an email to {email}. It says whether you have a "
                    "place or are on the waiting list, and has a link to cancel."
                ).format(email=form.email.data.strip()),
                "success",
            )
            return redirect(url_for("dialogues.dialogue", slug=found.slug))
    return render_template("dialogues/register.html", dialogue=found, form=form)


@bp.route("/dialogues/cancel/<token>", methods=["GET", "POST"])
def cancel(token: str) -> str | tuple[str, int] | BaseResponse:
    registration = registration_by_token(token)
    if registration is None:
        return render_template("dialogues/cancel_invalid.html"), 404
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel_registration(registration, mail_links())
        flash(_("Your registration is cancelled. Thank you for telling us."), "success")
        return redirect(url_for("dialogues.dialogue", slug=registration.dialogue.slug))
    return render_template(
        "dialogues/cancel.html",
        registration=registration,
        dialogue=registration.dialogue,
        form=form,
    )


def _calendar_event(found: Dialogue) -> ics.CalendarEvent:
    if found.starts_at is None:
        abort(404)
    link = absolute_url("dialogues.dialogue", slug=found.slug)
    description = "\n\n".join(
        part for part in (localized(found, "description_text") or "", link) if part
    )
    location = ", ".join(part for part in (found.place_name, found.address) if part)
    return ics.CalendarEvent(
        uid=f"dialogue-{found.id}@{base_host()}",
        summary=localized(found, "title") or found.title_sv,
        starts_at=found.starts_at,
        ends_at=found.ends_at,
        stamp=found.updated_at,
        description=description,
        location=location,
        url=link,
        sequence=int(found.updated_at.timestamp()) // 60 % 2_000_000_000,
    )


@bp.route("/dialogues/<slug>/event.ics")
@cached_page
def calendar(slug: str) -> Response:
    event = _calendar_event(public_dialogue_or_404(slug).dialogue)
    response = make_response(ics.render(event))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return response


for helper in (
    format_label,
    group_label,
    dialogue_labels,
    level_label,
    level_explanation,
    dialogue_status_label,
    registration_status_label,
    event_time,
    input_window,
    can_manage_dialogue,
    can_create_dialogue,
    dialogues_for_goal,
):
    bp.add_app_template_global(helper)
