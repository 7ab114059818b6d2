"""WHERE, ORDER BY and LIMIT clauses from an EventFilter, and the claims query.

Every value goes through a `?` parameter and sort keys come from a whitelist, so no user
text is ever spliced into SQL. The event queries, shaped to walk the indexes, are queries.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from eventline.store.base import EventFilter

NO_LIMIT = 9_223_372_036_854_775_807  # SQLite needs a LIMIT before OFFSET
# values per IN (...) list: far below both backends' limits on bound parameters
IN_LIST_SIZE = 500
_Value = TypeVar("_Value")


def in_lists(values: Sequence[_Value]) -> Iterator[tuple[Sequence[_Value], str]]:
    """The values in slices of at most IN_LIST_SIZE, each with the placeholders of its
    `IN (...)` list ("?, ?, ?"), for one statement a slice."""
    for start in range(0, len(values), IN_LIST_SIZE):
        chunk = values[start : start + IN_LIST_SIZE]
        yield chunk, ", ".join("?" * len(chunk))


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
