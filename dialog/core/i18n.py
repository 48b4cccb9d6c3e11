"""The one place to import translation functions from, and the locale choice."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user

_ = gettext
_l = lazy_gettext

__all__ = ["LANGUAGE_COOKIE", "_", "_l", "language_names", "ngettext", "select_locale"]

LANGUAGE_COOKIE = "lang"


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
