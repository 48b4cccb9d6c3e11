"""Security headers, error pages, request ids and the language choice."""

from __future__ import annotations

import json

import pytest

from dialog import create_app
from dialog.config import for_tests
from tests.helpers import load_user, make_user, post_form

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)


@pytest.mark.parametrize(("path", "status"), [("/", 200), ("/no-such-page", 404)])
def test_security_headers_on_pages_and_errors(client, path, status):
    """Pages and error pages carry the CSP, nosniff and referrer headers; no HSTS over HTTP."""
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_https(database_url):
    """With HTTPS on, responses carry a Strict-Transport-Security header."""
    app = create_app(for_tests(database_url, HTTPS=True, SESSION_COOKIE_SECURE=True))
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_flags(app, client):
    """The session cookie is HttpOnly and SameSite=Lax, and not Secure over plain HTTP."""
    user = make_user(app)
    response = post_form(client, "/login", {"email": user.email, "password": user.password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookie_when_https(database_url):
    """With HTTPS on, the session cookie is marked Secure."""
    app = create_app(for_tests(database_url, HTTPS=True, SESSION_COOKIE_SECURE=True))
    response = app.test_client().get("/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_no_third_party_references(app, client):
    """Pages load nothing from other hosts: no fonts, scripts or trackers."""
    html = client.get("/").get_data(as_text=True).replace(app.config["BASE_URL"] + "/", "")
    assert "http://" not in html.replace('xmlns="http://www.w3.org', "")
    assert "https://" not in html


def test_not_found_page_is_localised_with_a_request_id(client):
    """The 404 page is in the reader's language and shows the request id of its header."""
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 404
    assert "Page not found" in html
    assert request_id in html


def test_not_found_page_in_swedish(client):
    """Without a language choice the 404 page is in Swedish."""
    response = client.get("/no-such-page")
    assert "Sidan finns inte" in response.get_data(as_text=True)


def test_method_not_allowed_page(client):
    """A method a route does not take gets 405, with the security headers."""
    response = client.put("/")
    assert response.status_code == 405
    assert response.headers["Content-Security-Policy"] == CSP


def test_server_error_shows_no_internal_detail(database_url, capfd):
    """An unhandled error shows a plain 500 page with the request id and logs the traceback."""
    app = create_app(for_tests(database_url))

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in html
    assert "Traceback" not in html
    assert "Something went wrong" in html
    assert response.headers["X-Request-ID"] in html
    assert response.headers["Content-Security-Policy"] == CSP
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line]
    logged = [line for line in lines if line["message"] == "unhandled exception"]
    assert logged[0]["request_id"] == response.headers["X-Request-ID"]
    assert "RuntimeError" in logged[0]["exception"]


def test_incoming_request_id_is_kept_when_sane(client):
    """A well-formed incoming X-Request-ID is echoed; one with markup is replaced."""
    assert (
        client.get("/", headers={"X-Request-ID": "abc12345-def"}).headers["X-Request-ID"]
        == "abc12345-def"
    )
    assert client.get("/", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"] != (
        "<script>"
    )


def test_language_from_accept_language(client):
    """Without a cookie or setting, the page language follows Accept-Language."""
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_language_switch_sets_a_cookie_that_beats_accept_language(client):
    """The language switch redirects back and its cookie wins over Accept-Language."""
    response = client.get("/language/en?next=/privacy")
    assert response.status_code == 302
    assert response.location == "/privacy"
    html = client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_language_switch_refuses_unknown_languages_and_foreign_next(client):
    """The switch answers 404 for an unknown language and ignores a next on another host."""
    assert client.get("/language/de").status_code == 404
    assert client.get("/language/en?next=https://evil.example").location == "/"


def test_user_setting_beats_the_cookie(app, client, auth):
    """A logged-in user's language setting wins over the language cookie."""
    user = make_user(app, locale="en")
    client.set_cookie("lang", "sv")
    auth.login(user)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_switching_language_while_logged_in_changes_only_this_browser(app, client, auth):
    """GET /language/<code> sets the cookie; the account's saved language stays as it was."""
    user = make_user(app, locale="sv")
    auth.login(user)
    response = client.get("/language/en?next=/privacy")
    assert response.status_code == 302
    assert "lang=en" in response.headers["Set-Cookie"]
    assert load_user(app, user.id).locale == "sv"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_the_account_page_changes_the_accounts_language(app, client, auth):
    """The account's language is changed by the account form, and this browser follows it."""
    user = make_user(app, locale="sv", name="Greta")
    auth.login(user)
    response = post_form(client, "/account", {"display_name": "Greta", "locale": "en"})
    assert response.status_code == 302
    assert "lang=en" in response.headers["Set-Cookie"]
    assert load_user(app, user.id).locale == "en"
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)


def test_dates_and_numbers_follow_the_language(app):
    """Dates and numbers are formatted the Swedish or the English way by the locale."""
    from datetime import date

    from flask_babel import force_locale, format_date, format_decimal

    with app.test_request_context():
        with force_locale("sv"):
            assert format_decimal(12345.5) == "12\xa0345,5"
            assert format_date(date(2019, 12, 16), "long") == "16 december 2019"
        with force_locale("en"):
            assert format_decimal(12345.5) == "12,345.5"
            assert format_date(date(2019, 12, 16), "long") == "December 16, 2019"
