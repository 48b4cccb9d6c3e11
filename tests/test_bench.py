"""A cheap check that the benchmark still works, without wrk or gunicorn: the generator fills
a small SQLite database, and every page in bench/run.py answers 200 both ways it is measured
(as a visitor, and logged in as its role), and the proposal form takes a send as
bench/submit.lua makes it. Runs in the SQLite pass only; the bench itself is not a test."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bench.generate import bench_app, bench_paths, generate
from bench.run import (
    CACHED,
    PAGES,
    ROLE_EMAILS,
    UNCACHED,
    Page,
    add_ratios,
    csrf_token,
    format_table,
    parse_wrk,
    plan,
)
from dialog.demo.loader import demo_password

SITE = "http://127.0.0.1"  # the bench's DIALOG_BASE_URL
WRK_REPORT = """Running 1s test @ http://127.0.0.1:1234/dialogues/x/proposals/new
  2 threads and 32 connections
  Latency Distribution
     50%   20.00ms
     99%  120.50ms
  80 requests in 1.00s, 1.2MB read
Requests/sec:     80.00
Not sent: 2
"""


@pytest.fixture(scope="module")
def bench_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Page]]:
    """A small bench database, and the pages with their paths filled in."""
    if os.environ.get("DIALOG_TEST_DATABASE_URL"):
        pytest.skip("runs once, in the SQLite pass")
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('bench')) / 'bench.db'}"
    counts = generate(url, users=30, contributions=20, proposals=40, comments=12, waiting=30)
    assert counts["proposals"] > 0
    assert counts["comments"] == 12
    assert counts["waiting"] == 30
    paths = bench_paths(url)
    return url, [replace(page, path=page.path.format(**paths)) for page in PAGES]


def _logged_in(client: FlaskClient, role: str) -> FlaskClient:
    token = csrf_token(client.get("/login", base_url=SITE).get_data(as_text=True))
    form = {"csrf_token": token, "email": ROLE_EMAILS[role], "password": demo_password()}
    assert client.post("/login", data=form, base_url=SITE).status_code == 302
    return client


def test_every_bench_page_answers_both_ways(bench_site):
    """Each page and way the bench measures answers 200: as a visitor and as its role."""
    url, pages = bench_site
    app = bench_app(url)
    visitor = app.test_client()
    members: dict[str, FlaskClient] = {}
    runs = plan([page for page in pages if page.app == "dialog" and not page.sends], "both")
    assert {way for _page, way in runs} == {CACHED, UNCACHED}
    for page, way in runs:
        client = visitor
        if way == UNCACHED and page.role:
            if page.role not in members:
                members[page.role] = _logged_in(app.test_client(), page.role)
            client = members[page.role]
        response = client.get(page.path, base_url=SITE)
        assert response.status_code == 200, f"{page.name} {way}: {response.status_code}"


def test_the_send_the_bench_makes_is_stored(bench_site):
    """The form fields bench/submit.lua sends, with a fresh token, store a proposal."""
    url, pages = bench_site
    [send] = [page for page in pages if page.sends]
    script = (Path(__file__).resolve().parent.parent / "bench" / "submit.lua").read_text()
    fields = set(re.findall(r'"&?(\w+)="', script))
    assert fields == {"csrf_token", "submission", "title", "body"}
    client = bench_app(url).test_client()
    token = csrf_token(client.get(send.path, base_url=SITE).get_data(as_text=True))
    form = {
        "csrf_token": token,
        "submission": secrets.token_urlsafe(32),
        "title": "Fler bänkar längs ån (1-1)",
        "body": "<p>Det behövs fler <strong>bänkar</strong>.</p>",
    }
    response = client.post(send.path, data=form, base_url=SITE)
    assert response.status_code == 302
    assert "/receipt/" in response.location


def test_the_report_puts_both_ways_side_by_side_and_counts_unsent_proposals():
    """A send that got no receipt is an error; cached and uncached share a line."""
    page = Page("proposals", "/p")
    results = [
        parse_wrk(
            Page("hello", "/", role=None, app="hello"), WRK_REPORT.replace("Not sent: 2", "")
        ),
        parse_wrk(page, WRK_REPORT, CACHED),
        parse_wrk(page, WRK_REPORT, UNCACHED, "resident"),
    ]
    assert results[1].errors == 2
    assert results[1].error_detail == {"not_sent": 2}
    add_ratios(results)
    table = format_table(results)
    [line] = [row for row in table.splitlines() if row.startswith("proposals")]
    assert line.count("100.0%") == 2
    assert "resident" in line
    results[2].requests = 0  # a page slower than a short run
    assert "(none)" in format_table(results)
