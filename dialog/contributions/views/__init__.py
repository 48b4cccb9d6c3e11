"""Residents' input pages: proposals with their supports (``proposals``), comments on them
(``comments``), and the secret receipt pages with a resident's own inputs (``receipts``).

One blueprint; what the route modules share is in ``helpers``.
"""

from __future__ import annotations

# Import the route modules after the blueprint exists, so their decorators can use it.
from dialog.contributions.views import comments, proposals, receipts  # noqa: E402, F401, I001
from dialog.contributions.views.helpers import bp

__all__ = ["bp"]
