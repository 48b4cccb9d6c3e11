"""What the review's pages print besides the inputs, worked out in Python rather than in
the templates (a Jinja macro call per label or number cost more than the page's queries):
the filters' options, and the figures' tables with their labels and numbers, kept in both
languages until the next change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal

from dialog.core.cache import in_every_language, reference_data
from dialog.core.i18n import _, current_language, localized
from dialog.review import queries
from dialog.review.forms import KIND_LABELS, RELATIONS
from dialog.review.queries import NO_GROUP, Figures, ReviewFilters, Scope
from dialog.review.views.helpers import group_label, kind_label, month_label, relation_label


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class Table:
    """A table of counts: its caption, the heading of its first column, and its rows as
    (label, count as the reader writes numbers)."""

    caption: str
    heading: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Options:
    dialogues: tuple[Option, ...]
    kinds: tuple[Option, ...]
    relations: tuple[Option, ...]
    groups: tuple[Option, ...]


def dialogue_titles(scope: Scope) -> dict[int, str]:
    """The framework's dialogues' titles in the reader's language, by id."""
    return {
        choice.id: localized(choice, "title") or ""
        for choice in queries.review_choices(scope.framework_id).dialogues
    }


def _options(values: Iterable[Any], label: Callable[[Any], str], chosen: Any) -> tuple[Option, ...]:
    return tuple(Option(str(value), label(value), value == chosen) for value in values)


def _groups(figures: Figures, scope: Scope, filters: ReviewFilters) -> list[str]:
    """The groups to filter by: the dialogues' audiences, and any group an input has."""
    found = set(queries.review_choices(scope.framework_id).audiences)
    found.update(group for group, _count in figures.by_group)
    if filters.group:
        found.add(filters.group)
    found.discard(NO_GROUP)
    return sorted(found, key=group_label) + [NO_GROUP]


def filter_options(
    scope: Scope, filters: ReviewFilters, figures: Figures, titles: dict[int, str]
) -> Options:
    """The filter form's choices, the chosen ones marked."""
    return Options(
        dialogues=_options(titles, lambda id_: titles[id_], filters.dialogue_id),
        kinds=_options(KIND_LABELS, kind_label, filters.kind),
        relations=_options(RELATIONS, relation_label, filters.relation),
        groups=_options(_groups(figures, scope, filters), group_label, filters.group),
    )


def _table(caption: str, heading: str, counts: Iterable[tuple[Any, int]], label: Any) -> Table:
    return Table(
        caption, heading, tuple((label(value), format_decimal(count)) for value, count in counts)
    )


def _tables(figures: Figures, titles: dict[int, str]) -> tuple[Table, ...]:
    def dialogue(dialogue_id: int | None) -> str:
        return titles.get(dialogue_id or 0) or _("No dialogue")

    tables = (
        _table(
            _("Inputs by relation to the goal"), _("Relation"), figures.by_relation, relation_label
        ),
        _table(_("Inputs by kind"), _("Kind"), figures.by_kind, kind_label),
        _table(_("Inputs by participant group"), _("Group"), figures.by_group, group_label),
        _table(_("Inputs by dialogue"), _("Dialogue"), figures.by_dialogue, dialogue),
        _table(_("Inputs by month sent"), _("Month"), figures.by_month, month_label),
    )
    return tuple(table for table in tables if table.rows)


def figure_tables(scope: Scope, filters: ReviewFilters, figures: Figures) -> tuple[Table, ...]:
    """The figures' tables in the reader's language, made once per change for both."""

    def make() -> tuple[Table, ...]:
        return _tables(figures, dialogue_titles(scope))

    key = ("review-figure-tables", scope, filters)
    return reference_data(key, lambda: in_every_language(make))[current_language()]
