"""Localised error pages with a request id and no internal detail; JSON errors on the API."""

from __future__ import annotations

import logging
import re
from contextlib import suppress

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from dialog.core.database import NulCharacter
from dialog.core.i18n import _
from dialog.core.logs import current_request_id
from dialog.extensions import db

logger = logging.getLogger("dialog.errors")

HANDLED_CODES = (400, 403, 404, 405, 413, 429, 500, 503)
# Errors under these paths are JSON, whatever raised them. Routing errors (an unknown
# method or path) come before any blueprint is chosen, so the app-level handler decides.
JSON_PREFIXES = ("/api/",)
# Headers an error carries that its answer must keep (405 says which methods work).
KEPT_HEADERS = frozenset({"Allow", "Retry-After"})
# Form fields never given back on an error page: secrets, one-time tokens, the spam trap.
UNSHOWN_FIELDS = re.compile(r"password|token|csrf|submission|secret|code|website|confirm", re.I)
DATABASE_RETRY_SECONDS = "30"

Answer = tuple[str | Response, int, list[tuple[str, str]]]


def _explanation(code: int) -> tuple[str, str]:
    messages = {
        400: (_("Bad request"), _("The request could not be understood. Go back and try again.")),
        403: (_("Access denied"), _("You do not have permission to see this page.")),
        404: (_("Page not found"), _("The page may have moved or been removed.")),
        405: (_("Method not allowed"), _("This page cannot be used that way.")),
        413: (
            _("Too much at once"),
            _(
                "What you sent is larger than the site accepts. Go back and send a smaller "
                "file, or fewer rows at a time."
            ),
        ),
        429: (
            _("Too many attempts"),
            _("You have made too many attempts in a short time. Wait a while and try again."),
        ),
        500: (
            _("Something went wrong"),
            _("An error occurred on our side. It has been logged and we will look into it."),
        ),
        503: (
            _("Unavailable just now"),
            _(
                "We cannot reach our database just now, so nothing you sent was stored. "
                "Try again in a few minutes."
            ),
        ),
    }
    return messages.get(code, messages[500])


def typed_texts() -> list[str]:
    """What a person typed into the form this request sent (no secrets, no tokens, no
    numbers picked from a list), to give back when it could not be stored."""
    if request.method in ("GET", "HEAD"):
        return []
    return [
        value
        for name, value in request.form.items(multi=True)
        if value.strip() and not value.strip().isdigit() and not UNSHOWN_FIELDS.search(name)
    ]


def _plain_page(title: str, text: str, typed: list[str]) -> str:
    """The error page without the template, for when even it fails (a broken database)."""
    kept = "".join(f"<pre>{escape(value)}</pre>" for value in typed)
    return (
        f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
        f"<p>{escape(text)}</p>{kept}<p>{escape(current_request_id() or '')}</p>"
    )


def render_error(
    code: int, detail: str | None = None, typed: list[str] | None = None
) -> tuple[str, int]:
    """The error page; typed: texts the request carried, shown back to be copied."""
    title, text = _explanation(code)
    text = detail or text
    try:
        page = render_template(
            "errors/error.html",
            code=code,
            title=title,
            text=text,
            typed=typed or [],
            request_id=current_request_id(),
        )
    except Exception:
        # The page itself failed (a broken database, say): answer plainly.
        logger.exception("error page failed to render")
        page = _plain_page(title, text, typed or [])
    return page, code


def json_error(error: HTTPException) -> Response:
    """An error as JSON: ``{"error": "method_not_allowed", "message": "…"}``."""
    name = (error.name or "error").lower().replace(" ", "_").replace("'", "")
    return jsonify({"error": name, "message": error.description})


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def _kept_headers(error: HTTPException) -> list[tuple[str, str]]:
    return [(name, value) for name, value in error.get_headers() if name in KEPT_HEADERS]


def register_error_handlers(app: Flask) -> None:
    """Render our own page for the common HTTP errors and for unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        logger.info("csrf refused", extra={"path": request.path})
        return render_error(
            400,
            _(
                "The form had expired or was sent from another page. "
                "Go back, reload the page and send the form again."
            ),
        )

    @app.errorhandler(NulCharacter)
    def nul_character(error: NulCharacter) -> Answer:
        # Pasted from another program, a text can carry a NUL: refused before any query,
        # with the text given back (without it) so that nothing typed is lost.
        if wants_json():
            return json_error(error), 400, []
        typed = [value.replace("\x00", "") for value in typed_texts()]
        text = _(
            "Your text holds an invisible character that cannot be stored (a NUL, which can"
            " come with text pasted from another program), so nothing was stored. Copy your"
            " text below, go back, paste it in again and send it."
        )
        page, code = render_error(400, text, typed=typed)
        return page, code, []

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Answer | HTTPException:
        code = error.code or 500
        if code == 403:
            logger.info(
                "permission refused", extra={"event": "permission_refused", "path": request.path}
            )
        if wants_json():
            return json_error(error), code, _kept_headers(error)
        if code not in HANDLED_CODES:
            return error
        page, code = render_error(code)
        return page, code, _kept_headers(error)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: SQLAlchemyError) -> Answer:
        # The database is down or the connection was lost before the view could answer
        # itself: say so, and give back what the person typed so that it is not lost.
        with suppress(SQLAlchemyError):
            db.session.rollback()
        logger.exception("database unavailable", extra={"path": request.path})
        retry = [("Retry-After", DATABASE_RETRY_SECONDS)]
        if wants_json():
            title, text = _explanation(503)
            return jsonify({"error": "service_unavailable", "message": text}), 503, retry
        page, code = render_error(503, typed=typed_texts())
        return page, code, retry

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> Answer | HTTPException:
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        logger.exception("unhandled exception", extra={"path": request.path})
        return http_error(InternalServerError())
