"""The one place to import translation functions from, and the locale choice."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import get_locale, gettext, lazy_gettext, ngettext
from flask_login import current_user

_ = gettext
_l = lazy_gettext

__all__ = [
    "CONTENT_FALLBACK",
    "LANGUAGE_COOKIE",
    "_",
    "_l",
    "content_language",
    "current_language",
    "language_names",
    "localized",
    "ngettext",
    "select_locale",
]

LANGUAGE_COOKIE = "lang"
# Content (goals, dialogues …) is written in Swedish first; other languages are optional.
CONTENT_FALLBACK = "sv"


def language_names() -> dict[str, str]:
    """Each supported language in its own name, for the language switch."""
    return {"sv": "Svenska", "en": "English"}


def select_locale() -> str:
    """Pick the user's setting, else the switch's cookie, else Accept-Language, else Swedish."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen is not None and chosen in languages:
        return chosen
    best: str | None = request.accept_languages.best_match(languages)
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def current_language() -> str:
    """The language of the current request (or of force_locale), as a code like "sv"."""
    locale = get_locale()
    return locale.language if locale is not None else CONTENT_FALLBACK


def content_language(obj: Any, field: str, language: str | None = None) -> str:
    """The language localized() answers in: the wanted one if filled in, else Swedish.

    Content is stored in one column per language, ``<field>_sv`` and ``<field>_en``.
    """
    language = language or current_language()
    if language != CONTENT_FALLBACK and getattr(obj, f"{field}_{language}", None):
        return language
    return CONTENT_FALLBACK


def localized(obj: Any, field: str, language: str | None = None) -> str | None:
    """Return ``obj.<field>_<language>``, falling back to the Swedish text when it is empty."""
    return getattr(obj, f"{field}_{content_language(obj, field, language)}", None)
