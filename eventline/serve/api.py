"""The HTTP API and the offline dashboard: `create_app(store_url)` builds the FastAPI app.

Every JSON answer, success or failure, has one envelope:

    {"ok": true, "data": ..., "meta": {"count", "total", "limit", "offset", "next", ...}}
    {"ok": false, "error": {"status": 400, "code": "invalid_parameter",
                            "parameter": "since", "message": "...", "eventline_code": "E501"}}

Two documented exceptions, both on `GET /api/events` only: `format=csv` answers plain CSV
in the one CSV layout of docs/output-contract.md (one header row, one row per event; paging is
in the `Link` and `X-Total-Count` headers), and
`format=geojson` answers a GeoJSON FeatureCollection whose `meta` member carries the paging
fields. Errors are always the JSON envelope, whatever `format` asked for.

`meta.total` of `/api/events` may lag new writes by up to 10 seconds on a store that cannot
tell its data version (PostgreSQL): totals of recent filters are reused briefly (see
`CountCache`); the events themselves are always read fresh. On SQLite, whole answers are kept
until the store changes (see `eventline.serve.cache`), and totals follow the same rule.

Endpoints only read. Query values are parsed and checked in `eventline.serve.params`, then
passed to the store as an `EventFilter`, whose backends bind them as SQL parameters.
The envelope and the error handling live in `eventline.serve.responses`, the per-thread
store connections and the totals in `eventline.serve.access`, and `GET /api/events`, the
busiest endpoint, in `eventline.serve.events`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from starlette.concurrency import run_in_threadpool

import eventline
from eventline.errors import Msg
from eventline.model import Event, with_document_text
from eventline.serve import analysis, events
from eventline.serve.access import CountCache, StoreAccess
from eventline.serve.cache import GENERATION_SCOPE_KEY, AnswerCache, AnswerCacheMiddleware
from eventline.serve.params import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ApiError,
    build_filter,
    check_printable,
    missing,
    parse_choice,
    parse_text,
)
from eventline.serve.responses import (
    OPENAPI_PARAMETERS,
    NoSniffMiddleware,
    envelope,
    install_error_handlers,
    page_meta,
    reject_unknown_parameters,
)
from eventline.serve.watch import add_watch_routes
from eventline.store.base import EventFilter, Store

__all__ = ["CountCache", "StoreAccess", "create_app", "vendor_assets_present"]

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE = HERE / "templates" / "index.html"
VENDOR_FILES = ("leaflet.js", "leaflet.css", "topojson-client.min.js", "countries-110m.json")
# Analysis endpoints read at most this many events (the latest first) per request, so one
# request cannot pull a whole large store into memory; `meta.truncated` says when it happened.
MAX_ANALYSIS_EVENTS = 50_000
MAX_OFFSET = events.MAX_OFFSET
# The dashboard page loads only its own files: no script from anywhere else, no inline script.
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"
)

# ---- shared query parameters (typed for the OpenAPI schema, checked in params.py) ---------
Since = Annotated[str | None, Query(description="Earliest event day, YYYY-MM-DD (inclusive).")]
Until = Annotated[str | None, Query(description="Latest event day, YYYY-MM-DD (inclusive).")]
Country = Annotated[
    str | None,
    Query(description="ISO alpha-3 code; matches the event's location or either actor."),
]
ActorQ = Annotated[
    str | None, Query(description="Part of an actor's text, name or code (case-insensitive).")
]
TypeQ = Annotated[str | None, Query(alias="type", description="PLOVER event type, e.g. ASSAULT.")]
Mode = Annotated[str | None, Query(description="PLOVER mode, e.g. aerial.")]
Bbox = Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat in degrees.")]
TextQ = Annotated[str | None, Query(description="Part of the evidence sentence.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1 to 1000).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]


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


def vendor_assets_present() -> bool:
    return all((STATIC_DIR / "vendor" / name).is_file() for name in VENDOR_FILES)


# "1" keeps FastAPI's OpenTelemetry hooks for a deployment that configures a provider. They
# are off by default: eventline configures none, and even unused the hooks look the
# providers up on every request, about 5% of the server's time under load.
TELEMETRY_VARIABLE = "EVENTLINE_SERVE_TELEMETRY"
TELEMETRY_OFF: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}


def telemetry_settings() -> TelemetryConfig | None:
    """FastAPI's telemetry settings: its defaults when EVENTLINE_SERVE_TELEMETRY=1, else off."""
    return None if os.environ.get(TELEMETRY_VARIABLE) == "1" else TELEMETRY_OFF


def create_app(store_url: str, *, store: Store | None = None, answer_cache: bool = True) -> FastAPI:
    """The API and dashboard over the store at `store_url` (or over an open `store`).

    `answer_cache`: keep whole answers while the store is unchanged (eventline.serve.cache);
    it needs a store that tells its data version, so an open `store` is never cached."""
    access = StoreAccess(store_url, store)
    counts = CountCache()
    answers = AnswerCache(access.version) if answer_cache and store is None else None

    def generation(request: Request) -> int | None:
        # the store state the answer cache saw when this request arrived (None: unknown)
        return request.scope.get(GENERATION_SCOPE_KEY)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        access.close()

    app = FastAPI(
        title="eventline",
        version=eventline.__version__,
        description=__doc__,
        docs_url=None,  # the interactive docs pages load scripts from the web; the app is offline
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_parameters)],
        telemetry=telemetry_settings(),
    )
    install_error_handlers(app)

    app.add_middleware(NoSniffMiddleware)
    if answers is not None:
        # outside NoSniffMiddleware, so that kept answers carry its header
        app.add_middleware(AnswerCacheMiddleware, cache=answers)
    app.state.answer_cache = answers

    @app.get("/", include_in_schema=False)
    def dashboard() -> HTMLResponse:
        page = TEMPLATE.read_text(encoding="utf-8")
        return HTMLResponse(page, headers={"Content-Security-Policy": DASHBOARD_CSP})

    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")

    @app.get("/api/health", summary="Is the server up, can the store be read, what it holds")
    def health() -> JSONResponse:
        # a real read of the store (E508, 503 when it fails), not only a count: a damaged
        # store can count its rows and still fail every page of events
        store_now = access.get()
        store_now.check()
        stats = store_now.stats()
        return envelope(
            {
                "status": "ok",
                "version": eventline.__version__,
                "store": stats,
                "dashboard_assets": vendor_assets_present(),
            }
        )

    @app.get(
        "/api/events",
        summary="Canonical events, filtered and paged",
        openapi_extra={OPENAPI_PARAMETERS: events.PARAMETERS},
    )
    async def list_events(request: Request) -> Response:
        # parameters are read and checked in eventline.serve.events (see there why)
        flt, output = events.parse_query(request.query_params)
        state = generation(request)  # read before the page: a total is never older
        if output == "json":
            page = await run_in_threadpool(
                lambda: events.read_page(access.get(), counts, flt, state)
            )
            return events.json_answer(request, flt, page)
        return await run_in_threadpool(
            lambda: events.other_answer(request, access.get(), counts, flt, output, state)
        )

    @app.get("/api/events/{event_id}", summary="One event with every report and its sentence")
    def event_detail(event_id: str) -> JSONResponse:
        check_printable("event_id", event_id)
        store_now = access.get()
        event = store_now.event(event_id) if len(event_id) <= 200 else None
        if event is None:
            message = Msg.E506.format(event_id=event_id[:200])
            raise ApiError(404, "not_found", message, parameter="event_id", eventline_code=Msg.E506.name)
        reports = []
        for report in store_now.reports(event.id):
            document = store_now.document(report.mention.doc_id)
            row = with_document_text(report.to_dict(), document)
            row["title"] = document.title if document else None
            reports.append(row)
        return envelope({"event": event.to_dict(), "reports": reports}, {"count": len(reports)})

    @app.get("/api/dyads", summary="Directed actor pairs with event counts")
    def list_dyads(
        since: Since = None,
        until: Until = None,
        country: Country = None,
        actor: ActorQ = None,
        event_type: TypeQ = None,
        mode: Mode = None,
        bbox: Bbox = None,
        q: TextQ = None,
        by: Annotated[
            str | None, Query(description="Group actors by code (default), country or name.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most dyads to return.")] = 50,
    ) -> JSONResponse:
        group_by = parse_choice("by", by, ("code", "country", "name"), "code")
        flt = build_filter(
            since=since,
            until=until,
            country=country,
            actor=actor,
            event_type=event_type,
            mode=mode,
            bbox=bbox,
            q=q,
        )
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
        since: Since = None,
        until: Until = None,
        country: Country = None,
        actor: ActorQ = None,
        event_type: TypeQ = None,
        mode: Mode = None,
        bbox: Bbox = None,
        q: TextQ = None,
        interval: Annotated[str | None, Query(description="day or week (default).")] = None,
        side: Annotated[
            str | None,
            Query(description="Split by actor1 country (default), code or name."),
        ] = None,
    ) -> JSONResponse:
        bucket = parse_choice("interval", interval, ("day", "week"), "week")
        side_by = parse_choice("side", side, ("country", "code", "name"), "country")
        flt = build_filter(
            since=since,
            until=until,
            country=country,
            actor=actor,
            event_type=event_type,
            mode=mode,
            bbox=bbox,
            q=q,
        )
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
        a: Annotated[
            str | None, Query(description="First side: actor code, country or name.")
        ] = None,
        b: Annotated[
            str | None, Query(description="Second side: actor code, country or name.")
        ] = None,
        window: Annotated[
            int, Query(ge=0, le=365, description="Days a response may lag its action (14).")
        ] = 14,
        since: Since = None,
        until: Until = None,
        country: Country = None,
        event_type: TypeQ = None,
        mode: Mode = None,
        bbox: Bbox = None,
        q: TextQ = None,
    ) -> JSONResponse:
        side_a, side_b = parse_text("a", a), parse_text("b", b)
        expected = "Give both sides, e.g. ?a=USA&b=IRN (codes, countries or names)."
        if side_a is None:
            raise missing("a", expected)
        if side_b is None:
            raise missing("b", expected)
        flt = build_filter(
            since=since,
            until=until,
            country=country,
            event_type=event_type,
            mode=mode,
            bbox=bbox,
            q=q,
        )
        events, truncated = _events_involving(access.get(), flt, side_a)
        data = analysis.reciprocity(events, side_a, side_b, window_days=window)
        meta = {"events_considered": len(events), "truncated": truncated}
        return envelope(data, meta)

    add_watch_routes(app, access)

    @app.get("/api/claims", summary="Aggregate claims (counts over a period), filtered and paged")
    def list_claims(
        request: Request,
        since: Since = None,
        until: Until = None,
        country: Country = None,
        actor: ActorQ = None,
        event_type: TypeQ = None,
        q: TextQ = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> JSONResponse:
        flt = build_filter(
            since=since, until=until, country=country, actor=actor, event_type=event_type, q=q
        )
        # claims are few next to events, so the whole match is read and paged here
        claims = access.get().claims(flt)
        page = claims[offset : offset + limit]
        meta = page_meta(request, len(page), len(claims), limit, offset)
        return envelope([claim.to_dict() for claim in page], meta)

    return app
