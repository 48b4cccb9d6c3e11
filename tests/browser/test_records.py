"""A resident downloads their data and closes their account; the records' exports page; axe
on each of these pages, in Swedish and in English."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, expect

from dialog.accounts.models import User
from dialog.extensions import db
from tests.browser.axe import assert_accessible
from tests.browser.flows import choose_language, log_in, logout_button, path_is, send
from tests.browser.scenario import Scenario, StaffLogin
from tests.helpers import make_user

pytestmark = pytest.mark.browser

LANGUAGES = ("sv", "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_resident_downloads_their_data_and_closes_their_account(
    language: str, live_app: Flask, live_server: str, context: BrowserContext
) -> None:
    """The account page's link downloads the JSON; the closing page asks for the password
    and a tick, shows a wrong one as an error, then closes the account and logs out."""
    choose_language(context, live_server, language)
    page = context.new_page()
    user = make_user(live_app, name=f"Stängare {language}", locale=language)
    log_in(page, live_app, user)
    page.goto("/account")
    with page.expect_download() as download_info:
        page.locator("main a[href='/account/data']").click()
    download = download_info.value
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == user.email

    page.locator("main a[href='/account/close']").click()
    path_is(page, "/account/close")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page, f"close-account ({language})")

    page.locator("#password").fill("not the password")
    page.locator("#confirm").check()
    send(page)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"close-account-errors ({language})")

    page.locator("#password").fill(user.password)
    page.locator("#confirm").check()
    send(page)
    path_is(page, "/")
    expect(page.locator(".messages .message-success").first).to_be_visible()
    expect(logout_button(page)).to_have_count(0)
    with live_app.app_context():
        assert db.session.get(User, user.id) is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_exports_page(
    language: str,
    live_app: Flask,
    live_server: str,
    context: BrowserContext,
    scenario: Scenario,
    staff_login: StaffLogin,
) -> None:
    """An administrator's exports page, and its error state, pass axe; a download starts."""
    choose_language(context, live_server, language)
    context.add_cookies(staff_login("admin", language)["cookies"])
    page = context.new_page()
    page.goto("/admin/records")
    expect(page.locator("main form")).to_have_count(2)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page, f"records-exports ({language})")

    with page.expect_download() as download_info:
        page.locator("#audit-start").fill("2020-01-01")
        page.locator("form[action$='audit.csv'] button[type=submit]").click()
    assert download_info.value.suggested_filename == "audit.csv"

    page.locator("#start").fill("2026-05-02")
    page.locator("#end").fill("2026-05-01")
    page.locator("form[action$='registry.csv'] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, f"records-exports-errors ({language})")
