"""Rate limits that a view checks itself, so it can answer with its form still filled in."""

from __future__ import annotations

from flask import current_app
from limits import parse_many

from dialog.extensions import limiter


def is_throttled(scope: str, key: str, limits: str) -> bool:
    """Tell whether any of the limits (e.g. "5/minute;20/hour") is used up for key."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    return any(not limiter.limiter.test(item, scope, key) for item in parse_many(limits))


def count_attempt(scope: str, key: str, limits: str) -> None:
    """Count one attempt against each of the limits for key."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    for item in parse_many(limits):
        limiter.limiter.hit(item, scope, key)
