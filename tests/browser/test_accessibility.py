"""axe-core on every page, in Swedish and in English, error states included (WCAG 2.1 AA)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from dialog.accounts.models import Role
from tests.browser.flows import choose_language, give_password, log_in, path_is, send
from tests.helpers import make_user

pytestmark = pytest.mark.browser

LANGUAGES = ("sv", "en")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()

Setup = Callable[[Page, Flask, str], None]


def _visit(path: str, status: int = 200) -> Setup:
    def setup(page: Page, app: Flask, language: str) -> None:
        response = page.goto(path)
        assert response is not None
        assert response.status == status, f"{path} answered {response.status}"
        path_is(page, path)

    return setup


def _send_empty(path: str) -> Setup:
    """Send a form with nothing filled in: the page comes back with its errors."""

    def setup(page: Page, app: Flask, language: str) -> None:
        _visit(path)(page, app, language)
        send(page)
        expect(page.locator(".error-summary")).to_be_visible()
        expect(page.locator("[aria-invalid=true]").first).to_be_visible()

    return setup


def _logged_in(*roles: Role, then: str | None = None) -> Setup:
    def setup(page: Page, app: Flask, language: str) -> None:
        user = make_user(app, *roles, locale=language)
        log_in(page, app, user)
        if then:
            _visit(then)(page, app, language)

    return setup


def _login_with_wrong_password(page: Page, app: Flask, language: str) -> None:
    page.goto("/login")
    page.locator("#email").fill("nobody@example.se")
    page.locator("#password").fill("not the password")
    send(page)
    expect(page.locator(".error-summary")).to_be_visible()


def _two_factor_setup(page: Page, app: Flask, language: str) -> None:
    give_password(page, make_user(app, Role.EDITOR, enrolled=False, locale=language))
    path_is(page, "/login/two-factor/setup")


def _two_factor(page: Page, app: Flask, language: str) -> None:
    give_password(page, make_user(app, Role.POLITICIAN, locale=language))
    path_is(page, "/login/two-factor")


def _two_factor_wrong_code(page: Page, app: Flask, language: str) -> None:
    _two_factor(page, app, language)
    page.locator("#code").fill("000000")
    send(page)
    expect(page.locator(".error-summary")).to_be_visible()


def _password_change_errors(page: Page, app: Flask, language: str) -> None:
    _logged_in()(page, app, language)
    _send_empty("/account/password")(page, app, language)


def _recovery_codes(page: Page, app: Flask, language: str) -> None:
    _two_factor_setup(page, app, language)
    secret = page.locator("code.secret").inner_text().strip()
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    send(page)
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)


PAGES: dict[str, Setup] = {
    "home": _visit("/"),
    "home-logged-in": _logged_in(),
    "privacy": _visit("/privacy"),
    "accessibility": _visit("/accessibility"),
    "accessibility-errors": _send_empty("/accessibility"),
    "login": _visit("/login"),
    "login-errors": _login_with_wrong_password,
    "register": _visit("/register"),
    "register-errors": _send_empty("/register"),
    "password-forgot": _visit("/password/forgot"),
    "password-forgot-errors": _send_empty("/password/forgot"),
    "not-found": _visit("/no-such-page", status=404),
    "account": _logged_in(then="/account"),
    "account-staff": _logged_in(Role.EDITOR, then="/account"),
    "account-password": _logged_in(then="/account/password"),
    "account-password-errors": _password_change_errors,
    "admin-users": _logged_in(Role.ADMIN, then="/admin/users"),
    "two-factor-setup": _two_factor_setup,
    "two-factor": _two_factor,
    "two-factor-errors": _two_factor_wrong_code,
    "recovery-codes": _recovery_codes,
}


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_accessibility_violations(
    name: str,
    language: str,
    live_app: Flask,
    live_server: str,
    context: BrowserContext,
) -> None:
    choose_language(context, live_server, language)
    page = context.new_page()
    PAGES[name](page, live_app, language)
    expect(page.locator("html")).to_have_attribute("lang", language)

    results = _axe.run(page, options=AXE_OPTIONS)

    # Only violations fail the test; "incomplete" results (for a person to review) do not.
    assert results.response["passes"], "axe ran no rules"
    violations = results.response["violations"]
    assert not violations, f"{name} ({language}) at {page.url}:\n{_report(violations)}"
