"""The editors' queue: every input that waits, the reported first, and decisions on a
selection (or one input's quick button) from the same form. Never cached."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import (
    abort,
    current_app,
    flash,
    get_template_attribute,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from dialog.accounts.permissions import current_actor, roles_required
from dialog.contributions.models import (
    CONTRIBUTION_STATUS_LABELS,
    MAX_REASON_LENGTH,
    ContributionStatus,
)
from dialog.core.i18n import _, _l, current_language, ngettext
from dialog.core.pagination import requested_page
from dialog.core.personal_data import finding_kinds, finding_label, marked_text
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
# The lines of the queue kept in memory (see queue_lines): about 3 kB each.
LINE_ENTRIES = 2000
PUBLISH_LABELS = {
    ContributionStatus.PENDING.value: _l("Publish"),
    ContributionStatus.PUBLISHED.value: _l("Keep published"),
}


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
    # Its dialogue, when it was sent and the proposal it is on, in one line.
    about: str
    reports: str | None
    personal_data: str | None
    contact: Markup
    title: Markup | None
    # The start of the text (the input's page shows all of it); cut says whether there is more.
    text: Markup
    cut: bool
    language: str
    # The label of its own publish button, when it has one.
    publish: str | None


def _titles(dialogues: tuple[tuple[int, str, str | None], ...]) -> dict[int, str]:
    english = current_language() == "en"
    return {
        id_: (title_en if english and title_en else title_sv)
        for id_, title_sv, title_en in dialogues
    }


def _contact(row: Any) -> Markup:
    account = row.sender_email is not None
    name = row.sender_name if account else row.author_name
    email = row.sender_email if account else row.author_email
    if not name and not email:
        return escape(_("No contact details"))
    text = escape(name or _("Without a name"))
    if email:
        text += Markup(' &lt;<a href="mailto:{email}">{email}</a>&gt;').format(email=email)
    if account:
        text += Markup(" ({account})").format(account=_("account"))
    return text


def _reports(row: Any) -> str:
    """ "Reported 3 times: Offensive (2), Other reason (1)", the commonest reason first."""
    text = ngettext(
        "Reported %(count)s time",
        "Reported %(count)s times",
        row.report_count,
        count=row.report_count,
    )
    if not row.report_reasons:
        return text
    reasons = Counter(row.report_reasons.split(","))
    listed = ", ".join(
        f"{reason_label(code)} ({number})"
        for code, number in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    )
    return f"{text}: {listed}"


def _line(row: Any, dialogue: str | None) -> QueueLine:
    about = [row.created_at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")]
    if dialogue:
        about.insert(0, dialogue)
    if row.parent_reference or row.parent_title:
        about.append(
            _("On the proposal “{title}” ({reference})").format(
                title=row.parent_title or "", reference=row.parent_reference or ""
            )
        )
    findings = json.loads(row.findings) if row.findings else None
    body = row.body_text
    cut = len(body) > queries.EXCERPT_LENGTH
    if cut:
        body = body[: queries.EXCERPT_LENGTH].rstrip() + "…"
    return QueueLine(
        id=row.id,
        reference=row.reference or str(row.id),
        kind=str(KIND_LABELS.get(row.kind, row.kind)),
        status=row.status,
        status_label=str(CONTRIBUTION_STATUS_LABELS.get(row.status, row.status)),
        about=" · ".join(about),
        reports=_reports(row) if row.report_count else None,
        personal_data=(
            _("Contains personal data: {found} (marked in the text)").format(
                found=", ".join(finding_label(kind) for kind in finding_kinds(findings))
            )
            if findings
            else None
        ),
        contact=_contact(row),
        title=marked_text(row.title, findings, "title") if row.title else None,
        text=marked_text(body, findings),
        cut=cut,
        language=row.language,
        publish=str(PUBLISH_LABELS[row.status]) if row.status in PUBLISH_LABELS else None,
    )


def queue_lines(page: queries.QueuePage, titles: dict[int, str], filter_query: str) -> list[Markup]:
    """The HTML of each input of the page, made once per process for what it shows.

    The queue is the editors' busiest page and a line costs some fifty template outputs.
    A line is kept under everything that it is made from (the row as read, the dialogue's
    title, the language and the filters its link keeps), so it is never out of date: an
    input that changes reads as another row and is made again. The same for every editor.
    """
    kept: dict[Any, Markup] = current_app.extensions.setdefault("moderation-queue-lines", {})
    render = None
    language = current_language()
    lines = []
    for row in page.items:
        dialogue = titles.get(row.dialogue_id) if row.dialogue_id else None
        key = (language, filter_query, dialogue, row)
        html = kept.get(key)
        if html is None:
            render = render or get_template_attribute("moderation/macros.html", "queue_line")
            html = render(_line(row, dialogue), filter_query)
            if len(kept) >= LINE_ENTRIES:
                kept.clear()  # a bound, so that no series of requests can grow it
            kept[key] = html
        lines.append(html)
    return lines


@bp.route("/moderation")
@moderators_required
def queue() -> Response:
    filters = queue_filters(request.args)
    page = queries.queue_page(filters, requested_page())
    titles = _titles(queries.dialogue_choices())
    filter_query = urlencode(filters.args())
    return no_store(
        make_response(
            render_template(
                "moderation/queue.html",
                page=page,
                lines=queue_lines(page, titles, filter_query),
                filters=filters,
                actions=[
                    (action.value, str(BULK_LABELS[action.value]))
                    for action in services.BULK_ACTIONS
                ],
                reasons=moderation_reasons(),
                note_limit=MAX_REASON_LENGTH,
                dialogues=titles,
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
