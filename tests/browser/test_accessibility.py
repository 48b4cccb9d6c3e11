"""axe-core on every page, in Swedish and in English, error states included (WCAG 2.1 AA)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from dialog.accounts.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.flows import (
    ask_to_register,
    choose_language,
    give_password,
    log_in,
    path_is,
    send,
    unique_email,
)
from tests.browser.scenario import Scenario, StaffLogin
from tests.helpers import database_down, make_user

pytestmark = pytest.mark.browser

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Visit:
    """What a page's setup works with: the page, the app, the language and the data."""

    page: Page
    app: Flask
    language: str
    scenario: Scenario
    staff_login: StaffLogin

    def path(self, template: str) -> str:
        """Fill in the scenario's slugs and ids, as in "/goals/{adopted}/{goal}"."""
        return template.format(**self.scenario.paths())


Setup = Callable[[Visit], None]


def _visit(path: str, status: int = 200, shows: str | tuple[str, ...] = ()) -> Setup:
    """Open the page; shows names what must be on it, so axe checks the page meant."""
    wanted = (shows,) if isinstance(shows, str) else shows

    def setup(visit: Visit) -> None:
        target = visit.path(path)
        response = visit.page.goto(target)
        assert response is not None
        assert response.status == status, f"{target} answered {response.status}"
        path_is(visit.page, target)
        for selector in wanted:
            expect(visit.page.locator(selector).first).to_be_visible()

    return setup


def _send_empty(path: str) -> Setup:
    """Send a form with nothing filled in: the page comes back with its errors."""

    def setup(visit: Visit) -> None:
        _visit(path)(visit)
        send(visit.page)
        expect(visit.page.locator(".error-summary")).to_be_visible()
        expect(visit.page.locator("[aria-invalid=true]").first).to_be_visible()

    return setup


def _logged_in(*roles: Role, then: str | None = None) -> Setup:
    def setup(visit: Visit) -> None:
        user = make_user(visit.app, *roles, locale=visit.language)
        log_in(visit.page, visit.app, user)
        if then:
            _visit(then)(visit)

    return setup


def _as(role: str, then: Setup) -> Setup:
    """Continue as the scenario's staff member of that role, in the page's language."""

    def setup(visit: Visit) -> None:
        state = visit.staff_login(role, visit.language)
        visit.page.context.add_cookies(state["cookies"])
        then(visit)

    return setup


def _login_with_wrong_password(visit: Visit) -> None:
    page = visit.page
    page.goto("/login")
    page.locator("#email").fill("nobody@example.se")
    page.locator("#password").fill("not the password")
    send(page)
    expect(page.locator(".error-summary")).to_be_visible()


def _two_factor_setup(visit: Visit) -> None:
    give_password(
        visit.page, make_user(visit.app, Role.EDITOR, enrolled=False, locale=visit.language)
    )
    path_is(visit.page, "/login/two-factor/setup")


def _two_factor(visit: Visit) -> None:
    give_password(visit.page, make_user(visit.app, Role.POLITICIAN, locale=visit.language))
    path_is(visit.page, "/login/two-factor")


def _two_factor_wrong_code(visit: Visit) -> None:
    _two_factor(visit)
    visit.page.locator("#code").fill("000000")
    send(visit.page)
    expect(visit.page.locator(".error-summary")).to_be_visible()


def _password_change_errors(visit: Visit) -> None:
    _logged_in()(visit)
    _send_empty("/account/password")(visit)


def _recovery_codes(visit: Visit) -> None:
    _two_factor_setup(visit)
    page = visit.page
    secret = page.locator("code.secret").inner_text().strip()
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    send(page)
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)


def _finish_registration(errors: bool = False) -> Setup:
    """The emailed link's form (sent empty, for its errors)."""

    def setup(visit: Visit) -> None:
        ask_to_register(visit.page, visit.app, unique_email("axe"))
        expect(visit.page.locator("#display_name")).to_be_visible()
        if errors:
            send(visit.page)
            expect(visit.page.locator(".error-summary")).to_be_visible()

    return setup


def _report_that_would_lose_text(visit: Visit) -> None:
    """The report form showing what cleaning would remove, before it stores anything."""
    _visit("/dialogues/{past}/report")(visit)
    page = visit.page
    page.locator("#heard_sv").fill("Vi vill ha <fler bänkar> vid ån")
    page.locator("main form input[name=save]").click()
    expect(page.locator(".cleaned-preview pre")).to_be_visible()


def _page_that_would_lose_text(visit: Visit) -> None:
    """The content page form showing what cleaning would remove, before it stores anything."""
    _visit("/admin/pages/new")(visit)
    page = visit.page
    page.locator("#title").fill("Sidan")
    page.locator("#slug").fill(f"sida-{visit.language}")
    page.locator("#body").fill("Vi bygger <fler cykelbanor> och parker.")
    send(page)
    expect(page.locator(".cleaned-preview pre")).to_be_visible()


def _database_down_while_sending(visit: Visit) -> None:
    """The database fails as a proposal is sent: the 503 page gives the text back to copy."""
    visit.page.goto(visit.path("/dialogues/{open}/proposals/new"))
    visit.page.locator("#title").fill("Belysning vid stationen")
    visit.page.locator("#body").fill("Gångvägen är mörk.\nSätt upp lampor.")
    with database_down(visit.app):
        send(visit.page)
        expect(visit.page.locator("#typed-2")).to_have_value("Gångvägen är mörk.\nSätt upp lampor.")


def _personal_data_warning(visit: Visit) -> None:
    """A proposal with a phone number in it: the warning and the "Send anyway" choice."""
    _visit("/dialogues/{open}/proposals/new")(visit)
    page = visit.page
    page.locator("#title").fill("Snöskottning")
    page.locator("#body").fill("Ring mig på 070-123 45 67.")
    send(page)
    expect(page.locator("main input[name=send_anyway]")).to_be_visible()


def _report_without_a_reason(visit: Visit) -> None:
    """The report form sent without a reason: the error on the reasons."""
    _visit("/inputs/{proposal}/report")(visit)
    send(visit.page)
    expect(visit.page.locator(".error-summary")).to_be_visible()
    expect(visit.page.locator("fieldset .error")).to_be_visible()


def _filtered_dialogues(visit: Visit) -> None:
    """The public list narrowed with its own form to past workshops."""
    _visit("/dialogues")(visit)
    page = visit.page
    page.locator("#when").select_option("past")
    page.locator("#format").select_option("workshop")
    page.locator("main form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dialogues\?.*when=past"))
    expect(page.locator("ul.dialogue-list > li").first).to_be_visible()


def _preview(path: str, rows: str, rejected: str) -> Setup:
    """Paste CSV rows into an import form and preview them; one row is rejected."""

    def setup(visit: Visit) -> None:
        _visit(path)(visit)
        page = visit.page
        page.locator("#csv_text").fill(rows)
        page.locator("main form input[name=preview]").click()
        expect(page.locator(rejected)).to_have_count(1)

    return setup


# The adopted version's Kolada indicator: a good value, and one for a year that is no year.
MEASUREMENT_ROWS = "indikator;år;värde;källa\nN07925;2024;5,6;kolada\nN07925;20x4;6,1;kolada\n"
NOTE_ROWS = "text;grupp;mål\nFler bänkar på torget;invånare;1.2\nMer ljus;okänd grupp;\n"

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
    "register-sent": _visit("/register/sent"),
    "register-finish": _finish_registration(),
    "register-finish-errors": _finish_registration(errors=True),
    "register-invalid": _visit("/register/not-a-token", status=404),
    "password-forgot": _visit("/password/forgot"),
    "password-forgot-errors": _send_empty("/password/forgot"),
    "not-found": _visit("/no-such-page", status=404),
    "account": _logged_in(then="/account"),
    "account-staff": _logged_in(Role.EDITOR, then="/account"),
    "account-password": _logged_in(then="/account/password"),
    "account-password-errors": _password_change_errors,
    "admin-users": _logged_in(Role.ADMIN, then="/admin/users"),
    "admin-mail": _as("admin", _visit("/admin/mail", shows="table.outbox tbody tr")),
    "two-factor-setup": _two_factor_setup,
    "two-factor": _two_factor,
    "two-factor-errors": _two_factor_wrong_code,
    "recovery-codes": _recovery_codes,
    # Goals
    "goals": _visit("/goals", shows="ul.framework-list .status-label-superseded"),
    "goals-framework": _visit("/goals/{adopted}", shows="ol.goal-tree-1 .sdg-badge"),
    "goals-framework-superseded": _visit("/goals/{superseded}", shows=".notice-superseded a"),
    "goals-goal": _visit(
        "/goals/{adopted}/{goal}",
        shows=(
            "ul.sdg-badges li",
            "figure.indicator-figure svg",
            "table.measurements tbody tr",
            "section.goal-trace h2",
        ),
    ),
    "goals-goal-inputs": _visit("/goals/{adopted}/{goal}/inputs", shows="form.filters select"),
    "goals-compare": _visit("/goals/{superseded}/compare/{adopted}", shows="table.compare ins"),
    "goals-compare-draft": _as(
        "admin", _visit("/goals/{adopted}/compare/{draft}", shows="table.compare ins")
    ),
    "admin-frameworks": _as("admin", _visit("/admin/frameworks", shows="main table tbody tr")),
    "admin-framework": _as(
        "admin", _visit("/admin/frameworks/{adopted}", shows="ul.admin-indicators a")
    ),
    "admin-framework-draft": _as(
        "admin", _visit("/admin/frameworks/{draft}", shows="ol.admin-tree form button")
    ),
    "admin-goal-edit": _as("admin", _visit("/admin/frameworks/{draft}/goals/{draft_goal}")),
    "admin-import": _as("admin", _visit("/admin/frameworks/{adopted}/import")),
    "admin-import-preview": _as(
        "admin",
        _preview("/admin/frameworks/{adopted}/import", MEASUREMENT_ROWS, "ul.rejected-rows li"),
    ),
    # Dialogues
    "dialogues": _visit("/dialogues", shows="ul.dialogue-list > li"),
    "dialogues-filtered": _filtered_dialogues,
    "dialogue-open": _visit("/dialogues/{open}", shows="#sign-up ~ p a.button"),
    "dialogue-past": _visit("/dialogues/{past}", shows=("table.headcount", "#feedback ~ h3")),
    "dialogue-inputs": _visit("/dialogues/{past}/inputs", shows="ol.note-list > li"),
    "dialogue-register": _visit("/dialogues/{open}/register"),
    "dialogue-register-errors": _send_empty("/dialogues/{open}/register"),
    "dialogue-cancel": _visit("/dialogues/cancel/{cancel_token}", shows="main form"),
    "dialogue-open-facilitator": _as(
        "facilitator", _visit("/dialogues/{open}", shows="form.status-form")
    ),
    "dialogues-manage": _as("admin", _visit("/dialogues/manage", shows="main table tbody tr")),
    "dialogue-edit": _as("admin", _visit("/dialogues/{open}/edit")),
    "dialogue-capture": _as("admin", _visit("/dialogues/{open}/capture")),
    "dialogue-capture-errors": _as("admin", _send_empty("/dialogues/{open}/capture")),
    "dialogue-import-preview": _as(
        "admin", _preview("/dialogues/{open}/import", NOTE_ROWS, "table.rejected-rows tbody tr")
    ),
    "dialogue-registrations": _as(
        "admin", _visit("/dialogues/{open}/registrations", shows="main table tbody tr")
    ),
    "dialogue-notes": _as(
        "admin", _visit("/dialogues/{past}/notes", shows="table.notes-table tbody tr")
    ),
    "dialogue-headcount": _as("admin", _visit("/dialogues/{past}/headcount")),
    "dialogue-report": _as("admin", _visit("/dialogues/{past}/report", shows="main .notice")),
    "dialogue-report-cleaning": _as("admin", _report_that_would_lose_text),
    # Staff start page, for each role
    "staff-facilitator": _as("facilitator", _visit("/staff", shows="main table tbody tr")),
    "staff-admin": _as("admin", _visit("/staff", shows="#admin-heading ~ ul a")),
    "staff-editor": _logged_in(Role.EDITOR, then="/staff"),
    "staff-politician": _logged_in(Role.POLITICIAN, then="/staff"),
    # Proposals
    "proposal-new": _visit("/dialogues/{open}/proposals/new", shows="main .public-record"),
    "proposal-new-errors": _send_empty("/dialogues/{open}/proposals/new"),
    "proposal-new-database-down": _database_down_while_sending,
    "proposals": _visit("/dialogues/{open}/proposals", shows="ol.proposal-list > li"),
    "proposal": _visit("/dialogues/{open}/proposals/{proposal}", shows="#support"),
    "proposal-resident": _logged_in(then="/dialogues/{open}/proposals/{proposal}"),
    "receipt": _visit("/receipt/{receipt}", shows="dl.receipt"),
    "proposal-comments": _visit(
        "/dialogues/{open}/proposals/{proposal}", shows=".comment-list .comment-replies"
    ),
    "comment-new": _visit(
        "/dialogues/{open}/proposals/{proposal}/comments/new", shows="main .public-record"
    ),
    "comment-reply": _visit(
        "/dialogues/{open}/proposals/{proposal}/comments/new?reply_to={comment}",
        shows=".answered-comment",
    ),
    "comment-new-errors": _send_empty("/dialogues/{open}/proposals/{proposal}/comments/new"),
    "comment-receipt": _visit("/receipt/{comment_receipt}", shows="dl.receipt"),
    "comment-thread": _visit("/comments/{comment}/replies", shows=".comment-list .comment-replies"),
    "my-inputs": _logged_in(then="/my/inputs"),
    "proposal-new-personal-data": _personal_data_warning,
    # Reports and the editors' figures
    "report": _visit("/inputs/{proposal}/report", shows="main form fieldset"),
    "report-errors": _report_without_a_reason,
    "report-thanks": _visit("/inputs/{proposal}/report/thanks"),
    "moderation-figures": _as(
        "admin", _visit("/moderation/figures", shows="main table.figures-table")
    ),
    # Content pages and page comments
    "pages": _visit("/pages"),
    "page-comment": _visit("/page-comment?page=/goals/{adopted}", shows="main form"),
    "page-comment-errors": _send_empty("/page-comment?page=/goals/{adopted}"),
    "admin-pages": _as("admin", _visit("/admin/pages")),
    "admin-page-new": _as("admin", _visit("/admin/pages/new")),
    "admin-page-cleaning": _as("admin", _page_that_would_lose_text),
    "admin-page-comments": _as("admin", _visit("/admin/page-comments")),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_accessibility_violations(
    name: str,
    language: str,
    live_app: Flask,
    live_server: str,
    context: BrowserContext,
    scenario: Scenario,
    staff_login: StaffLogin,
) -> None:
    """axe finds no WCAG 2.1 AA violation on the page, in Swedish and in English."""
    choose_language(context, live_server, language)
    page = context.new_page()
    PAGES[name](Visit(page, live_app, language, scenario, staff_login))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page, f"{name} ({language})")
