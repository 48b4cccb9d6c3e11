"""Goal suggestions: the three goals of its framework an input is most likely about.

The model of each framework (``model.SuggestionModel``) is built from the database and kept
in this process's memory. Under every change generation (``core.cache.reference_data``:
any write through the application, on any worker) the framework's leaf goals and a
fingerprint of its confirmed inputs are read again, which costs four small queries; the
model is rebuilt only when they differ from what it was built from (a goal reworded, an
input confirmed, re-related or unlinked), so an unrelated write, a new proposal or a
support, does not rebuild it. Building is bounded: at most EXAMPLES_PER_GOAL of the
latest confirmed inputs per goal are learned from.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

from flask import current_app

from dialog.core.cache import reference_data
from dialog.goals.models import Goal
from dialog.trace import queries
from dialog.trace.model import SUGGESTIONS, Example, GoalDocument, Suggestion, SuggestionModel

# 30 leaf goals of 100 inputs each build in about 0.25 s of CPU (measured); the latest
# inputs teach the words residents use now, and older ones add little once a goal has this
# many (the goal's text and themes weigh 0.8 of the score).
EXAMPLES_PER_GOAL = 100
_BUILDING = threading.Lock()


def goal_document(goal: Goal) -> GoalDocument:
    """The texts that describe a goal: title, statement and indicators, and the names of its
    Agenda 2030 goals."""
    own = [goal.title_sv, goal.statement_sv or ""]
    own += [indicator.name_sv for indicator in goal.indicators]
    sdgs = [link.sdg.name_sv for link in goal.sdg_links]
    return GoalDocument(goal.id, goal.code, "\n".join(filter(None, own)), "\n".join(sdgs))


ModelKey = tuple[tuple[GoalDocument, ...], tuple[Hashable, ...]]


def _key(framework_id: int) -> ModelKey:
    documents = tuple(goal_document(goal) for goal in queries.leaf_goals(framework_id))
    return documents, queries.confirmed_fingerprint(framework_id)


def model_for(framework_id: int) -> SuggestionModel:
    """Return the framework's suggestion model, built again only when what it learns from
    changed (see the module's docstring)."""
    key = reference_data(("trace-key", framework_id), lambda: _key(framework_id))
    models: dict[int, tuple[ModelKey, SuggestionModel]] = current_app.extensions.setdefault(
        "trace_models", {}
    )
    held = models.get(framework_id)
    if held is not None and held[0] == key:
        return held[1]
    with _BUILDING:  # one build per change, not one per waiting thread
        held = models.get(framework_id)
        if held is not None and held[0] == key:
            return held[1]
        documents = key[0]
        examples = [
            Example(goal_id, text)
            for goal_id, text in queries.confirmed_inputs(framework_id, EXAMPLES_PER_GOAL)
        ]
        model = SuggestionModel(documents, examples)
        models[framework_id] = (key, model)
    return model


def suggest_for_text(framework_id: int, text: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Return the framework's leaf goals most likely meant by the text, best first."""
    return model_for(framework_id).suggest(text, limit)


def suggest_for_contribution(contribution_id: int, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Return the leaf goals of its dialogue's framework most likely meant by the input,
    best first; none for an input without a dialogue (a page comment) or no such input."""
    framework_id = queries.framework_id_of_contribution(contribution_id)
    text = queries.contribution_text(contribution_id)
    if framework_id is None or text is None:
        return []
    return suggest_for_text(framework_id, text, limit)
