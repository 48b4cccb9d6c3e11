"""Security headers on every response, safe redirect targets, and the signing of the session
cookie and the CSRF tokens."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Hashable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer, want_bytes

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)


def init_security_headers(app: Flask) -> None:
    """Add the security headers to every response, error pages included."""

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        # A page whose address is a secret (a receipt) sets its own, stricter policy.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if current_app.config["HTTPS"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def safe_next_url(target: str | None, fallback: str) -> str:
    """Return target when it is a path on this site, else fallback (no open redirect)."""
    if not target:
        return fallback
    target = target.strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(char) < 32 for char in target)
    ):
        return fallback
    return target


# Signing: the session cookie is checked and every page with a form signs a CSRF token. Flask
# and Flask-WTF make a new serializer for each (about 15 µs), and itsdangerous derives the
# signing key from the secret again for each signature; both were a tenth of a logged-in page.
# Here the serializers are made once per secret and the derived keys kept: the same
# algorithms, so cookies and tokens are exactly those Flask and Flask-WTF make and check.
_DERIVED_KEYS: dict[Hashable, bytes] = {}
_KEPT_KEYS = 64


class _KeptKeySigner(TimestampSigner):
    """A TimestampSigner that derives each key once per process."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        secret = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        name = (secret, self.salt, self.key_derivation, self.digest_method)
        key = _DERIVED_KEYS.get(name)
        if key is None:
            key = super().derive_key(secret_key)
            if len(_DERIVED_KEYS) >= _KEPT_KEYS:
                _DERIVED_KEYS.clear()  # only ever a few secrets; a bound all the same
            _DERIVED_KEYS[name] = key
        return key


def signing_serializer(
    app: Flask, secret_keys: tuple[str | bytes, ...], salt: str, **options: Any
) -> URLSafeTimedSerializer:
    """A URLSafeTimedSerializer for the keys (the current one last), made once per app."""
    kept: dict[Hashable, URLSafeTimedSerializer] = app.extensions.setdefault("serializers", {})
    signer_kwargs = options.pop("signer_kwargs", {})
    name = (secret_keys, salt, tuple(sorted(signer_kwargs.items())), tuple(options.items()))
    serializer = kept.get(name)
    if serializer is None:
        serializer = URLSafeTimedSerializer(
            list(secret_keys),  # type: ignore[arg-type]
            salt=salt,
            signer=_KeptKeySigner,
            signer_kwargs=signer_kwargs,
            **options,
        )
        if len(kept) >= _KEPT_KEYS:
            kept.clear()
        kept[name] = serializer
    return serializer


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the serializer made once per secret key."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        fallbacks = tuple(app.config["SECRET_KEY_FALLBACKS"] or ())
        return signing_serializer(
            app,
            (*fallbacks, app.secret_key),  # itsdangerous expects the current key last
            self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )


def csrf_token() -> str:
    """The request's signed CSRF token: Flask-WTF's ``generate_csrf``, with a kept serializer.

    The same token in the session and in ``g``, signed the same way, so Flask-WTF's check of
    every POST (CSRFProtect) accepts it as its own.
    """
    config = current_app.config
    field = config["WTF_CSRF_FIELD_NAME"]
    if field not in g:
        secret: str | bytes = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key or ""
        if field not in session:
            session[field] = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - as Flask-WTF
        serializer = signing_serializer(current_app, (secret,), "wtf-csrf-token")
        setattr(g, field, serializer.dumps(session[field]))
    token: str = g.get(field)
    return token


def init_signing(app: Flask) -> None:
    """Sign the session cookie and the templates' CSRF tokens with kept serializers."""
    app.session_interface = SessionInterface()
    app.jinja_env.globals["csrf_token"] = csrf_token
