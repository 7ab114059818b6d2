"""`GET /api/events`: the most asked endpoint, with a parameter path of its own.

Its query values are read straight from the query string and checked by
`eventline.serve.params` (400 naming the parameter, as everywhere), instead of through
FastAPI's signature-driven validation: that costs about a millisecond per request, as much
as reading a page of events. The parameters are still declared, in `PARAMETERS`, which is
both the OpenAPI description of the route and the list the unknown-parameter check allows.

The endpoint is asynchronous: the query string is checked on the event loop, and only the
store read goes to the thread pool, in one hand-over. There SQLite works outside Python's
lock, so the loop goes on serving kept answers (eventline.serve.cache) meanwhile; the page
and its total come back in one row (`Store.event_page_json`), because a worker thread must
win Python's lock back from the busy loop after every row SQLite hands over. The envelope
is built back on the loop, which holds the lock anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from eventline.serve.access import CountCache, page_total
from eventline.serve.formats import events_csv, events_geojson
from eventline.serve.params import (
    DEFAULT_LIMIT,
    FORMATS,
    MAX_LIMIT,
    MAX_OFFSET,
    parse_choice,
    parse_int,
)
from eventline.serve.query import Filters, filter_parameters
from eventline.serve.responses import page_meta, raw_envelope
from eventline.store.base import EventFilter, Store, told_total

# the filters that take a day, typed as such in the schema
_DAYS = ("since", "until")


def _parameter(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", **schema},
    }


# the OpenAPI description of every query parameter of GET /api/events
PARAMETERS: list[dict[str, Any]] = [
    *(
        _parameter(name, description, **({"format": "date"} if name in _DAYS else {}))
        for name, description in filter_parameters()
    ),
    _parameter(
        "limit",
        "Page size (1 to 1000).",
        type="integer",
        minimum=1,
        maximum=MAX_LIMIT,
        default=DEFAULT_LIMIT,
    ),
    _parameter("offset", "Rows to skip.", type="integer", minimum=0, maximum=MAX_OFFSET, default=0),
    _parameter("sort", "date, fatalities, event_type, id or report_count; '-' descends."),
    _parameter("format", "json (default), csv or geojson.", enum=list(FORMATS)),
]
NAMES = frozenset(spec["name"] for spec in PARAMETERS)


def parse_query(values: Mapping[str, str]) -> tuple[EventFilter, str]:
    """The filter and output format of one request; ApiError for the first bad value."""
    output = parse_choice("format", values.get("format"), FORMATS, "json")
    filters = Filters(
        since=values.get("since"),
        until=values.get("until"),
        country=values.get("country"),
        actor=values.get("actor"),
        event_type=values.get("type"),
        mode=values.get("mode"),
        bbox=values.get("bbox"),
        q=values.get("q"),
    )
    flt = filters.event_filter(
        limit=parse_int("limit", values.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=parse_int("offset", values.get("offset"), 0, 0, MAX_OFFSET),
        sort=values.get("sort"),
    )
    return flt, output


def read_page(
    store: Store, counts: CountCache, flt: EventFilter, generation: int | None
) -> tuple[int, str, int]:
    """The JSON page of `flt`: how many events, their JSON array text, and the total.
    Only this part runs in a worker thread (see the module docstring)."""
    kept = counts.lookup(flt, generation)
    found, data, total = store.event_page_json(flt, with_total=kept is None)
    if total is None:
        total = kept if kept is not None else page_total(store, counts, flt, found, generation)
    elif kept is None and told_total(flt, found) is None:
        counts.keep(flt, generation, total)  # counted: the next page needs it again
    return found, data, total


def json_answer(request: Request, flt: EventFilter, page: tuple[int, str, int]) -> Response:
    found, data, total = page
    limit = flt.limit or DEFAULT_LIMIT
    return raw_envelope(data, page_meta(request, found, total, limit, flt.offset))


def other_answer(
    request: Request,
    store: Store,
    counts: CountCache,
    flt: EventFilter,
    output: str,
    generation: int | None,
) -> Response:
    """The page of `flt` as CSV or GeoJSON, with its paging meta."""
    events = store.events(flt)
    total = page_total(store, counts, flt, len(events), generation)
    meta = page_meta(request, len(events), total, flt.limit or DEFAULT_LIMIT, flt.offset)
    if output == "csv":
        headers = {"X-Total-Count": str(total)}
        if meta["next"]:
            headers["Link"] = f'<{meta["next"]}>; rel="next"'
        return Response(events_csv(events), media_type="text/csv", headers=headers)
    return JSONResponse(events_geojson(events, meta), media_type="application/geo+json")
