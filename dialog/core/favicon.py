"""The site's icon, also at /favicon.ico, where browsers ask for it on their own."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

ICON = "favicon.svg"
ONE_WEEK = 7 * 24 * 3600


def favicon() -> Response:
    """Serve the SVG icon: current browsers show it, and their automatic request is no 404."""
    icon: bytes = current_app.extensions["favicon"]
    response = Response(icon, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = ONE_WEEK
    response.add_etag()
    return response.make_conditional(request)


def init_favicon(app: Flask) -> None:
    """Answer /favicon.ico with the linked icon, read once (a few hundred bytes)."""
    app.extensions["favicon"] = (Path(app.static_folder or "static") / ICON).read_bytes()
    app.add_url_rule("/favicon.ico", "favicon", favicon)
