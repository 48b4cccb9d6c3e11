"""Capturing a workshop: many notes fast, a CSV import with a preview, the headcount, and
correcting or hiding a note. For the people running the dialogue.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from dialog.accounts.models import Role
from dialog.accounts.permissions import current_actor, roles_required
from dialog.contributions import services as contributions
from dialog.contributions.models import ContributionStatus, WorkshopNote
from dialog.contributions.queries import notes_page
from dialog.core.forms import show_rule_error, take_upload
from dialog.core.i18n import _, ngettext
from dialog.core.pagination import requested_page
from dialog.dialogues import services
from dialog.dialogues.forms import (
    CaptureForm,
    HideForm,
    NoteForm,
    NoteImportForm,
    RestoreForm,
    headcount_form,
    headcounts_from,
)
from dialog.dialogues.views import bp
from dialog.dialogues.views.helpers import managed_dialogue_or_404, note_or_404
from dialog.goals.queries import goals_of

staff_required = roles_required(Role.FACILITATOR, Role.ADMIN)


def _goal_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.route("/dialogues/<slug>/capture", methods=["GET", "POST"])
@staff_required
def capture(slug: str) -> str | Response:
    dialogue = managed_dialogue_or_404(slug)
    form = CaptureForm().setup(services.configured_groups(), goals_of(dialogue.framework))
    if form.validate_on_submit():
        try:
            notes = services.capture_notes(
                dialogue,
                form.lines.data,
                form.group.data,
                _goal_id(form.goal.data),
                current_actor(),
            )
        except services.DialogueError as error:
            show_rule_error(form, error)
        else:
            flash(
                ngettext("%(num)d note is saved.", "%(num)d notes are saved.", len(notes)),
                "success",
            )
            _flash_held(notes)
            # Keep the group and goal for the next batch from the same table.
            return redirect(
                url_for(
                    "dialogues.capture",
                    slug=dialogue.slug,
                    group=form.group.data,
                    goal=form.goal.data or None,
                )
            )
    elif request.method == "GET":
        form.group.data = request.args.get("group") or form.group.data
        form.goal.data = request.args.get("goal") or ""
    return render_template(
        "dialogues/capture.html",
        dialogue=dialogue,
        form=form,
        input_refusal=services.input_refusal(dialogue),
    )


@bp.route("/dialogues/<slug>/import", methods=["GET", "POST"])
@staff_required
def import_notes(slug: str) -> str | Response:
    dialogue = managed_dialogue_or_404(slug)
    form = NoteImportForm()
    parsed = None
    if form.validate_on_submit():
        take_upload(form)  # a refused file leaves its error on the field
        text = form.csv_text.data or ""
        if not text.strip() and not form.file.errors:
            form.csv_text.errors = [_("Choose a file or paste the rows.")]
        elif text.strip():
            parsed = services.read_notes_csv(dialogue, text)
            if form.confirm.data and parsed.problem is None:
                try:
                    notes = services.import_notes(dialogue, parsed.rows, current_actor())
                except services.DialogueError as error:
                    form.form_errors.append(str(error))
                else:
                    _flash_import(len(notes), [row.line for row in parsed.rejected])
                    _flash_held(notes)
                    return redirect(url_for("dialogues.notes", slug=dialogue.slug))
    return render_template(
        "dialogues/import.html",
        dialogue=dialogue,
        form=form,
        parsed=parsed,
        input_refusal=services.input_refusal(dialogue),
    )


def _flash_held(notes: list[WorkshopNote]) -> None:
    """Tell the facilitator which notes wait for an editor because of personal data."""
    held = sum(1 for note in notes if note.personal_data_findings)
    if held:
        flash(
            ngettext(
                "%(num)d note may contain personal data (an identity number, a phone number "
                "or an email address), so it waits for an editor before it is published. "
                "Correct it under All notes if you can.",
                "%(num)d notes may contain personal data (an identity number, a phone number "
                "or an email address), so they wait for an editor before they are published. "
                "Correct them under All notes if you can.",
                held,
            ),
            "info",
        )


def _flash_import(count: int, rejected_lines: list[int]) -> None:
    flash(ngettext("%(num)d note is imported.", "%(num)d notes are imported.", count), "success")
    if rejected_lines:
        flash(
            _("These lines were not imported: {lines}.").format(
                lines=", ".join(str(line) for line in rejected_lines)
            ),
            "info",
        )


@bp.route("/dialogues/<slug>/headcount", methods=["GET", "POST"])
@staff_required
def headcount(slug: str) -> str | Response:
    dialogue = managed_dialogue_or_404(slug)
    groups = services.configured_groups()
    counts = {row.group: row.count for row in dialogue.headcounts}
    # Groups counted earlier stay in the form even if the setting no longer offers them.
    groups += [group for group in counts if group not in groups]
    form = headcount_form(groups, counts, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            services.set_headcounts(dialogue, headcounts_from(form, groups), current_actor())
        except services.DialogueError as error:
            show_rule_error(form, error)
        else:
            flash(_("The headcount is saved."), "success")
            return redirect(url_for("dialogues.dialogue", slug=dialogue.slug))
    return render_template(
        "dialogues/headcount.html",
        dialogue=dialogue,
        form=form,
        fields=[getattr(form, f"count_{group}") for group in groups],
    )


@bp.route("/dialogues/<slug>/notes")
@staff_required
def notes(slug: str) -> str:
    dialogue = managed_dialogue_or_404(slug)
    page = notes_page(dialogue.id, requested_page(), include_hidden=True)
    return render_template("dialogues/notes.html", dialogue=dialogue, page=page)


@bp.route("/dialogues/<slug>/notes/<int:note_id>", methods=["GET", "POST"])
@staff_required
def note(slug: str, note_id: int) -> str | Response:
    dialogue = managed_dialogue_or_404(slug)
    found = note_or_404(dialogue, note_id)
    groups = services.configured_groups()
    if found.participant_group and found.participant_group not in groups:
        groups.append(found.participant_group)
    form = NoteForm().setup(groups, goals_of(dialogue.framework))
    if request.method == "GET":
        form.text.data = found.body_text
        form.group.data = found.participant_group
        form.goal.data = str(found.suggested_goal_id or "")
    if form.validate_on_submit():
        try:
            services.correct_note(
                dialogue,
                found,
                form.text.data,
                form.group.data,
                _goal_id(form.goal.data),
                current_actor(),
            )
        except services.DialogueError as error:
            show_rule_error(form, error)
        else:
            flash(_("The note is corrected."), "success")
            _flash_held([found])
            return redirect(
                url_for("dialogues.notes", slug=dialogue.slug, _anchor=f"note-{note_id}")
            )
    return render_template(
        "dialogues/note.html",
        dialogue=dialogue,
        note=found,
        form=form,
        hide_form=HideForm(formdata=None),
        restore_form=RestoreForm(formdata=None),
        hidden=found.status == ContributionStatus.HIDDEN,
    )


@bp.route("/dialogues/<slug>/notes/<int:note_id>/hide", methods=["POST"])
@staff_required
def hide_note(slug: str, note_id: int) -> str | Response:
    dialogue = managed_dialogue_or_404(slug)
    found = note_or_404(dialogue, note_id)
    hide_form = HideForm()
    if hide_form.validate_on_submit():
        try:
            contributions.hide_contribution(found, hide_form.reason.data, current_actor())
        except contributions.ContributionError as error:
            hide_form.reason.errors = [str(error)]
        else:
            flash(_("The note is hidden. It is kept, and can be shown again."), "success")
            return redirect(
                url_for("dialogues.notes", slug=dialogue.slug, _anchor=f"note-{note_id}")
            )
    form = NoteForm(formdata=None).setup(services.configured_groups(), goals_of(dialogue.framework))
    form.text.data = found.body_text
    form.group.data = found.participant_group
    form.goal.data = str(found.suggested_goal_id or "")
    return render_template(
        "dialogues/note.html",
        dialogue=dialogue,
        note=found,
        form=form,
        hide_form=hide_form,
        restore_form=RestoreForm(formdata=None),
        hidden=found.status == ContributionStatus.HIDDEN,
    )


@bp.route("/dialogues/<slug>/notes/<int:note_id>/restore", methods=["POST"])
@staff_required
def restore_note(slug: str, note_id: int) -> Response:
    dialogue = managed_dialogue_or_404(slug)
    found = note_or_404(dialogue, note_id)
    if not RestoreForm().validate_on_submit():
        abort(400)
    contributions.restore_contribution(found, current_actor())
    flash(_("The note is shown again."), "success")
    return redirect(url_for("dialogues.notes", slug=dialogue.slug, _anchor=f"note-{note_id}"))
