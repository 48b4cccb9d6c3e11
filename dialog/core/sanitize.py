"""Sanitising user HTML once, on write: one bleach Cleaner, configured once."""

from __future__ import annotations

import html
import re

import bleach
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "h2", "h3"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _nofollow(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[lambda source: LinkifyFilter(source, callbacks=[_nofollow])],
)
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h2|h3|blockquote)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")


def clean_html(raw: str) -> str:
    """Return raw user HTML reduced to the allowed tags, with links made safe."""
    return _cleaner.clean(raw or "").strip()


def plain_text(clean: str) -> str:
    """Return the text of already-clean HTML, one line per block."""
    text = _BLOCK_END.sub("\n", clean)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def optional_text(value: str | None) -> str | None:
    """Strip a plain-text field; an empty field is no text (None)."""
    if value is None:
        return None
    # Browsers send line breaks as CRLF; store them as LF so paragraphs split the same way.
    value = value.replace("\r\n", "\n").strip()
    return value or None
