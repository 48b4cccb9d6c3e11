"""Times in the municipality's time zone and the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template_string
from flask_babel import force_locale

from dialog.core.times import DAY_AND_TIME, TimeFormat, time_in_every_language

MOMENTS = [
    datetime(2026, 1, 5, 23, 30, tzinfo=UTC),  # the next day in Stockholm
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # an hour before summer time
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 7, 14, 9, 5, tzinfo=UTC),
]


def test_a_time_kept_in_every_language_is_what_the_page_would_write(ctx):
    """Written once in each language, a time reads as the template's filter writes it for a
    reader of that language: in the municipality's zone, summer and winter time alike."""
    for moment in MOMENTS:
        labels = time_in_every_language(moment)
        assert set(labels) == set(ctx.config["LANGUAGES"])
        for language, label in labels.items():
            with force_locale(language):
                written = render_template_string(
                    "{{ moment|datetimeformat(pattern) }}", moment=moment, pattern=DAY_AND_TIME
                )
            assert label == written
    assert time_in_every_language(MOMENTS[0])["sv"] == "6 januari 2026, 00:30"
    assert time_in_every_language(MOMENTS[3])["en"] == "14 July 2026, 11:05"


def test_a_list_format_writes_what_the_filter_writes(ctx):
    """TimeFormat, made once for a list, writes each time as the template's filter does, for
    babel's named lengths and for patterns, in every language and in summer and winter."""
    for language in ctx.config["LANGUAGES"]:
        with force_locale(language):
            for pattern in ("short", "medium", "long", "full", "d MMM y HH:mm", DAY_AND_TIME):
                when = TimeFormat(pattern)
                for moment in MOMENTS:
                    written = render_template_string(
                        "{{ moment|datetimeformat(pattern) }}", moment=moment, pattern=pattern
                    )
                    assert when(moment) == written
    with force_locale("sv"):
        assert TimeFormat("short")(MOMENTS[0]) == "2026-01-06 00:30"
