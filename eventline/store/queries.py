"""The read queries over canonical events, shaped so that a page walks an index.

Three shapes keep a page cheap on a large store (the indexes are schema migration 2):

- A page's ids are chosen first, from narrow rows (the id and the sort key, often read from
  an index alone), and only then are the page's stored JSON texts fetched. Sorting or
  skipping rows never carries whole events.
- `since` keeps events that end on or after a day: COALESCE(date_end, date) >= since. No
  index can walk that expression in the sort order, so the match is read in two disjoint
  parts: events of a single day (no `date_end`) on or after it, a range of a partial index
  over (date, id) or (event_type, date, id) that holds these events alone, so neither
  reading nor counting them tests any row (schema migration 5); and events given as a range
  of days that end on or after it (`date_end`, a partial index over the few such events).
  Each part is read in order, then merged.
- `actor` and `text` use a trigram index as a pre-filter (see text_search.py).

SQLite's planner is told which index reads each part (`INDEXED BY`, with `index_hints`):
its statistics say nothing about a partial index that is empty or nearly so, or that a
migration has just made, and without them it walks every earlier day of the `date` index
instead (a few milliseconds per request on 100,000 events). PostgreSQL has no such clause
and plans it well.

Every condition is exactly the plain filter's: results do not depend on the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventline.store import text_search
from eventline.store.base import EventFilter
from eventline.store.filters import (
    EVENT_NOT_NULL,
    EVENT_SORT_COLUMNS,
    NO_LIMIT,
    Query,
    order_clause,
)


def _common(flt: EventFilter, text_index: str | None) -> Query:
    """Conditions for every filter field except `since`."""
    query = Query([], [])
    if flt.until is not None:
        query.where.append("date <= ?")
        query.params.append(flt.until.isoformat())
    if flt.country:
        query.where.append("(country = ? OR actor1_country = ? OR actor2_country = ?)")
        query.params += [flt.country.upper()] * 3
    if flt.actor:
        condition, params = text_search.actor_condition(flt.actor, text_index)
        query.where.append(condition)
        query.params += params
    if flt.event_type:
        query.where.append("event_type = ?")
        query.params.append(flt.event_type.upper())
    if flt.mode:
        query.where.append("mode = ?")
        query.params.append(flt.mode)
    if flt.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = flt.bbox
        query.where.append("lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?")
        query.params += [min_lon, max_lon, min_lat, max_lat]
    if flt.text:
        condition, params = text_search.sentence_condition(flt.text, text_index)
        query.where.append(condition)
        query.params += params
    if flt.doc_id:
        query.where.append("id IN (SELECT event_id FROM reports WHERE doc_id = ?)")
        query.params.append(flt.doc_id)
    return query


@dataclass
class Part(Query):
    """One disjoint part of a filter's match."""

    dated: bool = False  # every row in it has a date, so "(date IS NULL)" sorts nothing
    few: bool = False  # expected small: read whole and sorted with the other part
    index: str | None = None  # the index that reads it, where the dialect can say so

    def source(self, index_hints: bool) -> str:
        """The FROM clause's table, with the index named when hints are allowed."""
        return f"events INDEXED BY {self.index}" if index_hints and self.index else "events"


# the partial index over events with a range of days (schema migration 2)
SPANNING_INDEX = "events_date_end"
# partial indexes over events of a single day (schema migration 5): without and with a type
DAY_INDEX = "events_day_date"
DAY_TYPE_INDEX = "events_day_type_date"


def filter_parts(flt: EventFilter | None, text_index: str | None = None) -> list[Part]:
    """The filter as one WHERE, or as two disjoint ones whose union it is (with `since`)."""
    if flt is None:
        return [Part([], [])]
    common = _common(flt, text_index)
    dated = flt.until is not None
    if flt.since is None:
        return [Part(common.where, common.params, dated=dated)]
    since = flt.since.isoformat()
    # without date_end, COALESCE(date_end, date) >= since is date >= since
    single_days = Part(
        [*common.where, "date_end IS NULL", "date >= ?"],
        [*common.params, since],
        dated=True,
        index=_day_index(flt),
    )
    # with it, the same condition is date_end >= since, whatever the start
    ranges = Part(
        [*common.where, "date_end >= ?"],
        [*common.params, since],
        dated=dated,
        few=True,
        index=SPANNING_INDEX,
    )
    return [single_days, ranges]


def _day_index(flt: EventFilter) -> str | None:
    """The partial index that reads a filter's single-day part, when the date range (and
    the type) is all the filter has: another filter may narrow the match more through an
    index of its own, and the planner then chooses."""
    others = (flt.country, flt.actor, flt.mode, flt.bbox, flt.text, flt.doc_id)
    if any(value is not None for value in others):
        return None
    return DAY_TYPE_INDEX if flt.event_type else DAY_INDEX


def _part_order(part: Part, sort: str) -> str:
    if part.dated and sort.lstrip("-+") == "date":
        direction = "DESC" if sort.startswith("-") else "ASC"
        return f" ORDER BY date {direction}, id {direction}"  # walks (date, id) indexes
    return order_clause(sort, EVENT_SORT_COLUMNS, EVENT_NOT_NULL)


def select_events(
    flt: EventFilter | None,
    columns: str,
    text_index: str | None = None,
    *,
    index_hints: bool = False,
) -> tuple[str, list[Any]]:
    """SQL and parameters reading `columns` of the filter's page of events, in order."""
    parts = filter_parts(flt, text_index)
    sort = flt.sort if flt else "date"
    order = order_clause(sort, EVENT_SORT_COLUMNS, EVENT_NOT_NULL)
    limit = flt.limit if flt is not None and flt.limit is not None else None
    offset = max(0, flt.offset) if flt is not None else 0
    if limit is None and offset == 0 and len(parts) == 1:
        # the whole match (exports, analyses): one ordered read, nothing to choose first
        part = parts[0]
        return f"SELECT {columns} FROM events{part.clause()}{_part_order(part, sort)}", part.params
    page_limit = NO_LIMIT if limit is None else max(0, limit)
    if len(parts) == 1:
        part = parts[0]
        ids = f"SELECT id FROM events{part.clause()}{_part_order(part, sort)} LIMIT ? OFFSET ?"
        params = [*part.params, page_limit, offset]
    else:
        key = EVENT_SORT_COLUMNS[sort.lstrip("-+")]
        keys = "id" if key == "id" else f"id, {key}"
        # a part needs no more than the rows up to the end of the page
        keep = min(page_limit + offset, NO_LIMIT)
        pieces, params = [], []
        for n, part in enumerate(parts):
            if part.few:
                pieces.append(f"SELECT {keys} FROM {part.source(index_hints)}{part.clause()}")
                params += part.params
            else:
                source = part.source(index_hints)
                inner = (
                    f"SELECT {keys} FROM {source}{part.clause()}{_part_order(part, sort)} LIMIT ?"
                )
                pieces.append(f"SELECT * FROM ({inner}) AS part{n}")
                params += [*part.params, keep]
        ids = f"SELECT id FROM ({' UNION ALL '.join(pieces)}) AS parts{order} LIMIT ? OFFSET ?"
        params += [page_limit, offset]
    return f"SELECT {columns} FROM events WHERE id IN ({ids}){order}", params


def count_events(
    flt: EventFilter | None, text_index: str | None = None, *, index_hints: bool = False
) -> tuple[str, list[Any]]:
    """SQL and parameters counting the filter's events (parts counted apart and added)."""
    parts = filter_parts(flt, text_index)
    if len(parts) == 1:
        return "SELECT COUNT(*) FROM events" + parts[0].clause(), parts[0].params
    counts = " + ".join(
        f"(SELECT COUNT(*) FROM {part.source(index_hints)}{part.clause()})" for part in parts
    )
    return f"SELECT {counts}", [value for part in parts for value in part.params]
