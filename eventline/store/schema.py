"""The relational layout both backends share: the tables and their migrations.

Migrations are numbered; each is applied in its own transaction and recorded in
`schema_migrations` (version, name, applied_at), so a database is always at one known
version. DDL is written once with `{json}` and `{real}` standing in for the type names that
differ between SQLite and PostgreSQL. How model objects become rows is mapping.py; the read
queries are filters.py (claims, shared clauses) and queries.py (events).
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial",
        """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    title TEXT,
    published TEXT,
    url TEXT,
    source TEXT,
    origin TEXT,
    published_from TEXT,
    text TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX documents_published ON documents (published);
CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (id),
    event_id TEXT NOT NULL,
    component_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    date TEXT,
    date_end TEXT,
    country TEXT,
    sentence TEXT,
    data {json} NOT NULL
);
CREATE INDEX reports_doc ON reports (doc_id);
CREATE INDEX reports_event ON reports (event_id);
CREATE INDEX reports_component ON reports (component_id);
CREATE INDEX reports_block ON reports (event_type, date);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    date TEXT,
    date_end TEXT,
    event_type TEXT NOT NULL,
    mode TEXT,
    country TEXT,
    actor1_country TEXT,
    actor2_country TEXT,
    actor1_text TEXT,
    actor1_name TEXT,
    actor1_code TEXT,
    actor2_text TEXT,
    actor2_name TEXT,
    actor2_code TEXT,
    lat {real},
    lon {real},
    fatalities INTEGER,
    fatalities_max INTEGER,
    report_count INTEGER NOT NULL,
    sentence TEXT,
    data {json} NOT NULL
);
CREATE INDEX events_date ON events (date);
CREATE INDEX events_type ON events (event_type);
CREATE INDEX events_country ON events (country);
CREATE INDEX events_actor1_country ON events (actor1_country);
CREATE INDEX events_actor2_country ON events (actor2_country);
CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (id),
    event_type TEXT,
    count INTEGER,
    period_start TEXT,
    period_end TEXT,
    actor1_country TEXT,
    actor2_country TEXT,
    actor1_text TEXT,
    actor2_text TEXT,
    sentence TEXT,
    data {json} NOT NULL
);
CREATE INDEX claims_doc ON claims (doc_id);
""",
    ),
    (
        2,
        "read indexes",
        # One index per sort order the API offers, so a page is read in order and reading
        # stops after it: a nullable key needs one index per direction, because its NULLs
        # come last both ways ((x IS NULL) first). Keys that are never NULL walk one index
        # either way. Date ranges walk (date, id) and carry date_end, so counting a range
        # reads the index alone; the country indexes also hold the event type, the most
        # common companion filter. The rest serve mode and the bounding box.
        """
CREATE INDEX events_sort_date ON events ((date IS NULL), date, id);
CREATE INDEX events_sort_date_desc ON events ((date IS NULL), date DESC, id DESC);
CREATE INDEX events_sort_fatalities ON events ((fatalities IS NULL), fatalities, id);
CREATE INDEX events_sort_fatalities_desc ON events
    ((fatalities IS NULL), fatalities DESC, id DESC);
CREATE INDEX events_sort_event_type ON events (event_type, id);
CREATE INDEX events_sort_report_count ON events (report_count, id);
CREATE INDEX events_date_range ON events (date, id, date_end);
CREATE INDEX events_type_date_range ON events (event_type, date, id, date_end);
CREATE INDEX events_date_end ON events (date_end) WHERE date_end IS NOT NULL;
DROP INDEX events_date;
DROP INDEX events_type;
DROP INDEX events_country;
DROP INDEX events_actor1_country;
DROP INDEX events_actor2_country;
CREATE INDEX events_country_type ON events (country, event_type);
CREATE INDEX events_actor1_country_type ON events (actor1_country, event_type);
CREATE INDEX events_actor2_country_type ON events (actor2_country, event_type);
CREATE INDEX events_mode ON events (mode);
CREATE INDEX events_lon_lat ON events (lon, lat);
""",
    ),
    # Substring search over actors and sentences. The index differs by backend (SQLite: an
    # FTS5 trigram table kept by triggers; PostgreSQL: pg_trgm GIN indexes), so the shared
    # part is empty and each store adds its own (see text_search.py).
    (3, "text search", ""),
    (
        4,
        "covering filter indexes",
        # The bounding-box and country indexes also carry the default sort key (date, id):
        # a page then sorts the matching index entries alone, instead of reading every
        # matching row of the table first (a box over a busy region matches thousands).
        """
CREATE INDEX events_lon_lat_date ON events (lon, lat, (date IS NULL), date, id);
DROP INDEX events_lon_lat;
CREATE INDEX events_country_type_date ON events (country, event_type, date, id);
CREATE INDEX events_actor1_country_type_date ON events (actor1_country, event_type, date, id);
CREATE INDEX events_actor2_country_type_date ON events (actor2_country, event_type, date, id);
DROP INDEX events_country_type;
DROP INDEX events_actor1_country_type;
DROP INDEX events_actor2_country_type;
""",
    ),
    (
        5,
        "single-day indexes",
        # Most events happen on one day (no date_end). A `since` filter reads those apart
        # from the few ranges (see queries.py), and these partial indexes hold them alone:
        # a page walks one in date order and a total counts a range of it, without testing
        # any row's date_end.
        """
CREATE INDEX events_day_date ON events (date, id, date_end) WHERE date_end IS NULL;
CREATE INDEX events_day_type_date ON events (event_type, date, id, date_end)
    WHERE date_end IS NULL;
""",
    ),
    (
        6,
        "source regions",
        # The focus regions of each stored document (the first-level regions most of its
        # places lie in), under its source: a run reads them back, counted per source and
        # focus, to know where each source is (eventline.resolve.places.source_homes).
        # Written in the document's own transaction, so every document counts once.
        """
CREATE TABLE document_sources (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    regions {json} NOT NULL
);
""",
    ),
    (
        7,
        "failed and leased documents",
        # Documents whose extraction failed, with the reason: a failure that will happen
        # again (the pipeline raised) is final at once, one that may not (a worker process
        # died, e.g. out of memory) after FAILURE_ATTEMPTS tries. A final one is skipped by
        # later runs until `ingest --retry-failed`; storing the document deletes its row.
        # And the documents an ingest is extracting, so that another ingest leaves them to it
        # (eventline.store.leases).
        """
CREATE TABLE failures (
    doc_id TEXT PRIMARY KEY,
    origin TEXT,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    final INTEGER NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX failures_failed_at ON failures (failed_at, doc_id);
CREATE TABLE document_leases (
    doc_id TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    leased_at TEXT NOT NULL
);
CREATE INDEX document_leases_holder ON document_leases (holder);
""",
    ),
    (
        8,
        "watch state and alerts",
        # What `eventline watch` has seen and where each source stands, written after the
        # documents they led to, so a watch killed at any moment starts again where it was
        # (eventline.watch); the alerts its rules fired, once each (by id); and the order
        # documents were stored in, which the live stream follows (eventline.serve.watch).
        """
CREATE TABLE watch_sources (
    source TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_checked TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    failures INTEGER NOT NULL
);
CREATE TABLE watch_items (
    source TEXT NOT NULL,
    item_key TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    url TEXT,
    doc_id TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (source, item_key, content_hash)
);
CREATE INDEX watch_items_doc ON watch_items (doc_id);
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    fired_at TEXT NOT NULL,
    delivered_at TEXT,
    data {json} NOT NULL
);
CREATE INDEX alerts_fired ON alerts (fired_at, id);
CREATE INDEX documents_added ON documents (added_at);
""",
    ),
]

TEXT_SEARCH_VERSION = 3
LATEST_VERSION = max(version for version, _, _ in MIGRATIONS)
# the tables of the first migration, which every store has; a later migration's tables are
# written in that migration's own transaction, so a store has all of them or none
TABLES = ("documents", "reports", "events", "claims", "schema_migrations")
MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""

def statements(ddl: str, types: dict[str, str]) -> list[str]:
    """Split one migration into single statements with the backend's type names."""
    return [part.strip() for part in ddl.format(**types).split(";") if part.strip()]
