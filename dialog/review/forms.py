"""The review's filters, read from the query string; every label is translated."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from dialog.contributions.models import CONTRIBUTION_KIND_LABELS, GoalRelation, public_kinds
from dialog.core.routing import id_from
from dialog.dialogues.models import Group
from dialog.review.queries import NO_GROUP, ReviewFilters

# A search longer than this is cut (it is words to find, not a text).
MAX_SEARCH_LENGTH = 200
KIND_LABELS = {kind: CONTRIBUTION_KIND_LABELS[kind] for kind in public_kinds()}
RELATIONS = tuple(relation.value for relation in GoalRelation)
GROUPS = frozenset(group.value for group in Group) | {NO_GROUP}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _one_of(value: str | None, allowed: Any) -> str | None:
    return value if value and value in allowed else None


def review_filters(args: Mapping[str, Any]) -> ReviewFilters:
    """The filters from a query string; anything odd is simply no filter (a date that is
    not a date, a kind that does not exist), and a period given backwards is turned round."""
    since, until = _day(args.get("from")), _day(args.get("to"))
    if since and until and since > until:
        since, until = until, since
    text = " ".join(str(args.get("q") or "").split())[:MAX_SEARCH_LENGTH]
    return ReviewFilters(
        dialogue_id=id_from(args.get("dialogue")),
        kind=_one_of(args.get("kind"), KIND_LABELS),
        relation=_one_of(args.get("relation"), RELATIONS),
        group=_one_of(args.get("group"), GROUPS),
        since=since,
        until=until,
        text=text,
    )
