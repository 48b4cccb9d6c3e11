"""Translatable content: the reader's language, else Swedish."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import force_locale

from dialog.core.i18n import content_language, localized


def test_localized_follows_the_locale_and_falls_back_to_swedish(ctx):
    """A content field is shown in the reader's language, in Swedish when English is missing."""
    both = SimpleNamespace(title_sv="Mål", title_en="Goal")
    swedish_only = SimpleNamespace(title_sv="Mål", title_en=None)
    blank_english = SimpleNamespace(title_sv="Mål", title_en="")
    with force_locale("sv"):
        assert localized(both, "title") == "Mål"
    with force_locale("en"):
        assert localized(both, "title") == "Goal"
        assert content_language(both, "title") == "en"
        assert localized(swedish_only, "title") == "Mål"
        assert content_language(swedish_only, "title") == "sv"
        assert localized(blank_english, "title") == "Mål"
    assert localized(both, "title", "en") == "Goal"
    assert localized(SimpleNamespace(title_sv=None), "title") is None
