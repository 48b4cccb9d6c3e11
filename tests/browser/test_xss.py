"""No stored payload runs in Chromium, for visitors or for staff (tests/xss.py has the corpus).

The payloads go in through the services, into every field of a proposal, a comment and a
reply, a page comment and a content page. Each page that shows them is opened with the
Content-Security-Policy bypassed, so what is tested is our escaping and sanitising, not the
CSP alone; ``xss()`` records any call, a dialog (``alert``) fails the test, and the DOM must
hold nothing that could run on a click or a hover either.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TypeVar

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, StorageState

from dialog.accounts.models import User
from dialog.contributions import services as contributions
from dialog.contributions.models import Proposal
from dialog.core.sanitize import TextLossError
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.pages import services as pages
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.flows import log_in
from tests.browser.scenario import Scenario, StaffLogin, open_workshop
from tests.helpers import UserInfo, make_user
from tests.xss import CORPUS, single_line

pytestmark = pytest.mark.browser
T = TypeVar("T")
D = TypeVar("D", pages.PageInput, contributions.ProposalInput, contributions.CommentInput)

# No NUL: a request carrying one is refused whole (core.database), so none is ever stored.
PAYLOADS = [payload for payload in CORPUS if "\x00" not in payload]
ONE_LINE = set(single_line(tuple(PAYLOADS)))
EVERYTHING = "\n".join(f"<p>{n}:</p>{payload}" for n, payload in enumerate(PAYLOADS))
PROPOSALS_PER_PAGE = 20
COMMENTS_PER_PAGE = 20

MARKER = "window.__xss = []; window.xss = function (n) { window.__xss.push(n); };"
# What in the DOM could run: handlers, script URLs, scripts not our own, frames, base, refresh.
RUNNABLE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(`${attr.name} on <${el.localName}>`);
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (/^(href|src|action|formaction|data|xlink:href|srcdoc)$/.test(attr.name)
          && /^(javascript|vbscript|data):/.test(value)
          && !(el.localName === 'img' && attr.name === 'src')) {
        found.push(`${attr.name}=${attr.value} on <${el.localName}>`);
      }
    }
  }
  for (const el of document.querySelectorAll('script')) {
    if (!(el.getAttribute('src') || '').startsWith('/static/')) found.push('<script>');
  }
  const never = 'iframe, object, embed, base, frame, frameset, meta[http-equiv="refresh" i]';
  for (const el of document.querySelectorAll(never)) found.push(`<${el.localName}>`);
  return found;
}"""


@dataclass(frozen=True)
class Stored:
    dialogue: str
    proposals: list[int]
    everything: int  # the proposal with every payload in its text
    receipt: str
    comment: int  # a page comment
    comments: list[int]  # comments on the proposal with every payload, and a reply
    page_ids: list[tuple[int, str]]  # id and slug


def _confirmed(store: Callable[[D], T], data: D) -> T:
    """Store through a service that may ask to confirm cleaning, confirming what it shows."""
    try:
        return store(data)
    except TextLossError as error:
        return store(replace(data, confirm_cleaning=error.confirmation))  # type: ignore[type-var]


def _chunks(payloads: list[str], size: int) -> list[list[str]]:
    """The payloads in groups whose joined length stays within size (a summary's limit)."""
    groups: list[list[str]] = [[]]
    for payload in payloads:
        if groups[-1] and len("".join(groups[-1])) + len(payload) > size:
            groups.append([])
        groups[-1].append(payload)
    return groups


def _store(app: Flask, scenario: Scenario, resident: UserInfo) -> Stored:
    workshop = open_workshop(app, scenario, [], capacity=None)
    with app.test_request_context():
        admin = db.session.get_one(User, scenario.admins["sv"].id)
        author = db.session.get_one(User, resident.id)

        def propose(title: str, body: str, name: str | None) -> contributions.Submitted:
            data = contributions.ProposalInput(
                title=title,
                body=body,
                submission_token=contributions.new_submission_token(),
                name=name,
            )
            dialogue = db.session.get_one(Dialogue, workshop.id)
            sent = _confirmed(
                lambda data: contributions.submit_proposal(
                    dialogue, data, contributions.Sender(author, None), None
                ),
                data,
            )
            contributions.publish_contribution(sent.contribution, admin)
            return sent

        ids = [
            propose(
                payload if payload in ONE_LINE else f"Förslag {n}",
                f"<p>{n}</p>{payload}",
                payload if payload in ONE_LINE else None,
            ).contribution.id
            for n, payload in enumerate(PAYLOADS)
        ]
        everything = propose("Allt på en gång", EVERYTHING, None)
        on = db.session.get_one(Proposal, everything.contribution.id)

        def comment(body: str, name: str | None, reply_to: int | None = None) -> int:
            data = contributions.CommentInput(
                body=body,
                submission_token=contributions.new_submission_token(),
                reply_to_id=reply_to,
                name=name,
            )
            sent = _confirmed(
                lambda data: contributions.submit_comment(
                    on, data, contributions.Sender(author, None), None
                ),
                data,
            )
            contributions.publish_contribution(sent.contribution, admin)
            return sent.contribution.id

        comment_ids = [
            comment(f"{n}: {payload}", payload if payload in ONE_LINE else None)
            for n, payload in enumerate(PAYLOADS)
        ]
        reply = comment(EVERYTHING, None, comment_ids[0])
        path = f"/dialogues/{workshop.slug}"
        comments = [
            pages.send_page_comment(path, payload[:200], payload, None, "sv")
            for payload in PAYLOADS
        ]
        page_ids = []
        for number, chunk in enumerate(_chunks(PAYLOADS, 480)):
            first = pages.PageInput(
                title=chunk[0][:200],
                slug=f"xss-{number}-{workshop.slug}",
                body=EVERYTHING,
                summary="".join(chunk),
            )
            page = _confirmed(lambda data: pages.create_page(data, admin), first)
            again = replace(first, title=chunk[-1][:200], body=EVERYTHING + "<p>Ändrad</p>")
            _confirmed(lambda data, page=page: pages.update_page(page, data, admin), again)
            page_ids.append((page.id, page.slug))
        db.session.commit()
        return Stored(
            workshop.slug,
            ids,
            everything.contribution.id,
            everything.receipt_token,
            comments[0].id,
            [*comment_ids, reply],
            page_ids,
        )


@pytest.fixture(scope="module")
def resident(live_app: Flask) -> UserInfo:
    return make_user(live_app)


@pytest.fixture(scope="module")
def stored(live_app: Flask, scenario: Scenario, resident: UserInfo) -> Stored:
    return _store(live_app, scenario, resident)


@pytest.fixture
def watched(browser: Browser, live_server: str) -> Iterator[Callable[..., Watched]]:
    """Open contexts with the CSP bypassed, watching for payloads that run."""
    made: list[Watched] = []

    def make(storage_state: StorageState | None = None) -> Watched:
        context = browser.new_context(
            base_url=live_server, bypass_csp=True, storage_state=storage_state
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(MARKER)
        watcher = Watched(context, context.new_page(), [])
        watcher.page.on("dialog", watcher.on_dialog)
        made.append(watcher)
        return watcher

    yield make
    for watcher in made:
        watcher.context.close()


@dataclass
class Watched:
    context: BrowserContext
    page: Page
    dialogs: list[str]

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visit(self, path: str) -> None:
        """Open the page and check it."""
        response = self.page.goto(path)
        assert response is not None, path
        assert response.status == 200, path
        self.check()

    def check(self) -> None:
        """Hover what could react, and assert nothing ran and nothing could."""
        self.page.wait_for_load_state("load")
        where = self.page.url
        # A handler that waits for a pointer: hover the links a person could (an empty link
        # left where a script URL was taken out cannot be hovered).
        for link in self.page.locator("main a:visible").all()[:40]:
            link.hover()
        assert self.page.evaluate(RUNNABLE) == [], where
        assert self.page.evaluate("window.__xss") == [], where
        assert self.dialogs == [], where


def test_no_payload_runs_for_a_visitor(watched, stored: Stored) -> None:
    """The proposal list's pages, the proposals, the receipt and the API, as a visitor."""
    visitor: Watched = watched()
    pages_of_list = math.ceil((len(stored.proposals) + 1) / PROPOSALS_PER_PAGE)
    base = f"/dialogues/{stored.dialogue}/proposals"
    for number in range(1, pages_of_list + 1):
        visitor.visit(f"{base}?page={number}")
    for proposal in (stored.everything, *stored.proposals):
        visitor.visit(f"{base}/{proposal}")
    for number in range(1, math.ceil(len(stored.comments) / COMMENTS_PER_PAGE) + 1):
        visitor.visit(f"{base}/{stored.everything}?page={number}")
    visitor.visit(f"{base}/{stored.everything}/comments/new?reply_to={stored.comments[0]}")
    visitor.visit(f"/receipt/{stored.receipt}")
    visitor.visit(f"/dialogues/{stored.dialogue}")
    visitor.visit(f"/api/v1/contributions?dialogue={stored.dialogue}")
    visitor.visit(f"/api/v1/contributions?dialogue={stored.dialogue}&page=2")


def test_no_payload_runs_for_staff(
    watched, stored: Stored, staff_login: StaffLogin, live_app: Flask, resident: UserInfo
) -> None:
    """The page-comment inbox and a comment, the content page, its form, versions and diff,
    and the resident's own inputs."""
    editor: Watched = watched(staff_login("admin", "sv"))
    for number in range(1, math.ceil(len(PAYLOADS) / 20) + 1):
        editor.visit(f"/admin/page-comments?page={number}")
    editor.visit(f"/admin/page-comments/{stored.comment}")
    editor.visit("/admin/pages")
    editor.visit("/pages")
    for page_id, slug in stored.page_ids:
        editor.visit(f"/admin/pages/{page_id}/edit")
        editor.visit(f"/admin/pages/{page_id}/versions?from=1&to=2")
        editor.visit(f"/pages/{slug}")
    author: Watched = watched()
    log_in(author.page, live_app, resident)
    inputs = len(stored.proposals) + 1 + len(stored.comments)
    for number in range(1, math.ceil(inputs / 20) + 1):
        author.visit(f"/my/inputs?page={number}")
