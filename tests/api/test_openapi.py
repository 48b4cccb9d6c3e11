"""The OpenAPI document: made from the answers' own models, it lists every endpoint, and
schemathesis finds no answer that does not fit it (on the demo municipality's data)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import select

from dialog.api import openapi
from dialog.contributions.models import GoalLink, public_kinds
from dialog.demo import loader
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Framework

DOCUMENT = "/api/v1/openapi.json"


def test_the_document_lists_every_endpoint_of_the_api(app, client):
    """Every route under /api/v1 but the catch-all and the document itself is described."""
    document = client.get(DOCUMENT).get_json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://localhost"}]
    routes = {
        rule.rule.replace("<slug>", "{slug}").replace("<int:goal_id>", "{goal_id}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        and rule.endpoint not in {"api.not_found", "api.openapi_document"}
    }
    assert set(document["paths"]) == routes
    for path_item in document["paths"].values():
        answer = path_item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        ref = answer.get("items", answer)["$ref"]
        assert ref.removeprefix("#/components/schemas/") in document["components"]["schemas"]


def test_the_document_says_what_an_answer_holds(client):
    """The models' fields are the document's: a contribution has no name or email field,
    and a framework's status lists its values."""
    schemas = client.get(DOCUMENT).get_json()["components"]["schemas"]
    fields = set(schemas["Contribution"]["properties"])
    assert {"id", "reference", "kind", "text", "goals", "status"} <= fields
    assert not fields & {"author_name", "author_email", "email", "name", "receipt_token"}
    assert schemas["Contribution"]["additionalProperties"] is False
    assert schemas["FrameworkStatus"]["enum"] == ["draft", "consultation", "adopted", "superseded"]
    assert schemas["Goal"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Goal"
    }


def test_the_document_is_the_same_as_the_code_makes_it(app, client):
    """What the endpoint serves is openapi.document() for the site's address, nothing else."""
    with app.app_context():
        made = openapi.document("http://localhost")
    assert client.get(DOCUMENT).get_json() == made


@pytest.fixture
def demo_municipality(app):
    """The demo municipality's frameworks, dialogues and inputs, for real answers."""
    with app.test_request_context():
        loader.load()
        db.session.commit()


def _real_cases(app: Flask, operation: APIOperation) -> st.SearchStrategy[Case]:
    """Requests that name what the demo municipality has: its slugs, goals and filters, so
    that the 200 answers are checked too (random slugs only ever find 404s)."""
    with app.app_context():
        frameworks = list(db.session.scalars(select(Framework.slug)))
        dialogues = list(db.session.scalars(select(Dialogue.slug)))
        goals = list(db.session.scalars(select(GoalLink.goal_id).distinct()))
    language = st.sampled_from(["sv", "en"])
    if operation.path in ("/api/v1/frameworks/{slug}", "/api/v1/frameworks/{slug}/trace"):
        slugs = st.fixed_dictionaries({"slug": st.sampled_from(frameworks)})
        return st.builds(
            _case(operation), path=slugs, query=st.fixed_dictionaries({"lang": language})
        )
    if operation.path == "/api/v1/dialogues/{slug}":
        slugs = st.fixed_dictionaries({"slug": st.sampled_from(dialogues)})
        return st.builds(
            _case(operation), path=slugs, query=st.fixed_dictionaries({"lang": language})
        )
    if operation.path == "/api/v1/goals/{goal_id}/trace":
        ids = st.fixed_dictionaries({"goal_id": st.sampled_from(goals)})
        query = st.fixed_dictionaries(
            {"lang": language},
            optional={
                "relation": st.sampled_from(["influenced", "related"]),
                "page": st.integers(1, 2),
            },
        )
        return st.builds(_case(operation), path=ids, query=query)
    if operation.path == "/api/v1/contributions":
        filters = st.fixed_dictionaries(
            {},
            optional={
                "dialogue": st.sampled_from(dialogues),
                "goal": st.sampled_from(goals),
                "kind": st.sampled_from(public_kinds()),
                "page": st.integers(1, 3),
            },
        )
        return st.builds(_case(operation), path=st.just({}), query=filters)
    return operation.as_strategy()


def _case(operation: APIOperation):  # noqa: ANN202
    def make(path: dict[str, Any], query: dict[str, Any]) -> Case:
        return operation.Case(path_parameters=path, query=query)

    return make


@pytest.mark.parametrize("path", [operation.path for operation in openapi.operations()])
def test_every_answer_fits_the_document(app, demo_municipality, path):
    """Generated requests to each endpoint (any slug, id, filter, page or language, and the
    demo's own): no server error, and every answer (status, content type, body) is one the
    document describes."""
    operation = schemathesis.openapi.from_wsgi(DOCUMENT, app)[path]["GET"]

    @given(case=st.one_of(operation.as_strategy(), _real_cases(app, operation)))
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def answers_fit(case: Case) -> None:
        # A filter naming no dialogue or goal is a documented 400, though any string or
        # number fits the parameter's schema: that one check is left out.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    answers_fit()
