"""Database set-up: SQLite pragmas, write transactions, the change generation, and the commit
at the request's edge.

The change generation is how every process learns, on its next request, that something
changed: the one row of ``change_generation`` gets a new value in the same transaction as
any write, and caches kept in memory or in Redis put the value they were filled under in
their keys (see ``dialog.core.cache``). It is done here, on the engine, rather than in ORM
session events, so that every way of writing counts: ORM flushes, bulk ``update()`` and
``delete()`` statements, Core and raw SQL from services, CLI commands and the demo loader.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest

from dialog.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event below issue BEGIN itself instead of pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for the lock
    # (SQLITE_BUSY at once), so writers take it up front: every request that may
    # write (any unsafe method) and every command outside a request.
    if has_request_context() and request.method in SAFE_METHODS:
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def configure_sqlite(engine: Engine) -> None:
    """Install the SQLite pragmas and the BEGIN IMMEDIATE rule on an engine."""
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)


# Tables no page or in-process cache shows, so writing them changes nothing a visitor sees.
# Leaving them out keeps `flask mail send` (every minute), failed logins and password reset
# requests (anyone can send those) from emptying every cache. The audit trail is written
# together with the change it records, which bumps through its own table, and only staff
# read it: should a public page ever show it, take it off this list.
UNSEEN_TABLES = frozenset(
    {"outbox_messages", "audit_events", "password_reset_tokens", "recovery_codes"}
)
# Raw SQL (text(), exec_driver_sql) is not marked as DML by SQLAlchemy; recognise it by its verb.
_RAW_WRITE = re.compile(
    r"\s*(?:insert|update|delete|replace|merge|upsert|truncate)\b"
    r"|\s*with\b.*\b(?:insert|update|delete)\b",
    re.IGNORECASE | re.DOTALL,
)
_RAW_DDL = re.compile(r"\s*(?:create|alter|drop)\b", re.IGNORECASE)
# Keys in Connection.info (which lives as long as the DBAPI connection, across checkouts).
_WROTE = "dialog_wrote"
_RAN_DDL = "dialog_ran_ddl"


def _note_writes(
    connection: Connection,
    _cursor: DBAPICursor,
    statement: str,
    _parameters: Any,
    context: DefaultExecutionContext | None,
    _executemany: bool,
) -> None:
    if context is not None and context.isddl:
        connection.info[_RAN_DDL] = True
    elif context is not None and (context.isinsert or context.isupdate or context.isdelete):
        table = getattr(getattr(context.compiled, "statement", None), "table", None)
        if getattr(table, "name", None) not in UNSEEN_TABLES:
            connection.info[_WROTE] = True
    elif _RAW_WRITE.match(statement):
        connection.info[_WROTE] = True
    elif _RAW_DDL.match(statement):
        connection.info[_RAN_DDL] = True


def _forget_writes(connection: Connection) -> None:
    if connection.invalidated:
        # The connection was lost (a server restart, a dropped socket): its info goes with
        # it, and touching it now would make the rollback itself fail.
        return
    connection.info.pop(_WROTE, None)
    connection.info.pop(_RAN_DDL, None)


def _bump_sql() -> str:
    # A new row starts at the clock (in microseconds), not at 1: when the row is deleted
    # (the test suite empties every table) and made again, no value ever comes back, so no
    # entry cached under an old value can be hit again.
    start = time.time_ns() // 1000
    return (
        f"INSERT INTO change_generation (id, value) VALUES (1, {start:d}) "  # noqa: S608 - an int
        "ON CONFLICT (id) DO UPDATE SET value = change_generation.value + 1"
    )


def _change_table_exists(connection: Connection) -> bool:
    queries = {
        "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'change_generation'",
        "postgresql": "SELECT to_regclass('change_generation')",
    }
    query = queries.get(connection.dialect.name)
    if query is None:
        return True
    cursor = connection.connection.cursor()
    try:
        cursor.execute(query)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return row is not None and row[0] is not None


def transaction_wrote() -> bool:
    """Tell whether the session's open transaction has written something seen, not committed.

    What such a transaction reads is not yet anyone else's, and may still be rolled back, so
    nothing read in it may be kept for other requests (``dialog.core.cache.reference_data``).
    """
    session = db.session()
    if not session.in_transaction():
        return False
    return bool(session.connection().info.get(_WROTE))


def _bump_before_commit(connection: Connection) -> None:
    """Give the change generation a new value if this transaction wrote anything seen.

    The upsert runs last, just before COMMIT, on the transaction's own DBAPI connection (so it
    fires no events itself). On PostgreSQL it takes the counter row's lock: concurrent writers
    queue there for the length of a commit. Writes are rare next to reads, so that is
    acceptable; and because it is the last lock a transaction takes, a writer holding it never
    waits for another, so it adds no deadlock. On SQLite the writer already holds the database's
    write lock (BEGIN IMMEDIATE, or its first write), so the upsert never waits.
    A transaction that ran DDL (a migration) bumps only if the table exists at that point.
    """
    wrote = connection.info.pop(_WROTE, False)
    ran_ddl = connection.info.pop(_RAN_DDL, False)
    if not wrote or (ran_ddl and not _change_table_exists(connection)):
        return
    cursor = connection.connection.cursor()
    try:
        cursor.execute(_bump_sql())
    finally:
        cursor.close()


def watch_changes(engine: Engine) -> None:
    """Bump the change generation in every transaction that writes through this engine."""
    event.listen(engine, "before_cursor_execute", _note_writes)
    event.listen(engine, "begin", _forget_writes)
    event.listen(engine, "rollback", _forget_writes)
    event.listen(engine, "commit", _bump_before_commit)


_AFTER_COMMIT = "dialog.after_commit"


def after_commit(callback: Callable[[], None]) -> None:
    """Run the callback once the session's transaction has committed; never if it rolls back.

    For what lives outside the database and must count only what was stored (a send counted
    against the limits, whose COMMIT then fails, was never sent).
    """
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        callback()


def _forget_after_commit(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


class NulCharacter(BadRequest):
    """The request carries a NUL character, which no text column stores and no one types."""


def _carries_nul() -> bool:
    """Tell whether the path, the query string or a form field holds a NUL character."""
    if "\x00" in request.path:
        return True
    fields = [request.args]
    if request.method not in SAFE_METHODS:
        fields.append(request.form)
    return any(
        "\x00" in name or "\x00" in value
        for values in fields
        for name, value in values.items(multi=True)
    )


def commit_now() -> None:
    """Commit inside the view, before answering, where a failure can still be answered.

    Most requests commit at their edge (below), where a failing COMMIT can only become an
    error page. A view that acknowledges what a resident sent (a receipt) commits first, so
    a COMMIT that fails comes back to it as an exception and the form is shown again with
    the text, instead of a receipt for something never stored or an error page without it.
    """
    db.session.commit()


def init_database(app: Flask) -> None:
    """Configure the engine, watch it for changes, and commit once per request, at its edge."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
        watch_changes(db.engine)
    if not event.contains(Session, "after_commit", _run_after_commit):
        event.listen(Session, "after_commit", _run_after_commit)
        event.listen(Session, "after_rollback", _forget_after_commit)

    @app.before_request
    def refuse_nul() -> None:
        # PostgreSQL stores no NUL in text and fails the query: no person types one, so a
        # request that carries one is refused here, before any query, the same on SQLite.
        if _carries_nul():
            raise NulCharacter()

    @app.after_request
    def commit_or_rollback(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response
