"""The one place to import translation functions from, and the locale choice."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from babel.support import NullTranslations
from flask import current_app, g, has_app_context, request
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from werkzeug.wrappers import Response


def _babel_state() -> SimpleNamespace | None:
    """Flask-Babel's namespace in ``g``, where it keeps the locale it chose (or that
    ``force_locale`` set), or None before it made one or outside an app context.

    Read from the app context itself: through the ``g`` proxy every read is several calls,
    and templates ask the language and the catalog dozens of times a page.
    """
    context = _cv_app.get(None)
    state: SimpleNamespace | None = (
        None if context is None else context.g.__dict__.get("_flask_babel")
    )
    return state


def request_translations() -> NullTranslations:
    """The catalog of the current language, looked up once per request and language.

    Flask-Babel finds the catalog again for every string, which made translating the
    largest cost of rendering a page. The catalog is kept beside Flask-Babel's own choice of
    locale (a namespace in ``g``) with the locale it belongs to: a string then costs two
    attribute reads, and ``force_locale``, which swaps the locale object, is seen at once.
    """
    state = _babel_state()
    held = getattr(state, "dialog_translations", None)
    if held is not None and held[0] is getattr(state, "babel_locale", None):
        kept: NullTranslations = held[1]
        return kept
    if not has_app_context():
        return NullTranslations()
    cache: dict[str, NullTranslations] = g.setdefault("translations_by_locale", {})
    locale = get_locale()
    key = str(locale)
    translations = cache.get(key)
    if translations is None:
        translations = cache[key] = get_translations()
    g._flask_babel.dialog_translations = (locale, translations)
    return translations


def gettext(string: str, **variables: Any) -> str:
    """Translate a message; named values are filled in after translation."""
    translated = request_translations().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Translate a message with a singular and a plural form; %(num)d is the count."""
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Translate when the text is used, for messages defined at import time."""
    return LazyString(gettext, string, **variables)


_ = gettext
_l = lazy_gettext

__all__ = [
    "CONTENT_FALLBACK",
    "LANGUAGE_COOKIE",
    "_",
    "_l",
    "content_language",
    "current_language",
    "language_inputs",
    "language_names",
    "localized",
    "ngettext",
    "remember_language",
    "select_locale",
]

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
# Content (goals, dialogues …) is written in Swedish first; other languages are optional.
CONTENT_FALLBACK = "sv"


def language_names() -> dict[str, str]:
    """Each supported language in its own name, for the language switch."""
    return {"sv": "Svenska", "en": "English"}


def select_locale() -> str:
    """Pick this browser's choice (the cookie), else the user's setting, else Accept-Language,
    else Swedish.

    The switch only sets the cookie, so a GET never changes an account; logging in and
    saving the account's language set the cookie to the account's language.
    """
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen is not None and chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    best: str | None = request.accept_languages.best_match(languages)
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def language_inputs() -> tuple[str | None, str | None]:
    """What a visitor's request says about the language: the switch's cookie and the best
    match of Accept-Language, each reduced to a supported language or None.

    A page for a visitor without a session depends on these and on the URL (the API's
    ``?lang=``) only, which is why the page cache keys on them and not on one view's choice.
    """
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    accepted: str | None = request.accept_languages.best_match(languages)
    return (chosen if chosen in languages else None), accepted


def remember_language(response: Response, code: str) -> Response:
    """Make code this browser's language (a cookie); unknown codes are ignored."""
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=LANGUAGE_COOKIE_SECONDS,
            secure=current_app.config["HTTPS"],
            httponly=True,
            samesite="Lax",
        )
    return response


def current_language() -> str:
    """The language of the current request (or of force_locale), as a code like "sv"."""
    # Flask-Babel's choice once made (get_locale() keeps it there), else make it.
    locale = getattr(_babel_state(), "babel_locale", None) or get_locale()
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
