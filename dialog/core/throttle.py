"""Rate limits that a view checks itself, so it can answer with its form still filled in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_wtf import FlaskForm
from limits import parse_many

from dialog.extensions import limiter


def client_address() -> str:
    """The address the request came from, as the throttles key it."""
    return request.remote_addr or "unknown"


@dataclass(frozen=True)
class Throttle:
    """A named set of limits (e.g. "5/minute;20/hour") and what the form says when used up.

    setting: the name of a config value that holds the limits instead (set from the
    environment), when a site must be able to change them.
    """

    scope: str
    limits: str
    message: Any
    setting: str | None = None

    def _limits(self) -> str:
        if self.setting is None:
            return self.limits
        return str(current_app.config.get(self.setting) or self.limits)

    def refuses(self, form: FlaskForm, key: str) -> bool:
        """Tell whether the limits for key are used up; if so, put the message on the form.

        The view then answers 429 with the form, so nothing typed is lost.
        """
        if not current_app.config["RATELIMIT_ENABLED"]:
            return False
        if all(limiter.limiter.test(item, self.scope, key) for item in parse_many(self._limits())):
            return False
        form.form_errors.append(str(self.message))
        return True

    def count(self, key: str) -> None:
        """Count one attempt against each of the limits for key."""
        if not current_app.config["RATELIMIT_ENABLED"]:
            return
        for item in parse_many(self._limits()):
            limiter.limiter.hit(item, self.scope, key)

    def attempt(self, form: FlaskForm, key: str) -> bool:
        """Count an attempt unless the limits are used up; True (message on the form) if so."""
        if self.refuses(form, key):
            return True
        self.count(key)
        return False
