"""A live server and a headless Chromium for the browser tests.

The server runs the real app, with CSRF protection on, on its own SQLite file, in a
thread of the test process. Its fixture is called ``live_app``, not ``app``, so the root
conftest's per-test rollback leaves it alone (the server's threads commit for real): every
test makes its own users with unique addresses instead. The goals and dialogues the pages
show are made once per session (``scenario``), and the scenario's staff log in once each
(``staff_login``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    StorageState,
    sync_playwright,
)
from werkzeug.serving import make_server

from dialog import create_app
from dialog.config import for_tests
from dialog.extensions import db
from tests.browser import scenario as data
from tests.browser.flows import log_in

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# Fail fast: a local page that has not answered in five seconds will not answer.
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application on a fresh SQLite file, with CSRF protection as in production."""
    path = tmp_path_factory.mktemp("browser-db") / "browser.db"
    app = create_app(for_tests(f"sqlite:///{path}", WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve live_app on a free local port; yield its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server: str) -> Iterator[Callable[..., BrowserContext]]:
    """Make fresh browser contexts on the live server, closed after the test: without
    cookies, or logged in with a saved storage_state (see staff_login)."""
    contexts: list[BrowserContext] = []

    def make(locale: str = "sv-SE", storage_state: StorageState | None = None) -> BrowserContext:
        context = browser.new_context(
            base_url=live_server, locale=locale, storage_state=storage_state
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    """A fresh browser context, Swedish by its Accept-Language, as most residents' are."""
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def scenario(live_app: Flask) -> data.Scenario:
    """Goal frameworks, dialogues and staff in the live app, made once for the session."""
    return data.build(live_app)


@pytest.fixture(scope="session")
def staff_login(
    browser: Browser, live_app: Flask, live_server: str, scenario: data.Scenario
) -> data.StaffLogin:
    """The saved login of the scenario's staff, as in staff_login("admin", "sv").

    Each person logs in once, second factor included, the first time they are asked for;
    tests then start their contexts with the saved login instead of logging in again.
    """
    people = {"admin": scenario.admins, "facilitator": scenario.facilitators}
    states: dict[tuple[str, str], StorageState] = {}

    def state(role: str, language: str) -> StorageState:
        if (role, language) not in states:
            context = browser.new_context(base_url=live_server)
            context.set_default_timeout(TIMEOUT_MS)
            try:
                log_in(context.new_page(), live_app, people[role][language])
                states[role, language] = context.storage_state()
            finally:
                context.close()
        return states[role, language]

    return state
