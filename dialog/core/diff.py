"""Showing what changed between two texts, word by word, for sighted and screen-reader users."""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

from dialog.core.i18n import _

_TOKENS = re.compile(r"\s+|[^\s]+")
_MARKS = {
    "del": Markup('<del><span class="visually-hidden">{label} </span>{text}</del>'),
    "ins": Markup('<ins><span class="visually-hidden">{label} </span>{text}</ins>'),
}


def _mark(tokens: list[str], tag: str, label: str) -> Markup:
    text = "".join(tokens)
    if not text.strip():
        return escape(text)
    return _MARKS[tag].format(label=label, text=text)


def word_diff(old: str | None, new: str | None) -> tuple[Markup, Markup]:
    """Mark the words removed from old with <del> and those added in new with <ins>."""
    old_tokens = _TOKENS.findall(old or "")
    new_tokens = _TOKENS.findall(new or "")
    removed_label, added_label = _("Removed:"), _("Added:")
    left: list[Markup] = []
    right: list[Markup] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            left.append(escape("".join(old_tokens[a1:a2])))
            right.append(escape("".join(new_tokens[b1:b2])))
            continue
        if a2 > a1:
            left.append(_mark(old_tokens[a1:a2], "del", removed_label))
        if b2 > b1:
            right.append(_mark(new_tokens[b1:b2], "ins", added_label))
    return Markup("").join(left), Markup("").join(right)
