"""The shapes of the open data API: each answer is one of these models, serialised by
pydantic, and the OpenAPI document (``dialog.api.openapi``) is generated from the same
models, so the document cannot describe anything the code does not send.

The views fill the models from the database; the models hold no rules, only the fields,
their types and what they mean.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from dialog.contributions.models import ContributionKind, GoalRelation
from dialog.dialogues.models import DialogueFormat, DialogueStatus, Group, Level
from dialog.goals.models import Direction, FrameworkKind, FrameworkStatus, GoalKind


class Schema(BaseModel):
    """A model of the API: closed (no field that is not described) and documented."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiError(Schema):
    """Every error under /api/: a name to test on and a sentence to read."""

    error: str = Field(description='What went wrong, e.g. "not_found", "bad_request".')
    message: str = Field(description="What went wrong, for a person to read.")


class FrameworkSummary(Schema):
    """A published goal framework (a version of the municipality's goals or strategy)."""

    slug: str
    url: str = Field(description="The framework's page on the site.")
    title: str
    kind: FrameworkKind
    status: FrameworkStatus = Field(description="Never a draft: drafts are not published.")
    period_start: int | None
    period_end: int | None
    adopted_on: str | None = Field(
        description='ISO 8601, as precise as known: "2020", "2020-11" or "2020-11-23".'
    )
    adopted_by: str | None
    supersedes: str | None = Field(description="The slug of the version it replaced.")


class Point(Schema):
    year: int
    value: float | None


class Measurement(Schema):
    year: int
    value: float


class Indicator(Schema):
    name: str
    unit: str | None
    direction: Direction | None = Field(description="Which way the value should go.")
    baseline: Point | None
    target: Point | None
    kolada_kpi: str | None = Field(description="The KPI's id in Kolada, when it has one.")
    measurements: list[Measurement]


class Goal(Schema):
    """A goal area, a sub-goal or a priority area, with the goals under it."""

    id: int
    code: str | None
    kind: GoalKind
    title: str
    statement: str | None
    sdgs: list[int] = Field(description="The numbers (1–17) of the Agenda 2030 goals it serves.")
    indicators: list[Indicator]
    children: list[Goal]


class Framework(FrameworkSummary):
    """A framework with its vision and its tree of goals."""

    vision: str | None
    goals: list[Goal]


class FeedbackReport(Schema):
    """What the municipality heard in a dialogue and what happens next."""

    published_at: str | None
    heard: str | None
    heard_html: str | None
    next_steps: str | None
    next_steps_html: str | None
    decisions_expected: str | None


class Dialogue(Schema):
    """A citizen dialogue, workshop or online consultation, with its counts."""

    slug: str
    url: str
    title: str
    framework: str | None = Field(description="Its framework's slug; null while in draft.")
    focus_goals: list[int] = Field(description="Ids of the goals it asks about.")
    format: DialogueFormat
    audiences: list[Group]
    level: Level = Field(description="Its step on the participation ladder.")
    starts_at: str | None
    ends_at: str | None
    opens_at: str | None
    closes_at: str | None
    status: DialogueStatus
    headcount: dict[Group, int] = Field(description="Participants by group.")
    contribution_count: int = Field(description="Its published inputs.")
    feedback_report: FeedbackReport | None


class GoalReference(Schema):
    id: int
    relation: GoalRelation


class Contribution(Schema):
    """A resident's public input: never a name, an address or anything not published."""

    id: int
    reference: str | None
    kind: ContributionKind
    dialogue: str | None
    title: str | None
    text: str
    html: str
    created_at: str | None
    support_count: int
    comment_count: int
    goals: list[GoalReference]
    status: Literal["published", "withdrawn"]
    parent: int | None = Field(description="A comment: the proposal it is on.")
    reply_to: int | None = Field(description="A reply: the comment it answers.")


class ContributionPage(Schema):
    """One page of public inputs, with links to the pages before and after it."""

    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[Contribution]


class TraceGoal(Schema):
    id: int
    code: str | None
    title: str
    framework: str = Field(description="The framework's slug.")
    url: str = Field(description="The goal's page, with its trace.")


class TraceCounts(Schema):
    """The public inputs staff linked to the goal (or a goal under it), each counted once."""

    inputs: int
    dialogues: int = Field(description="The dialogues those inputs came from.")
    influenced: int = Field(description="Inputs that shaped the goal's wording or content.")
    related: int = Field(description="Inputs about the goal.")
    by_group: dict[str, int] = Field(
        description="Inputs by participant group (an input sent online is a resident's)."
    )
    participants: dict[str, int] = Field(
        description="People who took part in those dialogues, by group (their headcounts)."
    )


class TracedInput(Schema):
    """A public input linked to the goal: never its author."""

    id: int
    reference: str | None
    kind: ContributionKind
    dialogue: str | None
    goal: str | None = Field(description="The code of the goal it is linked to.")
    relation: Literal["related", "influenced"]
    rationale: str | None = Field(description="How it shaped the goal (an influence).")
    title: str | None
    text: str
    created_at: str | None


class TracedInputPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[TracedInput]


class GoalTrace(Schema):
    """How residents shaped a goal: the counts, then the inputs, influences first."""

    goal: TraceGoal
    counts: TraceCounts
    inputs: TracedInputPage


class MatrixDialogue(Schema):
    slug: str
    title: str


class MatrixRow(Schema):
    goal: int
    code: str | None
    title: str
    inputs: int = Field(description="Public inputs linked to the goal, each once.")
    by_dialogue: dict[str, int] = Field(description="Of those, per dialogue (by slug).")


class FrameworkTrace(Schema):
    """A framework's goals × dialogues: how many public inputs shaped each goal, and where."""

    framework: str
    dialogues: list[MatrixDialogue]
    goals: list[MatrixRow]


M = TypeVar("M", bound=BaseModel)


def make(model: type[M], **fields: Any) -> M:
    """The model from these fields, checked: enums from their stored strings, no field
    missing and none unknown (a mistake in a view fails its tests, not a reader)."""
    return model.model_validate(fields)


FRAMEWORK_LIST = TypeAdapter(list[FrameworkSummary])
DIALOGUE_LIST = TypeAdapter(list[Dialogue])


def as_json(model: BaseModel) -> bytes:
    return model.__pydantic_serializer__.to_json(model)


def list_as_json(adapter: TypeAdapter[Any], items: list[Any]) -> bytes:
    return adapter.dump_json(items)
