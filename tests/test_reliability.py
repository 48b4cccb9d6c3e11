"""Nothing a resident sends is lost or stored twice, measured under load: gunicorn with four
workers on a free port, and 20 residents sending 1,000 inputs at once (proposals, and
comments on a proposal, a third of them replies), each from a fresh form (CSRF token and
one-time submission token), some of them sent twice (a reload after the answer, or two tabs
at the same moment).

Every acknowledged send (a redirect to its receipt) is stored exactly once, the references
are unique and number the year 1…N without a gap, a form sent twice is stored once, no
request gets a 5xx, and SQLite's ``PRAGMA integrity_check`` is ok afterwards.

It runs once in each pass of ``make test``: on a SQLite file (WAL) of its own in the SQLite
pass, on a PostgreSQL database of its own (beside DIALOG_TEST_DATABASE_URL's) in the
PostgreSQL pass. The send limits are raised for the test's server through the environment
(DIALOG_SUBMISSION_LIMITS_PER_*); the defaults stay as they are. Locally a missing gunicorn
or PostgreSQL skips it; under CI=true that is a failure.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, func, select

from dialog import create_app
from dialog.accounts.models import User
from dialog.config import for_tests
from dialog.contributions.models import Contribution, ContributionStatus, ReferenceCounter
from dialog.contributions.queries import token_hash
from dialog.core.models import AuditEvent
from dialog.extensions import db
from tests.contributions.factories import make_comment, make_consultation, make_proposal
from tests.helpers import make_user
from tests.live_servers import (
    free_port,
    keep_cookies,
    missing,
    own_postgres_database,
    stop,
    wait_for_port,
)

ROOT = Path(__file__).resolve().parent.parent
RESIDENTS = 20
SENDS = 1_000
LOGGED_IN = 5  # the first residents send with an account, the others without
TWICE_EVERY = 10  # every tenth form is sent twice
WORKERS = 4
SECRET = "reliability-test-secret"
NO_LIMIT = "100000/minute"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission" type="hidden" value="([^"]+)"')
RECEIPT = re.compile(r"/receipt/([A-Za-z0-9_-]+)$")
REFERENCE = re.compile(r"^DLG-(\d{4})-(\d{5})$")
WORDS = (
    "Fler träd längs Storgatan",
    "Bättre belysning på gångvägen",
    "Tätare bussar till Kolsva",
    "En lekplats vid Malmön",
    "Öppna simhallen på söndagar",
)


# The kinds of input under test --------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of input residents send: where its form is and what they type in it."""

    name: str
    form_path: Callable[[Target], str]
    fields: Callable[[Target, int], dict[str, str]]


@dataclass(frozen=True)
class Target:
    """What the inputs are sent to: an open consultation, a published proposal on it that
    takes comments, a comment on that one that takes replies, and the receipt tokens of the
    two (stored before the load)."""

    slug: str
    proposal: int
    comment: int
    receipts: tuple[str, ...]


def _proposal_fields(_target: Target, number: int) -> dict[str, str]:
    title = f"{WORDS[number % len(WORDS)]} ({number})"
    body = f"{title}: det vore <strong>bra</strong> för alla som bor här. Förslag nr {number}."
    return {"title": title, "body": body}


def _comment_fields(target: Target, number: int) -> dict[str, str]:
    """A comment; every third one a reply to the comment that was there first."""
    body = f"Håller med om förslaget, men tänk på <em>cyklisterna</em> ({number})."
    reply_to = str(target.comment) if number % 3 == 0 else ""
    return {"body": body, "reply_to": reply_to}


KINDS = [
    Kind("proposal", lambda target: f"/dialogues/{target.slug}/proposals/new", _proposal_fields),
    Kind(
        "comment",
        lambda target: f"/dialogues/{target.slug}/proposals/{target.proposal}/comments/new",
        _comment_fields,
    ),
]


# The server ---------------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    database_url: str
    target: Target
    accounts: list[tuple[str, str]]
    log: Path


def _requirements() -> None:
    if importlib.util.find_spec("gunicorn") is None:
        missing("gunicorn is not installed (it is in the dev extras)")


@pytest.fixture(scope="module")
def database_of_its_own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite file in the SQLite pass, a PostgreSQL database in the PostgreSQL pass."""
    _requirements()
    base = os.environ.get("DIALOG_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('reliability') / 'dialog.db'}"
        return
    with own_postgres_database(base, "dialog_reliability") as url:
        yield url


def _prepare(database_url: str) -> tuple[Target, list[tuple[str, str]]]:
    """The schema, an open consultation that publishes at once with a proposal and a comment
    on it, and the residents' accounts."""
    app = create_app(for_tests(database_url))
    with app.app_context():
        db.create_all()
    info = make_consultation(app)
    proposal = make_proposal(app, info.slug)
    comment = make_comment(app, proposal.id)
    accounts = []
    for number in range(LOGGED_IN):
        user = make_user(app, email=f"resident{number}@example.se")
        accounts.append((user.email, user.password))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    receipts = (proposal.receipt_token, comment.receipt_token)
    return Target(info.slug, proposal.id, comment.id, receipts), accounts


@pytest.fixture(scope="module")
def server(database_of_its_own: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn with four sync workers, as in production, stopped afterwards."""
    target, accounts = _prepare(database_of_its_own)
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("DIALOG_")
    }
    environment.update(
        DIALOG_DATABASE_URL=database_of_its_own,
        DIALOG_SECRET_KEY=SECRET,
        DIALOG_BASE_URL=f"http://127.0.0.1:{port}",
        DIALOG_STAFF_MFA="0",
        DIALOG_LOG_LEVEL="WARNING",
        DIALOG_SUBMISSION_LIMITS_PER_ADDRESS=NO_LIMIT,
        DIALOG_SUBMISSION_LIMITS_PER_ACCOUNT=NO_LIMIT,
    )
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "--timeout", "120"]
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and app
            [*command, "-b", f"127.0.0.1:{port}", "dialog:create_app()"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, process, log)
        yield Server(port, database_of_its_own, target, accounts, log)
    finally:
        stop(process)


# The residents ------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: str


@dataclass
class Sent:
    """One form as a resident filled it in, and every answer its sends got."""

    kind: str
    submission_token: str
    author: str | None
    answers: list[Answer] = field(default_factory=list)


class Resident:
    """A browser of its own: cookies, and a loopback address no other resident uses."""

    def __init__(self, server: Server, number: int) -> None:
        self.server = server
        self.number = number
        self.source = f"127.0.{number // 250 + 1}.{number % 250 + 1}"
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.server.port, source_address=(self.source, 0), timeout=120
        )
        headers = {"Host": f"127.0.0.1:{self.server.port}"}
        with self.lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text_body = response.read().decode(errors="replace")
            with self.lock:
                keep_cookies(self.cookies, response.headers.get_all("Set-Cookie") or [])
            return Answer(response.status, response.headers.get("Location", ""), text_body)
        finally:
            connection.close()

    def log_in(self, email: str, password: str) -> None:
        page = self.request("GET", "/login")
        token = CSRF.search(page.body)
        assert token, "no login form"
        form = {"csrf_token": token.group(1), "email": email, "password": password}
        answer = self.request("POST", "/login", form)
        assert answer.status == 302, f"login as {email} failed: {answer.status}"

    def send(self, kind: Kind, number: int, how: str, author: str | None) -> Sent:
        """Open a fresh form, fill it in and send it: once, "reload" or "tabs"."""
        path = kind.form_path(self.server.target)
        page = self.request("GET", path)
        csrf, submission = CSRF.search(page.body), SUBMISSION.search(page.body)
        if page.status != 200 or not csrf or not submission:
            sent = Sent(kind.name, "", author)
            sent.answers.append(page)
            return sent
        form = {"csrf_token": csrf.group(1), "submission": submission.group(1)}
        form.update(kind.fields(self.server.target, number))
        sent = Sent(kind.name, submission.group(1), author)
        if how == "tabs":
            other: list[Answer] = []
            tab = threading.Thread(target=lambda: other.append(self.request("POST", path, form)))
            tab.start()
            sent.answers.append(self.request("POST", path, form))
            tab.join()
            sent.answers.extend(other)
        else:
            sent.answers.append(self.request("POST", path, form))
            if how == "reload":
                sent.answers.append(self.request("POST", path, form))
        return sent


def _how(number: int) -> str:
    if number % TWICE_EVERY:
        return "once"
    return "reload" if number % (2 * TWICE_EVERY) else "tabs"


def _send_all(server: Server) -> list[Sent]:
    """Every resident sends their share at the same time; return every form sent."""
    residents = [Resident(server, number) for number in range(RESIDENTS)]
    authors: dict[int, str | None] = {}
    for resident, (email, password) in zip(residents, server.accounts, strict=False):
        resident.log_in(email, password)
        authors[resident.number] = email
    start = threading.Barrier(RESIDENTS)
    results: list[list[Sent]] = [[] for _ in residents]

    def run(resident: Resident) -> None:
        start.wait()
        for number in range(resident.number, SENDS, RESIDENTS):
            kind = KINDS[number % len(KINDS)]
            author = authors.get(resident.number)
            results[resident.number].append(resident.send(kind, number, _how(number), author))

    threads = [threading.Thread(target=run, args=(resident,)) for resident in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [sent for share in results for sent in share]


# What was stored ----------------------------------------------------------------------------


@dataclass
class Stored:
    """What the database holds of the inputs sent under load (those stored before, left out),
    and the totals."""

    receipts: Counter[str]
    submissions: Counter[str]
    kinds: Counter[str]
    authors: Counter[str | None]
    references: list[str]
    counter: int
    audited: int
    comment_count: int  # kept on the proposal the comments are on
    comments_on_it: int  # counted


def _stored(database_url: str, target: Target) -> Stored:
    app = create_app(for_tests(database_url))
    with app.app_context():
        rows = db.session.execute(
            select(
                Contribution.kind,
                Contribution.receipt_token_hash,
                Contribution.submission_token_hash,
                Contribution.reference,
                Contribution.author_id,
            )
        ).all()
        emails = dict(db.session.execute(select(User.id, User.email)).all())
        counter = db.session.scalar(select(func.sum(ReferenceCounter.value))) or 0
        audited = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "contribution_submitted")
        )
        proposal = db.session.get(Contribution, target.proposal)
        on_it = select(func.count()).where(
            Contribution.parent_id == target.proposal,
            Contribution.status == ContributionStatus.PUBLISHED.value,
        )
        comments_on_it = db.session.scalar(on_it)
        comment_count = proposal.comment_count if proposal is not None else -1
        db.session.remove()
        db.engine.dispose()
    before = {token_hash(token) for token in target.receipts}
    sent = [row for row in rows if row.receipt_token_hash not in before]
    return Stored(
        receipts=Counter(row.receipt_token_hash for row in sent),
        submissions=Counter(row.submission_token_hash for row in sent),
        kinds=Counter(row.kind for row in sent),
        authors=Counter(emails.get(row.author_id) for row in sent),
        references=[row.reference for row in rows],
        counter=counter,
        audited=audited or 0,
        comment_count=comment_count,
        comments_on_it=comments_on_it or 0,
    )


def _integrity(database_url: str) -> list[str]:
    """SQLite's own check of the file, and its journal mode."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            check = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        engine.dispose()
    return [*check, str(mode)]


def _failures(sent: list[Sent]) -> list[str]:
    """Every answer that is not a redirect to a receipt, described for the failure message."""
    found = []
    for form in sent:
        for answer in form.answers:
            if answer.status != 302 or not RECEIPT.search(answer.location):
                found.append(f"{form.kind}: {answer.status} {answer.location} {answer.body[:300]}")
    return found


def test_every_acknowledged_input_is_stored_exactly_once_under_load(server):
    """1,000 proposals and comments from 20 residents at once on 4 workers: each stored once,
    numbered without a gap, no form stored twice, no 5xx, and the SQLite file intact."""
    started = time.monotonic()
    sent = _send_all(server)
    elapsed = time.monotonic() - started
    print(f"\n{SENDS} sends in {elapsed:.1f} s ({SENDS / elapsed:.0f}/s)", file=sys.stderr)
    failures = _failures(sent)
    assert not failures, f"{len(failures)} failed answers, first: {failures[:3]}"
    assert len(sent) == SENDS

    # Each form's sends (one, or two for a reload or two tabs) got the same receipt.
    receipts = {}
    for form in sent:
        tokens = {RECEIPT.search(answer.location).group(1) for answer in form.answers}
        assert len(tokens) == 1, f"one form, several receipts: {tokens}"
        receipts[form.submission_token] = tokens.pop()
    assert sum(len(form.answers) == 2 for form in sent) == SENDS // TWICE_EVERY

    target = server.target
    stored = _stored(server.database_url, target)
    total = SENDS + len(target.receipts)  # with the proposal and comment stored before
    # Every acknowledged input is stored, exactly once, as its kind, and nothing else is.
    assert stored.receipts == Counter(token_hash(token) for token in receipts.values())
    assert stored.submissions == Counter(token_hash(token) for token in receipts)
    assert set(stored.receipts.values()) == set(stored.submissions.values()) == {1}
    assert stored.kinds == Counter(form.kind for form in sent)
    assert stored.audited == total
    # Unique references numbering the year 1…N without a gap, as the counter says.
    matches = [REFERENCE.match(reference or "") for reference in stored.references]
    assert all(matches), stored.references[:5]
    assert len({match.group(1) for match in matches if match}) == 1  # one year
    numbers = sorted(int(match.group(2)) for match in matches if match)
    assert numbers == list(range(1, total + 1))
    assert stored.counter == total
    # The proposal's comment count, kept on it, is the number of its published comments.
    assert stored.comment_count == stored.comments_on_it == stored.kinds["comment"] + 1
    # The senders with an account are their inputs' authors.
    assert stored.authors == Counter(form.author for form in sent)
    if server.database_url.startswith("sqlite"):
        assert _integrity(server.database_url) == ["ok", "wal"]
