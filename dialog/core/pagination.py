"""Page numbers from the query string, and pages that always exist.

One rule everywhere: a page number that is missing, not a whole number or below 1 gives the
first page; a page past the end gives the last page. Never an error, never a number the
database cannot take as an OFFSET.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from dialog.extensions import db

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


def paginate(query: Select[Any], page: int, per_page: int) -> Pagination:
    """One page of the query's rows; a page past the end gives the last page."""
    result = db.paginate(query, page=page, per_page=per_page, error_out=False)
    if page > 1 and not result.items and result.pages:
        # Asked past the end (a bookmark from a longer list, a hand-made URL): two more
        # queries here spare every other request a count before its items.
        result = db.paginate(query, page=result.pages, per_page=per_page, error_out=False)
    return result
