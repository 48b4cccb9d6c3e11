"""What every template can use: the municipality, the languages, the current URL."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for
from flask.templating import Environment
from flask_babel import get_locale
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
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


# Jinja's newstyle gettext reached the catalog through four calls for every string (the
# ``_`` alias, which looks up ``gettext``, whose wrapper calls the function it wraps, ours).
# These do the same as jinja2.ext's newstyle wrappers in one call: translate, mark as safe
# where the template autoescapes, and always format (so "%%" means "%", as with Jinja's).
def _formatted(eval_ctx: EvalContext, translated: str, variables: dict[str, Any]) -> str:
    if eval_ctx.autoescape:
        # The catalog's text is trusted, as Jinja's i18n trusts it; the values are escaped.
        translated = Markup(translated)  # noqa: S704
    return translated % variables


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, **variables: Any) -> str:
    translated = request_translations().ugettext(string)
    return _formatted(eval_ctx, translated, variables)


@pass_eval_context
def _template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("num", num)
    translated = request_translations().ungettext(singular, plural, num)
    return _formatted(eval_ctx, translated, variables)


@pass_eval_context
def _template_pgettext(eval_ctx: EvalContext, context: str, string: str, **variables: Any) -> str:
    variables.setdefault("context", context)
    translated = request_translations().upgettext(context, string)
    return _formatted(eval_ctx, translated, variables)


@pass_eval_context
def _template_npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    translated = request_translations().unpgettext(context, singular, plural, num)
    return _formatted(eval_ctx, translated, variables)


def _install_fast_gettext(app: Flask) -> None:
    app.jinja_env.newstyle_gettext = True  # type: ignore[attr-defined]
    app.jinja_env.globals.update(
        _=_template_gettext,
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )


FIXED_URLS = 512


def fixed_url(endpoint: str, **values: Any) -> str:
    """``url_for``, remembered per process for a link that is the same on every request: an
    endpoint without arguments (a menu's links), or a static file.

    Such a URL depends only on the URL map and the script root, never on who asks or on
    the data; building it again cost a tenth of the layout's time. Anything else (ids,
    query arguments, ``_external``, a blueprint-relative ``.name``) is built by url_for.
    """
    if (
        (values and (endpoint != "static" or values.keys() != {"filename"}))
        or endpoint[:1] == "."
        or not has_request_context()  # a mail rendered by a command: its own adapter
    ):
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, values.get("filename"))
    urls: dict[tuple[str, str, str | None], str] = current_app.extensions["fixed_urls"]
    url = urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(urls) >= FIXED_URLS:
            urls.clear()  # a bound, should a template ever pass a file name it was given
        urls[key] = url
    return url


class SiteEnvironment(Environment):
    """Jinja's environment, with each template's globals one plain dict made when it loads.

    Jinja's own is a ChainMap over the environment's globals: every render copies it into a
    dict key by key, and every ``{% from … import … %}`` compares it key by key with the
    importing template's (some 60 globals here: a twentieth of a page). Every global is
    registered while the app is made, before the first template loads, so none is missed.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


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
    app.extensions["fixed_urls"] = {}
    app.jinja_env.globals["url_for"] = fixed_url
