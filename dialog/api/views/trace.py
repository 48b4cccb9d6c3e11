"""Open data: the trace, how residents' inputs shaped each goal, on the API blueprint (its
JSON errors and open CORS). Only public inputs, never their authors."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest, NotFound

from dialog.api import schemas
from dialog.api.views import bp, json_in_every_language, kept_json
from dialog.api.views.contributions import _iso as iso
from dialog.contributions.models import GoalRelation
from dialog.core.cache import cached_page
from dialog.core.i18n import current_language, localized
from dialog.core.pagination import requested_page
from dialog.core.routing import MAX_ID
from dialog.core.urls import absolute_url
from dialog.goals.queries import framework_tree, public_goal
from dialog.trace.queries import goal_and_below, trace_counts, trace_matrix, traced_inputs_page

PER_PAGE = 50
RELATIONS = (GoalRelation.INFLUENCED.value, GoalRelation.RELATED.value)


def _relation() -> str | None:
    value = request.args.get("relation", "").strip()
    if value and value not in RELATIONS:
        raise BadRequest(f"Unknown relation; use one of {', '.join(RELATIONS)}.")
    return value or None


def _traced(row: Any) -> schemas.TracedInput:
    redacted = row.redacted_body_html is not None
    return schemas.make(
        schemas.TracedInput,
        id=row.id,
        reference=row.reference,
        kind=row.kind,
        dialogue=row.dialogue,
        goal=row.goal_code,
        relation=row.relation,
        rationale=row.rationale,
        title=row.redacted_title if redacted else row.title,
        text=row.redacted_body_text if redacted else row.body_text,
        created_at=iso(row.created_at),
    )


@bp.route("/goals/<int:goal_id>/trace")
@cached_page
def goal_trace(goal_id: int) -> Response:
    """The goal (and those under it): counts, then a page of its inputs, influences first."""
    goal = public_goal(goal_id) if goal_id <= MAX_ID else None
    if goal is None:
        raise NotFound(f"No goal {goal_id}.")
    relation = _relation()
    goal_ids = goal_and_below(goal.id)
    counts = trace_counts(goal_ids)
    found = traced_inputs_page(goal_ids, requested_page(), PER_PAGE, relation)

    def link(page: int | None) -> str | None:
        if page is None:
            return None
        return absolute_url("api.goal_trace", goal_id=goal.id, relation=relation, page=page)

    trace = schemas.make(
        schemas.GoalTrace,
        goal=schemas.make(
            schemas.TraceGoal,
            id=goal.id,
            code=goal.code,
            title=localized(goal, "title"),
            framework=goal.framework.slug,
            url=absolute_url("goals.goal", slug=goal.framework.slug, goal_id=goal.id),
        ),
        counts=schemas.make(schemas.TraceCounts, **vars(counts)),
        inputs=schemas.make(
            schemas.TracedInputPage,
            count=found.total,
            page=found.page,
            pages=found.pages,
            next=link(found.next_num),
            previous=link(found.prev_num),
            results=[_traced(row) for row in found.items],
        ),
    )
    return current_app.response_class(schemas.as_json(trace), mimetype="application/json")


@bp.route("/frameworks/<slug>/trace")
@cached_page
def framework_trace(slug: str) -> Response:
    """The framework's goals × the dialogues their public inputs came from, with counts."""
    found = framework_tree(slug)
    if found is None or not found.framework.is_public:
        raise NotFound(f"No framework {slug}.")
    framework = found.framework

    def data() -> bytes:
        matrix = trace_matrix(framework.id)
        slugs = {dialogue_id: dialogue_slug for dialogue_id, dialogue_slug, *_ in matrix.dialogues}
        english = current_language() == "en"
        return schemas.as_json(
            schemas.make(
                schemas.FrameworkTrace,
                framework=framework.slug,
                dialogues=[
                    {"slug": row[1], "title": (row[3] if english and row[3] else row[2])}
                    for row in matrix.dialogues
                ],
                goals=[
                    {
                        "goal": goal_id,
                        "code": code,
                        "title": title_en if english and title_en else title_sv,
                        "inputs": matrix.totals.get(goal_id, 0),
                        "by_dialogue": {
                            slugs[dialogue_id]: count
                            for (row_goal, dialogue_id), count in matrix.cells.items()
                            if row_goal == goal_id
                        },
                    }
                    for goal_id, code, title_sv, title_en in matrix.goals
                ],
            )
        )

    return kept_json(("api-framework-trace", slug), lambda: json_in_every_language(data))
