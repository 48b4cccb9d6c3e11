"""Register, log in with a second factor, switch language and log out, in a real browser."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from dialog.accounts.models import Role
from tests.browser.flows import (
    ask_to_register,
    choose_language,
    give_password,
    log_in,
    logout_button,
    path_is,
    send,
    unique_email,
)
from tests.helpers import PASSWORD, load_user, make_user, registration_link

pytestmark = pytest.mark.browser

ACCOUNT_LINK = "nav.main-nav a[href='/account']"


def test_a_resident_registers_and_is_logged_in(live_app: Flask, page: Page) -> None:
    """The address first, then the emailed link's form: name, password, language, consent."""
    email = unique_email("greta")
    page.goto("/register")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.locator("#email").fill(email)
    send(page)
    path_is(page, "/register/sent")
    expect(page.locator("main h1")).to_have_text("Titta i din e-post")

    page.goto(registration_link(live_app, email))
    expect(page.locator("main")).to_contain_text(email)
    page.locator("#display_name").fill("Greta")
    page.locator("#password").fill("tolv tecken minst")
    page.locator("#confirm").fill("tolv tecken minst")
    expect(page.locator("#locale")).to_have_value("sv")
    page.locator("#accept").check()
    send(page)

    path_is(page, "/")
    expect(logout_button(page)).to_be_visible()
    expect(page.locator(ACCOUNT_LINK)).to_have_text(re.compile("^(Mitt konto|My account)$"))
    expect(page.locator(".messages .message-success").first).to_be_visible()
    page.locator(ACCOUNT_LINK).click()
    path_is(page, "/account")
    expect(page.locator("main dl.facts")).to_contain_text(email)


def test_a_registration_with_errors_keeps_what_was_typed(live_app: Flask, page: Page) -> None:
    """A bad registration shows an error summary whose links focus the fields, text kept."""
    page.goto("/register")
    page.locator("#email").fill("not-an-email")
    send(page)

    expect(page.locator(".error-summary")).to_be_visible()
    path_is(page, "/register")
    expect(page.locator("#email")).to_have_value("not-an-email")
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(ACCOUNT_LINK)).to_have_count(0)
    # Each error in the summary links to its field.
    page.locator(".error-summary a[href='#email']").click()
    expect(page.locator("#email")).to_be_focused()

    ask_to_register(page, live_app, unique_email("greta"))
    page.locator("#display_name").fill("Greta")
    page.locator("#password").fill("kort")
    send(page)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#display_name")).to_have_value("Greta")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(ACCOUNT_LINK)).to_have_count(0)


def test_staff_enrol_a_second_factor_and_log_in_with_it(live_app: Flask, page: Page) -> None:
    """An editor scans a secret, gets ten recovery codes, and later logs in with a code."""
    editor = make_user(live_app, Role.EDITOR, enrolled=False)

    give_password(page, editor)
    path_is(page, "/login/two-factor/setup")
    secret = page.locator("code.secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    send(page)

    codes = page.locator("ul.recovery-codes li code")
    expect(codes).to_have_count(10)
    assert len(set(codes.all_inner_texts())) == 10
    page.locator("main a.button").click()
    path_is(page, "/")
    expect(logout_button(page)).to_be_visible()
    assert load_user(live_app, editor.id).totp_secret == secret

    logout_button(page).click()
    expect(page.locator(ACCOUNT_LINK)).to_have_count(0)

    give_password(page, editor)
    path_is(page, "/login/two-factor")
    # The code of this 30-second step is spent; the server allows one step of drift.
    page.locator("#code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    send(page)
    path_is(page, "/")
    expect(logout_button(page)).to_be_visible()
    page.goto("/account")
    path_is(page, "/account")


def test_a_wrong_second_factor_code_is_refused(live_app: Flask, page: Page) -> None:
    """A wrong second-factor code is marked invalid and gives no session."""
    editor = make_user(live_app, Role.EDITOR)
    give_password(page, editor)
    path_is(page, "/login/two-factor")
    page.locator("#code").fill("000000")
    send(page)

    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(ACCOUNT_LINK)).to_have_count(0)
    page.goto("/account")
    path_is(page, "/login")


def test_the_language_switch_is_remembered(page: Page) -> None:
    """The language switch returns to the same page and the choice holds on the next pages."""
    page.goto("/login")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "sv")

    page.locator("nav.language").get_by_role("link", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    path_is(page, "/login")  # back on the page the switch was used on
    expect(page.locator("nav.language [aria-current]")).to_have_text("English")
    expect(page.locator("main h1")).to_have_text("Log in")

    page.locator("footer a[href='/privacy']").click()
    path_is(page, "/privacy")
    expect(html).to_have_attribute("lang", "en")

    page.locator("nav.language").get_by_role("link", name="Svenska").click()
    path_is(page, "/privacy")
    expect(html).to_have_attribute("lang", "sv")
    expect(page.locator("nav.language [aria-current]")).to_have_text("Svenska")
    page.goto("/")
    expect(html).to_have_attribute("lang", "sv")


def test_a_logged_in_persons_language_follows_them(
    live_app: Flask, live_server: str, new_context: Callable[..., BrowserContext]
) -> None:
    """The switch changes this browser only; the account page saves the choice in the
    account, for the next login elsewhere."""
    resident = make_user(live_app, locale="sv")
    page = new_context().new_page()
    log_in(page, live_app, resident)
    page.locator("nav.language").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert load_user(live_app, resident.id).locale == "sv"

    page.locator(ACCOUNT_LINK).click()
    path_is(page, "/account")
    page.locator("#locale").select_option("en")
    send(page)
    expect(page.locator(".messages .message-success")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert load_user(live_app, resident.id).locale == "en"

    elsewhere = new_context(locale="sv-SE")
    choose_language(elsewhere, live_server, "sv")
    other_page = elsewhere.new_page()
    other_page.goto("/")
    expect(other_page.locator("html")).to_have_attribute("lang", "sv")
    log_in(other_page, live_app, resident)
    expect(other_page.locator("html")).to_have_attribute("lang", "en")


def test_logging_out_ends_the_session_everywhere(
    live_app: Flask, context: BrowserContext, new_context: Callable[..., BrowserContext]
) -> None:
    """After logout the session cookie works nowhere, not even in a browser it was copied to."""
    resident = make_user(live_app, email=unique_email("logout"), password=PASSWORD)
    page = context.new_page()
    log_in(page, live_app, resident)
    cookies = context.cookies()
    assert any(cookie["name"] == "dialog_session" for cookie in cookies)

    # The copied cookie works in another browser while the session lives ...
    copy = new_context()
    copy.add_cookies(cookies)
    copy_page = copy.new_page()
    copy_page.goto("/account")
    path_is(copy_page, "/account")
    expect(copy_page.locator("main dl.facts")).to_contain_text(resident.email)

    logout_button(page).click()
    path_is(page, "/")
    expect(logout_button(page)).to_have_count(0)
    expect(page.locator("nav.main-nav a[href^='/login']")).to_be_visible()

    # ... and no longer after the logout: neither here nor there.
    stale = new_context()
    stale.add_cookies(cookies)
    stale_page = stale.new_page()
    stale_page.goto("/account")
    path_is(stale_page, "/login")
    copy_page.goto("/account")
    path_is(copy_page, "/login")
    page.goto("/account")
    path_is(page, "/login")
