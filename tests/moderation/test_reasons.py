"""The configurable list of moderation reasons."""

from __future__ import annotations

import pytest
from flask import Flask

from dialog import create_app
from dialog.config import for_tests
from dialog.moderation.reasons import (
    DEFAULT_REASONS,
    moderation_reasons,
    parse_reasons,
    reason_label,
)


def test_empty_setting_means_the_default_reasons() -> None:
    """No setting gives the six default reasons in their order."""
    assert list(parse_reasons("")) == list(DEFAULT_REASONS)


def test_own_reasons_keep_their_labels_and_order() -> None:
    """A municipality's own reason is shown as written, after the known ones it lists."""
    assert parse_reasons("offensive, spam=Reklam eller skräp ,other") == {
        "offensive": "",
        "spam": "Reklam eller skräp",
        "other": "",
    }


@pytest.mark.parametrize("value", ["spam", "bad code=Label", ",", "x" * 31 + "=Long"])
def test_bad_settings_are_refused(value: str) -> None:
    """An unknown code without a label, a code with spaces, nothing, a code too long."""
    with pytest.raises(ValueError, match="reason|code"):
        parse_reasons(value)


def test_a_bad_setting_stops_the_app_from_starting(database_url: str) -> None:
    """create_app refuses a list it cannot read, naming the setting."""
    with pytest.raises(ValueError, match="DIALOG_MODERATION_REASONS"):
        create_app(for_tests(database_url, MODERATION_REASONS="spam"))


def test_labels_follow_the_language(app: Flask) -> None:
    """Known reasons are translated; a stored code no longer configured keeps a label."""
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert dict(moderation_reasons())["offensive"] == "Kränkande eller stötande"
        assert reason_label("reported") == "Anmäld av flera invånare"
        assert reason_label("gone_code") == "gone_code"
        assert reason_label(None) == ""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert dict(moderation_reasons())["offensive"] == "Offensive or abusive"
