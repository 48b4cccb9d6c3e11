"""One canonical address: absolute URLs come from DIALOG_BASE_URL, other hosts get a 400,
and forwarded headers count only from as many proxies as DIALOG_PROXY_HOPS says."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import func, select

from dialog import create_app
from dialog.config import for_tests, from_environment
from dialog.core.models import OutboxMessage
from dialog.core.routing import MAX_ID
from dialog.core.urls import IdUrl, absolute_url
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import csrf_token, make_user

EVIL = {"Host": "evil.example"}
ALIAS = {"Host": "127.0.0.1:5000"}  # trusted by the test settings besides localhost


def _mails(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id)))


def _outbox_size(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


@pytest.fixture
def other_app(database_url: str, app: Flask) -> Iterator[Callable[..., Flask]]:
    """Make the app with other test settings, on the same database; closed afterwards."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        made.append(create_app(for_tests(database_url, **overrides)))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def forms(other_app: Callable[..., Flask]):
    """A client of the app without CSRF tokens, so a form can be sent under any Host."""
    return other_app(WTF_CSRF_ENABLED=False).test_client()


def _post(client, path: str, data: dict[str, str], headers: dict[str, str]):
    return client.post(path, data=data, headers=headers)


def test_forged_host_on_password_forgot_is_refused_and_queues_no_mail(app, forms):
    """POST /password/forgot with Host: evil.example is a 400 and no mail is queued."""
    user = make_user(app)
    response = _post(forms, "/password/forgot", {"email": user.email}, EVIL)
    assert response.status_code == 400
    assert _outbox_size(app) == 0


def test_the_refusal_is_the_localised_error_page(client):
    """A request for another host gets the error page in the visitor's language."""
    response = client.get("/", headers={**EVIL, "Accept-Language": "en"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Bad request" in html
    assert 'class="skip-link"' in html  # the whole page, not the plain fallback
    swedish = client.get("/", headers=EVIL).get_data(as_text=True)
    assert "Felaktig förfrågan" in swedish


@pytest.mark.parametrize(
    "host", ["evil.example", "localhost.evil.example", "evil.example:80", "127.0.0.2", "[::1]"]
)
def test_every_other_host_is_refused(client, host):
    """Only the base URL's host and the trusted extra names are served."""
    assert client.get("/", headers={"Host": host}).status_code == 400


def test_reset_mail_from_a_trusted_alias_links_to_the_base_url(app, forms):
    """A reset asked for through an alias host still mails a link on DIALOG_BASE_URL."""
    user = make_user(app)
    response = _post(forms, "/password/forgot", {"email": user.email}, ALIAS)
    assert response.status_code == 302
    [body] = _mails(app)
    assert re.search(r"http://localhost/password/reset/\S+", body)
    assert "127.0.0.1" not in body


def test_sign_up_mail_links_use_the_base_url(app, forms):
    """Sign-up confirmation links (page, cancel, calendar) are on DIALOG_BASE_URL."""
    dialogue = make_dialogue(app, make_framework(app), registration=True, capacity=5)
    path = f"/dialogues/{dialogue.slug}/register"
    form = {"name": "Anna", "email": "anna@example.se", "needs": "", "accept": "y"}
    assert _post(forms, path, form, EVIL).status_code == 400
    assert _outbox_size(app) == 0
    assert _post(forms, path, form, ALIAS).status_code == 302
    [body] = _mails(app)
    links = re.findall(r"https?://\S+", body)
    assert f"http://localhost/dialogues/{dialogue.slug}" in links
    assert f"http://localhost/dialogues/{dialogue.slug}/event.ics" in links
    assert any(link.startswith("http://localhost/dialogues/cancel/") for link in links)
    assert all(link.startswith("http://localhost/") for link in links)


def test_forged_hosts_never_reach_the_cached_calendar_file(other_app, app):
    """Six GETs of event.ics with a forged Host never put evil.example in the file."""
    cached = other_app(PAGE_CACHE_SECONDS=30)
    dialogue = make_dialogue(app, make_framework(app))
    path = f"/dialogues/{dialogue.slug}/event.ics"
    client = cached.test_client()
    for _ in range(6):
        response = client.get(path, headers=EVIL)
        assert response.status_code == 400
        assert "evil.example" not in response.get_data(as_text=True)
    for headers in ({}, ALIAS, {}):
        body = client.get(path, headers=headers).get_data(as_text=True)
        assert "evil.example" not in body
        assert f"UID:dialogue-{dialogue.id}@localhost\r\n" in body
        assert f"URL:http://localhost/dialogues/{dialogue.slug}\r\n" in body


def test_api_links_use_the_base_url(app, client):
    """The API's links to dialogues and frameworks are on DIALOG_BASE_URL, whatever the Host."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework)
    [item] = client.get("/api/v1/dialogues", headers=ALIAS).get_json()
    assert item["url"] == f"http://localhost/dialogues/{dialogue.slug}"
    frameworks = client.get("/api/v1/frameworks", headers=ALIAS).get_json()
    assert [entry["url"] for entry in frameworks] == [f"http://localhost/goals/{framework.slug}"]
    assert client.get("/api/v1/dialogues", headers=EVIL).status_code == 400


def test_pages_carry_a_canonical_link_on_the_base_url(client):
    """Every page names its canonical address on DIALOG_BASE_URL, with its page number."""
    html = client.get("/dialogues", headers=ALIAS).get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/dialogues">' in html
    html = client.get("/dialogues?page=2&x=1", headers=ALIAS).get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/dialogues?page=2">' in html


def test_absolute_urls_follow_the_configured_address(other_app):
    """A base URL with https, a port and a path prefix is used as it stands, in a request
    and outside one."""
    app = other_app(BASE_URL="https://dialog.kommun.se:8443/dialog")
    assert app.config["TRUSTED_HOSTS"] == ["dialog.kommun.se", "127.0.0.1"]
    with app.app_context():
        assert absolute_url("accounts.reset_password", token="t") == (
            "https://dialog.kommun.se:8443/dialog/password/reset/t"
        )
    with app.test_request_context("/", headers={"Host": "127.0.0.1"}):
        assert absolute_url("pages.home", _anchor="main") == (
            "https://dialog.kommun.se:8443/dialog/#main"
        )


def test_make_run_serves_both_addresses_a_newcomer_types(monkeypatch, other_app):
    """The settings make run uses answer on 127.0.0.1:5000 and on localhost:5000."""
    monkeypatch.setenv("DIALOG_BASE_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("DIALOG_TRUSTED_HOSTS", "localhost")
    assert from_environment()["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]
    client = other_app(
        **{key: from_environment()[key] for key in ("BASE_URL", "TRUSTED_HOSTS")}
    ).test_client()
    for host in ("127.0.0.1:5000", "localhost:5000"):
        assert client.get("/", headers={"Host": host}).status_code == 200
    assert client.get("/", headers=EVIL).status_code == 400


def _wrong_logins(client, email: str, count: int, forwarded_for: str | None = None) -> None:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    for _ in range(count):
        token = csrf_token(client, "/login")
        client.post(
            "/login",
            data={"csrf_token": token, "email": email, "password": "not the password"},
            headers=headers,
        )


def _login_status(client, email: str, password: str, forwarded_for: str) -> int:
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": password},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


def test_forwarded_for_is_ignored_without_proxy_hops(app, client):
    """With DIALOG_PROXY_HOPS=0 a client cannot pick its throttling key by X-Forwarded-For."""
    user = make_user(app)
    for n in range(5):
        _wrong_logins(client, user.email, 1, forwarded_for=f"10.0.0.{n}")
    assert _login_status(client, user.email, user.password, "10.0.0.99") == 429


def test_behind_one_proxy_throttling_keys_on_the_real_client(other_app, app):
    """With DIALOG_PROXY_HOPS=1 wrong logins from one place do not lock the account
    for a resident elsewhere, and the proxy's own address is not the key."""
    proxied = other_app(PROXY_HOPS=1)
    user = make_user(app)
    client = proxied.test_client()
    _wrong_logins(client, user.email, 5, forwarded_for="10.0.0.1")
    assert _login_status(client, user.email, user.password, "10.0.0.1") == 429
    assert _login_status(client, user.email, user.password, "10.0.0.2") == 302


def test_an_id_url_is_what_url_for_gives_for_each_id(app):
    """Built once for a list, an IdUrl gives url_for's address of any id, in the path or in
    the query string, and calls url_for when the placeholder's digits are in the URL already."""
    with app.test_request_context():
        comment = IdUrl("contributions.comment", "comment_id")
        reply = IdUrl("contributions.new_comment", "reply_to", slug="en-dialog", proposal_id=7)
        odd = IdUrl("contributions.proposal", "proposal_id", slug=f"dialog-{MAX_ID}")
        for id_ in (1, 42, MAX_ID):
            assert comment[id_] == url_for("contributions.comment", comment_id=id_)
            assert reply[id_] == url_for(
                "contributions.new_comment", slug="en-dialog", proposal_id=7, reply_to=id_
            )
            assert odd[id_] == url_for(
                "contributions.proposal", slug=f"dialog-{MAX_ID}", proposal_id=id_
            )
