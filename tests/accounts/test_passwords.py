"""Changing and resetting passwords."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from dialog.accounts.models import PasswordResetToken
from dialog.core.models import OutboxMessage, utcnow
from dialog.extensions import db
from tests.helpers import AuthActions, make_user, post_form

NEW_PASSWORD = "a brand new password"


def _reset_link(app) -> str:
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None
        match = re.search(r"http://localhost(/password/reset/\S+)", message.body)
        assert match, message.body
        return match.group(1)


def test_change_password_keeps_this_browser_and_ends_the_others(app, client, auth):
    """Changing the password keeps this browser logged in and logs out every other one."""
    user = make_user(app)
    auth.login(user)
    other = app.test_client()
    AuthActions(other).login(user)
    response = post_form(
        client,
        "/account/password",
        {"current_password": user.password, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_change_password_with_wrong_current_password(app, client, auth):
    """A wrong current password re-shows the form with an error summary and changes nothing."""
    user = make_user(app)
    auth.login(user)
    response = post_form(
        client,
        "/account/password",
        {"current_password": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "error-summary" in response.get_data(as_text=True)


def test_reset_by_email_link_works_once(app, client):
    """The mailed reset link sets a new password that logs in, then answers 404."""
    user = make_user(app)
    response = post_form(client, "/password/forgot", {"email": user.email.upper()})
    assert response.status_code == 302
    link = _reset_link(app)
    assert client.get(link).status_code == 200
    response = post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get(link).status_code == 404
    login = post_form(client, "/login", {"email": user.email, "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_reset_ends_existing_sessions(app, client, auth):
    """Resetting the password logs out the sessions the user already had."""
    user = make_user(app)
    auth.login(user)
    post_form(app.test_client(), "/password/forgot", {"email": user.email})
    link = _reset_link(app)
    post_form(app.test_client(), link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.get("/account").status_code == 302


def test_expired_reset_link_is_refused(app, client):
    """A reset link past its expiry time answers 404."""
    user = make_user(app)
    post_form(client, "/password/forgot", {"email": user.email})
    link = _reset_link(app)
    with app.app_context():
        db.session.execute(
            update(PasswordResetToken).values(expires_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    assert client.get(link).status_code == 404


def test_unknown_email_gets_the_same_answer_and_no_mail(app, client):
    """An unknown address gets the same redirect as a known one and no mail is queued."""
    response = post_form(client, "/password/forgot", {"email": "nobody@example.se"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage)) is None


def test_reset_token_is_stored_only_as_a_hash(app, client):
    """The database holds a hash of the reset token, never the token from the link."""
    user = make_user(app)
    post_form(client, "/password/forgot", {"email": user.email})
    token = _reset_link(app).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(select(PasswordResetToken.token_hash))
    assert stored
    assert token not in stored
