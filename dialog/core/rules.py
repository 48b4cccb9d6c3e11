"""The exception every area's services raise when a rule is broken."""

from __future__ import annotations


class RuleError(Exception):
    """A rule was broken; the message is translated and safe to show.

    field names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
