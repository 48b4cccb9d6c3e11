"""Registration by emailed link: the same answer whether or not an address has an account,
a mail to the owner instead, and throttling per address and per client."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from dialog.accounts import services
from dialog.accounts.models import User
from dialog.core.models import OutboxMessage
from dialog.extensions import db
from tests.helpers import (
    csrf_token,
    last_mail_to,
    load_user,
    make_user,
    post_form,
    register,
    registration_link,
)

_CSRF_VALUE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="[^"]+"')


def _users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def _mails(app) -> list[tuple[str, str]]:
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(message.recipient, message.subject) for message in messages]


def _answer(app, email: str) -> tuple[int, str | None, str, str]:
    """What a fresh visitor sees when registering email: status, location, both bodies."""
    client = app.test_client()
    client.set_cookie("lang", "en")
    response = post_form(client, "/register", {"email": email})
    followed = client.get(response.location) if response.location else None
    strip = lambda page: _CSRF_VALUE.sub("", page)  # noqa: E731 - a one-line helper
    return (
        response.status_code,
        response.location,
        strip(response.get_data(as_text=True)),
        strip(followed.get_data(as_text=True)) if followed else "",
    )


def test_registration_answers_the_same_whether_or_not_the_address_exists(app):
    """Same status, redirect and page for a taken address and a free one."""
    owner = make_user(app, email="taken@example.se", name="Ägaren")
    taken = _answer(app, "TAKEN@example.se")
    free = _answer(app, "free@example.se")
    assert taken == free
    status, location, _, page = free
    assert (status, location) == (302, "/register/sent")
    assert "Check your email" in page
    # Nothing is created yet; the owner's account is untouched.
    assert _users(app) == 1
    assert load_user(app, owner.id).display_name == "Ägaren"


def test_the_owner_of_a_taken_address_gets_a_mail_instead(app):
    """The owner is told someone tried, with links to log in and to reset the password."""
    owner = make_user(app, email="taken@example.se", name="Ägaren", locale="en")
    post_form(app.test_client(), "/register", {"email": "taken@example.se"})
    mail = last_mail_to(app, owner.email)
    assert mail.subject == "Someone tried to create an account with your address"
    assert "Hello Ägaren" in mail.body
    assert re.search(r"http://localhost/login\b", mail.body)
    assert re.search(r"http://localhost/password/forgot\b", mail.body)
    assert "/register/" not in mail.body
    assert _mails(app) == [(owner.email, mail.subject)]


def test_a_deactivated_owner_gets_no_mail_and_the_answer_is_the_same(app):
    """Deactivated accounts are not told, and the visitor still sees the usual answer."""
    make_user(app, email="gone@example.se", active=False)
    assert _answer(app, "gone@example.se")[:2] == (302, "/register/sent")
    assert _mails(app) == []


def test_the_registration_link_is_on_the_sites_own_address(app, client):
    """A forged Host header never gets into the link of a registration mail."""
    token = csrf_token(client, "/register")
    response = client.post(
        "/register",
        data={"csrf_token": token, "email": "host@example.se"},
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 400
    post_form(client, "/register", {"email": "host@example.se"})
    body = last_mail_to(app, "host@example.se").body
    assert "http://localhost/register/" in body
    assert "evil.example" not in body


def test_the_emailed_link_creates_the_account_and_logs_in(app, client):
    """The link lets the owner of the address choose name, password and language, once."""
    response = register(client, "Greta@Example.se", name="Greta", locale="en")
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "greta@example.se" in page
    assert '<html lang="en">' in page
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "greta@example.se"))
        assert user is not None
        assert (user.display_name, user.locale, user.role_names) == ("Greta", "en", {"resident"})
    # Used up: the address has an account now.
    link = registration_link(app, "greta@example.se")
    other = app.test_client()
    assert other.get(link).status_code == 404
    assert _users(app) == 1


def test_a_forged_or_expired_link_does_not_work(app, client, monkeypatch):
    """A token whose signature is wrong, or that is too old, shows the expired page."""
    post_form(client, "/register", {"email": "late@example.se"})
    link = registration_link(app, "late@example.se")
    # A signature character well before the last, whose low bits are padding and may not count.
    wrong = "B" if link[-5] == "A" else "A"
    assert client.get(link[:-5] + wrong + link[-4:]).status_code == 404
    assert client.get("/register/not-a-token").status_code == 404
    monkeypatch.setattr(services, "REGISTRATION_LINK_HOURS", -1)
    response = client.get(link, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "The link does not work" in response.get_data(as_text=True)


def test_mistakes_on_either_step_keep_what_was_typed(app, client):
    """A bad address, and a bad password on the link's form, come back with the text kept."""
    client.set_cookie("lang", "en")
    response = post_form(client, "/register", {"email": "not-an-email"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="not-an-email"' in page
    assert 'aria-invalid="true"' in page

    post_form(client, "/register", {"email": "greta@example.se"})
    link = registration_link(app, "greta@example.se")
    response = post_form(
        client,
        link,
        {
            "display_name": "Greta",
            "password": "greta@example.se",
            "confirm": "greta@example.se",
            "locale": "sv",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Greta"' in page
    assert "The password cannot be your email address." in page
    assert "You need to accept how your personal data is handled." in page
    assert _users(app) == 0


def test_registration_is_throttled_per_email_address(app):
    """Three attempts an hour per address, whichever client sends them."""
    for number in range(3):
        client = app.test_client()
        token = csrf_token(client, "/register")
        response = client.post(
            "/register",
            data={"csrf_token": token, "email": "target@example.se"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{number + 1}"},
        )
        assert response.status_code == 302
    client = app.test_client()
    token = csrf_token(client, "/register")
    response = client.post(
        "/register",
        data={"csrf_token": token, "email": "Target@example.se"},
        environ_base={"REMOTE_ADDR": "198.51.100.9"},
    )
    assert response.status_code == 429
    assert 'value="Target@example.se"' in response.get_data(as_text=True)
    assert len(_mails(app)) == 3
    # Another address from the same client goes through.
    assert post_form(client, "/register", {"email": "other@example.se"}).status_code == 302


def test_registration_is_throttled_per_client_address(app):
    """One client cannot make a flood of registrations, each a mail (the limit: 10/minute)."""
    client = app.test_client()
    token = csrf_token(client, "/register")
    statuses = [
        client.post(
            "/register",
            data={"csrf_token": token, "email": f"person{number}@example.se"},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        ).status_code
        for number in range(12)
    ]
    assert statuses == [302] * 10 + [429] * 2
    assert len(_mails(app)) == 10
