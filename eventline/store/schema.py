"""The relational layout both backends share: the tables, their migrations, and the queries.

Migrations are numbered; each is applied in its own transaction and recorded in
`schema_migrations` (version, name, applied_at), so a database is always at one known
version. DDL is written once with `{json}` and `{real}` standing in for the type names that
differ between SQLite and PostgreSQL. Queries use `?` placeholders; the PostgreSQL store
turns them into `%s`. Every value goes through a parameter and sort keys come from a
whitelist, so no user text is ever spliced into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from eventline.model import Actor, Claim, Event
from eventline.store.base import EventFilter

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
INSERT_DOCUMENT_SOURCE = "INSERT INTO document_sources (doc_id, source, regions) VALUES (?, ?, ?)"
NO_LIMIT = 9_223_372_036_854_775_807  # SQLite needs a LIMIT before OFFSET


def statements(ddl: str, types: dict[str, str]) -> list[str]:
    """Split one migration into single statements with the backend's type names."""
    return [part.strip() for part in ddl.format(**types).split(";") if part.strip()]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _actor_fields(actor: Actor | None) -> tuple[str | None, str | None, str | None, str | None]:
    if actor is None:
        return (None, None, None, None)
    return (actor.country, actor.text, actor.name, actor.code)


# ---- rows -------------------------------------------------------------------------------------
def report_row(report: Event) -> tuple[Any, ...]:
    """reports: id, doc_id, event_id, component_id, event_type, date, date_end, country,
    sentence (data is added by the backend)."""
    from eventline.dedupe import event_country

    return (
        report.id,
        report.doc_id,
        report.id,
        report.id,
        report.event_type,
        _iso(report.date),
        _iso(report.date_end),
        event_country(report),
        report.sentence,
    )


INSERT_REPORT = (
    "INSERT INTO reports (id, doc_id, event_id, component_id, event_type, date, date_end, "
    "country, sentence, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)


def event_row(event: Event) -> tuple[Any, ...]:
    a1_country, a1_text, a1_name, a1_code = _actor_fields(event.actor1)
    a2_country, a2_text, a2_name, a2_code = _actor_fields(event.actor2)
    place = event.location
    return (
        event.id,
        event.doc_id,
        _iso(event.date),
        _iso(event.date_end),
        event.event_type,
        event.mode,
        place.country if place else None,
        a1_country,
        a2_country,
        a1_text,
        a1_name,
        a1_code,
        a2_text,
        a2_name,
        a2_code,
        place.lat if place else None,
        place.lon if place else None,
        event.fatalities,
        event.fatalities_max,
        event.report_count,
        event.sentence,
    )


INSERT_EVENT = (
    "INSERT INTO events (id, doc_id, date, date_end, event_type, mode, country, actor1_country, "
    "actor2_country, actor1_text, actor1_name, actor1_code, actor2_text, actor2_name, "
    "actor2_code, lat, lon, fatalities, fatalities_max, report_count, sentence, data) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def claim_row(claim: Claim) -> tuple[Any, ...]:
    a1_country, a1_text, _, _ = _actor_fields(claim.actor1)
    a2_country, a2_text, _, _ = _actor_fields(claim.actor2)
    return (
        claim.id,
        claim.doc_id,
        claim.event_type,
        claim.count,
        _iso(claim.period_start),
        _iso(claim.period_end),
        a1_country,
        a2_country,
        a1_text,
        a2_text,
        claim.sentence,
    )


INSERT_CLAIM = (
    "INSERT INTO claims (id, doc_id, event_type, count, period_start, period_end, "
    "actor1_country, actor2_country, actor1_text, actor2_text, sentence, data) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)

INSERT_DOCUMENT = (
    "INSERT INTO documents (id, title, published, url, source, origin, published_from, text, "
    "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)


# ---- filters ----------------------------------------------------------------------------------
def like_pattern(text: str) -> str:
    """A case-insensitive substring pattern with LIKE's wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


LIKE = "LOWER({column}) LIKE ? ESCAPE '\\'"


@dataclass
class Query:
    where: list[str]
    params: list[Any]

    def clause(self) -> str:
        return (" WHERE " + " AND ".join(self.where)) if self.where else ""


def claim_query(flt: EventFilter | None) -> Query:
    """WHERE conditions over the claims table; event-only fields are ignored."""
    query = Query([], [])
    if flt is None:
        return query
    if flt.since is not None:
        query.where.append("COALESCE(period_end, period_start) >= ?")
        query.params.append(flt.since.isoformat())
    if flt.until is not None:
        query.where.append("period_start <= ?")
        query.params.append(flt.until.isoformat())
    if flt.country:
        query.where.append("(actor1_country = ? OR actor2_country = ?)")
        query.params += [flt.country.upper()] * 2
    if flt.actor:
        columns = ("actor1_text", "actor2_text")
        query.where.append("(" + " OR ".join(LIKE.format(column=c) for c in columns) + ")")
        query.params += [like_pattern(flt.actor)] * len(columns)
    if flt.event_type:
        query.where.append("event_type = ?")
        query.params.append(flt.event_type.upper())
    if flt.text:
        query.where.append(LIKE.format(column="sentence"))
        query.params.append(like_pattern(flt.text))
    if flt.doc_id:
        query.where.append("doc_id = ?")
        query.params.append(flt.doc_id)
    return query


def order_clause(sort: str, allowed: dict[str, str], not_null: frozenset[str] = frozenset()) -> str:
    """ORDER BY for a whitelisted key ("-" prefix: descending); unknown keys raise.

    NULLs come last either way, and the id breaks ties so pages never overlap. For columns
    in `not_null` the NULL test is left out: it sorts nothing there, and without it one
    plain index serves both directions."""
    descending = sort.startswith("-")
    key = sort.lstrip("-+")
    if key not in allowed:
        from eventline.errors import ConfigError, Msg

        raise ConfigError(Msg.E406, value=sort, options=", ".join(sorted(allowed)))
    column = allowed[key]
    direction = "DESC" if descending else "ASC"
    if column == "id":
        return f" ORDER BY id {direction}"
    if column in not_null:
        return f" ORDER BY {column} {direction}, id {direction}"
    return f" ORDER BY ({column} IS NULL), {column} {direction}, id {direction}"


EVENT_SORT_COLUMNS = {key: key for key in EventFilter.SORT_KEYS}
EVENT_NOT_NULL = frozenset({"id", "event_type", "report_count"})
CLAIM_SORT_COLUMNS = {"date": "period_start", "id": "id", "event_type": "event_type"}


def page_clause(flt: EventFilter | None) -> tuple[str, list[int]]:
    if flt is None:
        return ("", [])
    limit = flt.limit if flt.limit is not None else NO_LIMIT
    return (" LIMIT ? OFFSET ?", [max(0, limit), max(0, flt.offset)])
