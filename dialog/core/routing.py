"""URL converters every route shares."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

# The largest id an INTEGER primary key holds (32 bits on PostgreSQL).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>``: a number an id column can hold; a larger one does not match (404).

    Werkzeug's converter takes any length, and the database then fails on the number
    ("integer out of range", "Python int too large to convert to SQLite INTEGER").
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_routing(app: Flask) -> None:
    """Replace the int converter; call before any blueprint is registered."""
    app.url_map.converters["int"] = IdConverter
