"""Two app servers behind nginx, sharing PostgreSQL and Redis, as README.md's "Production"
section sets them up: deploy/nginx-site.conf in front (its ports and certificate swapped
for the test's), two gunicorn servers with DIALOG_PROXY_HOPS=1 behind.

It runs in the PostgreSQL pass (make unit-postgres) on a database of its own, which it
creates and drops. Locally a missing nginx, openssl, PostgreSQL or Redis skips it; under
CI=true that is a failure. DIALOG_TEST_REDIS_URL picks the Redis database (default 14).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from sqlalchemy import create_engine, update

from dialog import create_app
from dialog.config import for_tests
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
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
SITE_FILE = ROOT / "deploy" / "nginx-site.conf"
REDIS_URL = os.environ.get("DIALOG_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
SECRET = "scale-out-test-secret"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _some_address() -> str:
    """A loopback address of its own (all of 127/8 is local), so this run's throttling
    counts never meet another run's in the shared Redis."""
    return "127.{}.{}.{}".format(*os.urandom(3))


def render_site(upstreams: list[int], http_port: int, https_port: int, certs: Path) -> str:
    """The production site file with the test's ports and certificate; each swap must
    match, so a change to the file that the test does not follow fails here."""
    site = SITE_FILE.read_text()
    swaps = [
        ("server 127.0.0.1:8001;", f"server 127.0.0.1:{upstreams[0]};"),
        ("server 127.0.0.1:8002;", f"server 127.0.0.1:{upstreams[1]};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("/etc/letsencrypt/live/dialog.kommun.se/", f"{certs}/"),
        ("dialog.kommun.se", "127.0.0.1"),
        # Which app server answered, for the test's eyes only.
        (
            "proxy_pass http://dialog_app;",
            "proxy_pass http://dialog_app;\n        add_header X-Upstream $upstream_addr always;",
        ),
    ]
    for old, new in swaps:
        assert old in site, f"{SITE_FILE} no longer has {old!r}"
        site = site.replace(old, new)
    return site


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    upstream: int


@dataclass
class Site:
    """nginx on https_port in front of the app servers on ports[0] and ports[1]."""

    https_port: int
    ports: list[int]
    database_url: str
    slug: str
    title: str
    last_upstream: int | None = None

    def send(
        self,
        method: str,
        path: str,
        *,
        cookies: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        source: str = "127.0.0.1",
    ) -> Reply:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own throwaway certificate
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=context, source_address=(source, 0), timeout=20
        )
        sent = {"Host": f"127.0.0.1:{self.https_port}"}
        sent.update({name.replace("_", "-"): value for name, value in (headers or {}).items()})
        if cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text_body = response.read().decode()
            if cookies is not None:
                keep_cookies(cookies, response.headers.get_all("Set-Cookie") or [])
            upstream = int(response.headers["X-Upstream"].rsplit(":", 1)[1])
        finally:
            connection.close()
        self.last_upstream = upstream
        return Reply(response.status, dict(response.headers.items()), text_body, upstream)

    def next_to(self, server: int) -> None:
        """Make nginx's round robin send the next request to app server 0 or 1."""
        for _ in range(3):
            if self.last_upstream == self.ports[1 - server]:
                return
            self.send("GET", "/api/v1/no-such-thing")  # a request that changes nothing
        raise AssertionError("nginx does not take turns between the app servers")


@dataclass
class Visitor:
    """A browser of its own: its cookies, its address."""

    site: Site
    source: str = field(default_factory=lambda: _some_address())
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, via: int | None = None, **headers: str) -> Reply:
        if via is not None:
            self.site.next_to(via)
        reply = self.site.send(
            "GET", path, cookies=self.cookies, headers=headers, source=self.source
        )
        if via is not None:
            assert reply.upstream == self.site.ports[via]
        return reply

    def post(
        self, path: str, form: dict[str, str], via: int | None = None, **headers: str
    ) -> Reply:
        token = CSRF.search(self.get(path if path != "/logout" else "/account").body)
        assert token, f"no form on {path}"
        if via is not None:
            self.site.next_to(via)
        reply = self.site.send(
            "POST",
            path,
            cookies=self.cookies,
            form={"csrf_token": token.group(1), **form},
            headers={"Referer": f"https://127.0.0.1:{self.site.https_port}{path}", **headers},
            source=self.source,
        )
        if via is not None:
            assert reply.upstream == self.site.ports[via]
        return reply

    def log_in(self, email: str, password: str, via: int | None = None, **headers: str) -> Reply:
        return self.post("/login", {"email": email, "password": password}, via=via, **headers)


def _requirements() -> str:
    """The PostgreSQL URL of this pass, after checking that everything else is there."""
    url = os.environ.get("DIALOG_TEST_DATABASE_URL")
    if not url:
        pytest.skip("runs once, in the PostgreSQL pass (make unit-postgres)")
    for program in ("nginx", "openssl"):
        if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists():
            missing(f"{program} is not installed")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        missing(f"Redis at {REDIS_URL} cannot be reached: {error}")
    return url


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A PostgreSQL database of the test's own, with the schema, dropped afterwards."""
    with own_postgres_database(_requirements(), "dialog_scaleout") as url:
        yield url


@dataclass
class People:
    first: tuple[str, str]
    second: tuple[str, str]
    third: tuple[str, str]


TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def _make_certificate(work: Path) -> None:
    """A throwaway self-signed certificate where the site file expects one."""
    subprocess.run(
        [
            "openssl", "req", "-x509", "-nodes", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", str(work / "privkey.pem"), "-out", str(work / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


def _start_app_server(port: int, environment: dict[str, str], log: Path) -> subprocess.Popen:
    # --preload: the app is loaded before the port opens, so an open port means ready.
    command = [sys.executable, "-m", "gunicorn", "--preload", "-w", "1", "-b", f"127.0.0.1:{port}"]
    with log.open("wb") as output:
        return subprocess.Popen(
            [*command, "dialog:create_app()"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _start_nginx(work: Path, site: str, log: Path) -> subprocess.Popen:
    """nginx in the foreground with its own prefix, one worker (so its round robin takes
    strict turns) and the site file included as a server would."""
    (work / "site.conf").write_text(site)
    for name in TEMP_PATHS:
        (work / name).mkdir()
    temp_paths = "".join(f"    {name}_temp_path {work / name};\n" for name in TEMP_PATHS)
    (work / "nginx.conf").write_text(
        # As root, nginx's workers would become "nobody" and could not use the temp folders.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log stderr warn;\n"
        + "events { worker_connections 64; }\n"
        + f"http {{\n    access_log off;\n{temp_paths}    include {work / 'site.conf'};\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", "stderr"]
    with log.open("wb") as output:
        return subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture(scope="module")
def site(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """nginx in front of two gunicorn app servers, all on free ports, stopped afterwards."""
    app = create_app(for_tests(database))
    with app.app_context():
        db.create_all()
    framework = make_framework(app, slug=f"scale-{uuid.uuid4().hex[:8]}")
    dialogue = make_dialogue(app, framework, slug=f"scale-{uuid.uuid4().hex[:8]}")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()

    work = tmp_path_factory.mktemp("scaleout")
    _make_certificate(work)
    ports = [free_port(), free_port()]
    http_port, https_port = free_port(), free_port()
    environment = {
        **os.environ,
        "DIALOG_DATABASE_URL": database,
        "DIALOG_REDIS_URL": REDIS_URL,
        "DIALOG_SECRET_KEY": SECRET,
        "DIALOG_BASE_URL": f"https://127.0.0.1:{https_port}",
        "DIALOG_PROXY_HOPS": "1",
        "DIALOG_HTTPS": "1",
        "DIALOG_STAFF_MFA": "0",
        "DIALOG_PAGE_CACHE_SECONDS": "60",
        "DIALOG_LOG_LEVEL": "WARNING",
    }
    processes: list[subprocess.Popen] = []
    try:
        for port in ports:
            processes.append(_start_app_server(port, environment, work / f"{port}.log"))
        for port, process in zip(ports, processes, strict=True):
            wait_for_port(port, process, work / f"{port}.log")
        site_file = render_site(ports, http_port, https_port, work)
        processes.append(_start_nginx(work, site_file, work / "nginx.log"))
        wait_for_port(https_port, processes[-1], work / "nginx.log")
        yield Site(https_port, ports, database, dialogue.slug, f"Workshop {dialogue.slug}")
    finally:
        for process in processes:
            stop(process)


@pytest.fixture(scope="module")
def people(site: Site) -> People:
    """Three residents, each with an address no other test run uses."""
    app = create_app(for_tests(site.database_url))
    made = []
    for _ in range(3):
        user = make_user(app, email=f"scale-{uuid.uuid4().hex[:10]}@example.se")
        made.append((user.email, user.password))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return People(*made)


def test_both_servers_answer_through_nginx(site):
    """nginx spreads requests over both app servers, and the site file's redirect,
    Host and forwarded headers reach them."""
    seen = {Visitor(site).get("/api/v1/frameworks").upstream for _ in range(4)}
    assert seen == set(site.ports)
    assert Visitor(site).get("/", Host="evil.example").status == 400


def test_a_login_through_one_server_works_on_the_other(site, people):
    """The session made by server 1 is valid on server 2."""
    visitor = Visitor(site)
    reply = visitor.log_in(*people.first, via=0)
    assert reply.status == 302, reply.body
    assert "Secure" in reply.headers.get("Set-Cookie", "")  # X-Forwarded-Proto: https
    account = visitor.get("/account", via=1)
    assert account.status == 200
    assert people.first[0] in account.body


def test_a_change_through_one_server_is_seen_through_the_other(site, people):
    """A saved name and a logout made through one server hold on the next request to the
    other."""
    visitor = Visitor(site)
    assert visitor.log_in(*people.second, via=1).status == 302
    new_name = f"Namn {uuid.uuid4().hex[:6]}"
    saved = visitor.post("/account", {"display_name": new_name, "locale": "sv"}, via=0)
    assert saved.status == 302
    assert new_name in visitor.get("/account", via=1).body
    copy = Visitor(site, cookies=dict(visitor.cookies))
    assert visitor.post("/logout", {}, via=1).status == 302
    assert copy.get("/account", via=0).status == 302  # to the login page


def test_login_throttling_counts_across_both_servers(site, people):
    """Five wrong passwords spread over both servers use up the account's limit on both."""
    email, password = people.third
    visitor = Visitor(site)
    for n in range(5):
        assert visitor.log_in(email, "not the password", via=n % 2).status == 200
    assert visitor.log_in(email, password, via=0).status == 429
    assert visitor.log_in(email, password, via=1).status == 429


def test_a_forged_forwarded_for_does_not_change_the_throttling_key(site):
    """A client naming other addresses in X-Forwarded-For is still counted as itself, and a
    resident at another address is not locked out with it."""
    app = create_app(for_tests(site.database_url))
    user = make_user(app, email=f"scale-{uuid.uuid4().hex[:10]}@example.se")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    attacker = Visitor(site)
    for n in range(5):
        reply = attacker.log_in(user.email, "not the password", X_Forwarded_For=f"10.9.8.{n}")
        assert reply.status == 200
    assert attacker.log_in(user.email, user.password, X_Forwarded_For="10.9.9.9").status == 429
    resident = Visitor(site)  # at another real client address
    assert resident.log_in(user.email, user.password).status == 302


def test_the_page_cache_is_shared(site, people):
    """A public page stored by server 1 is what server 2 serves: a change made behind the
    application's back (straight in the database) shows only to logged-in readers."""
    path = f"/dialogues/{site.slug}"
    first = Visitor(site).get(path, via=0)
    assert first.status == 200
    assert site.title in first.body
    engine = create_engine(site.database_url)
    with engine.begin() as connection:
        connection.execute(
            update(Dialogue).where(Dialogue.slug == site.slug).values(title_sv="Ändrad i smyg")
        )
    engine.dispose()
    served = Visitor(site).get(path, via=1)
    assert site.title in served.body
    assert "Ändrad i smyg" not in served.body
    reader = Visitor(site)
    assert reader.log_in(*people.first).status == 302
    assert "Ändrad i smyg" in reader.get(path, via=1).body
