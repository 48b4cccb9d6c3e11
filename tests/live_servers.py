"""What the tests that start real servers share: free ports, a database of their own, and
the rule that a missing program skips such a test locally but fails it under CI=true."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

IN_CI = os.environ.get("CI", "").lower() == "true"
READY_SECONDS = 30


def missing(message: str) -> None:
    """Skip locally, fail under CI=true: CI must run every test it has."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    """Wait until something listens on the port, or fail with the end of the log."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} ended early:\n{log.read_text()[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """Kill the process group the test started: nothing in it needs a graceful end."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextmanager
def own_postgres_database(base_url: str, prefix: str) -> Iterator[str]:
    """A PostgreSQL database of the test's own beside base_url's, dropped afterwards."""
    base = make_url(base_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure to connect means the same
        admin.dispose()
        missing(f"PostgreSQL at {base} cannot make a database: {error}")
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def keep_cookies(cookies: dict[str, str], set_cookie_headers: list[str]) -> None:
    """Do what a browser does with a response's Set-Cookie headers (name and value only)."""
    for header in set_cookie_headers:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if value and "Max-Age=0" not in header:
            cookies[name] = value
        else:
            cookies.pop(name, None)
