"""Text as it is typed, and user HTML sanitised once, on write: one bleach Cleaner.

Two kinds of text come in. Plain text (a workshop note, a name, anything typed without
formatting) is not HTML: it is kept exactly as typed and escaped on output, so "a < b" and
"<3" survive. Rich text (a feedback report, a description) is HTML reduced to an allowlist;
when that would remove more than whitespace, the author sees what will be stored and
confirms it first (``clean_rich_fields``).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import bleach
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup, escape

from dialog.core.i18n import _
from dialog.core.rules import RuleError

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "h2", "h3"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _nofollow(attrs: dict, new: bool = False) -> dict:
    # Links in what people write: no ranking for spam, no access to our window or address.
    attrs[(None, "rel")] = "nofollow ugc noopener noreferrer"
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
# The markup of an allowed tag, as typed: what the cleaner keeps (or normalises) as markup.
_ALLOWED_TAG = re.compile(
    r"</?(?:{names})\b[^>]*>".format(names="|".join(sorted(ALLOWED_TAGS, key=len, reverse=True))),
    re.IGNORECASE,
)
_WHITESPACE = re.compile(r"\s+")


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


# Plain text ------------------------------------------------------------------------------


def typed_text(value: str | None) -> str:
    """Return plain text as typed: line breaks as LF, only each line's ends trimmed."""
    lines = (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def text_html(text: str) -> str:
    """Return plain text as HTML that shows it exactly: escaped, line breaks kept."""
    return str(Markup("<br>\n").join(escape(line) for line in text.split("\n")))


# Rich text -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RichText:
    """Rich text once cleaned: the HTML to store and show, its text, and whether text was lost."""

    html: str
    text: str
    lost: bool


def _visible(markup_free: str) -> str:
    return _WHITESPACE.sub("", html.unescape(markup_free))


def loses_text(raw: str, clean: str) -> bool:
    """Tell whether cleaning removed something that was not whitespace or allowed markup.

    "<fler bänkar>" or "<script>…" typed into a rich-text field is taken out by the
    cleaner; "a < b", "&" or a link are kept (escaped or made a link), so they count as kept.
    """
    return _visible(_ALLOWED_TAG.sub("", raw)) != _visible(_TAG.sub("", clean))


def clean_rich(raw: str | None) -> RichText:
    """Sanitise rich text once, on write: the clean HTML, its plain text and what was lost."""
    raw = (raw or "").replace("\r\n", "\n")
    clean = clean_html(raw)
    return RichText(clean, plain_text(clean), loses_text(raw, clean))


def fingerprint(texts: Mapping[str, str]) -> str:
    """A digest of the typed texts an author confirmed, so a changed text asks again."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        text = texts[name].replace("\r\n", "\n").strip()
        digest.update(f"{name}\0{text}\0".encode())
    return digest.hexdigest()[:32]


class TextLossError(RuleError):
    """Cleaning would remove text the author typed; they confirm what will be stored first.

    previews maps each affected field to the HTML that would be stored; confirmation is
    the fingerprint to send back with the same text to store it.
    """

    def __init__(self, previews: dict[str, str], confirmation: str) -> None:
        super().__init__(
            _(
                "Some of what you wrote is not allowed and would be removed. Check what will "
                "be stored under each marked field, then send the form again to store it, "
                "or change the text."
            )
        )
        self.previews = previews
        self.confirmation = confirmation


def clean_rich_fields(
    fields: Mapping[str, str | None], confirmed: str | None = None
) -> dict[str, RichText | None]:
    """Clean each rich-text field (None or blank stays None).

    Raise TextLossError when cleaning would remove text from any field, unless the author
    already confirmed exactly this text (confirmed is the fingerprint they were shown).
    """
    cleaned: dict[str, RichText | None] = {}
    for name, raw in fields.items():
        cleaned[name] = clean_rich(raw) if raw is not None and raw.strip() else None
    lossy = {name: rich for name, rich in cleaned.items() if rich is not None and rich.lost}
    if lossy:
        expected = fingerprint({name: fields[name] or "" for name in lossy})
        if confirmed != expected:
            raise TextLossError({name: rich.html for name, rich in lossy.items()}, expected)
    return cleaned
