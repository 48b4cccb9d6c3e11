"""Factories and client helpers shared by the tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from werkzeug.test import TestResponse

from dialog.accounts.models import Role, User
from dialog.accounts.services import create_user
from dialog.core.models import OutboxMessage, utcnow
from dialog.extensions import db

PASSWORD = "a long test password"
_numbers = count(1)
_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass(frozen=True)
class UserInfo:
    """What a test needs to know of a user it made (the ORM object stays in its session)."""

    id: int
    email: str
    password: str
    totp_secret: str | None
    roles: tuple[Role, ...]


def make_user(
    app: Flask,
    *roles: Role,
    email: str | None = None,
    password: str = PASSWORD,
    name: str = "Test Person",
    enrolled: bool | None = None,
    locale: str = "sv",
    active: bool = True,
) -> UserInfo:
    """Create and commit a user; staff get a second factor unless enrolled=False."""
    roles = roles or (Role.RESIDENT,)
    email = email or f"user{next(_numbers)}@example.se"
    with app.app_context():
        user = create_user(email, name, password, locale=locale, roles=roles)
        user.active = active
        if enrolled is None:
            enrolled = any(role is not Role.RESIDENT for role in roles)
        if enrolled:
            user.totp_secret = pyotp.random_base32()
        db.session.commit()
        return UserInfo(user.id, user.email, password, user.totp_secret, roles)


def load_user(app: Flask, user_id: int) -> User:
    """Return a fresh copy of a user, detached, for assertions."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        db.session.expunge(user)
        return user


def csrf_token(client: FlaskClient, path: str) -> str:
    """Fetch a page and return the CSRF token of its first form."""
    response = client.get(path)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client: FlaskClient, path: str, data: dict[str, str], source: str | None = None):
    """POST a form the way a browser would: with the token from the page it is on."""
    token = csrf_token(client, source or path)
    return client.post(path, data={"csrf_token": token, **data})


def current_code(secret: str, app: Flask, user_id: int) -> str:
    """A TOTP code the server has not yet seen for this user (codes work once)."""
    with app.app_context():
        last = db.session.get(User, user_id).totp_last_counter  # type: ignore[union-attr]
    totp = pyotp.TOTP(secret)
    for step in (0, 1):
        moment = utcnow() + timedelta(seconds=step * totp.interval)
        if last is None or totp.timecode(moment) > last:
            return totp.at(moment)
    raise AssertionError("no unused TOTP code in the accepted window")


class AuthActions:
    """Log in and out through the real forms, second factor included."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, user: UserInfo, next_url: str = "") -> TestResponse:
        response = post_form(
            self.client,
            "/login",
            {"email": user.email, "password": user.password, "next": next_url},
        )
        if response.status_code == 302 and response.location.endswith("/login/two-factor"):
            app = self.client.application
            code = current_code(user.totp_secret or "", app, user.id)
            response = post_form(self.client, "/login/two-factor", {"code": code})
        return response

    def logout(self) -> TestResponse:
        return post_form(self.client, "/logout", {}, source="/")


def last_mail_to(app: Flask, recipient: str) -> OutboxMessage:
    """The newest message queued for the address."""
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None, f"no mail to {recipient}"
        db.session.expunge(message)
        return message


def registration_link(app: Flask, email: str) -> str:
    """The path of the link that finishes a registration, from the mail sent to email."""
    body = last_mail_to(app, email).body
    match = re.search(r"https?://[^/\s]+(/register/\S+)", body)
    assert match, body
    return match.group(1)


def register(
    client: FlaskClient,
    email: str,
    name: str = "Greta",
    password: str = PASSWORD,
    locale: str = "sv",
) -> TestResponse:
    """Register through both steps: the address, then the emailed link's form."""
    response = post_form(client, "/register", {"email": email})
    assert response.status_code == 302, response.status_code
    link = registration_link(client.application, email.strip().lower())
    return post_form(
        client,
        link,
        {
            "display_name": name,
            "password": password,
            "confirm": password,
            "locale": locale,
            "accept": "y",
        },
    )


def engine_of(app: Flask) -> Engine:
    with app.app_context():
        return db.engine


def driver_error(app: Flask, message: str) -> Exception:
    """The database driver's own error, as a failing server or disk gives it."""
    return engine_of(app).dialect.dbapi.OperationalError(message)  # type: ignore[union-attr]


@contextmanager
def database_down(app: Flask) -> Iterator[None]:
    """Every statement fails while the block runs, from a request's first: the server is gone."""
    engine = engine_of(app)

    def fail(*_args: Any) -> None:
        raise driver_error(app, "connection refused: is the server running?")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)
