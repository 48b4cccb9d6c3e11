"""Open data: dialogues as JSON, on the API blueprint (its JSON errors and open CORS).

Never any registrant's data: only the dialogue, its counts and its published feedback.
"""

from __future__ import annotations

from datetime import datetime

from flask import Response, request
from werkzeug.exceptions import BadRequest, NotFound

from dialog.api import schemas
from dialog.api.views import bp, json_in_every_language, kept_json
from dialog.contributions.queries import published_counts
from dialog.core.cache import cached_page
from dialog.core.i18n import localized
from dialog.core.urls import absolute_url
from dialog.dialogues.models import Dialogue, DialogueFormat, DialogueStatus
from dialog.dialogues.queries import DialogueFilters, all_matching, public_dialogue


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def _report(dialogue: Dialogue) -> schemas.FeedbackReport | None:
    report = dialogue.published_report
    if report is None:
        return None
    return schemas.make(
        schemas.FeedbackReport,
        published_at=_iso(report.published_at),
        heard=localized(report, "heard_text"),
        heard_html=localized(report, "heard_html"),
        next_steps=localized(report, "next_steps_text"),
        next_steps_html=localized(report, "next_steps_html"),
        decisions_expected=localized(report, "decisions_expected"),
    )


def dialogue_json(dialogue: Dialogue, contribution_count: int) -> schemas.Dialogue:
    """The public fields of a dialogue, in the current language.

    A framework in draft is not public: its slug and goals are left out (null and []).
    """
    public = dialogue.framework.is_public
    return schemas.make(
        schemas.Dialogue,
        slug=dialogue.slug,
        url=absolute_url("dialogues.dialogue", slug=dialogue.slug),
        title=localized(dialogue, "title"),
        framework=dialogue.framework.slug if public else None,
        focus_goals=[link.goal_id for link in dialogue.focus_links] if public else [],
        format=dialogue.format,
        audiences=dialogue.audiences,
        level=dialogue.level,
        starts_at=_iso(dialogue.starts_at),
        ends_at=_iso(dialogue.ends_at),
        opens_at=_iso(dialogue.opens_at),
        closes_at=_iso(dialogue.closes_at),
        status=dialogue.status,
        headcount={row.group: row.count for row in dialogue.headcounts},
        contribution_count=contribution_count,
        feedback_report=_report(dialogue),
    )


def _choice(name: str, allowed: set[str]) -> str | None:
    value = request.args.get(name, "").strip()
    if value and value not in allowed:
        raise BadRequest(f"Unknown {name} {value!r}; use one of {', '.join(sorted(allowed))}.")
    return value or None


@bp.route("/dialogues")
@cached_page
def dialogues() -> Response:
    filters = DialogueFilters(
        framework=request.args.get("framework", "").strip() or None,
        status=_choice("status", {status.value for status in DialogueStatus}),
        format=_choice("format", {value.value for value in DialogueFormat}),
    )

    def build() -> dict[str, bytes]:
        found = all_matching(filters)
        counts = published_counts([dialogue.id for dialogue in found])
        return json_in_every_language(
            lambda: schemas.list_as_json(
                schemas.DIALOGUE_LIST,
                [dialogue_json(dialogue, counts[dialogue.id]) for dialogue in found],
            )
        )

    return kept_json(("api-dialogues", filters), build)


@bp.route("/dialogues/<slug>")
@cached_page
def dialogue(slug: str) -> Response:
    shown = public_dialogue(slug)
    if shown is None:
        raise NotFound(f"No dialogue {slug}.")
    found = shown

    def build() -> dict[str, bytes]:
        return json_in_every_language(
            lambda: schemas.as_json(dialogue_json(found.dialogue, found.published_inputs))
        )

    return kept_json(("api-dialogue", slug), build)
