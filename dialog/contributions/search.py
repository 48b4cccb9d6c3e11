"""Full-text search over inputs: one condition, the same on SQLite and PostgreSQL.

Each input keeps the stems of its public text in ``search_text`` (``dialog.core.words``),
so "bostad" finds "bostäder" and "cykelbana" finds "cykelbanor" on both databases. SQLite
searches its FTS5 table over that column, PostgreSQL its GIN index on the column's Swedish
text search vector (see ``contributions.models``). Every word of the search must be found,
each as a stem or the start of a longer one (so "cykel" also finds "cykelbanor").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, bindparam, column, func, literal_column, select, table, text

from dialog.contributions.models import FULLTEXT_TABLE, Contribution
from dialog.core.words import search_words
from dialog.extensions import db

_SWEDISH: ColumnElement[Any] = literal_column(
    "'swedish'"
)  # written into the SQL: the index's own expression
_fulltext = table(FULLTEXT_TABLE, column("rowid"))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def matches_search(query: str) -> ColumnElement[bool] | None:
    """The condition that an input's public text holds every word of the query, in any of
    its forms; None when the query has no word to search for."""
    words = search_words(query)
    if not words:
        return None
    if _dialect() == "postgresql":
        terms = " & ".join(f"{word}:*" for word in words)
        vector = func.to_tsvector(_SWEDISH, Contribution.search_text)
        return vector.bool_op("@@")(func.to_tsquery(_SWEDISH, bindparam("search", terms)))
    terms = " ".join(f'"{word}"*' for word in words)
    found = select(_fulltext.c.rowid).where(
        text(f"{FULLTEXT_TABLE} MATCH :search").bindparams(search=terms)
    )
    return Contribution.id.in_(found)
