"""Login throttling is shared between worker processes when Redis holds the counters."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/15"

WORKER = textwrap.dedent(
    """
    import sys
    from dialog import create_app
    from dialog.config import for_tests
    from dialog.extensions import db
    from tests.helpers import make_user, post_form

    database, redis_url, email, attempts, create = sys.argv[1:6]
    app = create_app(for_tests(database, RATELIMIT_STORAGE_URI=redis_url))
    if create == "1":
        with app.app_context():
            db.create_all()
        make_user(app, email=email)
    client = app.test_client()
    statuses = [
        post_form(client, "/login", {"email": email, "password": "wrong password"}).status_code
        for _ in range(int(attempts))
    ]
    print(" ".join(map(str, statuses)))
    """
)


def _redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _worker(tmp_path, email: str, attempts: int, create: bool) -> list[int]:
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [
            sys.executable,
            "-c",
            WORKER,
            f"sqlite:///{tmp_path / 'w.db'}",
            REDIS_URL,
            email,
            str(attempts),
            "1" if create else "0",
        ],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=60,
        check=True,
    )
    return [int(status) for status in result.stdout.split()]


def test_two_processes_share_the_login_throttle_through_redis(tmp_path):
    """Five failed logins in one process lock the account for a second process sharing Redis."""
    if not _redis_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis at 127.0.0.1:6379 cannot be reached")
        pytest.skip("Redis is not running")
    email = f"throttle-{uuid.uuid4().hex[:8]}@example.se"
    assert _worker(tmp_path, email, 5, create=True) == [200] * 5
    assert _worker(tmp_path, email, 1, create=False) == [429]
