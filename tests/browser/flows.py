"""What a person does in the browser: register, log in (second factor included), choose a
language."""

from __future__ import annotations

import re
from itertools import count

from flask import Flask
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.helpers import UserInfo, current_code, registration_link

_numbers = count(1)
MOST_TABS = 300


def unique_email(prefix: str = "browser") -> str:
    """An address no other browser test uses (they share one database)."""
    return f"{prefix}{next(_numbers)}@example.se"


def path_is(page: Page, path: str) -> None:
    """Wait until the page is at path (query string allowed), e.g. after a form is sent."""
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$"))


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element is focused, and check that its focus is visible."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector}")


def send(page: Page) -> None:
    """Press the submit button of the main content's form."""
    page.locator("main form input[type=submit]").click()


def choose_language(context: BrowserContext, base_url: str, language: str) -> None:
    """Set the cookie the language switch sets, as if the person had used it earlier."""
    context.add_cookies([{"name": "lang", "value": language, "url": base_url}])


def give_password(page: Page, user: UserInfo) -> None:
    """Log in with email and password; staff then stand at a second-factor page."""
    page.goto("/login")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(user.password)
    send(page)


def log_in(page: Page, app: Flask, user: UserInfo) -> None:
    """Log in through the real forms, with a TOTP code for staff; end on the start page."""
    give_password(page, user)
    if user.totp_secret:
        path_is(page, "/login/two-factor")
        page.locator("#code").fill(current_code(user.totp_secret, app, user.id))
        send(page)
    path_is(page, "/")
    expect(logout_button(page)).to_be_visible()


def logout_button(page: Page) -> Locator:
    """The log-out button in the header, there on every page for a logged-in person."""
    return page.locator("nav.main-nav form[action='/logout'] button[type=submit]")


def ask_to_register(page: Page, app: Flask, email: str) -> None:
    """Give the address on the register page, then open the link the mail carries."""
    page.goto("/register")
    page.locator("#email").fill(email)
    send(page)
    path_is(page, "/register/sent")
    page.goto(registration_link(app, email))
