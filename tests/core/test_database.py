"""The database set-up: SQLite pragmas, write transactions, and the migrations."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, event, inspect, make_url, select, text
from sqlalchemy.exc import OperationalError

from dialog import create_app
from dialog.accounts.models import User
from dialog.config import for_tests
from dialog.contributions.models import compared_with_the_models
from dialog.core.database import _sqlite_connect, configure_sqlite
from dialog.extensions import db
from tests.helpers import csrf_token, post_form, registration_link


def _sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite behaviour")


def test_each_test_starts_on_empty_tables(app):
    """The writes of the tests before this one (run earlier in the suite) were undone."""
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []


def test_sqlite_pragmas(app, database_url):
    """Every SQLite connection runs in WAL mode with foreign keys, a busy timeout and FULL sync."""
    _sqlite_only(database_url)
    with app.app_context():
        connection = db.session.connection()
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 5000
        assert pragma("synchronous") == 2  # FULL


def _read_then_write(engine, results: list[str], barrier: threading.Barrier) -> None:
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM counter").scalar()
            barrier.wait(timeout=5)
            time.sleep(0.05)
            connection.exec_driver_sql("INSERT INTO counter (id) VALUES (NULL)")
        results.append("committed")
    except (OperationalError, threading.BrokenBarrierError) as error:
        results.append(type(error).__name__)


@pytest.mark.parametrize("all_commit", [True, False], ids=["immediate", "deferred"])
def test_concurrent_writers_commit_only_with_begin_immediate(tmp_path, all_commit):
    """Our set-up lets writers wait; deferred transactions that read then write fail."""
    engine = create_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    if all_commit:
        configure_sqlite(engine)
    else:
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY)")
    results: list[str] = []
    # With BEGIN IMMEDIATE only one writer reads at a time, so nobody waits at the barrier.
    parties = 1 if all_commit else 4
    barrier = threading.Barrier(parties)
    threads = [
        threading.Thread(target=_read_then_write, args=(engine, results, barrier)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    engine.dispose()
    assert (results == ["committed"] * 4) is all_commit, results


@pytest.mark.commits
def test_concurrent_registrations_all_commit(app):
    """Several requests writing at once all succeed (on SQLite thanks to BEGIN IMMEDIATE)."""
    clients = [app.test_client() for _ in range(6)]
    links = []
    for number, client in enumerate(clients):
        post_form(client, "/register", {"email": f"person{number}@example.se"})
        links.append(registration_link(app, f"person{number}@example.se"))
    tokens = [csrf_token(client, link) for client, link in zip(clients, links, strict=True)]
    statuses: list[int] = []

    def register(number: int) -> None:
        password = "a long enough password"
        response = clients[number].post(
            links[number],
            data={
                "csrf_token": tokens[number],
                "display_name": f"Person {number}",
                "password": password,
                "confirm": password,
                "locale": "sv",
                "accept": "y",
            },
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * 6
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 6


@pytest.fixture
def empty_database(database_url: str, tmp_path) -> Iterator[str]:
    """A database with nothing in it, of the same kind as the suite's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"dialog_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _schema_difference(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        # As the migrations compare them (migrations/env.py): the full-text index is made
        # by DDL beside the models.
        context = MigrationContext.configure(
            connection, opts={"include_name": compared_with_the_models}
        )
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models_and_go_down_and_up(empty_database):
    """The migrations build the models' schema, go down to nothing, and up again."""
    app = create_app(for_tests(empty_database))
    with app.app_context():
        upgrade()
        assert _schema_difference(app) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _schema_difference(app) == []
        db.engine.dispose()
