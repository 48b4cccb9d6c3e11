"""The site's own pages (start, accessibility, privacy, language), the content pages the
web editors write, and the page comments residents send them.

One blueprint; the routes are in ``site``, ``content`` and ``comments``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pages", __name__)

# Import the route modules after the blueprint exists, so their decorators can use it.
from dialog.pages.views import comments, content, site  # noqa: E402, F401

__all__ = ["bp"]
