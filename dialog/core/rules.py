"""The exception every area's services raise when a rule is broken, and rules every area shares."""

from __future__ import annotations

import re

from dialog.core.i18n import _l

# The control characters (C0, DEL, C1: CR, LF, NUL, tab, NEL …) and the Unicode line and
# paragraph separators. None belongs in a title, a name, a place or a mail header.
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")

SINGLE_LINE_MESSAGE = _l(
    "Write this on one line, without tabs, line breaks or other control characters."
)


class RuleError(Exception):
    """A rule was broken; the message is translated and safe to show.

    field names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def is_single_line(value: str) -> bool:
    """Tell whether the text has no control character and no line break of any kind."""
    return _LINE_BREAKING.search(value) is None


def one_line(value: str) -> str:
    """The text with every run of control characters and line breaks made one space."""
    return _LINE_BREAKING.sub(" ", value).strip()


def single_line(value: str | None, field: str | None = None) -> str | None:
    """Return the value unchanged, or raise RuleError when it holds a control character.

    For text that reaches a service without a form (an import row, a command, demo data):
    the forms check the same through ``dialog.core.forms.Form``.
    """
    if value is not None and not is_single_line(value):
        raise RuleError(str(SINGLE_LINE_MESSAGE), field)
    return value
