"""The SQLite dialect of the SQL store (eventline.store.sql), the default backend.

SQLite runs in WAL mode with a busy timeout; a batch is one `BEGIN IMMEDIATE` transaction,
so a process killed at any moment leaves the whole batch or nothing. A file that is not a
SQLite database is refused before it is opened as one.

Reads and writes: one SQLite database file (the tables of eventline.store.schema, the
trigram index of eventline.store.text_search where SQLite has it).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from eventline.errors import Msg, StoreError
from eventline.store import filters, queries, schema, text_search
from eventline.store.base import EventFilter
from eventline.store.faults import GuardedCursor, sqlite_fault
from eventline.store.sql import SQLStore

SQLITE_MAGIC = b"SQLite format 3\x00"
# rows of each index that `PRAGMA optimize` reads when it refreshes statistics on close
ANALYSIS_LIMIT = 1000


class SQLiteStore(SQLStore):
    """SQLite file store: WAL journal, busy timeout, one IMMEDIATE transaction per batch."""

    index_hints = True

    def __init__(
        self,
        path: str | Path,
        *,
        lock_timeout: float = 30.0,
        url: str | None = None,
        create: bool = True,
    ):
        self.path = Path(path)
        self.url = url or str(path)
        self.lock_timeout = lock_timeout
        self.create = create
        self._checked_version: int | None = None
        self._check_header()
        try:
            self._conn = sqlite3.connect(
                str(self.path), timeout=lock_timeout, isolation_level=None, check_same_thread=False
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(lock_timeout * 1000)}")
            self._set_wal()
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
            if "events_text" in self._table_names():
                self.text_index = text_search.FTS5
        except StoreError:
            self.close()
            raise
        except sqlite3.Error as exc:
            self.close()
            raise self._fault(exc) from exc

    def _fault(self, exc: Exception) -> StoreError:
        return sqlite_fault(exc, self.url, self.lock_timeout)

    def _check_header(self) -> None:
        """A file that exists must start like an SQLite database (a new or empty one is fine);
        a missing one is created only when `create` allows."""
        if not self.path.exists():
            if not self.create:
                missing = "" if self.path.parent.is_dir() else " (its folder does not exist)"
                raise StoreError(Msg.E310, url=self.url, detail=missing)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(Msg.E308, url=self.url, detail=str(exc)) from exc
            return
        with self.path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
        if header and header != SQLITE_MAGIC:
            raise StoreError(Msg.E302, url=self.url, detail="not an SQLite database file")

    def _set_wal(self) -> None:
        mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            raise StoreError(Msg.E302, url=self.url, detail="could not switch to WAL journal mode")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            cursor = self._conn.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise self._fault(exc) from exc
        return GuardedCursor(cursor, (sqlite3.Error,), self._fault)

    def verify(self) -> None:
        """Raise StoreError unless the file reads whole and can be written. Reads the whole
        file: a writer calls it once, before its first batch."""
        self._quick_check()
        with self._write_transaction():
            # a write of the header page (its value unchanged): a read-only file refuses
            # here, not after the first batch was extracted
            version = self._execute("PRAGMA user_version").fetchone()[0]
            self._execute(f"PRAGMA user_version = {int(version)}")

    def check(self) -> None:
        # the read probe, and the whole-file check again only once the file has changed
        super().check()
        version = self.data_version()
        if version != self._checked_version:
            self._quick_check()
            self._checked_version = version

    def _quick_check(self) -> None:
        """SQLite's quick_check: every page and index entry reads, without cross-checking
        the indexes' contents (linear in the file's size)."""
        found = [str(row[0]) for row in self._execute("PRAGMA quick_check(5)").fetchall()]
        if found != ["ok"]:
            raise StoreError(Msg.E302, url=self.url, detail="; ".join(found)[:300])

    def event_page_json(
        self, flt: EventFilter, *, with_total: bool = False
    ) -> tuple[int, str, int | None]:
        # One statement: SQLite joins the page's texts itself, so one row crosses into
        # Python instead of one per event (each row is a hand-over of Python's lock, slow
        # while other threads run), and counts the match only when the page is full (a
        # CASE branch runs only when reached). An aggregate over an ordered subquery reads
        # it in its order: SQLite never flattens such a subquery into the aggregate.
        page_sql, page_params = queries.select_events(
            flt, self.json_text, self.text_index, index_hints=self.index_hints
        )
        limit = flt.limit if flt.limit is not None else filters.NO_LIMIT
        if with_total:
            unpaged = replace(flt, limit=None, offset=0, sort="date")
            count_sql, count_params = queries.count_events(
                unpaged, self.text_index, index_hints=self.index_hints
            )
            total_sql = (
                "CASE WHEN page.n < ? AND (page.n > 0 OR ? = 0) THEN ? + page.n "
                f"ELSE ({count_sql}) END"
            )
            total_params = [limit, flt.offset, flt.offset, *count_params]
        else:
            total_sql = "CASE WHEN page.n < ? AND (page.n > 0 OR ? = 0) THEN ? + page.n END"
            total_params = [limit, flt.offset, flt.offset]
        row = self._execute(
            f"SELECT page.n, page.data, {total_sql} FROM (SELECT COUNT(*) AS n, "
            f"group_concat(rows.data, ',') AS data FROM ({page_sql}) AS rows) AS page",
            [*total_params, *page_params],
        ).fetchone()
        total = None if row[2] is None else int(row[2])
        return int(row[0]), "[" + (row[1] or "") + "]", total

    def data_version(self) -> int | None:
        # changes whenever any other connection, in any process, commits to the file; this
        # connection's own writes leave it as it is
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _migrate_dialect(self, version: int) -> None:
        if version == schema.TEXT_SEARCH_VERSION and _has_trigram_tokenizer(self._conn):
            for statement in text_search.SQLITE_STATEMENTS:
                self._execute(statement)

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[None]:
        self._execute("BEGIN IMMEDIATE")
        try:
            yield
            self._execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise

    def _table_names(self) -> set[str]:
        rows = self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows.fetchall() if not row[0].startswith("sqlite_")}

    def close(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            # refresh the planner's statistics when they are missing or stale (cheap when not);
            # the limit samples each index instead of reading it whole, so closing the many
            # read connections of a server over a large store takes milliseconds, not seconds
            with contextlib.suppress(sqlite3.Error):
                conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                conn.execute("PRAGMA optimize")
            conn.close()
            self._conn = None  # type: ignore[assignment]  # closed: any later use fails loudly


def _has_trigram_tokenizer(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (3.34 and later)."""
    try:
        conn.execute(text_search.SQLITE_PROBE)
    except sqlite3.OperationalError:
        return False
    conn.execute(text_search.SQLITE_PROBE_DROP)
    return True
