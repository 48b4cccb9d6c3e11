"""The OpenAPI 3.1 document of the open data API, made from the models that serialise its
answers (``dialog.api.schemas``): a field added to an answer is in the document at once.

Each endpoint is one ``Operation`` here; a test checks that every API route has one, and
another runs schemathesis against the document on both databases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from dialog.api import schemas
from dialog.contributions.models import public_kinds
from dialog.core.routing import MAX_ID
from dialog.dialogues.models import DialogueFormat, DialogueStatus

REF = "#/components/schemas/{model}"
TITLE = "Dialog open data"
VERSION = "1"


@dataclass(frozen=True)
class Operation:
    """One GET endpoint: where, what it answers (a model, or a list of one) and when it fails."""

    path: str
    summary: str
    answer: type[BaseModel]
    many: bool = False
    parameters: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _slug(description: str) -> dict[str, Any]:
    return {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


LANGUAGE = _query(
    "lang",
    "The language of the texts (else the Accept-Language header, else Swedish). A text "
    "missing in English is given in Swedish.",
    {"type": "string", "enum": ["sv", "en"]},
)
PAGE = _query(
    "page", "The page, from 1 (past the last: the last).", {"type": "integer", "minimum": 1}
)


def operations() -> list[Operation]:
    """Every endpoint of the API, in the order the document lists them."""
    return [
        Operation(
            "/api/v1/frameworks",
            "The published goal frameworks, the current ones first.",
            schemas.FrameworkSummary,
            many=True,
            parameters=[LANGUAGE],
        ),
        Operation(
            "/api/v1/frameworks/{slug}",
            "A published framework with its vision, goals, indicators and measurements.",
            schemas.Framework,
            parameters=[_slug("The framework's slug, from /api/v1/frameworks."), LANGUAGE],
            errors={404: "No published framework has this slug."},
        ),
        Operation(
            "/api/v1/dialogues",
            "The public dialogues, with their counts and feedback reports.",
            schemas.Dialogue,
            many=True,
            parameters=[
                _query(
                    "framework",
                    "Only the dialogues of this framework (its slug).",
                    {"type": "string"},
                ),
                _query(
                    "status",
                    "Only dialogues with this status.",
                    {"type": "string", "enum": [s.value for s in DialogueStatus]},
                ),
                _query(
                    "format",
                    "Only dialogues of this format.",
                    {"type": "string", "enum": [f.value for f in DialogueFormat]},
                ),
                LANGUAGE,
            ],
            errors={400: "An unknown status or format."},
        ),
        Operation(
            "/api/v1/dialogues/{slug}",
            "A public dialogue.",
            schemas.Dialogue,
            parameters=[_slug("The dialogue's slug, from /api/v1/dialogues."), LANGUAGE],
            errors={404: "No public dialogue has this slug."},
        ),
        Operation(
            "/api/v1/contributions",
            "Residents' published inputs, newest first, 50 a page.",
            schemas.ContributionPage,
            parameters=[
                _query(
                    "dialogue", "Only the inputs of this dialogue (its slug).", {"type": "string"}
                ),
                _query(
                    "goal",
                    "Only the inputs linked to this goal (its id).",
                    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                ),
                _query(
                    "kind", "Only inputs of this kind.", {"type": "string", "enum": public_kinds()}
                ),
                PAGE,
            ],
            errors={400: "An unknown dialogue, goal or kind."},
        ),
        Operation(
            "/api/v1/goals/{goal_id}/trace",
            "How residents shaped a goal: counts, then its public inputs (influences first).",
            schemas.GoalTrace,
            parameters=[
                {
                    "name": "goal_id",
                    "in": "path",
                    "required": True,
                    "description": "The goal's id, from /api/v1/frameworks/{slug}.",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                },
                _query(
                    "relation",
                    "Only inputs with this relation to the goal.",
                    {"type": "string", "enum": ["influenced", "related"]},
                ),
                PAGE,
                LANGUAGE,
            ],
            errors={400: "An unknown relation.", 404: "No public goal has this id."},
        ),
        Operation(
            "/api/v1/frameworks/{slug}/trace",
            "A framework's goals × dialogues: the public inputs that shaped each goal.",
            schemas.FrameworkTrace,
            parameters=[_slug("The framework's slug, from /api/v1/frameworks."), LANGUAGE],
            errors={404: "No published framework has this slug."},
        ),
    ]


def _response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _path_item(operation: Operation) -> dict[str, Any]:
    answer: dict[str, Any] = {"$ref": REF.format(model=operation.answer.__name__)}
    if operation.many:
        answer = {"type": "array", "items": answer}
    error = {"$ref": REF.format(model=schemas.ApiError.__name__)}
    responses: dict[str, Any] = {"200": _response("OK", answer)}
    for code, description in operation.errors.items():
        responses[str(code)] = _response(description, error)
    responses["503"] = _response("The database cannot be reached; try again (Retry-After).", error)
    return {
        "get": {
            "summary": operation.summary,
            "operationId": operation.path.removeprefix("/api/v1/")
            .replace("/{slug}", "-one")
            .replace("/{goal_id}", "-one")
            .replace("/", "-"),
            "parameters": operation.parameters,
            "responses": responses,
        }
    }


def document(base_url: str) -> dict[str, Any]:
    """The whole OpenAPI 3.1 document, for a site at base_url."""
    found = operations()
    models = {operation.answer for operation in found} | {schemas.ApiError}
    _, definitions = models_json_schema(
        [(model, "serialization") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template=REF,
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Published goal frameworks, dialogues and residents' public inputs, "
            "read-only and open to every origin. Never a name, an address or anything not "
            "published.",
        },
        "servers": [{"url": base_url}],
        "paths": {operation.path: _path_item(operation) for operation in found},
        "components": {"schemas": definitions.get("$defs", {})},
    }
