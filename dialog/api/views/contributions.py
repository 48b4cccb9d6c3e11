"""Open data: residents' public inputs as JSON, on the API blueprint (its JSON errors and
open CORS), a page at a time.

Only what is public: published inputs, and those withdrawn after they were published
(marked withdrawn); a comment only while the proposal it is on (and the comment it
answers) is public too. Never an email, a name, a receipt or submission token, a page comment
or anything waiting, hidden or private; goals of a framework in draft are left out.
"""

from __future__ import annotations

from datetime import datetime

from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest

from dialog.api import schemas
from dialog.api.views import bp
from dialog.contributions.models import Contribution, public_kinds
from dialog.contributions.queries import dialogue_for_input, public_contributions_page
from dialog.core.cache import cached_page
from dialog.core.pagination import requested_page
from dialog.core.routing import MAX_ID
from dialog.core.urls import absolute_url
from dialog.goals.queries import public_goal

PER_PAGE = 50
# A filter value longer than this is not repeated back in the error message.
MAX_ECHO = 60


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def _echo(value: str) -> str:
    return repr(value) if len(value) <= MAX_ECHO else "(too long)"


def contribution_json(contribution: Contribution) -> schemas.Contribution:
    """The public fields of an input: its text, counts, goals and whether it was withdrawn."""
    dialogue = contribution.dialogue
    return schemas.make(
        schemas.Contribution,
        id=contribution.id,
        reference=contribution.reference,
        kind=contribution.kind,
        dialogue=dialogue.slug if dialogue is not None else None,
        title=contribution.public_title,
        text=contribution.public_body_text,
        html=contribution.public_body_html,
        created_at=_iso(contribution.created_at),
        support_count=contribution.support_count,
        comment_count=contribution.comment_count,
        goals=[
            schemas.make(schemas.GoalReference, id=link.goal_id, relation=link.relation)
            for link in contribution.goal_links
            if link.goal.framework.is_public
        ],
        status=contribution.status,
        # A comment: the proposal it is on, and the comment a reply answers.
        parent=contribution.parent_id,
        reply_to=contribution.reply_to_id,
    )


def _filters() -> tuple[dict[str, str], int | None]:
    """The filters asked for, checked, and the dialogue's id; raise BadRequest with what is
    wrong."""
    filters: dict[str, str] = {}
    dialogue_id = None
    slug = request.args.get("dialogue", "").strip()
    if slug:
        dialogue = dialogue_for_input(slug)
        if dialogue is None:
            raise BadRequest(f"Unknown dialogue {_echo(slug)}; use a slug from /api/v1/dialogues.")
        filters["dialogue"], dialogue_id = slug, dialogue.id
    goal = request.args.get("goal", "").strip()
    if goal:
        if not (
            goal.isascii()
            and goal.isdigit()
            and len(goal) <= len(str(MAX_ID))
            and 0 < int(goal) <= MAX_ID
        ):
            raise BadRequest(f"The goal filter {_echo(goal)} is not a goal id (a whole number).")
        if public_goal(int(goal)) is None:
            raise BadRequest(f"Unknown goal {goal}; use an id from /api/v1/frameworks/<slug>.")
        filters["goal"] = str(int(goal))
    kind = request.args.get("kind", "").strip()
    if kind:
        kinds = public_kinds()
        if kind not in kinds:
            raise BadRequest(f"Unknown kind {_echo(kind)}; use one of {', '.join(kinds)}.")
        filters["kind"] = kind
    return filters, dialogue_id


def _link(filters: dict[str, str], page: int | None) -> str | None:
    if page is None:
        return None
    return absolute_url("api.contributions", **filters, page=page)


@bp.route("/contributions")
@cached_page
def contributions() -> Response:
    filters, dialogue_id = _filters()
    result = public_contributions_page(
        requested_page(),
        dialogue_id=dialogue_id,
        goal_id=int(filters["goal"]) if "goal" in filters else None,
        kind=filters.get("kind"),
        per_page=PER_PAGE,
    )
    page = schemas.make(
        schemas.ContributionPage,
        count=result.total,
        page=result.page,
        pages=result.pages,
        next=_link(filters, result.next_num),
        previous=_link(filters, result.prev_num),
        results=[contribution_json(item) for item in result.items],
    )
    return current_app.response_class(schemas.as_json(page), mimetype="application/json")
