"""Page numbers from the query string, and pages that always exist.

One rule everywhere: a page number that is missing, not a whole number or below 1 gives the
first page; a page past the end gives the last page. Never an error, never a number the
database cannot take as an OFFSET.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, inspect

from dialog.core.cache import remembered_count
from dialog.extensions import db

T = TypeVar("T")

# Far beyond any real list, and (page - 1) * per_page stays a 64-bit integer.
MAX_PAGE = 1_000_000_000


def requested_page(name: str = "page") -> int:
    """The page number asked for in the query string, between 1 and MAX_PAGE."""
    raw = request.args.get(name, "").strip()
    if not raw.isascii() or not raw.isdigit():
        return 1
    # Compare lengths first: int() of a 5,000-digit string raises, and costs time.
    number = int(raw) if len(raw) <= len(str(MAX_PAGE)) else MAX_PAGE
    return min(max(number, 1), MAX_PAGE)


class KeyCountPagination(SelectPagination):
    """Counts the rows by their primary keys only, once per change.

    Flask-SQLAlchemy counts a subquery of every column of the entity, long texts included,
    which the database then reads for each of thousands of rows just to count them; and it
    counts them again on every request (``dialog.core.cache.remembered_count``).
    """

    def _query_count(self) -> int:
        query: Select[Any] = self._query_args["select"]
        entity = query.column_descriptions[0]["entity"]
        keys = inspect(entity).primary_key if entity is not None else ()
        if not keys:  # not one ORM entity: count as Flask-SQLAlchemy does
            return super()._query_count()
        rows = query.with_only_columns(*keys, maintain_column_froms=True).order_by(None)
        return remembered_count(rows)


@dataclass(frozen=True)
class FrozenPage(Generic[T]):
    """One page of a list as plain values (items frozen by the caller), to keep between
    requests: what the lists and the pagination macro read of Flask-SQLAlchemy's page."""

    items: tuple[T, ...]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    @classmethod
    def of(cls, result: Pagination, items: Iterable[T]) -> FrozenPage[T]:
        """The page result, with its items replaced by (frozen copies of) them."""
        return cls(tuple(items), result.page, result.pages, result.total or 0)


class RowPagination(KeyCountPagination):
    """A page of rows of a few columns (``select(Model.id, Model.title)``): its items are
    the rows, not the first column of each; counted as KeyCountPagination counts."""

    def _query_items(self) -> list[Any]:
        query: Select[Any] = self._query_args["select"]
        query = query.limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(query))


def _page(query: Select[Any], page: int, per_page: int, rows: bool) -> Pagination:
    # As db.paginate() makes it (a pagination made by hand is not Flask-SQLAlchemy's public
    # API: tests/core/test_pagination.py notices when that changes).
    kind = RowPagination if rows else KeyCountPagination
    return kind(
        select=query,
        session=db.session(),
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
    )


def paginate(query: Select[Any], page: int, per_page: int, *, rows: bool = False) -> Pagination:
    """One page of the query's rows; a page past the end gives the last page.

    The items are the query's first column (an ORM object), or whole rows with ``rows``
    (a list that shows a few columns selects only those).
    """
    result = _page(query, page, per_page, rows)
    if page > 1 and not result.items and result.pages:
        # Asked past the end (a bookmark from a longer list, a hand-made URL): two more
        # queries here spare every other request a count before its items.
        result = _page(query, result.pages, per_page, rows)
    return result
