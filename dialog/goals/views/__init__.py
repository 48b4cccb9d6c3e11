"""Goal pages: the public frameworks, goals and comparisons, and their administration.

One blueprint; the routes are in ``public``, ``admin`` and ``indicators``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("goals", __name__)

# Import the route modules after the blueprint exists, so their decorators can use it.
from dialog.goals.views import admin, indicators, public  # noqa: E402, F401

__all__ = ["bp"]
