"""The analysis endpoints: `/api/dyads`, `/api/timeline` and `/api/reciprocity`.

Each reads the events its filters match (newest first, at most MAX_ANALYSIS_EVENTS, with
`meta.truncated` saying when the cap cut the read) and hands them to eventline.serve.analysis.

Reads: the store, through `StoreAccess`, and the query parameters. Writes: JSON answers in
the envelope of eventline.serve.responses.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from eventline.model import Event
from eventline.serve import analysis
from eventline.serve.access import StoreAccess
from eventline.serve.params import MAX_LIMIT, missing, parse_choice, parse_text
from eventline.serve.query import FiltersQuery, SideFiltersQuery
from eventline.serve.responses import envelope
from eventline.store.base import EventFilter, Store

# Analysis endpoints read at most this many events (the latest first) per request, so one
# request cannot pull a whole large store into memory; `meta.truncated` says when it happened.
MAX_ANALYSIS_EVENTS = 50_000


def _analysis_events(store: Store, flt: EventFilter) -> tuple[list[Event], bool]:
    """The events an analysis reads: newest first, capped, with a flag for the cap."""
    capped = replace(flt, limit=MAX_ANALYSIS_EVENTS + 1, offset=0, sort="-date")
    events = store.events(capped)
    truncated = len(events) > MAX_ANALYSIS_EVENTS
    return events[:MAX_ANALYSIS_EVENTS], truncated


def _events_involving(store: Store, flt: EventFilter, side: str) -> tuple[list[Event], bool]:
    """Events one side takes part in, read with the store's own filters.

    Every A -> B and B -> A event involves A, so reading A's events is enough. The store's
    actor filter (part of text, name or code) and country filter together cover every way
    `analysis.actor_matches` can match; the analysis then keeps the exact matches.
    """
    if flt.country:
        subsets = [flt]  # the user's country filter already bounds the read
    else:
        subsets = [replace(flt, actor=side)]
        if len(side) == 3 and side.isalpha():
            subsets.append(replace(flt, country=side.upper()))
    found: dict[str, Event] = {}
    truncated = False
    for subset in subsets:
        events, cut = _analysis_events(store, subset)
        truncated = truncated or cut
        found.update((event.id, event) for event in events)
    return list(found.values()), truncated


def add_analysis_routes(app: FastAPI, access: StoreAccess) -> None:
    @app.get("/api/dyads", summary="Directed actor pairs with event counts")
    def list_dyads(
        filters: FiltersQuery,
        by: Annotated[
            str | None, Query(description="Group actors by code (default), country or name.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most dyads to return.")] = 50,
    ) -> JSONResponse:
        group_by = parse_choice("by", by, ("code", "country", "name"), "code")
        flt = filters.event_filter()
        events, truncated = _analysis_events(access.get(), flt)
        # parse_choice returns one of the choices it was given, which are ActorKey values
        rows = analysis.dyads(events, by=group_by)  # type: ignore[arg-type]
        meta = {
            "count": min(limit, len(rows)),
            "total": len(rows),
            "limit": limit,
            "events_considered": len(events),
            "truncated": truncated,
        }
        return envelope(rows[:limit], meta)

    @app.get("/api/timeline", summary="Event counts per day or week, by side and event type")
    def get_timeline(
        filters: FiltersQuery,
        interval: Annotated[str | None, Query(description="day or week (default).")] = None,
        side: Annotated[
            str | None,
            Query(description="Split by actor1 country (default), code or name."),
        ] = None,
    ) -> JSONResponse:
        bucket = parse_choice("interval", interval, ("day", "week"), "week")
        side_by = parse_choice("side", side, ("country", "code", "name"), "country")
        flt = filters.event_filter()
        events, truncated = _analysis_events(access.get(), flt)
        # parse_choice returns one of the choices it was given: an Interval and an ActorKey
        data = analysis.timeline(events, interval=bucket, side=side_by)  # type: ignore[arg-type]
        meta = {
            "count": len(data["buckets"]),
            "events_considered": len(events),
            "truncated": truncated,
        }
        return envelope(data, meta)

    @app.get("/api/reciprocity", summary="Tit-for-tat between two actors: lags and escalation")
    def get_reciprocity(
        filters: SideFiltersQuery,
        a: Annotated[
            str | None, Query(description="First side: actor code, country or name.")
        ] = None,
        b: Annotated[
            str | None, Query(description="Second side: actor code, country or name.")
        ] = None,
        window: Annotated[
            int, Query(ge=0, le=365, description="Days a response may lag its action (14).")
        ] = 14,
    ) -> JSONResponse:
        side_a, side_b = parse_text("a", a), parse_text("b", b)
        expected = "Give both sides, e.g. ?a=USA&b=IRN (codes, countries or names)."
        if side_a is None:
            raise missing("a", expected)
        if side_b is None:
            raise missing("b", expected)
        flt = filters.event_filter()
        events, truncated = _events_involving(access.get(), flt, side_a)
        data = analysis.reciprocity(events, side_a, side_b, window_days=window)
        meta = {"events_considered": len(events), "truncated": truncated}
        return envelope(data, meta)
