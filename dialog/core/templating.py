"""What every template can use: the municipality, the languages, the current URL."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask_babel import get_locale

from dialog.core.i18n import language_names


def _site_globals() -> dict[str, Any]:
    return {
        "municipality_name": current_app.config["MUNICIPALITY_NAME"],
        "language_names": language_names(),
        "current_locale": str(get_locale() or "sv"),
        "current_path": request.full_path.rstrip("?") if request else "/",
    }


def init_templating(app: Flask) -> None:
    """Give templates the site's globals; keep autoescape on and whitespace trimmed."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.context_processor(_site_globals)
