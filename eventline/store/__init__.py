"""Stores: where documents, reports, canonical events and claims are kept.

`open_store(url)` picks the backend from the URL: nothing or a file path or
`sqlite:///path.db` opens (and creates or migrates) an SQLite file; `postgresql://...`
opens a PostgreSQL database with the same schema. Readers pass `create=False`, so that a
mistyped path is an error (E310) instead of a new empty store; writers pass `verify=True`,
so that a damaged or read-only store is refused before the first batch is extracted.
Every fault of the database surfaces as a `StoreError` (see eventline.store.faults).
"""

from __future__ import annotations

from pathlib import Path

from eventline.errors import Msg, StoreError
from eventline.store.base import EventFilter, Store

DEFAULT_PATH = "eventline.db"

__all__ = ["DEFAULT_PATH", "EventFilter", "Store", "open_store"]


def open_store(
    url: str | None = None,
    *,
    lock_timeout: float = 30.0,
    create: bool = True,
    verify: bool = False,
) -> Store:
    """Open a store. `lock_timeout`: seconds to wait for another writer before E301;
    `create`: whether a missing store may be created; `verify`: check that the store reads
    whole and can be written (`Store.verify`) before returning it."""
    store = _open(url, lock_timeout=lock_timeout, create=create)
    if verify:
        try:
            store.verify()
        except BaseException:
            store.close()
            raise
    return store


def _open(url: str | None, *, lock_timeout: float, create: bool) -> Store:
    target = (url or DEFAULT_PATH).strip()
    if target.startswith(("postgresql://", "postgres://")):
        from eventline.store.postgres import PostgresStore

        return PostgresStore(target, lock_timeout=lock_timeout, create=create)
    if target.startswith("sqlite:///"):
        path = target[len("sqlite:///") :]
    elif "://" in target or target.startswith("sqlite:") or not target:
        raise StoreError(Msg.E303, url=target)
    else:
        path = target
    if Path(path).is_dir():
        raise StoreError(Msg.E302, url=target, detail="it is a folder, not a file")
    from eventline.store.sqlite import SQLiteStore

    return SQLiteStore(path, lock_timeout=lock_timeout, url=target, create=create)
