"""The menus in a browser: on a phone's width, and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.flows import path_is
from tests.browser.scenario import StaffLogin

pytestmark = pytest.mark.browser


def test_the_staff_menu_fits_a_phone_and_works_without_javascript(
    browser: Browser, live_server: str, staff_login: StaffLogin
) -> None:
    """At 360 px nothing scrolls sideways; with scripts off the menu leads to each place."""
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        java_script_enabled=False,
        storage_state=staff_login("admin", "sv"),
    )
    try:
        page = context.new_page()
        page.goto("/")
        menu = page.get_by_role("navigation", name="Personalmeny")
        for name in ("Mitt arbete", "Mina dialoger", "Användare", "Målprogram"):
            expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
        menu.get_by_role("link", name="Mitt arbete", exact=True).click()
        path_is(page, "/staff")
        current = page.locator("nav.staff-nav a[aria-current=page]")
        expect(current).to_have_text("Mitt arbete")
        menu.get_by_role("link", name="Målprogram", exact=True).click()
        path_is(page, "/admin/frameworks")
        expect(page.locator("nav.staff-nav a[aria-current=page]")).to_have_text("Målprogram")
    finally:
        context.close()
