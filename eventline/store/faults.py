"""Store faults as eventline errors: what a database driver raises becomes a `StoreError`
with the E3xx code that says what went wrong and how to fix it, so that no command ends in
a traceback and the CLI exits 3 (the API answers 503).

A read can fail after its statement started (SQLite reads a damaged page only when a row
needs it), so the cursors the stores hand out translate errors while rows are fetched, too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from eventline.errors import Msg, StoreError, StoreLockedError

Translate = Callable[[Exception], StoreError]


def sqlite_fault(exc: Exception, url: str, lock_timeout: float) -> StoreError:
    """The StoreError for an sqlite3 error, by SQLite's own message."""
    detail = str(exc) or type(exc).__name__
    text = detail.lower()
    if "locked" in text or "busy" in text:
        return StoreLockedError(Msg.E301, url=url, seconds=lock_timeout)
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return StoreError(Msg.E308, url=url, detail=detail)
    if "full" in text:  # "database or disk is full"
        return StoreError(Msg.E309, url=url, detail=detail)
    return StoreError(Msg.E302, url=url, detail=detail)


def postgres_fault(exc: Exception, url: str, lock_timeout: float) -> StoreError:
    """The StoreError for a psycopg error, by its SQLSTATE class."""
    detail = (str(exc).strip() or type(exc).__name__).splitlines()[0][:300]
    state = getattr(exc, "sqlstate", None) or ""
    if state in ("55P03", "57014"):  # lock_not_available, query_canceled (lock timeout)
        return StoreLockedError(Msg.E301, url=url, seconds=lock_timeout)
    if state in ("25006", "42501"):  # read_only_sql_transaction, insufficient_privilege
        return StoreError(Msg.E308, url=url, detail=detail)
    if state.startswith("53"):  # insufficient resources: disk full, out of memory
        return StoreError(Msg.E309, url=url, detail=detail)
    if state.startswith("08") or not state:  # connection exceptions, a lost server
        return StoreError(Msg.E306, url=url, detail=detail)
    return StoreError(Msg.E302, url=url, detail=detail)


class GuardedCursor:
    """A DB-API cursor whose fetches raise StoreError instead of the driver's errors."""

    def __init__(self, cursor: Any, errors: tuple[type[Exception], ...], translate: Translate):
        self._cursor = cursor
        self._errors = errors
        self._translate = translate

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except self._errors as exc:
            raise self._translate(exc) from exc

    def fetchall(self) -> list[Any]:
        try:
            return list(self._cursor.fetchall())
        except self._errors as exc:
            raise self._translate(exc) from exc

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)
