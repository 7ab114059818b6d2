"""What `eventline watch` keeps in the store (migration 8): the items each source has given,
each source's conditional-GET state and health, and the alerts its rules fired.

A mixin of the SQL store (both backends): plain SQL with `?` placeholders, each write one
transaction. The watch writes an item as seen only after its document is stored, and a
source's ETag only after all its new items are seen, so a watch killed between any two
writes fetches again what it had not finished, and finds the rest already stored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from eventline.store.filters import in_lists


@dataclass(frozen=True)
class SeenItem:
    """One feed item (or folder file) as the store records it."""

    source: str
    item_key: str  # the item's guid, else its link, else a hash of its text
    content_hash: str
    url: str | None = None
    doc_id: str | None = None  # the document it became (None: it held no text)


@dataclass(frozen=True)
class SourceState:
    source: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class WatchState:
    """Watch state and alerts, mixed into `SQLStore` (eventline.store.sql), whose
    connection and write lock do the work."""

    if TYPE_CHECKING:  # provided by SQLStore

        def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

        def _write_transaction(self) -> contextlib.AbstractContextManager[None]: ...

        def _dump_json(self, data: dict[str, Any]) -> Any: ...

        def _load_json(self, value: Any) -> dict[str, Any]: ...

    # ---- items -----------------------------------------------------------------------
    def seen_items(self, source: str, keys: Iterable[str]) -> set[tuple[str, str]]:
        """The (item_key, content_hash) pairs already seen among these keys of `source`."""
        unique = sorted(set(keys))
        found: set[tuple[str, str]] = set()
        for chunk, marks in in_lists(unique):
            rows = self._execute(
                "SELECT item_key, content_hash FROM watch_items WHERE source = ? AND item_key IN "
                f"({marks})",
                [source, *chunk],
            ).fetchall()
            found.update((row[0], row[1]) for row in rows)
        return found

    def mark_seen(self, items: Sequence[SeenItem]) -> None:
        if not items:
            return
        seen_at = now_iso()
        with self._write_transaction():
            for item in items:
                self._execute(
                    "INSERT INTO watch_items (source, item_key, content_hash, url, doc_id, seen_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, item_key, content_hash) "
                    "DO NOTHING",
                    (item.source, item.item_key, item.content_hash, item.url, item.doc_id, seen_at),
                )

    # ---- sources ---------------------------------------------------------------------
    def source_state(self, source: str) -> SourceState:
        row = self._execute(
            "SELECT etag, last_modified, failures FROM watch_sources WHERE source = ?", (source,)
        ).fetchone()
        if row is None:
            return SourceState(source)
        return SourceState(source, row[0], row[1], int(row[2]))

    def record_success(self, source: str, etag: str | None, last_modified: str | None) -> None:
        """The source was read and every new item of it stored: keep its validators."""
        at = now_iso()
        with self._write_transaction():
            self._execute(
                "INSERT INTO watch_sources (source, etag, last_modified, last_checked, "
                "last_success, failures) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (source) DO UPDATE "
                "SET etag = excluded.etag, last_modified = excluded.last_modified, "
                "last_checked = excluded.last_checked, last_success = excluded.last_success, "
                "failures = 0",
                (source, etag, last_modified, at, at),
            )

    def record_failure(self, source: str, error: str) -> None:
        at = now_iso()
        with self._write_transaction():
            self._execute(
                "INSERT INTO watch_sources (source, last_checked, last_error, last_error_at, "
                "failures) VALUES (?, ?, ?, ?, 1) ON CONFLICT (source) DO UPDATE SET "
                "last_checked = excluded.last_checked, last_error = excluded.last_error, "
                "last_error_at = excluded.last_error_at, failures = watch_sources.failures + 1",
                (source, at, error, at),
            )

    def source_health(self) -> list[dict[str, Any]]:
        """Each watched source: when it last answered, its last error, what it gave."""
        rows = self._execute(
            "SELECT s.source, s.last_checked, s.last_success, s.last_error, s.last_error_at, "
            "s.failures, "
            "(SELECT COUNT(DISTINCT i.item_key) FROM watch_items i WHERE i.source = s.source), "
            "(SELECT COUNT(DISTINCT r.event_id) FROM watch_items i JOIN reports r "
            " ON r.doc_id = i.doc_id WHERE i.source = s.source) "
            "FROM watch_sources s ORDER BY s.source"
        ).fetchall()
        names = (
            "source", "last_checked", "last_success", "last_error", "last_error_at",
            "failures", "items_seen", "events_found",
        )  # fmt: skip
        return [dict(zip(names, row, strict=True)) for row in rows]

    # ---- alerts ----------------------------------------------------------------------
    def add_alerts(self, alerts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store the alerts not stored before (by id); return those, as stored."""
        if not alerts:
            return []
        fresh: list[dict[str, Any]] = []
        with self._write_transaction():
            ids = [alert["id"] for alert in alerts]
            stored: set[str] = set()
            for chunk, marks in in_lists(ids):
                rows = self._execute(
                    f"SELECT id FROM alerts WHERE id IN ({marks})", chunk
                ).fetchall()
                stored.update(row[0] for row in rows)
            for alert in alerts:
                if alert["id"] in stored:
                    continue
                stored.add(alert["id"])
                self._execute(
                    "INSERT INTO alerts (id, rule, fired_at, data) VALUES (?, ?, ?, ?)",
                    (alert["id"], alert["rule"], alert["fired_at"], self._dump_json(alert)),
                )
                fresh.append(alert)
        return fresh

    def undelivered_alerts(self) -> list[dict[str, Any]]:
        rows = self._execute(
            "SELECT data FROM alerts WHERE delivered_at IS NULL ORDER BY fired_at, id"
        ).fetchall()
        return [self._load_json(row[0]) for row in rows]

    def mark_delivered(self, alert_ids: Sequence[str]) -> None:
        at = now_iso()
        with self._write_transaction():
            for alert_id in alert_ids:
                self._execute("UPDATE alerts SET delivered_at = ? WHERE id = ?", (at, alert_id))

    def alerts(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Stored alerts, newest first."""
        rows = self._execute(
            "SELECT data FROM alerts ORDER BY fired_at DESC, id DESC LIMIT ? OFFSET ?",
            (limit if limit is not None else 2**62, offset),
        ).fetchall()
        return [self._load_json(row[0]) for row in rows]

    def count_alerts(self) -> int:
        return int(self._execute("SELECT COUNT(*) FROM alerts").fetchone()[0])

    # ---- what changed, for the live stream -------------------------------------------
    def alert_cursor(self) -> tuple[str, str]:
        row = self._execute(
            "SELECT fired_at, id FROM alerts ORDER BY fired_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return (row[0], row[1]) if row else ("", "")

    def alerts_after(self, cursor: tuple[str, str]) -> list[dict[str, Any]]:
        """Alerts fired after `cursor` (a (fired_at, id) pair), oldest first."""
        rows = self._execute(
            "SELECT data FROM alerts WHERE fired_at > ? OR (fired_at = ? AND id > ?) "
            "ORDER BY fired_at, id",
            (cursor[0], cursor[0], cursor[1]),
        ).fetchall()
        return [self._load_json(row[0]) for row in rows]

    def document_cursor(self) -> str:
        row = self._execute("SELECT MAX(added_at) FROM documents").fetchone()
        return row[0] or "" if row else ""

    def events_added_after(self, added_at: str) -> list[dict[str, Any]]:
        """Canonical events with a report from a document stored after `added_at`."""
        rows = self._execute(
            "SELECT data FROM events WHERE id IN (SELECT r.event_id FROM reports r JOIN "
            "documents d ON d.id = r.doc_id WHERE d.added_at > ?) ORDER BY date, id",
            (added_at,),
        ).fetchall()
        return [self._load_json(row[0]) for row in rows]

    # ---- what alert rules read -------------------------------------------------------
    def event_facts(self) -> list[dict[str, Any]]:
        """The fields alert rules test, for every dated canonical event."""
        rows = self._execute(
            "SELECT id, date, event_type, country, fatalities, actor1_code, actor1_name, "
            "actor1_text, actor1_country, actor2_code, actor2_name, actor2_text, actor2_country "
            "FROM events WHERE date IS NOT NULL ORDER BY date, id"
        ).fetchall()
        names = (
            "id", "date", "event_type", "country", "fatalities", "actor1_code", "actor1_name",
            "actor1_text", "actor1_country", "actor2_code", "actor2_name", "actor2_text",
            "actor2_country",
        )  # fmt: skip
        return [dict(zip(names, row, strict=True)) for row in rows]
