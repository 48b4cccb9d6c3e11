"""The site's one address, the hosts it answers to, and the proxies in front of it.

Every absolute URL (a reset link in a mail, a calendar file's UID, an API link, the
canonical link of a page) is built from DIALOG_BASE_URL, never from the request's Host
header: a forged Host could otherwise put an attacker's address into a mail with a real
token, or into a cached page that every visitor then gets.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, current_app, request, url_for
from flask.globals import request_ctx
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from dialog.core.pagination import requested_page
from dialog.core.routing import MAX_ID, fixed_url


def absolute_url(endpoint: str, **values: Any) -> str:
    """Build the absolute URL of an endpoint (full name, e.g. "accounts.login") from
    DIALOG_BASE_URL; works inside a request and outside one (a CLI command)."""
    base = urlsplit(current_app.config["BASE_URL"])
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    url = adapter.build(endpoint, values, force_external=True)
    if anchor is not None:
        url += "#" + quote(anchor, safe="")
    return url


class IdUrl:
    """An endpoint's URL for any id, built once: ``urls[comment.id]`` is what
    ``url_for(endpoint, comment_id=comment.id, **values)`` gives, for the cost of a string.

    For a list that links every row: url_for matches and builds a route on every call, which
    made building the links of a page cost more than rendering it. Indexed rather than
    called because a template's item lookup costs a third of a call.
    """

    __slots__ = ("_before", "_after", "_endpoint", "_name", "_values")

    def __init__(self, endpoint: str, name: str, **values: Any) -> None:
        # Built once with a placeholder id (and remembered, as every page of the list builds
        # it again); an id is written as its digits, wherever it goes.
        url = fixed_url(endpoint, **{name: MAX_ID, **values})
        before, _, after = url.partition(str(MAX_ID))
        self._before = before if url.count(str(MAX_ID)) == 1 else None
        self._after = after
        self._endpoint, self._name, self._values = endpoint, name, values

    def __getitem__(self, id_: int) -> str:
        if self._before is None:  # the placeholder's digits were in the URL already
            return url_for(self._endpoint, **{self._name: id_, **self._values})
        return f"{self._before}{int(id_)}{self._after}"


def base_host() -> str:
    """The host name of DIALOG_BASE_URL (for identifiers such as calendar UIDs)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def canonical_url() -> str | None:
    """The canonical address of the page being shown: the base URL, this path and the
    page number of a list; None when the request matched no page."""
    if request.endpoint is None or request.url_rule is None:
        return None
    base = current_app.config["BASE_URL"].rstrip("/")
    url = base + quote(request.path)
    page = requested_page()  # the one page rule: never int() of a 5,000-digit string
    if page > 1:
        url += f"?page={page}"
    return url


def init_urls(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto from DIALOG_PROXY_HOPS proxies, and refuse hosts
    that are not ours before any other hook runs."""
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    @app.before_request
    def refuse_other_hosts() -> None:
        # Flask stores the untrusted-host error as the routing exception, which is raised
        # only after the before_request hooks: raise it first, so no hook works for it.
        if isinstance(request.routing_exception, SecurityError):
            # No URL adapter could be made for the foreign host; one on our own address
            # lets the error page build its links.
            base = urlsplit(app.config["BASE_URL"])
            request_ctx.url_adapter = app.url_map.bind(
                base.netloc, script_name=request.script_root or "/", url_scheme=base.scheme
            )
            raise request.routing_exception

    app.jinja_env.globals["canonical_url"] = canonical_url
