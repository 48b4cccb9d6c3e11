"""Measure Dialog's pages with wrk under gunicorn, against a bare Flask "hello" baseline.

Every page is measured both ways by default: cached, as an anonymous visitor (wrk sends no
cookie, so the page cache may answer), and uncached, as the role that uses it logged in (a
resident for the public pages, staff for theirs), whom the cache never serves. Proposal
sends are measured too: POSTs of the proposal form, each with a fresh one-time token.

Usage: python -m bench.run [--duration S] [--pages NAME ...] [--mode both|cached|uncached]
       [--database-url URL] [--users N] [--contributions N] [--proposals N] [--comments N]
       [--changes-per-second F]
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from bench.generate import (
    DEFAULT_USERS,
    add_data_options,
    bench_app,
    bench_environment,
    bench_paths,
    generate,
)
from dialog.demo.loader import demo_password
from dialog.extensions import db
from dialog.goals.models import Framework

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
HOST = "127.0.0.1"
WORKERS = 4
WRK_THREADS = 2
WRK_CONNECTIONS = 32
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
SUBMIT_SCRIPT = Path(__file__).resolve().parent / "submit.lua"
# The demo account each role logs in with (bench/generate.py loads them).
ROLE_EMAILS = {
    "resident": "invanare@example.se",
    "facilitator": "dialogledare@example.se",
    "editor": "redaktor@example.se",
    "politician": "politiker@example.se",
    "admin": "admin@example.se",
}
CACHED, UNCACHED = "cached", "uncached"
MODES = {"both": (CACHED, UNCACHED), CACHED: (CACHED,), UNCACHED: (UNCACHED,)}

# Which gunicorn app serves each kind of page.
APPS = {"hello": "bench.hello:app", "dialog": "dialog:create_app()"}


@dataclass(frozen=True)
class Page:
    """A page to measure.

    role: who measures it uncached, logged in (None: visitors only, e.g. the login page).
    public: whether visitors see it, so it is measured cached as an anonymous visitor too.
    sends: POSTs of a form with fresh tokens (bench/submit.lua) instead of GETs.
    """

    name: str
    path: str
    role: str | None = "resident"
    public: bool = True
    app: str = "dialog"
    sends: bool = False

    def modes(self, wanted: tuple[str, ...]) -> list[str]:
        """The ways this page is measured, of those wanted."""
        if self.app != "dialog":
            return [CACHED]  # the baseline: one way only
        if self.sends:
            return [UNCACHED]
        ways = ([CACHED] if self.public else []) + ([UNCACHED] if self.role else [])
        return [mode for mode in ways if mode in wanted]


def staff(name: str, path: str, role: str) -> Page:
    """A staff page: measured logged in as the role, never cached."""
    return Page(name, path, role=role, public=False)


BASELINE = Page("hello", "/", role=None, app="hello")
SUBMIT = Page("submit", "/dialogues/{consultation}/proposals/new", role=None, sends=True)

# Append new pages here; `--pages` picks among their names. The baseline always runs, the
# sends last (each one changes the data, which empties the page cache).
PAGES: list[Page] = [
    BASELINE,
    Page("home", "/"),
    Page("login", "/login", role=None),
    Page("accessibility", "/accessibility"),
    Page("privacy", "/privacy"),
    Page("goals", "/goals"),
    Page("framework", "/goals/{framework}"),
    Page("goal", "/goals/{framework}/{goal}"),
    Page("dialogues", "/dialogues"),
    Page("dialogue", "/dialogues/{dialogue}"),
    Page("dialogue-inputs", "/dialogues/{dialogue}/inputs"),
    Page("proposals", "/dialogues/{consultation}/proposals"),
    Page("proposals-supported", "/dialogues/{consultation}/proposals?sort=supported"),
    Page("proposal", "/dialogues/{consultation}/proposals/{proposal}"),
    Page("api-framework", "/api/v1/frameworks/{framework}"),
    Page("api-dialogues", "/api/v1/dialogues"),
    staff("staff-start", "/staff", "editor"),
    staff("page-comments", "/admin/page-comments", "editor"),
    staff("moderation", "/moderation", "editor"),
    staff("my-dialogues", "/dialogues/manage", "facilitator"),
    staff("admin-users", "/admin/users", "admin"),
    staff("review", "/review/goals/{goal}", "politician"),
    staff("review-framework", "/review/frameworks/{framework}", "politician"),
    SUBMIT,
]


@dataclass
class Result:
    """What wrk measured for one page."""

    page: str
    path: str
    mode: str
    role: str | None
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    ratio_percent: float | None = None
    error_detail: dict[str, int] = field(default_factory=dict)


@dataclass
class Server:
    """A running gunicorn master and where it listens and logs."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path


class BenchError(Exception):
    """The benchmark cannot go on; the message says why."""


# Servers ---------------------------------------------------------------------


def free_port() -> int:
    """Ask the kernel for a free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(name: str, env: dict[str, str], log_dir: Path) -> Server:
    """Start gunicorn with the named app on a free port; its output goes to a log file."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"{HOST}:{port}"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, APPS[name]],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the harness, which stops gunicorn in order
        )
    return Server(name, f"http://{HOST}:{port}", process, log_path)


def log_tail(server: Server, lines: int = 30) -> str:
    """The last lines gunicorn wrote."""
    try:
        text = server.log_path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_until_ready(server: Server) -> None:
    """Poll the server until it answers any HTTP response, or fail after a time limit."""
    attempts = int(READY_TIMEOUT_S / 0.25)
    for _ in range(attempts):
        if server.process.poll() is not None:
            raise BenchError(f"{server.name} exited at start:\n{log_tail(server)}")
        try:
            status, _body = fetch(server.url + "/")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
            continue
        if status < 500:
            return
        raise BenchError(f"{server.name} answered {status} at start:\n{log_tail(server)}")
    raise BenchError(f"{server.name} did not answer in {READY_TIMEOUT_S:.0f} s")


def stop_server(server: Server) -> None:
    """Stop gunicorn: SIGTERM to the master, then SIGKILL to its process group."""
    process = server.process
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_TIMEOUT_S)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # any worker left behind; the group is ours
    process.wait(timeout=STOP_TIMEOUT_S)


def stop_servers(servers: list[Server]) -> None:
    """Stop every server, holding Ctrl-C and SIGTERM back until all are stopped."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        for server in servers:
            stop_server(server)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)


# HTTP ------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects as they are instead of following them."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, cookie: str = "") -> tuple[int, str]:
    """GET a local URL without following redirects; return the status and the body."""
    opener = urllib.request.build_opener(_NoRedirect)
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http://127.0.0.1 only
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class _CsrfFinder(HTMLParser):
    """Find the value of the first hidden csrf_token input."""

    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrf_token" and self.token is None:
            self.token = values.get("value")


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on the page."""
    finder = _CsrfFinder()
    finder.feed(html)
    if not finder.token:
        raise BenchError("no csrf_token on the login page")
    return finder.token


def _cookie_header(jar: http.cookiejar.CookieJar) -> str:
    cookie = "; ".join(f"{item.name}={item.value}" for item in jar)
    if not cookie:
        raise BenchError("the site set no cookie")
    return cookie


def login(base_url: str, email: str) -> str:
    """Log in as the demo user and return the Cookie header that carries the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base_url + "/login", timeout=10) as response:
        token = csrf_token(response.read().decode())
    form = {"csrf_token": token, "email": email, "password": demo_password(), "next": ""}
    data = urllib.parse.urlencode(form).encode()
    # The redirect to the start page is followed, which also consumes the "logged in" flash.
    with opener.open(base_url + "/login", data=data, timeout=30) as response:
        if urllib.parse.urlparse(response.url).path == "/login":
            raise BenchError(f"logging in as {email} failed")
    return _cookie_header(jar)


def log_in_roles(base_url: str, roles: set[str]) -> dict[str, str]:
    """The session cookie of each role's demo account."""
    return {role: login(base_url, ROLE_EMAILS[role]) for role in sorted(roles)}


def open_form(url: str) -> tuple[str, str]:
    """A visitor opens a form: the Cookie header of their session and the form's CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url, timeout=10) as response:
        token = csrf_token(response.read().decode())
    return _cookie_header(jar), token


def check_page(server: Server, page: Page, cookie: str) -> None:
    """Fail unless the page answers 200 once, before it is measured."""
    status, _body = fetch(server.url + page.path, cookie)
    if status != 200:
        who = "a visitor" if not cookie else "logged in"
        raise BenchError(
            f"{page.name} ({page.path}) answered {status} to {who}, not 200:\n{log_tail(server)}"
        )


# wrk -------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(value: str) -> float:
    """Convert a wrk duration such as 812.00us or 1.20s to milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value)
    if not match:
        raise BenchError(f"cannot read wrk duration {value!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def run_wrk(url: str, duration: int, cookie: str, script: Path | None = None, **env: str) -> str:
    """Run wrk against one URL (with a Lua script, given settings in its environment) and
    return its report."""
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{duration}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script is not None:
        command += ["-s", str(script)]
    completed = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=False,
        env={**os.environ, **env},
    )
    if completed.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{completed.stderr or completed.stdout}")
    return completed.stdout


def _number(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1) if match else None


def parse_wrk(page: Page, text: str, mode: str = CACHED, role: str | None = None) -> Result:
    """Read requests/s, the 50% and 99% latencies and the error counts from wrk's report."""
    rps, p50, p99 = (
        _number(r"^Requests/sec:\s+([\d.]+)", text),
        _number(r"^\s+50%\s+(\S+)", text),
        _number(r"^\s+99%\s+(\S+)", text),
    )
    if rps is None or p50 is None or p99 is None:
        raise BenchError(f"cannot read wrk's report for {page.name}:\n{text}")
    errors = {"non_2xx_3xx": int(_number(r"Non-2xx or 3xx responses:\s+(\d+)", text) or 0)}
    # The send script counts every answer that is not the redirect to a receipt.
    errors["not_sent"] = int(_number(r"^Not sent:\s+(\d+)", text) or 0)
    sockets = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if sockets:
        counts = map(int, sockets.groups())
        errors.update(zip(("connect", "read", "write", "timeout"), counts, strict=True))
    return Result(
        page=page.name,
        path=page.path,
        mode=mode,
        role=role,
        requests_per_second=float(rps),
        p50_ms=to_ms(p50),
        p99_ms=to_ms(p99),
        requests=int(_number(r"^\s+(\d+) requests in", text) or 0),
        errors=sum(errors.values()),
        error_detail={name: count for name, count in errors.items() if count},
    )


def measure(server: Server, page: Page, mode: str, duration: int, cookie: str) -> Result:
    """Drive one page one way with wrk and return what it measured."""
    role = page.role if mode == UNCACHED else None
    who = f"as {role}" if role else "as a visitor"
    print(f"  {page.name:<20} {who:<15} {page.path} for {duration} s", file=sys.stderr)
    output = run_wrk(server.url + page.path, duration, cookie)
    return parse_wrk(page, output, mode, role)


def measure_sends(server: Server, page: Page, duration: int) -> Result:
    """POST the form again and again, each time with a fresh one-time submission token (one
    visitor's session and CSRF token, as several tabs of one browser would send)."""
    print(f"  {page.name:<20} {'sends':<15} {page.path} for {duration} s", file=sys.stderr)
    cookie, token = open_form(server.url + page.path)
    output = run_wrk(
        server.url + page.path,
        duration,
        cookie,
        SUBMIT_SCRIPT,
        BENCH_CSRF_TOKEN=token,
    )
    return parse_wrk(page, output, UNCACHED, None)


# Report ----------------------------------------------------------------------


def add_ratios(results: list[Result]) -> None:
    """Set each result's requests/s as a percentage of the baseline's."""
    baseline = next((r for r in results if r.page == BASELINE.name), None)
    if baseline is None or baseline.requests_per_second <= 0:
        return
    for result in results:
        result.ratio_percent = 100.0 * result.requests_per_second / baseline.requests_per_second


def _cells(result: Result | None) -> str:
    """requests/s, % of hello and p99 of one way of measuring, or dashes."""
    if result is None:
        return f"{'-':>10} {'-':>8} {'-':>8}"
    if result.requests == 0:
        return f"{'(none)':>10} {'-':>8} {'-':>8}"
    ratio = "-" if result.ratio_percent is None else f"{result.ratio_percent:.1f}%"
    return f"{result.requests_per_second:>10.1f} {ratio:>8} {result.p99_ms:>8.1f}"


def format_table(results: list[Result]) -> str:
    """The results as a plain-text table: each page on one line, cached (as a visitor) and
    uncached (logged in, as the role in the last column) side by side."""
    ways = f"{'req/s':>10} {'% hello':>8} {'p99 ms':>8}"
    header = f"{'page':<20} {ways}   {ways}   as"
    top = f"{'':<20} {'cached, as a visitor':^28}   {'uncached, logged in':^28}"
    lines = [top, header, "-" * len(header)]
    by_page: dict[str, dict[str, Result]] = {}
    for result in results:
        by_page.setdefault(result.page, {})[result.mode] = result
    for name, ways_measured in by_page.items():
        cached, uncached = ways_measured.get(CACHED), ways_measured.get(UNCACHED)
        role = (uncached.role or "visitor") if uncached else ""
        if name == SUBMIT.name:
            role = "visitor, sends/s"
        errors = {
            f"{mode} {key}": count
            for mode, result in ways_measured.items()
            for key, count in result.error_detail.items()
        }
        lines.append(
            f"{name:<20} {_cells(cached)}   {_cells(uncached)}   {role}"
            + (f"  ERRORS {errors}" if errors else "")
        )
    if any(result.requests == 0 for result in results):
        lines.append("(none): no request finished within the run; give a longer --duration")
    return "\n".join(lines)


def write_json(results: list[Result], meta: dict[str, Any]) -> Path:
    """Write the results and the run's settings to bench/results/latest.json."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "latest.json"
    document = {**meta, "results": [asdict(result) for result in results]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def run_metadata(args: argparse.Namespace, database_url: str, load: float) -> dict[str, Any]:
    """The settings a reader needs to compare two runs (and the load that may disturb them)."""
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": make_url(database_url).render_as_string(hide_password=True),
        "users": args.users,
        "contributions": args.contributions,
        "proposals": args.proposals,
        "comments": args.comments,
        "mode": args.mode,
        "duration_s": args.duration,
        "changes_per_second": args.changes_per_second,
        "wrk": {"threads": WRK_THREADS, "connections": WRK_CONNECTIONS},
        "gunicorn_workers": WORKERS,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_before": round(load, 2),  # 1 minute; other work skews the figures
    }


# Main ------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (10)")
    parser.add_argument(
        "--pages", nargs="+", choices=[page.name for page in PAGES], help="a subset of pages"
    )
    parser.add_argument("--database-url", help="use this database (e.g. PostgreSQL), not SQLite")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS, help="bench residents")
    add_data_options(parser)
    parser.add_argument(
        "--mode",
        choices=list(MODES),
        default="both",
        help="cached (as a visitor), uncached (logged in as the page's role), or both (default)",
    )
    parser.add_argument(
        "--changes-per-second",
        type=float,
        default=0,
        help="commit this many changes a second during the load, each emptying the page cache",
    )
    args = parser.parse_args(argv)
    if args.duration < 1:
        parser.error("--duration must be at least 1 second")
    return args


def selected_pages(names: list[str] | None) -> list[Page]:
    """The pages to measure, baseline first."""
    chosen = [page for page in PAGES if names is None or page.name in names]
    return chosen if BASELINE in chosen else [BASELINE, *chosen]


def warn_if_catalogs_missing() -> None:
    """Say so when the translation catalogs are not compiled (`make catalogs`)."""
    if not any((ROOT / "translations").glob("*/LC_MESSAGES/messages.mo")):
        print("warning: no compiled catalogs; run `make catalogs` first", file=sys.stderr)


@contextlib.contextmanager
def changes(database_url: str, per_second: float) -> Iterator[None]:
    """Commit a change through Dialog per_second times a second while the block runs.

    Each change (a framework's English title set to itself: an UPDATE, nothing visible)
    bumps the change generation, so every cached page is rendered again after it, as it
    would be on a site where staff and residents are writing.
    """
    if per_second <= 0:
        yield
        return
    app = bench_app(database_url)
    stop = threading.Event()

    def write() -> None:
        with app.app_context():
            framework_id = db.session.scalar(select(Framework.id).limit(1))
            while not stop.wait(1 / per_second):
                db.session.execute(
                    update(Framework)
                    .where(Framework.id == framework_id)
                    .values(title_en=Framework.title_en)
                )
                db.session.commit()
            db.session.remove()

    writer = threading.Thread(target=write, name="bench-changes", daemon=True)
    writer.start()
    try:
        yield
    finally:
        stop.set()
        writer.join(timeout=STOP_TIMEOUT_S)
        with app.app_context():
            db.engine.dispose()


def plan(pages: list[Page], mode: str) -> list[tuple[Page, str]]:
    """Each page with each way it is measured, in the order of PAGES."""
    return [(page, way) for page in pages for way in page.modes(MODES[mode])]


def run_pages(
    pages: list[Page],
    env: dict[str, str],
    log_dir: Path,
    duration: int,
    changes_per_second: float = 0,
    mode: str = "both",
) -> list[Result]:
    """Start the servers the pages need, check and measure every page, stop the servers."""
    servers: dict[str, Server] = {}
    runs = plan(pages, mode)
    try:
        for name in dict.fromkeys(page.app for page in pages):
            servers[name] = start_server(name, env, log_dir)
        for server in servers.values():
            wait_until_ready(server)
        roles = {page.role for page, way in runs if way == UNCACHED and page.role}
        cookies = log_in_roles(servers["dialog"].url, roles) if roles else {}

        def cookie(page: Page, way: str) -> str:
            return cookies[page.role] if way == UNCACHED and page.role else ""

        for page, way in runs:
            if not page.sends:
                check_page(servers[page.app], page, cookie(page, way))
        print(f"Measuring {len(runs)} runs of {len(pages)} pages:", file=sys.stderr)
        results = []
        with changes(env["DIALOG_DATABASE_URL"], changes_per_second):
            for page, way in runs:
                server = servers[page.app]
                if page.sends:
                    results.append(measure_sends(server, page, duration))
                else:
                    results.append(measure(server, page, way, duration, cookie(page, way)))
        return results
    finally:
        stop_servers(list(servers.values()))


def main(argv: list[str] | None = None) -> int:
    """Generate the data, measure the pages, print and save the table."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops gunicorn
    warn_if_catalogs_missing()
    pages = selected_pages(args.pages)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="dialog-bench-") as tmp:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        print(f"Generating data ({args.users} residents) ...", file=sys.stderr)
        started = time.perf_counter()
        counts = generate(
            database_url,
            users=args.users,
            contributions=args.contributions,
            proposals=args.proposals,
            comments=args.comments,
            waiting=args.waiting,
        )
        print(f"  done in {time.perf_counter() - started:.1f} s: {counts}", file=sys.stderr)
        paths = bench_paths(database_url)
        pages = [replace(page, path=page.path.format(**paths)) for page in pages]
        try:
            results = run_pages(
                pages,
                bench_environment(database_url),
                Path(tmp),
                args.duration,
                args.changes_per_second,
                args.mode,
            )
        except BenchError as error:
            print(f"bench failed: {error}", file=sys.stderr)
            return 1
    add_ratios(results)
    print(format_table(results))
    meta = run_metadata(args, database_url, load)
    path = write_json(results, meta)
    print(f"\nSaved {path.relative_to(ROOT)}", file=sys.stderr)
    print(f"Load average before the run: {load:.2f} (1 minute)", file=sys.stderr)
    failed = [result.page for result in results if result.errors]
    if failed:
        print(f"bench failed: error responses on {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("bench interrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
