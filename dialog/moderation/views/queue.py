"""The editors' queue: every input that waits, the reported first, and decisions on a
selection (or one input's quick button) from the same form. Never cached."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from dialog.accounts.permissions import current_actor, roles_required
from dialog.contributions.models import CONTRIBUTION_STATUS_LABELS, MAX_REASON_LENGTH
from dialog.core.i18n import _, current_language, ngettext
from dialog.core.pagination import requested_page
from dialog.core.personal_data import marked_text
from dialog.core.times import local_zone
from dialog.moderation import queries, services
from dialog.moderation.forms import (
    BULK_LABELS,
    KIND_LABELS,
    BulkForm,
    queue_filters,
    selected_ids,
)
from dialog.moderation.models import ModerationAction
from dialog.moderation.permissions import MODERATOR_ROLES
from dialog.moderation.reasons import moderation_reasons, reason_label
from dialog.moderation.views import bp

moderators_required = roles_required(*MODERATOR_ROLES)


def no_store(response: Response) -> Response:
    """Contact details and unpublished texts: never kept by a browser or a shared cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def queue_url(filters: queries.QueueFilters, page: int = 1) -> str:
    """The queue with the same filters and page, its list focused."""
    args = filters.args()
    if page > 1:
        args["page"] = page
    return url_for("moderation.queue", **args, _anchor="waiting")


@dataclass(frozen=True)
class QueueLine:
    """One input in the queue as the page shows it: its labels and texts ready to print."""

    id: int
    reference: str
    kind: str
    status: str
    status_label: str
    dialogue: str | None
    sent: str
    parent: str | None
    report_count: int
    reports: str
    personal_data: bool
    contact: Markup
    title: Markup | None
    text: Markup
    language: str


def _titles(dialogues: tuple[tuple[int, str, str | None], ...]) -> dict[int, str]:
    english = current_language() == "en"
    return {
        id_: (title_en if english and title_en else title_sv)
        for id_, title_sv, title_en in dialogues
    }


def _contact(row: Any, sender: queries.Sender | None) -> Markup:
    name = sender.name if sender else row.author_name
    email = sender.email if sender else row.author_email
    if not name and not email:
        return escape(_("No contact details"))
    text = escape(name or _("Without a name"))
    if email:
        text += Markup(' &lt;<a href="mailto:{email}">{email}</a>&gt;').format(email=email)
    if sender:
        text += Markup(" ({account})").format(account=_("account"))
    return text


def queue_lines(page: queries.QueuePage, titles: dict[int, str]) -> list[QueueLine]:
    """The page's inputs with everything they show worked out once, here, instead of in a
    dozen template calls each (the queue is the editors' busiest page)."""
    zone = local_zone()
    kinds = {kind: str(label) for kind, label in KIND_LABELS.items()}
    statuses = {status.value: str(label) for status, label in CONTRIBUTION_STATUS_LABELS.items()}
    on_proposal = _("On the proposal “{title}” ({reference})")
    labels: dict[str, str] = {}
    lines = []
    for row in page.items:
        parent = page.parents.get(row.parent_id) if row.parent_id else None
        reports = page.reports.get(row.id, {})
        for code in reports:
            labels.setdefault(code, reason_label(code))
        findings = row.personal_data_findings
        lines.append(
            QueueLine(
                id=row.id,
                reference=row.reference or str(row.id),
                kind=kinds.get(row.kind, row.kind),
                status=row.status,
                status_label=statuses.get(row.status, row.status),
                dialogue=titles.get(row.dialogue_id) if row.dialogue_id else None,
                sent=row.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                parent=(
                    on_proposal.format(title=parent.title or "", reference=parent.reference or "")
                    if parent
                    else None
                ),
                report_count=row.report_count,
                reports=", ".join(f"{labels[code]} ({number})" for code, number in reports.items()),
                personal_data=bool(findings),
                contact=_contact(row, page.senders.get(row.author_id) if row.author_id else None),
                title=(
                    (marked_text(row.title, findings, "title") if findings else escape(row.title))
                    if row.title
                    else None
                ),
                text=marked_text(row.body_text, findings) if findings else escape(row.body_text),
                language=row.language,
            )
        )
    return lines


@bp.route("/moderation")
@moderators_required
def queue() -> Response:
    filters = queue_filters(request.args)
    page = queries.queue_page(filters, requested_page())
    dialogues = queries.dialogue_choices()
    titles = _titles(dialogues)
    return no_store(
        make_response(
            render_template(
                "moderation/queue.html",
                page=page,
                lines=queue_lines(page, titles),
                filters=filters,
                actions=[
                    (action.value, str(BULK_LABELS[action.value]))
                    for action in services.BULK_ACTIONS
                ],
                reasons=moderation_reasons(),
                note_limit=MAX_REASON_LENGTH,
                dialogues=titles,
                input_url=url_for("moderation.input_page", contribution_id=0).removesuffix("0"),
                filter_query=urlencode(filters.args()),
            )
        )
    )


def _quick(value: str) -> tuple[str, int] | None:
    """An input's own button in the queue: "publish:42"."""
    action, _sep, number = value.partition(":")
    ids = selected_ids([number])
    if action not in (ModerationAction.PUBLISH.value,) or not ids:
        return None
    return action, ids[0]


@bp.route("/moderation/decide", methods=["POST"])
@moderators_required
def decide() -> Response:
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    filters = queue_filters(request.form)
    back = redirect(queue_url(filters, requested_page("return_page")))
    quick = _quick(request.form.get("one", ""))
    try:
        if quick is not None:
            result = services.apply_bulk([quick[1]], quick[0], None, None, current_actor())
        else:
            result = services.apply_bulk(
                selected_ids(request.form.getlist("ids")),
                form.action.data or "",
                form.reason.data,
                form.note.data,
                current_actor(),
            )
    except services.ModerationError as error:
        flash(str(error), "error")
        return back
    if result.done:
        flash(
            ngettext("%(num)d input decided.", "%(num)d inputs decided.", len(result.done)),
            "success",
        )
    if result.skipped:
        references = ", ".join(item.reference or str(item.id) for item in result.skipped)
        flash(
            _("Not changed, the action does not apply to them: {references}").format(
                references=references
            ),
            "error",
        )
    return back
