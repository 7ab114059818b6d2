"""Whole answers of read endpoints, kept while the store is unchanged.

A dashboard asks the same questions again and again (the latest events, one country, the
next page of a list), and each answer costs a few milliseconds of SQL and request handling.
`AnswerCache` keeps recent successful answers of `GET /api/...` keyed by everything the
answer depends on: scheme, Host header (the `next` links name it), path and the query
string exactly as sent. A hit is answered before routing, so it costs neither parameter
checking nor a thread hand-over.

Freshness: every lookup first asks the store for its data version (SQLite's
`PRAGMA data_version` on a connection of its own, which changes when any other connection,
in any process, commits). A change empties the cache, so an answer is never older than the
store state at the moment its request arrived. A store that cannot tell its version
(PostgreSQL) is not cached. Errors and streamed answers are never kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_ENTRIES = 4096
MAX_BYTES = 64 * 1024 * 1024  # all kept bodies together
MAX_ENTRY_BYTES = 2 * 1024 * 1024  # a larger answer (a big export page) is not kept
# paths under /api/ whose answer depends on more than the store (files on disk, the clock)
UNCACHED_PATHS = frozenset({"/api/health"})
# where a request's scope carries the store state seen on arrival, for the endpoints'
# own caches (eventline.serve.access.CountCache): they then never mix two states either
GENERATION_SCOPE_KEY = "eventline.store_generation"

Key = tuple[str, bytes, str, bytes]
Entry = tuple[int, list[tuple[bytes, bytes]], bytes]


class AnswerCache:
    """A bounded LRU of answers for one store state (see the module docstring).

    `version` returns the store's current data version, or None when it cannot tell.
    """

    def __init__(
        self,
        version: Callable[[], int | None],
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        max_entry_bytes: int = MAX_ENTRY_BYTES,
    ) -> None:
        self._version = version
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._bytes = 0
        self._seen: int | None = None
        self._generation = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def generation(self) -> int | None:
        """The current store state's number, or None when answers must not be kept now."""
        try:
            version = self._version()
        except Exception:  # the store is unreachable: the request itself will say so
            version = None
        with self._lock:
            if version is None:
                self._clear()
                self._seen = None
                return None
            if version != self._seen:
                self._seen = version
                self._generation += 1
                self._clear()
            return self._generation

    def get(self, key: Key, generation: int) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key) if generation == self._generation else None
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Key, generation: int, entry: Entry) -> None:
        size = len(entry[2])
        if size > self.max_entry_bytes:
            return
        with self._lock:
            # an answer read under an older state must not be served under the new one
            if generation != self._generation:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[2])
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[2])

    def __len__(self) -> int:
        return len(self._entries)

    def _clear(self) -> None:
        self._entries.clear()
        self._bytes = 0


def cache_key(scope: Scope) -> Key | None:
    """What a cached answer depends on, or None for requests that are never cached."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    path = scope["path"]
    if not path.startswith("/api/") or path in UNCACHED_PATHS:
        return None
    host = b""
    for name, value in scope["headers"]:
        if name == b"host":
            host = value
            break
    return (scope.get("scheme", "http"), host, path, scope.get("query_string", b""))


class AnswerCacheMiddleware:
    """Serves kept answers and keeps new successful ones (pure ASGI: a hit never reaches
    the router)."""

    def __init__(self, app: ASGIApp, cache: AnswerCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = cache_key(scope)
        generation = self.cache.generation() if key is not None else None
        if key is None or generation is None:
            await self.app(scope, receive, send)
            return
        scope[GENERATION_SCOPE_KEY] = generation
        kept = self.cache.get(key, generation)
        if kept is not None:
            status, headers, body = kept
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        keep = True

        async def send_and_keep(message: Message) -> None:
            nonlocal keep
            if message["type"] == "http.response.start":
                start.update(message)
                keep = message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                if message.get("more_body", False):
                    keep = False  # streamed: not one body to keep
                else:
                    headers = [(bytes(n), bytes(v)) for n, v in start.get("headers", ())]
                    entry = (int(start["status"]), headers, bytes(message.get("body", b"")))
                    self.cache.put(key, generation, entry)
            await send(message)

        await self.app(scope, receive, send_and_keep)
