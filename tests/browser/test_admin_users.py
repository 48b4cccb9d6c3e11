"""Changing a user's roles with the keyboard alone, in a real browser, with scripts on and
off: Tab to a role's box, Space to tick it, Enter on the user's save button; axe on the way
(axe is a script: it runs where scripts do)."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from dialog.accounts.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.flows import tab_to
from tests.browser.scenario import StaffLogin
from tests.helpers import load_user, make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("language", "scripts"), [("sv", True), ("en", False)])
def test_an_admin_changes_roles_with_the_keyboard_alone(
    live_app: Flask,
    browser: Browser,
    live_server: str,
    staff_login: StaffLogin,
    language: str,
    scripts: bool,
) -> None:
    """Tick a role and untick another for one user, and save them with that user's button:
    the user holds the new roles and the list shows them ticked; with scripts, axe passes."""
    name = f"Kim Tangentbord {language}"
    user = make_user(live_app, name=name)
    context = browser.new_context(
        base_url=live_server,
        locale="sv-SE" if language == "sv" else "en-GB",
        java_script_enabled=scripts,
        storage_state=staff_login("admin", language),
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"/admin/users?q={name.replace(' ', '+')}")
        form = f"form[action='/admin/users/{user.id}/roles']"
        expect(page.locator(f"{form} input[type=checkbox]")).to_have_count(len(Role))
        if scripts:
            assert_accessible(page, f"user list ({language})")

        tab_to(page, f"{form} input[name=roles][value=editor]")
        page.keyboard.press("Space")
        tab_to(page, f"{form} input[name=roles][value=resident]")
        page.keyboard.press("Space")
        tab_to(page, f"{form} button")
        page.keyboard.press("Enter")

        expect(page.locator(".messages .message-success")).to_contain_text(name)
        assert load_user(live_app, user.id).role_names == {Role.EDITOR}
        expect(page.locator(f"{form} input[name=roles][value=editor]")).to_be_checked()
        expect(page.locator(f"{form} input[name=roles][value=resident]")).not_to_be_checked()
        if scripts:
            assert_accessible(page, f"user list after saving ({language})")
    finally:
        context.close()
