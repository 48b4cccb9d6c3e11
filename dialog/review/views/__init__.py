"""The review's pages: goal by goal and across a framework, the exports and the report.

One blueprint; its route modules are imported below once the blueprint exists.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review", __name__)

__all__ = ["bp"]

from dialog.review.views import exports, pages, shown  # noqa: E402, F401 - their routes
