"""Moderation's pages: the editors' queue and decisions, residents' reports, the figures.

One blueprint; its route modules are imported below once the blueprint exists.
"""

from __future__ import annotations

from flask import Blueprint

from dialog.moderation import models as _models  # noqa: F401 - its tables, before any route

bp = Blueprint("moderation", __name__)

__all__ = ["bp"]

from dialog.moderation.views import figures, helpers, inputs, queue, reports  # noqa: E402, F401 - their routes  # noqa: E402, F401 - their routes
