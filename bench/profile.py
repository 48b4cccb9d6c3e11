"""Profile one Dialog page in this process, with the page cache off.

Usage: python -m bench.profile PATH [--login EMAIL] [--requests N] [--top N] [--sort KEY]
                                   [--queries] [--database-url URL] [--generate] [--users N]

Builds the bench database with bench.generate when asked (``--generate``, or when the SQLite
file does not exist yet), logs in through the real login form when ``--login`` names a role
(the bench's demo account for it, e.g. ``--login editor``) or an email (the demo password),
requests the page a few times to warm up, then runs it N times under cProfile and prints the
milliseconds per request, the queries per request and the top costs. ``PATH`` may use the
placeholders of ``bench.generate.bench_paths`` (``{framework}``, ``{dialogue}`` …) or be the
name of a page of ``bench.run``, profiled as the role it is measured uncached as; ``all``
times every bench page that way without profiling (a table of ms/request).

In-process figures leave out the HTTP server; they are for finding where the time goes,
not for published numbers (see README.md).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from bench.generate import (
    DEFAULT_USERS,
    bench_app,
    bench_paths,
    generate,
    overlay_environment,
)
from bench.hello import app as hello_app
from bench.run import PAGES as BENCH_PAGES
from bench.run import ROLE_EMAILS
from dialog.demo.loader import demo_password
from dialog.extensions import db

DEFAULT_DATABASE = "sqlite:////tmp/dialog-bench-profile.db"
BASE_URL = "http://127.0.0.1"  # the one host the bench app answers to
WARM_UP = 3
# The bench's pages that are fetched (not the sends), by name, each with the role it is
# measured uncached as (None: as a visitor).
PAGES: dict[str, tuple[str, str | None]] = {
    page.name: (page.path, page.role)
    for page in BENCH_PAGES
    if page.app == "dialog" and not page.sends
}
PAGES["register"] = ("/register", None)  # a form page the bench does not measure

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def login_email(login: str | None) -> str | None:
    """The email for a --login value: a role (the bench's demo account for it) or an address."""
    return ROLE_EMAILS.get(login or "", login)


def prepare_database(database_url: str, force: bool, users: int) -> None:
    """Generate the bench data when asked to, or when the SQLite file is not there yet."""
    path = database_url.removeprefix("sqlite:///")
    missing = database_url.startswith("sqlite:///") and not Path(path).exists()
    if force or missing:
        started = time.process_time()
        counts = generate(database_url, users=users)
        print(f"generated {counts} in {time.process_time() - started:.1f} s")


def make_app(database_url: str) -> Flask:
    """Dialog on the bench database with the page cache off."""
    with overlay_environment({"DIALOG_PAGE_CACHE_SECONDS": "0"}):
        app = bench_app(database_url)
    app.config["PAGE_CACHE_SECONDS"] = 0
    return app


def log_in(client: FlaskClient, email: str) -> None:
    """Log in through the real form, as a browser would."""
    form = client.get("/login", base_url=BASE_URL).get_data(as_text=True)
    match = CSRF_FIELD.search(form)
    token = match.group(1) if match else ""
    data = {"email": email, "password": demo_password(), "csrf_token": token, "next": ""}
    response = client.post("/login", data=data, base_url=BASE_URL)
    if response.status_code != 302:
        raise SystemExit(f"could not log in as {email}: {response.status_code}")


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def fetch(client: FlaskClient, path: str) -> int:
    """GET the page and return its size; anything but a 200 stops the run."""
    response = client.get(path, base_url=BASE_URL)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return len(response.get_data())


def client_for(app: Flask, login: str | None) -> FlaskClient:
    """A test client, logged in when asked; a visitor's keeps no cookies, as wrk's."""
    email = login_email(login)
    if not email:
        return app.test_client(use_cookies=False)
    client = app.test_client()
    log_in(client, email)
    return client


def time_hello(requests: int) -> float:
    """Milliseconds per request of the bare Flask baseline, in this process."""
    client = hello_app.test_client()
    client.get("/")
    started = time.process_time()
    for _ in range(requests):
        client.get("/")
    return (time.process_time() - started) / requests * 1000


def time_page(app: Flask, path: str, login: str | None, requests: int) -> tuple[float, int, int]:
    """Milliseconds per request, queries per request and page size, after a warm-up."""
    client = client_for(app, login)
    for _ in range(WARM_UP):
        size = fetch(client, path)
    with counted_queries(app) as statements:
        fetch(client, path)
    started = time.process_time()
    for _ in range(requests):
        fetch(client, path)
    elapsed = (time.process_time() - started) / requests * 1000
    return elapsed, len(statements), size


def print_queries(app: Flask, path: str, login: str | None) -> None:
    """Print the SQL of one request of the page, a statement a line."""
    client = client_for(app, login)
    fetch(client, path)
    with counted_queries(app) as statements:
        fetch(client, path)
    for statement in statements:
        print(" ".join(statement.split())[:300])


def profile_page(app: Flask, path: str, login: str | None, args: argparse.Namespace) -> None:
    """Print the timing and the top of a cProfile run of the page."""
    elapsed, queries, size = time_page(app, path, login, args.requests)
    who = login_email(login) or "visitor"
    print(f"{path} as {who}: {elapsed:.1f} ms/request, {queries} queries, {size} bytes")
    if args.queries:
        print_queries(app, path, login)
    client = client_for(app, login)
    fetch(client, path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        fetch(client, path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    print(out.getvalue())


def time_all(app: Flask, paths: dict[str, str], requests: int) -> None:
    """A table of every bench page: ms/request and queries, uncached, as its usual user, and
    hello's ms/request as a percentage of the page's (in process: no server, no network)."""
    hello = time_hello(requests * 10)
    print(f"{'page':<18}{'login':<10}{'ms/req':>8}{'queries':>9}{'% of hello':>12}")
    print(f"{'hello':<18}{'-':<10}{hello:>8.2f}{0:>9}{100:>12}")
    for name, (template, login) in PAGES.items():
        path = template.format(**paths)
        elapsed, queries, _ = time_page(app, path, login, requests)
        ratio = hello / elapsed * 100
        print(f"{name:<18}{login or '-':<10}{elapsed:>8.1f}{queries:>9}{ratio:>12.1f}")


def main(argv: list[str] | None = None) -> None:
    """Command line: profile one page, or time them all."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("path", help="a path such as /dialogues/{dialogue}, a page name, or all")
    parser.add_argument("--login", help="a role (resident, admin …) or an email; demo password")
    parser.add_argument("--requests", type=int, default=50, help="requests to time and profile")
    parser.add_argument("--top", type=int, default=40, help="rows of the profile to print")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key, e.g. tottime")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--generate", action="store_true", help="build the data again")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS, help="bench residents")
    args = parser.parse_args(argv)
    prepare_database(args.database_url, args.generate, args.users)
    paths = bench_paths(args.database_url)
    app = make_app(args.database_url)
    if args.path == "all":
        time_all(app, paths, args.requests)
        return
    path, login = PAGES.get(args.path, (args.path, None))
    profile_page(app, path.format(**paths), args.login or login, args)


if __name__ == "__main__":
    main()
