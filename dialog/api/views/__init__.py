"""Open data: the published goal frameworks as JSON, read-only, open to every origin.

The language is ``?lang=sv|en``, else the Accept-Language header, else Swedish; a text
missing in the chosen language is given in Swedish.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import NotFound

from dialog.api import openapi, schemas
from dialog.core.cache import cached_page, in_every_language, reference_data
from dialog.core.i18n import localized
from dialog.core.urls import absolute_url
from dialog.goals.models import Indicator
from dialog.goals.queries import (
    FrameworkSummary,
    GoalNode,
    framework_tree,
    public_frameworks,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _language() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang", "").strip().lower()
    if asked in languages:
        return asked
    return request.accept_languages.best_match(languages) or "sv"


def json_in_every_language(data: Callable[[], bytes]) -> dict[str, bytes]:
    """The JSON data() makes (``schemas.as_json``), made once in each language."""
    return in_every_language(data)


def kept_json(name: Hashable, build: Callable[[], dict[str, bytes]]) -> Response:
    """Answer with the JSON build() makes in every language (``json_in_every_language``), in
    the language asked for.

    The same for every reader of the language: kept in process memory until the next
    change (``dialog.core.cache.reference_data``), so the data is neither read nor written
    out again on every request.
    """
    bodies = reference_data(name, build)
    return current_app.response_class(bodies[_language()], mimetype="application/json")


def _adopted_on(framework: FrameworkSummary) -> str | None:
    """ISO 8601, as precise as the decision's date is known ("2020-11" for November 2020)."""
    if framework.adopted_on is None:
        return None
    iso = framework.adopted_on.isoformat()
    return {"year": iso[:4], "month": iso[:7]}.get(framework.adopted_on_precision, iso)


def _framework_summary(framework: FrameworkSummary) -> dict[str, object]:
    supersedes = framework.public_supersedes
    return {
        "slug": framework.slug,
        "url": absolute_url("goals.framework", slug=framework.slug),
        "title": localized(framework, "title"),
        "kind": framework.kind,
        "status": framework.status,
        "period_start": framework.period_start,
        "period_end": framework.period_end,
        "adopted_on": _adopted_on(framework),
        "adopted_by": localized(framework, "adopted_by"),
        "supersedes": supersedes.slug if supersedes is not None else None,
    }


def _point(year: int | None, value: float | None) -> schemas.Point | None:
    return None if year is None else schemas.make(schemas.Point, year=year, value=value)


def _indicator(indicator: Indicator) -> schemas.Indicator:
    return schemas.make(
        schemas.Indicator,
        name=localized(indicator, "name"),
        unit=localized(indicator, "unit"),
        direction=indicator.direction,
        baseline=_point(indicator.baseline_year, indicator.baseline_value),
        target=_point(indicator.target_year, indicator.target_value),
        kolada_kpi=indicator.kolada_kpi,
        measurements=[
            schemas.make(schemas.Measurement, year=m.year, value=m.value)
            for m in indicator.measurements
        ],
    )


def _goal(node: GoalNode) -> schemas.Goal:
    goal = node.goal
    return schemas.make(
        schemas.Goal,
        id=goal.id,
        code=goal.code,
        kind=goal.kind,
        title=localized(goal, "title"),
        statement=localized(goal, "statement"),
        sdgs=[link.sdg_number for link in goal.sdg_links],
        indicators=[_indicator(indicator) for indicator in goal.indicators],
        children=[_goal(child) for child in node.children],
    )


@bp.route("/frameworks")
@cached_page
def frameworks() -> Response:
    def build() -> dict[str, bytes]:
        found = public_frameworks()
        return json_in_every_language(
            lambda: schemas.list_as_json(
                schemas.FRAMEWORK_LIST,
                [schemas.make(schemas.FrameworkSummary, **_framework_summary(f)) for f in found],
            )
        )

    return kept_json("api-frameworks", build)


@bp.route("/frameworks/<slug>")
@cached_page
def framework(slug: str) -> Response:
    found = framework_tree(slug)
    if found is None or not found.framework.is_public:
        raise NotFound(f"No framework {slug}.")
    tree = found

    def data() -> bytes:
        return schemas.as_json(
            schemas.make(
                schemas.Framework,
                **_framework_summary(FrameworkSummary.of(tree.framework)),
                vision=localized(tree.framework, "vision"),
                goals=[_goal(node) for node in tree.tree],
            )
        )

    return kept_json(("api-framework", slug), lambda: json_in_every_language(data))


@bp.route("/openapi.json")
@cached_page
def openapi_document() -> Response:
    """The OpenAPI 3.1 document of this API, made from the models its answers are made of."""
    return jsonify(openapi.document(absolute_url("pages.home").rstrip("/")))


@bp.route("/<path:path>")
def not_found(path: str) -> Response:
    # Here rather than left to routing, so that the answer is open to every origin too.
    # Errors under /api/ are JSON through dialog.core.errors.
    raise NotFound(f"No resource /api/v1/{path}.")


@bp.after_request
def open_to_every_origin(response: Response) -> Response:
    if request.method in READ_METHODS:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Vary"] = "Accept-Language"
    return response
