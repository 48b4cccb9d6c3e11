"""Localised error pages with a request id and no internal detail; JSON errors on the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from dialog.core.i18n import _
from dialog.core.logs import current_request_id
from dialog.extensions import db

logger = logging.getLogger("dialog.errors")

HANDLED_CODES = (400, 403, 404, 405, 413, 429, 500)
# Errors under these paths are JSON, whatever raised them. Routing errors (an unknown
# method or path) come before any blueprint is chosen, so the app-level handler decides.
JSON_PREFIXES = ("/api/",)
# Headers an error carries that its answer must keep (405 says which methods work).
KEPT_HEADERS = frozenset({"Allow", "Retry-After"})

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
    }
    return messages.get(code, messages[500])


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, text = _explanation(code)
    try:
        page = render_template(
            "errors/error.html",
            code=code,
            title=title,
            text=detail or text,
            request_id=current_request_id(),
        )
    except Exception:
        # The page itself failed (a broken database, say): answer plainly.
        logger.exception("error page failed to render")
        page = (
            f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
            f"<p>{escape(text)}</p><p>{escape(current_request_id() or '')}</p>"
        )
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

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> Answer | HTTPException:
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        logger.exception("unhandled exception", extra={"path": request.path})
        return http_error(InternalServerError())
