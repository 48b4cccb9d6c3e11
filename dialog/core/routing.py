"""URL converters every route shares, and URLs built once."""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for
from flask.globals import _cv_request
from werkzeug.routing import IntegerConverter, Map

# The largest id an INTEGER primary key holds (32 bits on PostgreSQL).
MAX_ID = 2**31 - 1


def id_from(value: str | None) -> int | None:
    """The id a query-string value names, or None when it is not one an id column can hold."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


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
    app.extensions["fixed_urls"] = {}


FIXED_URLS = 2048
# The values a remembered URL may be built from: plain ones, compared by value.
_PLAIN_VALUES = (str, int, type(None))
# url_for's options for an absolute URL, which takes the request's host and scheme.
_ABSOLUTE = frozenset({"_external", "_scheme"})


def fixed_url(endpoint: str, **values: Any) -> str:
    """``url_for``, remembered per process: the same endpoint with the same values gives
    the same URL on every request (a menu's links, a static file, a dialogue's pages).

    A relative URL depends only on the URL map, the script root, the endpoint and the
    values, never on who asks or on the data; building one cost some 10 µs (werkzeug's
    rules and Flask's checks), a dozen a page. Built by url_for as asked: an absolute URL
    (``_external``, ``_scheme``), a blueprint-relative ``.name``, values that are not plain
    strings, numbers or None, and outside a request (a mail rendered by a command). The
    request context is read directly: through the proxies a lookup cost more than it saves.
    The store is bounded (ids make many keys): it is emptied when full.
    """
    context = _cv_request.get(None)
    if (
        context is None
        or endpoint[:1] == "."
        or not _ABSOLUTE.isdisjoint(values)
        or not all(type(value) in _PLAIN_VALUES for value in values.values())
    ):
        return url_for(endpoint, **values)
    key = (context.request.root_path, endpoint, *values.items())
    urls: dict[tuple[Any, ...], str] = context.app.extensions["fixed_urls"]
    url = urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(urls) >= FIXED_URLS:
            urls.clear()
        urls[key] = url
    return url
