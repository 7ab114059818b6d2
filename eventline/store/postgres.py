"""PostgreSQL dialect of the SQL store (psycopg 3): the same tables, with JSONB.

Writers take a transaction-scoped advisory lock, so batches from several processes fold
into canonical events one after another, exactly as with SQLite's single writer. Waiting
longer than `lock_timeout` for it raises E301.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from eventline.errors import Msg, StoreError
from eventline.store import schema, text_search
from eventline.store.faults import GuardedCursor, postgres_fault
from eventline.store.sql import SQLStore

# an arbitrary constant naming eventline's write lock among the server's advisory locks
WRITE_LOCK_KEY = 0x6576_656E_746C  # "evental" in hex digits, fits a bigint
PLACEHOLDER = re.compile(r"\?")


class PostgresStore(SQLStore):
    types = {"json": "JSONB", "real": "DOUBLE PRECISION"}
    json_text = "data::text"

    def __init__(self, url: str, *, lock_timeout: float = 30.0, create: bool = True) -> None:
        try:
            import psycopg
        except ImportError as exc:  # the 'postgres' extra is not installed
            raise StoreError(Msg.E303, url=_redact(url)) from exc
        self._psycopg = psycopg
        self.url = _redact(url)
        self.lock_timeout = lock_timeout
        self.create = create
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(Msg.E306, url=self.url, detail=str(exc).strip()) from exc
        try:
            self._migrate()
            if self._has_index("events_actors_trgm"):
                self.text_index = text_search.PG_TRGM
        except psycopg.Error as exc:
            self.close()
            raise self._fault(exc) from exc
        except BaseException:
            self.close()
            raise

    def _fault(self, exc: Exception) -> StoreError:
        return postgres_fault(exc, self.url, self.lock_timeout)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        # '?' never occurs in eventline's SQL text except as a placeholder
        try:
            cursor = self._conn.execute(PLACEHOLDER.sub("%s", sql), tuple(_without_nul(p) for p in params))
        except self._psycopg.Error as exc:
            raise self._fault(exc) from exc
        return GuardedCursor(cursor, (self._psycopg.Error,), self._fault)

    def verify(self) -> None:
        """Raise StoreError unless the store can be read and written: the server keeps its
        pages whole itself, so a write probe is enough (a row rewritten unchanged, which a
        read-only server or a user without write rights refuses)."""
        with self._write_transaction():
            self._execute(
                "UPDATE schema_migrations SET name = name WHERE version = "
                "(SELECT MAX(version) FROM schema_migrations)"
            )

    def _migrate_dialect(self, version: int) -> None:
        if version != schema.TEXT_SEARCH_VERSION:
            return
        # pg_trgm is optional: without it (or without the right to create it) the substring
        # filters scan, as before. A savepoint keeps a refusal from ending the migration.
        try:
            with self._conn.transaction():
                self._conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except self._psycopg.Error:
            return
        row = self._conn.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
        ).fetchone()
        if row is None:
            return
        for statement in text_search.pg_statements(row[0].strip('"')):
            self._conn.execute(statement)

    def _has_index(self, name: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s",
            (name,),
        ).fetchone()
        return row is not None

    def _dump_json(self, data: dict[str, Any]) -> Any:
        from psycopg.types.json import Jsonb

        return Jsonb(data, dumps=_json_without_nul)

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[None]:
        try:
            with self._conn.transaction():
                timeout_ms = max(1, int(self.lock_timeout * 1000))
                self._execute(f"SET LOCAL lock_timeout = {timeout_ms}")
                self._execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))
                self._execute("SET LOCAL lock_timeout = 0")
                yield
        except self._psycopg.Error as exc:  # the commit itself (e.g. the disk is full)
            raise self._fault(exc) from exc

    def _table_names(self) -> set[str]:
        rows = self._conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {row[0] for row in rows.fetchall()}

    def close(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
            self._conn = None  # type: ignore[assignment]  # closed: any later use fails loudly


# PostgreSQL text and jsonb hold no NUL, which a text as given may have (spans index it, so
# it is stored as given): a NUL is stored as U+FFFD, one character for one, offsets unmoved
def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _json_without_nul(data: Any) -> str:
    return json.dumps(data).replace("\\u0000", "\\ufffd")


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
