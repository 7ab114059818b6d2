"""Indexed substring search for the `actor` and `text` filters.

The filters mean "this text occurs in the column, ignoring case" (a LIKE '%...%' test).
Without an index that reads every row. Each backend gets a trigram index instead, used only
to find candidate rows; the original LIKE test still runs on the candidates, so results are
exactly those of the plain scan, index or not.

- SQLite (3.34 and later, built with FTS5): `events_text`, an FTS5 table with the trigram
  tokenizer, one row per event (same rowid), holding the event id, its six actor fields
  joined and its sentence. Triggers keep it in step with `events`. Trigram search needs at
  least three characters; shorter searches fall back to the plain scan.
- PostgreSQL with the pg_trgm extension: GIN trigram indexes on the lowered actor fields
  (joined) and on the lowered sentence, which serve LIKE directly. If the extension cannot
  be created the search stays a plain scan.
"""

from __future__ import annotations

from typing import Any

from eventline.store.filters import LIKE, like_pattern

ACTOR_COLUMNS = (
    "actor1_text",
    "actor1_name",
    "actor1_code",
    "actor2_text",
    "actor2_name",
    "actor2_code",
)
FTS5 = "fts5"
PG_TRGM = "pg_trgm"
MIN_TRIGRAM_CHARS = 3


def _joined(prefix: str = "") -> str:
    """The actor fields as one text; the separator only keeps words of two fields apart."""
    parts = [f"COALESCE({prefix}{column}, '')" for column in ACTOR_COLUMNS]
    return " || ' | ' || ".join(parts)


# ---- SQLite ---------------------------------------------------------------------------------
SQLITE_PROBE = "CREATE VIRTUAL TABLE temp.eventline_trigram_probe USING fts5(x, tokenize='trigram')"
SQLITE_PROBE_DROP = "DROP TABLE temp.eventline_trigram_probe"


def _sqlite_row(prefix: str) -> str:
    return f"{prefix}rowid, {prefix}id, {_joined(prefix)}, {prefix}sentence"


SQLITE_STATEMENTS = [
    "CREATE VIRTUAL TABLE events_text USING fts5("
    "event_id UNINDEXED, actors, sentence, tokenize='trigram')",
    "INSERT INTO events_text (rowid, event_id, actors, sentence) "
    f"SELECT {_sqlite_row('')} FROM events",
    "CREATE TRIGGER events_text_insert AFTER INSERT ON events BEGIN "
    "INSERT INTO events_text (rowid, event_id, actors, sentence) "
    f"VALUES ({_sqlite_row('new.')}); END",
    "CREATE TRIGGER events_text_delete AFTER DELETE ON events BEGIN "
    "DELETE FROM events_text WHERE rowid = old.rowid; END",
    "CREATE TRIGGER events_text_update AFTER UPDATE ON events BEGIN "
    "DELETE FROM events_text WHERE rowid = old.rowid; "
    "INSERT INTO events_text (rowid, event_id, actors, sentence) "
    f"VALUES ({_sqlite_row('new.')}); END",
]


# Candidates by rowid, which the triggers keep equal between the two tables: a rowid walks
# the events table directly, where the event id would cost an extra index lookup per
# candidate and a read of the id column from the text table (about half of a common
# word's search time).
FTS5_CANDIDATES = "events.rowid IN (SELECT rowid FROM events_text WHERE events_text MATCH ?)"


def fts_phrase(column: str, text: str) -> str:
    """An FTS5 query for `text` as one phrase in `column`: with trigrams, a substring."""
    return f'{{{column}}} : "' + text.replace('"', '""') + '"'


# ---- PostgreSQL -----------------------------------------------------------------------------
PG_ACTORS = f"LOWER({_joined()})"


def pg_statements(extension_schema: str) -> list[str]:
    """GIN trigram indexes; the operator class is named with the extension's schema, which
    need not be on the search path."""
    opclass = f'"{extension_schema}".gin_trgm_ops'
    return [
        f"CREATE INDEX events_actors_trgm ON events USING gin (({PG_ACTORS}) {opclass})",
        f"CREATE INDEX events_sentence_trgm ON events USING gin ((LOWER(sentence)) {opclass})",
    ]


# ---- conditions -----------------------------------------------------------------------------
def actor_condition(actor: str, index: str | None) -> tuple[str, list[Any]]:
    """Any actor field contains `actor` (case-insensitive), with the index as a pre-filter."""
    pattern = like_pattern(actor)
    exact = "(" + " OR ".join(LIKE.format(column=c) for c in ACTOR_COLUMNS) + ")"
    params: list[Any] = [pattern] * len(ACTOR_COLUMNS)
    if index == FTS5 and len(actor) >= MIN_TRIGRAM_CHARS:
        candidates = FTS5_CANDIDATES
        return f"{candidates} AND {exact}", [fts_phrase("actors", actor), *params]
    if index == PG_TRGM:
        return f"{PG_ACTORS} LIKE ? ESCAPE '\\' AND {exact}", [pattern, *params]
    return exact, params


def sentence_condition(text: str, index: str | None) -> tuple[str, list[Any]]:
    """The evidence sentence contains `text` (case-insensitive)."""
    exact = LIKE.format(column="sentence")
    pattern = like_pattern(text)
    if index == FTS5 and len(text) >= MIN_TRIGRAM_CHARS:
        candidates = FTS5_CANDIDATES
        return f"{candidates} AND {exact}", [fts_phrase("sentence", text), pattern]
    # PostgreSQL's trigram index on LOWER(sentence) serves this LIKE as it stands
    return exact, [pattern]
