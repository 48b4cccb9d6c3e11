"""Dialogue pages: the public list and page, sign-up and calendar file, and the pages the
facilitators run a dialogue with (planning, registrations, capture, feedback report).

One blueprint; the routes are in ``public``, ``manage`` and ``capture``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dialogues", __name__)

# Import the route modules after the blueprint exists, so their decorators can use it.
from dialog.dialogues.views import capture, manage, public  # noqa: E402, F401

__all__ = ["bp"]
