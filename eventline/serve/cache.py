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

Compression: a kept JSON, CSV or GeoJSON answer is kept gzip-compressed, once, when it is
first computed. A client that accepts gzip (every browser, so the dashboard) gets those
bytes as they are; any other client gets them inflated. Lists of events compress about
ten-fold, so the same memory keeps ten times as many answers, and the server writes a
tenth of the bytes to its sockets, which under load is a large share of its event loop.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_ENTRIES = 4096
MAX_BYTES = 64 * 1024 * 1024  # all kept bodies together
MAX_ENTRY_BYTES = 2 * 1024 * 1024  # a larger answer (a big export page) is not kept
# paths under /api/ whose answer depends on more than the store (files on disk, the clock)
UNCACHED_PATHS = frozenset({"/api/health", "/api/stream"})  # the stream never ends
# where a request's scope carries the store state seen on arrival, for the endpoints'
# own caches (eventline.serve.access.CountCache): they then never mix two states either
GENERATION_SCOPE_KEY = "eventline.store_generation"

# smaller answers gain nothing from compression; level 1 because compression runs on the
# event loop: it is several times faster than the default level, for a slightly larger body
COMPRESS_MIN_BYTES = 1024
COMPRESS_LEVEL = 1
# a larger answer (a whole export) is sent as written and not kept: compressing it on the
# event loop would stall every other request
MAX_COMPRESS_BYTES = 16 * 1024 * 1024
COMPRESSIBLE_TYPES = (b"application/json", b"application/geo+json", b"text/csv")
VARY = (b"vary", b"accept-encoding")

Key = tuple[str, bytes, str, bytes]
Headers = list[tuple[bytes, bytes]]
# status, headers and body as sent to a client that accepts gzip; `gzipped` says whether
# the body is compressed (then the headers say so, and others get it inflated)
Entry = tuple[int, Headers, bytes, bool]


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


def accepts_gzip(scope: Scope) -> bool:
    """True when the request's Accept-Encoding allows gzip (absent q, or q above 0)."""
    for name, value in scope["headers"]:
        if name != b"accept-encoding":
            continue
        for item in value.split(b","):
            coding, _, params = item.strip().partition(b";")
            if coding.strip().lower() in (b"gzip", b"*"):
                q = params.strip().lower()
                return not (q.startswith(b"q=") and float(q[2:] or b"0") == 0)
    return False


def compress_entry(status: int, headers: Headers, body: bytes) -> Entry:
    """The entry to keep for an answer: compressed when its type and size are worth it."""
    content_type = next((v for n, v in headers if n == b"content-type"), b"")
    if len(body) < COMPRESS_MIN_BYTES or not content_type.startswith(COMPRESSIBLE_TYPES):
        return status, headers, body, False
    packed = gzip.compress(body, compresslevel=COMPRESS_LEVEL, mtime=0)
    kept = [(n, v) for n, v in headers if n not in (b"content-length", b"vary")]
    kept += [(b"content-encoding", b"gzip"), VARY, (b"content-length", b"%d" % len(packed))]
    return status, kept, packed, True


def entry_for_client(entry: Entry, gzip_ok: bool) -> tuple[int, Headers, bytes]:
    """What to send: the kept bytes, or inflated ones for a client that does not take gzip."""
    status, headers, body, gzipped = entry
    if not gzipped or gzip_ok:
        return status, headers, body
    plain = zlib.decompress(body, wbits=31)
    identity = [(n, v) for n, v in headers if n not in (b"content-encoding", b"content-length")]
    identity.append((b"content-length", b"%d" % len(plain)))
    return status, identity, plain


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
        gzip_ok = accepts_gzip(scope)
        kept = self.cache.get(key, generation)
        if kept is not None:
            await _send_whole(send, *entry_for_client(kept, gzip_ok))
            return
        # the start of the answer is held until its body is seen: a whole 200 answer is
        # then kept and sent compressed; anything else goes out as the app wrote it
        held: Message | None = None

        async def send_and_keep(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                held = message
                return
            if held is None:  # body parts after a streamed start
                await send(message)
                return
            start, held = held, None
            whole = message["type"] == "http.response.body" and not message.get("more_body")
            body = message.get("body", b"") if whole else b""
            if not whole or start["status"] != 200 or len(body) > MAX_COMPRESS_BYTES:
                await send(start)
                await send(message)
                return
            headers = [(bytes(n), bytes(v)) for n, v in start.get("headers", ())]
            entry = compress_entry(200, headers, bytes(body))
            self.cache.put(key, generation, entry)
            await _send_whole(send, *entry_for_client(entry, gzip_ok))

        await self.app(scope, receive, send_and_keep)


async def _send_whole(send: Send, status: int, headers: Headers, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
