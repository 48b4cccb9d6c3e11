"""A short-lived cache of whole public pages, for visitors without a session.

A visitor who has no session cookie sees exactly what every other such visitor sees for the
same request, so the rendered page can be served again for a few seconds. Anyone logged in,
anyone with a message waiting, and any page whose rendering touched the session (a form
with a CSRF token) is never served from or stored in the cache.

Two rules keep it from ever serving something wrong:

- The key is everything the page depends on, whatever the view: the method, scheme, host
  and full path with its query (the API's ``?lang=``), and the inputs that choose the
  language (the ``lang`` cookie and Accept-Language reduced to the best supported match).
  Keying on the locale one view happened to compute let the API, which ignores the cookie,
  file Swedish under English.
- The key also holds the change generation (see ``change_generation``), which every
  committed write changes. A change is therefore seen on the very next request, by every
  worker and server, with a per-process memory store as much as with Redis: an entry made
  before the change is simply never looked up again, and expires.

Entries in Redis are plain bytes (a JSON head with the status and headers, then the body),
never pickles: whoever can write to Redis must not be able to run code in the app.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Protocol, TypeVar

import redis
from flask import Flask, Response, current_app, g, has_request_context, make_response, request
from flask import session as flask_session
from flask_babel import force_locale
from sqlalchemy import Select, func, inspect, select

from dialog.core.database import transaction_wrote
from dialog.core.i18n import language_inputs
from dialog.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
M = TypeVar("M")

MEMORY_ENTRIES = 1024
REFERENCE_ENTRIES = 256


CachedPage = tuple[int, list[tuple[str, str]], bytes]


_READ_GENERATION = "SELECT value FROM change_generation WHERE id = 1"


def change_generation() -> int:
    """Return the change generation: a number that every committed write changes.

    This is the signal for any cache kept in process memory or in Redis: remember the value
    a cached thing was built under, and rebuild (or key on it) when the value differs. Every
    transaction that writes through the application bumps it just before its commit
    (``dialog.core.database``: ORM flushes, bulk statements and raw SQL alike, from requests
    and CLI commands; only tables no page shows, like the mail outbox, are left out), so a
    change made on any worker or server is seen by every process on its next request.

    It costs one primary-key SELECT, once per request (memoised in ``flask.g``; outside a
    request it is read on every call). Read it before the data it guards: the data is then at
    least as new as the value, so nothing older is ever filed under a newer value. A missing
    row (a database no one has written to yet, or the test suite's emptied tables) reads as 0.
    """
    memoised = has_request_context()
    if memoised and "change_generation" in g:
        value: int = g.change_generation
        return value
    value = _read_generation()
    if memoised:
        g.change_generation = value
    return value


def _read_generation() -> int:
    engine = db.engine
    dialect = engine.dialect.name
    if db.session().in_transaction() or dialect not in ("sqlite", "postgresql"):
        # Inside a transaction, read in its snapshot (SQLite's is fixed at its first read),
        # so the value is never newer than the data read alongside it. The SQL as it is, on
        # the session's connection: an ORM statement made and run for one number cost a
        # twentieth of a small page.
        value = db.session.connection().exec_driver_sql(_READ_GENERATION).scalar()
        return int(value) if value is not None else 0
    # Otherwise a pooled connection in autocommit, without the session: a cache hit then
    # costs tens of microseconds instead of a session transaction's BEGIN and COMMIT, about
    # a millisecond on SQLite and several on PostgreSQL (measured).
    connection = engine.raw_connection()
    try:
        driver = connection.driver_connection
        if dialect == "postgresql":
            driver.autocommit = True  # type: ignore[union-attr]
        try:
            cursor = connection.cursor()
            cursor.execute(_READ_GENERATION)
            row = cursor.fetchone()
            cursor.close()
        finally:
            if dialect == "postgresql":
                driver.autocommit = False  # type: ignore[union-attr]
    except Exception:
        connection.invalidate()  # it may be broken; let the pool make a new one
        raise
    finally:
        connection.close()
    return int(row[0]) if row else 0


def reference_data(name: Hashable, build: Callable[[], T], store: str = "reference_data") -> T:
    """Return what build() returns, built once per process and change generation.

    For data that is the same for everyone and changes a few times a month, which pages
    otherwise read again on every request: the frameworks, goal trees, Agenda 2030 names.
    It is rebuilt on the first request after any change made through the application
    (``change_generation``), on every worker, so it is never older than the page cache.

    ``name`` says what the value is, with every argument build() depends on (``"goals:3"``);
    ``store`` names the bounded store it is kept in (the counts of lists have their own).
    build() returns plain, immutable values (tuples, frozen dataclasses) holding both
    languages: never ORM objects (they belong to one session and load lazily), never
    anything that depends on who asks or on their language. A value is built and not kept
    while the request's own transaction has written (what it reads may still be rolled back),
    and always built when the setting REFERENCE_CACHE is off.
    """
    app = current_app
    if not app.config["REFERENCE_CACHE"] or transaction_wrote():
        return build()
    kept: dict[Hashable, tuple[int, Any]] = app.extensions.setdefault(store, {})
    generation = change_generation()  # first: see change_generation() on the order of reads
    held = kept.get(name)
    if held is not None and held[0] == generation:
        value: T = held[1]
        return value
    value = build()
    if len(kept) >= REFERENCE_ENTRIES:
        kept.clear()  # names carry ids: a bound, so that no request can grow it
    kept[name] = (generation, value)
    return value


def in_every_language(make: Callable[[], T]) -> dict[str, T]:
    """Return what make() returns in each of the site's languages (``force_locale``), by
    language code: for reference data that shows translated or formatted text, which
    reference_data() keeps for every reader whatever their language."""
    made = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            made[language] = make()
    return made


def remembered_count(rows: Select[Any]) -> int:
    """Count the rows of the statement, once per process and change.

    A list of thousands of rows is counted for its page numbers on every request otherwise.
    The count is kept under the statement and its parameters (``reference_data``): a count
    is the same for whoever runs the same statement, and a list narrowed to one person's
    rows has that person's id among its parameters.
    """
    key = rows._generate_cache_key()  # noqa: SLF001 - SQLAlchemy's own statement cache key
    if key is None:  # a statement that cannot be cached: count it
        return _count(rows)
    values = tuple(_hashable(param.effective_value) for param in key.bindparams)
    return reference_data((key.key, values), lambda: _count(rows), store="counts")


def _count(rows: Select[Any]) -> int:
    return db.session.execute(select(func.count()).select_from(rows.subquery())).scalar_one()


def _hashable(value: Any) -> Hashable:
    return tuple(value) if isinstance(value, list | set | frozenset) else value


class Snapshot:
    """A read-only copy of a loaded ORM object, for reference data kept between requests.

    It answers like the object it copies: the columns that were loaded, the relations frozen
    with it (lists as tuples), and the model's own properties and methods, run on the copy
    (a property once: its value is kept on the copy; so a property must depend on the
    object's own data only, never on the time, the reader or the language).
    Anything else, a relation not frozen or a column not loaded, raises AttributeError
    instead of loading from a database session the copy does not have.
    """

    def __init__(self, model: type, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.__dict__["_snapshot_of"] = model

    def __getattr__(self, name: str) -> Any:
        # Only called for what is not a copied value: the model's properties and methods.
        model = self.__dict__["_snapshot_of"]
        found = getattr(model, name, None)
        if isinstance(found, property) and found.fget is not None:
            # Kept: the copy never changes, so neither does what a property computes from
            # it, and a list of frozen rows asks the same properties on every request.
            value = self.__dict__[name] = found.fget(self)
            return value
        if isinstance(found, types.FunctionType) and not name.startswith("_"):
            return types.MethodType(found, self)
        raise AttributeError(f"a frozen {model.__name__} has no {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a frozen object is read-only")

    def __repr__(self) -> str:
        return f"<frozen {self.__dict__['_snapshot_of'].__name__} {self.__dict__.get('id')}>"


Relations = Mapping[str, "Relations"]


def freeze(obj: M, relations: Relations | None = None) -> M:
    """Copy a loaded ORM object's loaded columns and the named relations, recursively, into a
    ``Snapshot`` (typed as the object it answers for). Call it while the object's session
    is open: the named relations are read, and loaded if they are not yet; columns that were
    not loaded (``load_only``) are left out, not loaded."""
    state = inspect(obj)
    loaded = state.dict
    values = {
        column.key: loaded[column.key]
        for column in state.mapper.column_attrs
        if column.key in loaded
    }
    for name, nested in (relations or {}).items():
        value = getattr(obj, name)
        if isinstance(value, list):
            values[name] = tuple(freeze(item, nested) for item in value)
        else:
            values[name] = None if value is None else freeze(value, nested)
    return Snapshot(type(obj), values)  # type: ignore[return-value]


class PageStore(Protocol):
    def get(self, key: str) -> CachedPage | None: ...

    def set(self, key: str, value: CachedPage, timeout: int) -> None: ...

    def clear(self) -> None: ...


class MemoryStore:
    """Per process, bounded, least recently used out first."""

    def __init__(self, entries: int = MEMORY_ENTRIES) -> None:
        self.entries = entries
        self.items: OrderedDict[str, tuple[float, CachedPage]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> CachedPage | None:
        with self.lock:
            item = self.items.get(key)
            if item is None:
                return None
            expires, value = item
            if expires < time.monotonic():
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return value

    def set(self, key: str, value: CachedPage, timeout: int) -> None:
        with self.lock:
            self.items[key] = (time.monotonic() + timeout, value)
            self.items.move_to_end(key)
            while len(self.items) > self.entries:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


def encode_page(page: CachedPage) -> bytes:
    """A page as bytes: a JSON line with the status and headers, then the body as it is."""
    status, headers, body = page
    head = json.dumps({"status": status, "headers": headers}, separators=(",", ":"))
    return head.encode() + b"\n" + body


def decode_page(data: bytes) -> CachedPage | None:
    """The page encode_page() made, or None for anything else (which is then a miss)."""
    head, newline, body = data.partition(b"\n")
    try:
        meta = json.loads(head)
    except ValueError:  # not JSON, or not UTF-8
        return None
    if not newline or not isinstance(meta, dict):
        return None
    status, headers = meta.get("status"), meta.get("headers")
    if type(status) is not int or not isinstance(headers, list):
        return None
    if not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
        for pair in headers
    ):
        return None
    return status, [(name, value) for name, value in headers], body


class RedisStore:
    """Shared by every worker and server."""

    PREFIX = "dialog:page:"

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=0.5)

    def get(self, key: str) -> CachedPage | None:
        try:
            data = self.client.get(self.PREFIX + key)
        except (redis.RedisError, OSError):
            return None  # a cache that is down is a cache miss
        return decode_page(data) if isinstance(data, bytes) else None

    def set(self, key: str, value: CachedPage, timeout: int) -> None:
        with contextlib.suppress(redis.RedisError, OSError):
            self.client.set(self.PREFIX + key, encode_page(value), ex=timeout)

    def clear(self) -> None:
        with contextlib.suppress(redis.RedisError, OSError):
            for key in self.client.scan_iter(self.PREFIX + "*"):
                self.client.delete(key)


def init_page_cache(app: Flask) -> None:
    """Choose the store: Redis when configured, else this process's memory."""
    redis_url = app.config.get("REDIS_URL")
    app.extensions["page_cache"] = RedisStore(redis_url) if redis_url else MemoryStore()


def _store() -> PageStore:
    store: PageStore = current_app.extensions["page_cache"]
    return store


def _cacheable_request() -> bool:
    return (
        request.method == "GET"
        and current_app.config["PAGE_CACHE_SECONDS"] > 0
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
    )


def page_key() -> str:
    """The cache key of this request: the change generation, then a digest of all else the
    page depends on (see the module's docstring)."""
    generation = change_generation()  # first: see change_generation() on the order of reads
    cookie_language, accepted_language = language_inputs()
    parts = [
        request.method,
        request.scheme,
        request.host.lower(),
        request.full_path,
        cookie_language,
        accepted_language,
    ]
    digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
    return f"{generation}:{digest}"


def cached_page(view: F) -> F:
    """Serve the view's page from the cache to visitors without a session.

    Pages live for DIALOG_PAGE_CACHE_SECONDS at most, and only until the next change;
    0 turns the cache off.
    """

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not _cacheable_request():
            return view(*args, **kwargs)
        key = page_key()
        hit = _store().get(key)
        if hit is not None:
            status, headers, body = hit
            return Response(body, status=status, headers=headers)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not flask_session.modified:
            headers = [(k, v) for k, v in response.headers.items() if k != "Set-Cookie"]
            timeout = current_app.config["PAGE_CACHE_SECONDS"]
            _store().set(key, (200, headers, response.get_data()), timeout)
        return response

    return wrapped  # type: ignore[return-value]
