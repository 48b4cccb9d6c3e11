"""What every template can use: the municipality, the languages, the current URL."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from dialog.core.i18n import (
    _,
    content_language,
    current_language,
    language_names,
    localized,
    request_translations,
)


def _site_globals() -> dict[str, Any]:
    return {
        "municipality_name": current_app.config["MUNICIPALITY_NAME"],
        "language_names": language_names(),
        "current_locale": str(get_locale() or "sv"),
        "current_path": request.full_path.rstrip("?") if request else "/",
    }


DESCRIPTION_LENGTH = 160


def meta_description(text: str | None) -> str:
    """The page's description for search results: its own text, or the site's, about 160 characters.

    Takes a block's rendered (escaped) output; returns plain text, which autoescape escapes
    again in the attribute.
    """
    markup = text if isinstance(text, Markup) else escape(text or "")
    plain = " ".join(markup.striptags().split())
    if not plain:
        plain = _(
            "{municipality}: take part in citizen dialogues, read the municipality's goals "
            "and follow what became of residents' input."
        ).format(municipality=current_app.config["MUNICIPALITY_NAME"])
    if len(plain) <= DESCRIPTION_LENGTH:
        return plain
    cut = plain[: DESCRIPTION_LENGTH - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–-") + "…"


def lang_attr(obj: Any, field: str) -> Markup:
    """A ``lang`` attribute when localized() falls back to another language than the page's."""
    language = content_language(obj, field)
    if language == current_language():
        return Markup("")
    return Markup(' lang="{language}"').format(language=language)


def _install_fast_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )


def init_templating(app: Flask) -> None:
    """Give templates the site's globals; keep autoescape on and whitespace trimmed."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        localized=localized, lang_attr=lang_attr, meta_description=meta_description
    )
    app.context_processor(_site_globals)
    _install_fast_gettext(app)
