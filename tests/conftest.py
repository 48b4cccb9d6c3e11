"""The app, database, client and auth fixtures every test uses.

The suite runs on SQLite by default and on PostgreSQL when DIALOG_TEST_DATABASE_URL
names one. Under CI=true a PostgreSQL that cannot be reached fails the run.

Each test that uses the app runs inside one transaction on one connection, rolled back at
its end: every session joins it through a savepoint, so the request's commit at its edge
releases a savepoint and nothing reaches the database. All sessions share that connection,
so a test never waits for a lock, and what one app context committed is seen at once by a
session opened earlier. A test whose data other threads or processes must read is marked
``commits``: it commits for real, and every table is emptied after it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.globals import app_ctx
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import scoped_session, sessionmaker

from dialog import create_app
from dialog.config import for_tests
from dialog.extensions import db, limiter
from tests.helpers import AuthActions

IN_CI = os.environ.get("CI", "").lower() == "true"
TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DIALOG_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure to connect means the same
        message = f"PostgreSQL at {url} cannot be reached: {error}"
        if IN_CI:
            pytest.exit(message, returncode=3)
        pytest.skip(message, allow_module_level=True)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    """The application on a fresh schema, made once for the session."""
    app = create_app(for_tests(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


class _TestSession(Session):
    """A session that sends statements for the test's database to the test's connection.

    Every app on that database (the app fixture, or one made with other settings) shares
    the connection and sees the test's data; an app on another database keeps its engine.
    """

    def get_bind(self, *args: Any, **kwargs: Any) -> Engine | Connection:
        engine = super().get_bind(*args, **kwargs)
        connection: Connection = self.bind  # type: ignore[assignment]
        return connection if engine.url == connection.engine.url else engine


@contextmanager
def _rolled_back(app: Flask) -> Iterator[None]:
    """Run the block in one transaction that is rolled back at its end.

    Every session the block opens (one per app context, as in the application) joins the
    transaction through a savepoint, so a request's commit releases its savepoint and a
    rollback returns to it; nothing reaches the database.
    """
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    sessions = scoped_session(
        sessionmaker(
            class_=_TestSession,
            db=db,
            bind=connection,
            join_transaction_mode="create_savepoint",
        ),
        scopefunc=lambda: id(app_ctx._get_current_object()),
    )
    original = db.session
    db.session = sessions
    try:
        yield
    finally:
        db.session = original
        transaction.rollback()
        connection.close()


def _empty_tables(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


@pytest.fixture(autouse=True)
def _isolate(request: pytest.FixtureRequest) -> Iterator[None]:
    """Undo each test's writes and reset every rate limit, for tests that use the app.

    A test's writes are rolled back; a test marked ``commits`` (other threads or
    processes must see its data) commits for real, and its tables are emptied after it.
    """
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    if request.node.get_closest_marker("commits"):
        yield
        _empty_tables(app)
    else:
        with _rolled_back(app):
            yield
    with app.app_context():
        limiter.reset()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An app context for tests that call services and queries directly."""
    with app.test_request_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


# Where dialog.core.cache.reference_data and remembered_count keep what they build.
REFERENCE_STORES = ("reference_data", "counts")


@pytest.fixture
def reference_on(app: Flask) -> Iterator[Flask]:
    """The app with its reference data kept in memory, as in production (the tests build it
    on every call otherwise). Only for tests marked ``commits``: it keeps committed data."""
    app.config["REFERENCE_CACHE"] = True
    for store in REFERENCE_STORES:
        app.extensions.pop(store, None)
    yield app
    app.config["REFERENCE_CACHE"] = False
    for store in REFERENCE_STORES:
        app.extensions.pop(store, None)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], object]:
    """Count the SQL statements run inside a with-block: ``with count_queries() as q``."""

    @contextmanager
    def counter() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
            # Transaction control is no query: SQLite's BEGIN, and the savepoints that
            # keep each test's writes apart.
            if not statement.startswith(TRANSACTION_CONTROL):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter
