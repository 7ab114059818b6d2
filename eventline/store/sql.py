"""The SQL store shared by both backends: `SQLStore`.

`SQLStore` holds everything that is plain SQL: writing a batch, folding new reports into
canonical events, and the read queries. A dialect subclass (eventline.store.sqlite,
eventline.store.postgres) supplies the connection, the write lock, placeholders and JSON
handling.

Folding (see eventline.dedupe): every report carries the id of its match component (the
reports linked to it, directly or through others, by `dedupe.is_match`). New reports are
linked to matching stored ones, the touched components are joined, and each joined
component is re-clustered from scratch. Because clustering a component alone equals
clustering everything, the canonical events do not depend on the order of ingest.

Reads and writes: the store's tables (eventline.store.schema) through the dialect's
connection; takes `Result`s, gives `Event`s, `Report`s, `Claim`s and `Document`s.
"""

from __future__ import annotations

import contextlib
import json
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from eventline import dedupe, reconcile
from eventline.errors import Msg, StoreError
from eventline.model import Claim, Document, Event, Report, Result, _date
from eventline.resolve.places.source_homes import SourceHomes, source_key
from eventline.store import filters, mapping, queries, schema
from eventline.store.base import EventFilter, Store, extraction_failed
from eventline.store.failures import FailureLog
from eventline.store.leases import LeaseLog
from eventline.store.watch_state import WatchState


class SQLStore(WatchState, FailureLog, LeaseLog, Store):
    """A store over a DB-API connection; subclasses provide the dialect."""

    types: dict[str, str] = {"json": "TEXT", "real": "REAL"}
    json_text = "data"  # the stored JSON of a row as text
    # which trigram index serves substring filters (text_search.FTS5, PG_TRGM or None)
    text_index: str | None = None
    # whether queries may name the index a part of them reads (SQLite's INDEXED BY)
    index_hints = False
    # whether the schema has the document_sources table (set when the schema is checked)
    _keeps_sources = True
    # whether opening may create the schema in an empty database (read commands must not)
    create = True

    # ---- dialect hooks -----------------------------------------------------------------
    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement ('?' placeholders) and return the cursor."""

    @abstractmethod
    def _write_transaction(self) -> contextlib.AbstractContextManager[None]:
        """Hold the store's write lock for one transaction; commit on success."""

    @abstractmethod
    def _table_names(self) -> set[str]: ...

    def _dump_json(self, data: dict[str, Any]) -> Any:
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    def _load_json(self, value: Any) -> dict[str, Any]:
        return json.loads(value) if isinstance(value, (str, bytes)) else value

    # ---- schema ------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Create or upgrade the schema; refuse foreign, damaged or newer databases."""
        tables = self._table_names()
        if not tables and not self.create:
            raise StoreError(Msg.E310, url=self.url, detail=" (the database holds no tables)")
        if tables and "schema_migrations" not in tables:
            raise StoreError(
                Msg.E302,
                url=self.url,
                detail=f"it has tables ({', '.join(sorted(tables)[:5])}) but no schema_migrations",
            )
        applied: set[int] = set()
        if "schema_migrations" in tables:
            applied = self._applied_versions()
        # every migration the store lacks, even one numbered below the newest applied (the
        # numbers may be taken in another order than they land)
        pending = [m for m in schema.MIGRATIONS if m[0] not in applied]
        for version, name, ddl in pending:
            # the versions are read again under the lock: another process may have migrated
            with self._write_transaction():
                self._execute(schema.MIGRATIONS_TABLE)
                applied = self._applied_versions()
                if version in applied:
                    continue
                for statement in schema.statements(ddl, self.types):
                    self._execute(statement)
                self._migrate_dialect(version)
                self._execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, _now()),
                )
        tables = self._table_names()
        missing = set(schema.TABLES) - tables
        # only a store left by code older than migration 6 lacks it (migration tests open
        # stores so)
        self._keeps_sources = "document_sources" in tables
        self._keeps_failures = "failures" in tables
        self._keeps_leases = "document_leases" in tables
        if missing:
            raise StoreError(
                Msg.E302, url=self.url, detail=f"half-written: missing {', '.join(sorted(missing))}"
            )

    def _migrate_dialect(self, version: int) -> None:
        """The backend's own part of a migration, run in the same transaction."""

    def _schema_version(self) -> int:
        return max(self._applied_versions(), default=0)

    def _applied_versions(self) -> set[int]:
        """The migrations this store has; a newer one than this code knows refuses it."""
        rows = self._execute("SELECT version FROM schema_migrations").fetchall()
        applied = {int(row[0]) for row in rows}
        newest = max(applied, default=0)
        if newest > schema.LATEST_VERSION:
            raise StoreError(Msg.E304, url=self.url, found=newest, expected=schema.LATEST_VERSION)
        return applied

    # ---- writing -----------------------------------------------------------------------
    def add_results(self, results: Iterable[Result]) -> int:
        # a failed extraction is not a finished document: storing it would make every later
        # run skip it, so it would stay without events for good
        batch = [result for result in results if not extraction_failed(result)]
        if not batch:
            return 0
        with self._write_transaction():
            seen = self._existing_documents([r.document.id for r in batch])
            fresh: list[Result] = []
            for result in batch:
                if result.document.id not in seen:
                    seen.add(result.document.id)
                    fresh.append(result)
            added_at = _now()
            reports: dict[str, Event] = {}
            for result in fresh:
                self._insert_document(result.document, added_at)
                source = source_key(result.document)
                if source is not None and self._keeps_sources:
                    regions = [list(region) for region in result.regions]
                    self._execute(
                        mapping.INSERT_DOCUMENT_SOURCE,
                        (result.document.id, source, self._dump_json({"regions": regions})),
                    )
                for claim in result.claims:
                    self._execute(
                        mapping.INSERT_CLAIM,
                        (*mapping.claim_row(claim), self._dump_json(claim.to_dict())),
                    )
                for event in result.events:
                    reports.setdefault(event.id, event)
            self._forget_failures([result.document.id for result in fresh])
            self._end_leases([result.document.id for result in batch])
            for report in reports.values():
                self._execute(
                    mapping.INSERT_REPORT,
                    (*mapping.report_row(report), self._dump_json(report.to_dict())),
                )
            self._fold(list(reports.values()))
        return len(fresh)

    def _insert_document(self, doc: Document, added_at: str) -> None:
        published = doc.published.isoformat() if doc.published else None
        self._execute(
            mapping.INSERT_DOCUMENT,
            (
                doc.id,
                doc.title,
                published,
                doc.url,
                doc.source,
                doc.origin,
                doc.published_from,
                doc.input_text,  # the text spans index (eventline.pipeline.spans_into_input)
                added_at,
            ),
        )

    def _existing_documents(self, doc_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        unique = sorted(set(doc_ids))
        for chunk, marks in filters.in_lists(unique):
            rows = self._execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows.fetchall())
        return found

    def _fold(self, new_reports: list[Event]) -> None:
        """Link new reports into match components and re-cluster the touched ones."""
        parent: dict[str, str] = {}

        def find(key: str) -> str:
            while parent.setdefault(key, key) != key:
                key = parent[key]
            return key

        for report in new_reports:
            find(report.id)  # a new report starts as its own component
            for other_id, component, other in self._block(report):
                if other_id != report.id and dedupe.is_match(report, other):
                    left, right = find(report.id), find(component)
                    parent[max(left, right)] = min(left, right)
        groups: dict[str, set[str]] = {}
        for key in list(parent):
            groups.setdefault(find(key), set()).add(key)
        for component_ids in groups.values():
            self._recluster(sorted(component_ids))

    def _block(self, report: Event) -> list[tuple[str, str, Event]]:
        """Stored reports of other documents that could match: same type, near in time,
        compatible country. A document's own reports are never linked here: its extraction
        read the whole article and kept them apart (eventline.extraction.discourse), and
        comparing them with each other would cost the square of a long document's events."""
        bounds = dedupe.date_bounds(report)
        if bounds is None:
            return []
        sql = (
            "SELECT id, component_id, data FROM reports WHERE event_type = ? AND date <= ? "
            "AND COALESCE(date_end, date) >= ? AND doc_id <> ?"
        )
        params: list[Any] = [report.event_type, bounds[1].isoformat(), bounds[0].isoformat(), report.doc_id]
        country = dedupe.event_country(report)
        if country:
            sql += " AND (country = ? OR country IS NULL)"
            params.append(country)
        rows = self._execute(sql + " ORDER BY id", params).fetchall()
        return [(row[0], row[1], Event.from_dict(self._load_json(row[2]))) for row in rows]

    def _recluster(self, component_ids: list[str]) -> None:
        marks = ", ".join("?" * len(component_ids))
        rows = self._execute(
            f"SELECT data, event_id FROM reports WHERE component_id IN ({marks})", component_ids
        ).fetchall()
        members = [Event.from_dict(self._load_json(row[0])) for row in rows]
        old_events = sorted({row[1] for row in rows})
        for chunk, marks in filters.in_lists(old_events):
            self._execute(f"DELETE FROM events WHERE id IN ({marks})", chunk)
        component = min(member.id for member in members)
        for canonical, reports in reconcile.deduplicate(members):
            self._execute(
                mapping.INSERT_EVENT,
                (*mapping.event_row(canonical), self._dump_json(canonical.to_dict())),
            )
            for report in reports:
                self._execute(
                    "UPDATE reports SET event_id = ?, component_id = ? WHERE id = ?",
                    (canonical.id, component, report.id),
                )

    def source_homes(self) -> SourceHomes:
        homes = SourceHomes()
        if not self._keeps_sources:
            return homes
        # one row per source and focus: a store of a million documents sends a few thousand
        rows = self._execute(
            "SELECT source, regions, COUNT(*) FROM document_sources GROUP BY source, regions"
        )
        for source, regions, documents in rows.fetchall():
            homes.learn(source, self._load_json(regions).get("regions", []), int(documents))
        return homes

    def has_documents(self, doc_ids: Iterable[str]) -> set[str]:
        return self._existing_documents(list(doc_ids))

    # ---- reading -----------------------------------------------------------------------
    def events(self, flt: EventFilter | None = None) -> list[Event]:
        sql, params = queries.select_events(
            flt, "data", self.text_index, index_hints=self.index_hints
        )
        rows = self._execute(sql, params).fetchall()
        return [Event.from_dict(self._load_json(row[0])) for row in rows]

    def event_json_texts(self, flt: EventFilter | None = None) -> list[str]:
        # the stored text as it is: a page is served without decoding each event
        sql, params = queries.select_events(
            flt, self.json_text, self.text_index, index_hints=self.index_hints
        )
        return [row[0] for row in self._execute(sql, params).fetchall()]

    def count_events(self, flt: EventFilter | None = None) -> int:
        sql, params = queries.count_events(flt, self.text_index, index_hints=self.index_hints)
        return int(self._execute(sql, params).fetchone()[0])

    def event(self, event_id: str) -> Event | None:
        row = self._execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is not None:
            return Event.from_dict(self._load_json(row[0]))
        owner = self._execute("SELECT event_id FROM reports WHERE id = ?", (event_id,)).fetchone()
        if owner is None or owner[0] == event_id:
            return None
        return self.event(owner[0])

    def reports(self, event_id: str) -> list[Report]:
        rows = self._execute(
            "SELECT r.data, d.source, d.url, d.published FROM reports r "
            "JOIN documents d ON d.id = r.doc_id WHERE r.event_id = ? "
            "ORDER BY (d.published IS NULL), d.published, d.added_at, r.id",
            (event_id,),
        ).fetchall()
        return [
            Report(
                event_id=event_id,
                mention=Event.from_dict(self._load_json(row[0])),
                source=row[1],
                url=row[2],
                published=_date(row[3]),
            )
            for row in rows
        ]

    def claims(self, flt: EventFilter | None = None) -> list[Claim]:
        query = filters.claim_query(flt)
        sort = flt.sort if flt else "date"
        if sort.lstrip("-+") not in filters.CLAIM_SORT_COLUMNS:
            # validate against the event keys, then fall back to date for event-only keys
            filters.order_clause(sort, filters.EVENT_SORT_COLUMNS)
            sort = "-date" if sort.startswith("-") else "date"
        order = filters.order_clause(sort, filters.CLAIM_SORT_COLUMNS)
        page, page_params = filters.page_clause(flt)
        rows = self._execute(
            "SELECT data FROM claims" + query.clause() + order + page, query.params + page_params
        ).fetchall()
        return [Claim.from_dict(self._load_json(row[0])) for row in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self._execute(
            "SELECT id, text, title, published, url, source, origin, published_from "
            "FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        return _document(row) if row else None

    def documents(self, limit: int | None = None, offset: int = 0) -> Iterator[Document]:
        rows = self._execute(
            "SELECT id, text, title, published, url, source, origin, published_from "
            "FROM documents ORDER BY added_at, id LIMIT ? OFFSET ?",
            (limit if limit is not None else filters.NO_LIMIT, offset),
        ).fetchall()
        for row in rows:
            yield _document(row)

    def data_version(self) -> int | None:
        """A number that changes when another connection commits, or None when the backend
        cannot tell (then callers must not keep answers; see eventline.serve.cache)."""
        return None

    def stats(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for table in ("documents", "reports", "events", "claims"):
            counts[table] = int(self._execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        return counts


def _document(row: Sequence[Any]) -> Document:
    return Document(
        id=row[0],
        text=row[1],
        title=row[2],
        published=_date(row[3]),
        url=row[4],
        source=row[5],
        origin=row[6],
        published_from=row[7],
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
