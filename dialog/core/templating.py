"""What every template can use: the municipality, the languages, the current URL."""

from __future__ import annotations

import weakref
from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any

from babel.support import Translations
from flask import Flask, current_app, request
from flask.templating import Environment
from flask_babel import get_locale
from jinja2 import Template, nodes, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from dialog.core.i18n import (
    _,
    content_language,
    current_language,
    language_names,
    localized,
    request_translations,
)
from dialog.core.routing import fixed_url


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


_NO_LANG_ATTR = Markup("")


def lang_attr(obj: Any, field: str, language: str | None = None) -> Markup:
    """A ``lang`` attribute when localized() falls back to another language than the page's.

    ``language`` is the page's, when the template has it already (``{% set language =
    current_language() %}`` before a list that asks on every line).
    """
    page_language = language or current_language()
    used = content_language(obj, field, page_language)
    if used == page_language:
        return _NO_LANG_ATTR
    return Markup(' lang="{language}"').format(language=used)


class FillIn:
    """A translated text with one value to fill in, for a list that says it on every line
    with another value: ``text[value]`` is ``escape(text) % {name: value}``, the text
    escaped and split around its placeholder once, so a line costs joining three strings
    (Markup's % wraps every value in an escaping helper). Indexed rather than called, as
    ``core.urls.IdUrl``: a template's item lookup costs a third of a call.
    """

    __slots__ = ("_after", "_before", "_name", "_text")

    def __init__(self, text: str, name: str) -> None:
        self._text, self._name = escape(text), name
        before, placeholder, after = str(self._text).partition(f"%({name})s")
        simple = placeholder and "%" not in before + after  # no other placeholder, no %%
        self._before = before if simple else None
        self._after = after

    def __getitem__(self, value: Any) -> Markup:
        if self._before is None:
            return self._text % {self._name: value}
        return Markup(f"{self._before}{escape(value)}{self._after}")  # noqa: S704 - escaped


# Jinja's newstyle gettext reached the catalog through four calls for every string (the
# ``_`` alias, which looks up ``gettext``, whose wrapper calls the function it wraps, ours).
# These do the same as jinja2.ext's newstyle wrappers in one call: translate, mark as safe
# where the template autoescapes, and always format (so "%%" means "%", as with Jinja's).
def _formatted(eval_ctx: EvalContext, translated: str, variables: dict[str, Any]) -> str:
    if all(type(value) is int for value in variables.values()):
        # No values, or only counts: nothing to escape, so formatted as plain text (Markup's
        # % wraps every value in an escaping helper, most of the cost of a plural); a text
        # without a % needs no formatting at all.
        if variables or "%" in translated:
            translated = translated % variables
        return Markup(translated) if eval_ctx.autoescape else translated  # noqa: S704
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


# The names templates translate with (``_install_fast_gettext``), and the catalog the
# template being loaded is compiled for (``SiteEnvironment._load_template``).
_GETTEXT_NAMES = frozenset({"_", "gettext"})
_COMPILING_FOR: ContextVar[Translations | None] = ContextVar("compiling_for", default=None)


def _template_catalog() -> Translations | None:
    """The catalog templates are loaded for now: the request's (or ``force_locale``'s),
    which Flask-Babel keeps for the process; None where there is none to keep (outside an
    app context, or before a locale can be chosen), and templates then translate as they
    render."""
    try:
        translations = request_translations()
    except RuntimeError:  # an app context without a request or a forced locale
        return None
    return translations if isinstance(translations, Translations) else None


def _assigns_gettext(tree: nodes.Template) -> bool:
    """Whether the template gives one of the gettext names another meaning (a variable, a
    macro argument, an import): its calls are then left as they are."""
    for name in tree.find_all(nodes.Name):
        if name.ctx != "load" and name.name in _GETTEXT_NAMES:
            return True
    for imported in tree.find_all(nodes.Import):
        if imported.target in _GETTEXT_NAMES:
            return True
    for from_import in tree.find_all(nodes.FromImport):
        names = {alias if isinstance(alias, str) else alias[-1] for alias in from_import.names}
        if names & _GETTEXT_NAMES:
            return True
    return False


class _TranslateConstants(NodeTransformer):
    """Replace ``_("text")`` (and ``{% trans %}`` without values) by the catalog's text.

    Exactly what the call returns while rendering (``_template_gettext``): the translation,
    formatted without values ("%%" is "%"), marked safe where the template autoescapes;
    a text that cannot be formatted so is left to fail as it rendered, not at load.
    """

    def __init__(self, translations: Translations) -> None:
        self.translations = translations

    def visit_Call(self, node: nodes.Call) -> nodes.Node:  # noqa: N802 - Jinja's visitor name
        call = self.generic_visit(node)
        text = self._translated(call) if isinstance(call, nodes.Call) else None
        if text is None:
            return call
        constant = nodes.Const(text, lineno=call.lineno)
        return nodes.MarkSafeIfAutoescape(constant, lineno=call.lineno)

    def _translated(self, call: nodes.Call) -> str | None:
        function, arguments = call.node, call.args
        if not (
            isinstance(function, nodes.Name)
            and function.name in _GETTEXT_NAMES
            and len(arguments) == 1
            and isinstance(arguments[0], nodes.Const)
            and isinstance(arguments[0].value, str)
            and not (call.kwargs or call.dyn_args or call.dyn_kwargs)
        ):
            return None
        translated: str = self.translations.ugettext(arguments[0].value)
        if "%" not in translated:
            return translated
        try:
            return translated % {}
        except (KeyError, TypeError, ValueError):
            return None


class SiteEnvironment(Environment):
    """Jinja's environment, with each template's globals one plain dict made when it loads,
    and each template compiled once per language with its constant texts translated.

    Jinja's own globals are a ChainMap over the environment's: every render copies it into
    a dict key by key, and every ``{% from … import … %}`` compares it key by key with the
    importing template's (some 60 globals here: a twentieth of a page). Every global is
    registered while the app is made, before the first template loads, so none is missed.

    A text in a template is the same for every reader of a language, but translating it as
    the page renders cost a call into the catalog for each one, some 5 µs, dozens a page.
    A template is therefore loaded (and kept) once per catalog, the request's language or
    the one ``force_locale`` chose, and its ``_("…")`` without values compiled as the
    translated text; texts with values and plurals are still translated as they render.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        translations = _COMPILING_FOR.get()
        if translations is None or _assigns_gettext(tree):
            return tree
        translated: nodes.Template = _TranslateConstants(translations).visit(tree)
        return translated

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> Template:
        # Jinja's own, with the catalog in the cache key and set while the template compiles.
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        translations = _template_catalog()
        cache_key: Any = (weakref.ref(self.loader), name, translations)
        if self.cache is not None:
            template = self.cache.get(cache_key)
            if template is not None and (not self.auto_reload or template.is_up_to_date):
                if globals:
                    template.globals.update(globals)
                return template
        compiling = _COMPILING_FOR.set(translations)
        try:
            template = self.loader.load(self, name, self.make_globals(globals))
        finally:
            _COMPILING_FOR.reset(compiling)
        if self.cache is not None:
            self.cache[cache_key] = template
        return template


def init_templating(app: Flask) -> None:
    """Give templates the site's globals; keep autoescape on and whitespace trimmed."""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        localized=localized,
        lang_attr=lang_attr,
        current_language=current_language,
        meta_description=meta_description,
    )
    app.context_processor(_site_globals)
    _install_fast_gettext(app)
    app.jinja_env.globals["url_for"] = fixed_url
