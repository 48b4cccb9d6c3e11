"""Sanitising user HTML once, on write."""

from __future__ import annotations

import pytest

from dialog.core.sanitize import (
    TextLossError,
    clean_html,
    clean_rich,
    clean_rich_fields,
    plain_text,
    text_html,
    typed_text,
)


def test_scripts_and_handlers_are_removed():
    """Scripts, event handlers and images are stripped from stored HTML; the text stays."""
    dirty = '<p onclick="x()">Hej<script>alert(1)</script> <img src=x onerror=y></p>'
    clean = clean_html(dirty)
    assert "<script" not in clean
    assert "onclick" not in clean
    assert "<img" not in clean
    assert clean.startswith("<p>Hej")


def test_javascript_links_are_dropped_and_others_get_nofollow():
    """A javascript: link loses its href; other links get rel="nofollow noopener"."""
    clean = clean_html('<a href="javascript:alert(1)">x</a> <a href="https://example.se">y</a>')
    assert "javascript:" not in clean
    assert 'rel="nofollow ugc noopener noreferrer"' in clean


def test_bare_urls_become_links():
    """A bare URL in the text is turned into a link."""
    assert 'href="https://koping.se"' in clean_html("Se https://koping.se")


def test_plain_text_keeps_one_line_per_block():
    """The plain text of clean HTML has entities decoded and one line per paragraph or item."""
    clean = clean_html(
        "<p>Fler &amp; bättre <strong>cykelbanor</strong></p><ul><li>Ett</li><li>Två</li></ul>"
    )
    assert plain_text(clean) == "Fler & bättre cykelbanor\nEtt\nTvå"


def test_plain_text_is_kept_as_typed_and_escaped_for_html():
    """Plain text keeps every character; only line ends are trimmed; its HTML escapes it."""
    typed = "  Vi vill ha <fler bänkar> vid ån \r\n<3 & \u200fé\u0301 🍦  "
    assert typed_text(typed) == "Vi vill ha <fler bänkar> vid ån\n<3 & \u200fé\u0301 🍦"
    assert text_html("a < b\n<3 & c") == "a &lt; b<br>\n&lt;3 &amp; c"


@pytest.mark.parametrize(
    ("raw", "lost"),
    [
        ("Vi vill ha <fler bänkar> vid ån", True),
        ("<p>Hej</p><script>alert(1)</script>", True),
        ("x<!-- a comment -->", True),
        ("a < b & b > c, <3", False),
        ("<P>Fika &amp; <STRONG>samtal</STRONG></P><br/>", False),
        ("Se https://koping.se 🍦 \u200fمرحبا\u200f e\u0301", False),
        ("<ul>\n  <li>Ett</li>\n</ul>", False),
    ],
)
def test_rich_text_tells_when_cleaning_removes_more_than_markup(raw, lost):
    """Only text the allowlist takes out counts as lost; escaping and allowed tags do not."""
    assert clean_rich(raw).lost is lost


def test_lost_text_is_stored_only_with_the_confirmation_of_that_text(app):
    """The confirmation covers exactly the text it was given for."""
    with app.test_request_context():
        fields = {"body": "Vi vill ha <fler bänkar>", "other": "<p>ok</p>", "empty": " "}
        with pytest.raises(TextLossError) as raised:
            clean_rich_fields(fields)
        assert raised.value.previews == {"body": "Vi vill ha"}
        confirmed = clean_rich_fields(fields, raised.value.confirmation)
        assert confirmed["body"] is not None
        assert confirmed["body"].html == "Vi vill ha"
        assert confirmed["empty"] is None
        with pytest.raises(TextLossError):
            clean_rich_fields(
                {**fields, "body": "Vi vill ha <fler bord>"}, raised.value.confirmation
            )
