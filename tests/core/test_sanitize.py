"""Sanitising user HTML once, on write."""

from __future__ import annotations

from dialog.core.sanitize import clean_html, plain_text


def test_scripts_and_handlers_are_removed():
    dirty = '<p onclick="x()">Hej<script>alert(1)</script> <img src=x onerror=y></p>'
    clean = clean_html(dirty)
    assert "<script" not in clean
    assert "onclick" not in clean
    assert "<img" not in clean
    assert clean.startswith("<p>Hej")


def test_javascript_links_are_dropped_and_others_get_nofollow():
    clean = clean_html('<a href="javascript:alert(1)">x</a> <a href="https://example.se">y</a>')
    assert "javascript:" not in clean
    assert 'rel="nofollow noopener"' in clean


def test_bare_urls_become_links():
    assert 'href="https://koping.se"' in clean_html("Se https://koping.se")


def test_plain_text_keeps_one_line_per_block():
    clean = clean_html(
        "<p>Fler &amp; bättre <strong>cykelbanor</strong></p><ul><li>Ett</li><li>Två</li></ul>"
    )
    assert plain_text(clean) == "Fler & bättre cykelbanor\nEtt\nTvå"
