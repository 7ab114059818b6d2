"""The store as the endpoints see it: one connection per thread, and recent totals.

`StoreAccess` opens one store connection per worker thread (SQLite connections must not be
shared between threads) plus one kept for reading the data version alone. `CountCache`
keeps the totals of recent filters for a few seconds, and `page_total` says when a page
tells its own total so that nothing needs counting.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import replace

from eventline.store.base import EventFilter, Store, told_total

# How long a counted total may be reused for the same filter (see CountCache).
COUNT_TTL_SECONDS = 10.0


class StoreAccess:
    """One store connection per worker thread: SQLite connections must not be shared
    between threads, and the endpoints run in a thread pool."""

    def __init__(self, url: str, store: Store | None = None) -> None:
        self.url = url
        self._shared = store
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self._watcher: Store | None = None
        self._watch_lock = threading.Lock()

    def get(self) -> Store:
        if self._shared is not None:
            return self._shared
        store = getattr(self._local, "store", None)
        if store is None:
            from eventline.store import open_store

            store = open_store(self.url, create=False)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def version(self) -> int | None:
        """The store's data version (None: unknown), read on a connection kept for this
        alone: a shared store may write through its own connection, which would not see
        its own writes change the version."""
        if self._shared is not None:
            return None
        with self._lock:
            watcher = self._watcher
        if watcher is None:
            from eventline.store import open_store

            watcher = open_store(self.url, create=False)
            with self._lock:
                self._watcher = watcher
                self._opened.append(watcher)
        read = getattr(watcher, "data_version", None)
        if read is None:
            return None
        with self._watch_lock:
            return read()

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
            self._watcher = None
        for store in opened:
            # a connection busy in another thread may refuse; it closes when its thread ends
            with contextlib.suppress(Exception):
                store.close()


class CountCache:
    """Totals of recent filters, kept for a few seconds.

    Counting every match costs as much as reading them, and paging through one filter asks
    for the same total again and again. A total may therefore lag new writes by up to
    `ttl` seconds; the events themselves are always read fresh. When the caller knows the
    store state (`generation`, see eventline.serve.cache), a total is only reused within it.
    """

    def __init__(self, ttl: float = COUNT_TTL_SECONDS, size: int = 4096) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, flt: EventFilter, generation: int | None = None) -> int:
        total = self.lookup(flt, generation)
        if total is None:
            total = store.count_events(_unpaged(flt))
            self.keep(flt, generation, total)
        return total

    def lookup(self, flt: EventFilter, generation: int | None = None) -> int | None:
        """The kept total of the filter (its page and sort aside), or None."""
        with self._lock:
            hit = self._entries.get(_key(flt, generation))
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        return None

    def keep(self, flt: EventFilter, generation: int | None, total: int) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # simple and bounded; a refill costs one count each
            self._entries[_key(flt, generation)] = (time.monotonic(), total)


def _unpaged(flt: EventFilter) -> EventFilter:
    return replace(flt, limit=None, offset=0, sort="date")


def _key(flt: EventFilter, generation: int | None) -> str:
    return f"{generation}:{_unpaged(flt)!r}"


def page_total(
    store: Store,
    counts: CountCache,
    flt: EventFilter,
    found: int,
    generation: int | None,
) -> int:
    """The filter's total: told by the page itself when it is the last one, else counted."""
    told = told_total(flt, found)
    return told if told is not None else counts.get(store, flt, generation)
