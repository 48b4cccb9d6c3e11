"""Login, second factor, logout, session invalidation and login links through HTTP."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pyotp
import pytest

from dialog.accounts.models import Role
from tests.helpers import csrf_token, current_code, load_user, make_user, post_form


def test_login_without_csrf_token_is_refused(client, app):
    """A login POST without a CSRF token gets 400 and logs nobody in."""
    user = make_user(app)
    response = client.post("/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 400
    assert client.get("/account").status_code == 302


def test_resident_logs_in_and_out(client, auth, app):
    """A resident reaches their account page after login and is sent to login after logout."""
    user = make_user(app)
    response = auth.login(user)
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    auth.logout()
    assert client.get("/account").status_code == 302


def test_wrong_password_gives_a_message_and_keeps_the_email(client, app):
    """A wrong password re-shows the form with the email kept and the password not echoed."""
    user = make_user(app)
    response = post_form(client, "/login", {"email": user.email, "password": "wrong password"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'value="{user.email}"' in html
    assert "wrong password" not in html


def test_deactivated_user_cannot_log_in(client, auth, app):
    """A deactivated user's correct password does not log them in."""
    user = make_user(app, active=False)
    response = auth.login(user)
    assert response.status_code == 200
    assert client.get("/account").status_code == 302


def test_copied_cookie_does_not_survive_logout(app, auth, client):
    """A session cookie copied before logout is worthless afterwards."""
    user = make_user(app)
    auth.login(user)
    stolen = client.get_cookie("dialog_session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("dialog_session", stolen)
    assert thief.get("/account").status_code == 302


def test_deactivating_ends_existing_sessions(app, auth, client):
    """Deactivating a user logs out the sessions they already have."""
    user = make_user(app)
    auth.login(user)
    assert client.get("/account").status_code == 200
    admin = make_user(app, Role.ADMIN)
    admin_client = app.test_client()
    from tests.helpers import AuthActions

    AuthActions(admin_client).login(admin)
    response = post_form(
        admin_client, f"/admin/users/{user.id}/active", {"active": "0"}, source="/admin/users"
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_login_gives_a_new_session(app, client):
    """Whatever the session held before login is gone after it (no fixation)."""
    user = make_user(app)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    post_form(client, "/login", {"email": user.email, "password": user.password})
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_never_leaves_the_site(app, client, target):
    """After login, a next pointing off the site (or to javascript:) goes to the home page."""
    user = make_user(app)
    response = post_form(
        client, "/login", {"email": user.email, "password": user.password, "next": target}
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_next_inside_the_site_is_followed(app, client):
    """After login, a next path on the site is where the user lands."""
    user = make_user(app)
    response = post_form(
        client, "/login", {"email": user.email, "password": user.password, "next": "/privacy"}
    )
    assert response.location == "/privacy"


def test_staff_enrol_second_factor_on_first_login(app, client):
    """A new editor must set up TOTP before getting in, and gets recovery codes."""
    editor = make_user(app, Role.EDITOR, enrolled=False)
    response = post_form(client, "/login", {"email": editor.email, "password": editor.password})
    assert response.location.endswith("/login/two-factor/setup")
    page = client.get("/login/two-factor/setup").get_data(as_text=True)
    assert "<svg" in page
    with client.session_transaction() as session:
        secret = session["pending_totp_secret"]
    assert secret in page
    wrong = post_form(client, "/login/two-factor/setup", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/account").status_code == 302
    response = post_form(client, "/login/two-factor/setup", {"code": pyotp.TOTP(secret).now()})
    html = response.get_data(as_text=True)
    assert html.count("<li><code>") == 10
    assert client.get("/account").status_code == 200
    assert load_user(app, editor.id).totp_secret == secret


def test_staff_login_needs_the_code(app, client):
    """Staff get no session from the password alone: a wrong code fails, a current one lets in."""
    editor = make_user(app, Role.EDITOR)
    response = post_form(client, "/login", {"email": editor.email, "password": editor.password})
    assert response.location.endswith("/login/two-factor")
    assert client.get("/account").status_code == 302
    wrong = post_form(client, "/login/two-factor", {"code": "123456"})
    assert wrong.status_code == 200
    code = current_code(editor.totp_secret, app, editor.id)
    assert post_form(client, "/login/two-factor", {"code": code}).status_code == 302
    assert client.get("/account").status_code == 200


def test_a_totp_code_works_only_once(app):
    """A TOTP code accepted in one browser is refused when replayed in another."""
    editor = make_user(app, Role.EDITOR)
    first, second = app.test_client(), app.test_client()
    code = current_code(editor.totp_secret, app, editor.id)
    for browser in (first, second):
        post_form(browser, "/login", {"email": editor.email, "password": editor.password})
    assert post_form(first, "/login/two-factor", {"code": code}).status_code == 302
    assert post_form(second, "/login/two-factor", {"code": code}).status_code == 200
    assert second.get("/account").status_code == 302


def test_a_recovery_code_stands_in_for_the_phone_once(app):
    """A recovery code passes the second factor once and is refused the second time."""
    editor = make_user(app, Role.EDITOR, enrolled=False)
    client = app.test_client()
    post_form(client, "/login", {"email": editor.email, "password": editor.password})
    client.get("/login/two-factor/setup")
    with client.session_transaction() as session:
        secret = session["pending_totp_secret"]
    html = post_form(
        client, "/login/two-factor/setup", {"code": pyotp.TOTP(secret).now()}
    ).get_data(as_text=True)
    recovery = html.split("<li><code>")[1].split("</code>")[0]
    for attempt, expected in ((1, 302), (2, 200)):
        browser = app.test_client()
        post_form(browser, "/login", {"email": editor.email, "password": editor.password})
        response = post_form(browser, "/login/two-factor", {"code": recovery})
        assert response.status_code == expected, attempt


def test_second_factor_can_be_turned_off_for_the_installation(app, client):
    """With STAFF_MFA off, an editor logs in with the password alone and gets no admin rights."""
    app.config["STAFF_MFA"] = False
    try:
        editor = make_user(app, Role.EDITOR, enrolled=False)
        response = post_form(client, "/login", {"email": editor.email, "password": editor.password})
        assert response.location == "/"
        assert client.get("/admin/users").status_code == 403
        assert client.get("/account").status_code == 200
    finally:
        app.config["STAFF_MFA"] = True


def test_login_is_throttled_per_account_and_address(app, client):
    """After five failures the form says wait, keeps the email, and the right password waits too."""
    user = make_user(app)
    for _ in range(5):
        post_form(client, "/login", {"email": user.email, "password": "wrong password"})
    response = post_form(client, "/login", {"email": user.email, "password": user.password})
    assert response.status_code == 429
    assert f'value="{user.email}"' in response.get_data(as_text=True)


def test_throttling_does_not_lock_the_user_out_from_elsewhere(app):
    """An attacker's failures from one address do not block the owner at another."""
    user = make_user(app)
    attacker = app.test_client()
    for _ in range(6):
        token = csrf_token(attacker, "/login")
        attacker.post(
            "/login",
            data={"csrf_token": token, "email": user.email, "password": "guess"},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
    owner = app.test_client()
    token = csrf_token(owner, "/login")
    response = owner.post(
        "/login",
        data={"csrf_token": token, "email": user.email, "password": user.password},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert response.status_code == 302


def _login_links(page: str) -> list[str]:
    """Every link on the page to the login page or through the language switch, decoded."""
    hrefs = re.findall(r'href="(/(?:login|language/)[^"]*)"', page)
    return [unquote(unquote(html.unescape(href))) for href in hrefs]


def test_links_to_the_login_page_carry_this_page_as_next(client):
    """The header's log-in link brings the visitor back to the page they were on."""
    page = client.get("/dialogues?when=past").get_data(as_text=True)
    assert 'href="/login?next=/dialogues?when%3Dpast"' in page


def test_the_login_pages_own_links_never_nest(client, app):
    """On the login page, the header links keep its next instead of nesting another login."""
    path = "/login?next=/dialogues"
    for _ in range(3):
        page = client.get(path).get_data(as_text=True)
        links = _login_links(page)
        assert "/login?next=/dialogues" in links
        assert "/language/en?next=/login?next=/dialogues" in links
        assert not [link for link in links if "/login?next=/login" in link]
        assert 'name="next" type="hidden" value="/dialogues"' in page
        # Follow the header's log-in link and the language switch; the address stays put.
        path = re.search(r'<li><a href="(/login[^"]*)">', page).group(1).replace("&amp;", "&")
        switched = client.get(
            re.search(r'href="(/language/en[^"]*)"', page).group(1).replace("&amp;", "&")
        )
        assert switched.location == "/login?next=/dialogues"
        client.delete_cookie("lang")
    # A nested address someone made by hand comes back flat, and logging in goes there.
    user = make_user(app)
    page = client.get("/login?next=/login?next%3D/login%253Fnext%253D/dialogues").get_data(
        as_text=True
    )
    assert 'name="next" type="hidden" value="/dialogues"' in page
    assert not [link for link in _login_links(page) if "/login?next=/login" in link]
    response = post_form(
        client,
        "/login",
        {"email": user.email, "password": user.password, "next": "/login?next=/dialogues"},
    )
    assert response.location == "/dialogues"


def test_the_register_page_links_to_login_without_itself_as_next(client):
    """From the register page, the log-in links do not send people back to register."""
    page = client.get("/register").get_data(as_text=True)
    assert not [link for link in _login_links(page) if link.startswith("/login?next")]
