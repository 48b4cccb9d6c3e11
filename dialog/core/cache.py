"""A short-lived cache of whole public pages, for visitors without a session.

A visitor who has no session cookie sees exactly what every other such visitor sees in
the same language, so the rendered page can be served again for a few seconds. Anyone
logged in, anyone with a message waiting, and any page whose rendering touched the
session (a form with a CSRF token) is never served from or stored in the cache.
"""

from __future__ import annotations

import contextlib
import functools
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import redis
from flask import Flask, Response, current_app, make_response, request, session
from flask_babel import get_locale

F = TypeVar("F", bound=Callable[..., Any])

MEMORY_ENTRIES = 1024


CachedPage = tuple[int, list[tuple[str, str]], bytes]


class PageStore(Protocol):
    def get(self, key: str) -> CachedPage | None: ...

    def set(self, key: str, value: CachedPage, timeout: int) -> None: ...

    def clear(self) -> None: ...


class MemoryStore:
    """Per process, bounded, least recently used out first."""

    def __init__(self, entries: int = MEMORY_ENTRIES) -> None:
        self.entries = entries
        self.items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
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

    def set(self, key: str, value: Any, timeout: int) -> None:
        with self.lock:
            self.items[key] = (time.monotonic() + timeout, value)
            self.items.move_to_end(key)
            while len(self.items) > self.entries:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


class RedisStore:
    """Shared by every worker and server."""

    PREFIX = "dialog:page:"

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=0.5)

    def get(self, key: str) -> Any:
        try:
            data: bytes | None = self.client.get(self.PREFIX + key)  # type: ignore[assignment]
        except (redis.RedisError, OSError):
            return None  # a cache that is down is a cache miss
        return pickle.loads(data) if data else None  # noqa: S301 - only we write these keys

    def set(self, key: str, value: Any, timeout: int) -> None:
        with contextlib.suppress(redis.RedisError, OSError):
            self.client.setex(self.PREFIX + key, timeout, pickle.dumps(value))

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


def cached_page(view: F) -> F:
    """Serve the view's page from the cache to visitors without a session.

    Pages live for DIALOG_PAGE_CACHE_SECONDS; 0 turns the cache off.
    """

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not _cacheable_request():
            return view(*args, **kwargs)
        key = f"{get_locale()}:{request.full_path}"
        hit = _store().get(key)
        if hit is not None:
            status, headers, body = hit
            return Response(body, status=status, headers=headers)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.modified:
            headers = [(k, v) for k, v in response.headers.items() if k != "Set-Cookie"]
            timeout = current_app.config["PAGE_CACHE_SECONDS"]
            _store().set(key, (200, headers, response.get_data()), timeout)
        return response

    return wrapped  # type: ignore[return-value]
