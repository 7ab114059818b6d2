"""The HTTP API and the offline dashboard: `create_app(store_url)` builds the FastAPI app.

Every JSON answer, success or failure, has one envelope:

    {"ok": true, "data": ..., "meta": {"count", "total", "limit", "offset", "next", ...}}
    {"ok": false, "error": {"status": 400, "code": "invalid_parameter",
                            "parameter": "since", "message": "...", "eventline_code": "E501"}}

Two documented exceptions, both on `GET /api/events` only: `format=csv` answers plain CSV
(one header row, one row per event; paging is in the `Link` and `X-Total-Count` headers), and
`format=geojson` answers a GeoJSON FeatureCollection whose `meta` member carries the paging
fields. Errors are always the JSON envelope, whatever `format` asked for.

`meta.total` of `/api/events` may lag new writes by up to 10 seconds on a store that cannot
tell its data version (PostgreSQL): totals of recent filters are reused briefly (see
`CountCache`); the events themselves are always read fresh. On SQLite, whole answers are kept
until the store changes (see `eventline.serve.cache`), and totals follow the same rule.

Endpoints only read. Query values are parsed and checked in `eventline.serve.params`, then
passed to the store as an `EventFilter`, whose backends bind them as SQL parameters.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import eventline
from eventline.errors import EventlineError, Msg, StoreError
from eventline.model import Event
from eventline.serve import analysis
from eventline.serve.cache import GENERATION_SCOPE_KEY, AnswerCache, AnswerCacheMiddleware
from eventline.serve.formats import events_csv, events_geojson
from eventline.serve.params import (
    DEFAULT_LIMIT,
    FORMATS,
    MAX_LIMIT,
    ApiError,
    build_filter,
    invalid,
    missing,
    parse_choice,
    parse_text,
)
from eventline.store.base import EventFilter, Store

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE = HERE / "templates" / "index.html"
VENDOR_FILES = ("leaflet.js", "leaflet.css", "topojson-client.min.js", "countries-110m.json")
# Analysis endpoints read at most this many events (the latest first) per request, so one
# request cannot pull a whole large store into memory; `meta.truncated` says when it happened.
MAX_ANALYSIS_EVENTS = 50_000
MAX_OFFSET = 10_000_000
# How long a counted total may be reused for the same filter (see CountCache).
COUNT_TTL_SECONDS = 10.0
# The dashboard page loads only its own files: no script from anywhere else, no inline script.
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"
)

NOSNIFF = (b"x-content-type-options", b"nosniff")

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


class StoreAccess:
    """One store connection per worker thread: SQLite connections must not be shared
    between threads, and FastAPI runs the endpoints below in a thread pool."""

    def __init__(self, url: str, store: Store | None = None) -> None:
        self.url = url
        self._shared = store
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self._watcher: Store | None = None
        self._watch_lock = threading.Lock()

    def get(self) -> Store:
        if self._shared is not None:
            return self._shared
        store = getattr(self._local, "store", None)
        if store is None:
            from eventline.store import open_store

            store = open_store(self.url)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def version(self) -> int | None:
        """The store's data version (None: unknown), read on a connection kept for this
        alone: a shared store may write through its own connection, which would not see
        its own writes change the version."""
        if self._shared is not None:
            return None
        with self._lock:
            watcher = self._watcher
        if watcher is None:
            from eventline.store import open_store

            watcher = open_store(self.url)
            with self._lock:
                self._watcher = watcher
                self._opened.append(watcher)
        read = getattr(watcher, "data_version", None)
        if read is None:
            return None
        with self._watch_lock:
            return read()  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
            self._watcher = None
        for store in opened:
            # a connection busy in another thread may refuse; it closes when its thread ends
            with contextlib.suppress(Exception):
                store.close()


class CountCache:
    """Totals of recent filters, kept for a few seconds.

    Counting every match costs as much as reading them, and paging through one filter asks
    for the same total again and again. A total may therefore lag new writes by up to
    `ttl` seconds; the events themselves are always read fresh. When the caller knows the
    store state (`generation`, see eventline.serve.cache), a total is only reused within it.
    """

    def __init__(self, ttl: float = COUNT_TTL_SECONDS, size: int = 4096) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, flt: EventFilter, generation: int | None = None) -> int:
        unpaged = replace(flt, limit=None, offset=0, sort="date")
        key = f"{generation}:{unpaged!r}"
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        total = store.count_events(unpaged)
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # simple and bounded; a refill costs one count each
            self._entries[key] = (now, total)
        return total


class NoSniffMiddleware:
    """Adds `X-Content-Type-Options: nosniff` to every answer that lacks it.

    A plain ASGI middleware: it only touches the header list of the start message, where
    Starlette's BaseHTTPMiddleware would wrap each request and response in extra tasks
    and streams (a large share of a small request's cost).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                if not any(name.lower() == NOSNIFF[0] for name, _ in headers):
                    headers.append(NOSNIFF)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_header)


def envelope(data: Any, meta: dict[str, Any] | None = None, status: int = 200) -> JSONResponse:
    body: dict[str, Any] = {"ok": True, "data": data}
    if meta is not None:
        body["meta"] = meta
    return JSONResponse(body, status_code=status)


def raw_envelope(texts: list[str], meta: dict[str, Any]) -> Response:
    """The success envelope around events that are already JSON texts."""
    body = '{"ok":true,"data":[' + ",".join(texts) + '],"meta":' + _compact_json(meta) + "}"
    return Response(body.encode("utf-8"), media_type="application/json")


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _page_total(
    store: Store,
    counts: CountCache,
    flt: EventFilter,
    found: int,
    limit: int,
    offset: int,
    generation: int | None,
) -> int:
    if 0 < found < limit or (offset == 0 and found < limit):
        # a short page is the last one: the total is known without counting
        return offset + found
    return counts.get(store, flt, generation)


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse({"ok": False, "error": error.to_dict()}, status_code=error.status)


def page_meta(request: Request, count: int, total: int, limit: int, offset: int) -> dict[str, Any]:
    following = offset + limit
    next_url = (
        str(request.url.include_query_params(offset=following)) if following < total else None
    )
    return {"count": count, "total": total, "limit": limit, "offset": offset, "next": next_url}


async def reject_unknown_parameters(request: Request) -> None:
    """A misspelt filter (`?contry=IRQ`) must fail loudly, not silently return everything.

    Asynchronous because it only reads the request: a plain function would be sent to the
    thread pool, one more hand-over per request."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.path.startswith("/api/"):
        return  # the dashboard page ignores query strings (links often carry tracking ones)
    allowed = {param.alias for param in route.dependant.query_params}
    for name in request.query_params:
        if name not in allowed:
            raise ApiError(
                400,
                "unknown_parameter",
                Msg.E502.format(
                    parameter=name, path=route.path, options=", ".join(sorted(allowed)) or "none"
                ),
                parameter=name,
                eventline_code="E502",
            )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        location = list(first.get("loc", ()))
        parameter = str(location[-1]) if location else "request"
        value = request.query_params.get(parameter, first.get("input"))
        expected = str(first.get("msg", "Invalid value")).rstrip(".") + "."
        if location and location[0] in ("query", "path"):
            return error_response(invalid(parameter, value, expected))
        error = ApiError(422, "unprocessable", expected, parameter=parameter)
        return error_response(error)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        path = request.url.path
        if exc.status_code == 404:
            error = ApiError(404, "not_found", Msg.E504.format(path=path), eventline_code="E504")
        elif exc.status_code == 405:
            message = Msg.E505.format(method=request.method, path=path)
            error = ApiError(405, "method_not_allowed", message, eventline_code="E505")
        else:
            error = ApiError(exc.status_code, "http_error", str(exc.detail))
        response = error_response(error)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(StoreError)
    async def on_store_error(request: Request, exc: StoreError) -> JSONResponse:
        message = Msg.E508.format(detail=str(exc))
        return error_response(ApiError(503, "store_unavailable", message, eventline_code="E508"))

    @app.exception_handler(EventlineError)
    async def on_eventline_error(request: Request, exc: EventlineError) -> JSONResponse:
        return error_response(ApiError(400, "bad_request", str(exc), eventline_code=exc.code))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        # the class name only: a traceback or message could leak paths or data
        message = Msg.E507.format(detail=type(exc).__name__)
        return error_response(ApiError(500, "internal_error", message, eventline_code="E507"))


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
    )
    _install_error_handlers(app)

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

    @app.get("/api/health", summary="Is the server up, and what does the store hold")
    def health() -> JSONResponse:
        stats = access.get().stats()
        return envelope(
            {
                "status": "ok",
                "version": eventline.__version__,
                "store": stats,
                "dashboard_assets": vendor_assets_present(),
            }
        )

    @app.get("/api/events", summary="Canonical events, filtered and paged")
    def list_events(
        request: Request,
        since: Since = None,
        until: Until = None,
        country: Country = None,
        actor: ActorQ = None,
        event_type: TypeQ = None,
        mode: Mode = None,
        bbox: Bbox = None,
        q: TextQ = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        sort: Annotated[
            str | None,
            Query(description="date, fatalities, event_type, id or report_count; '-' descends."),
        ] = None,
        format: Annotated[str | None, Query(description="json (default), csv or geojson.")] = None,
    ) -> Response:
        output = parse_choice("format", format, FORMATS, "json")
        flt = build_filter(
            since=since,
            until=until,
            country=country,
            actor=actor,
            event_type=event_type,
            mode=mode,
            bbox=bbox,
            q=q,
            limit=limit,
            offset=offset,
            sort=sort,
        )
        store_now = access.get()
        state = generation(request)  # read before the page: a total is never older
        if output == "json":
            # the stored JSON goes out as it is: no decoding and re-encoding of each event
            texts = store_now.event_json_texts(flt)
            total = _page_total(store_now, counts, flt, len(texts), limit, offset, state)
            meta = page_meta(request, len(texts), total, limit, offset)
            return raw_envelope(texts, meta)
        events = store_now.events(flt)
        total = _page_total(store_now, counts, flt, len(events), limit, offset, state)
        meta = page_meta(request, len(events), total, limit, offset)
        if output == "csv":
            headers = {"X-Total-Count": str(total)}
            if meta["next"]:
                headers["Link"] = f'<{meta["next"]}>; rel="next"'
            return Response(events_csv(events), media_type="text/csv", headers=headers)
        if output == "geojson":
            body = events_geojson(events, meta)
            return JSONResponse(body, media_type="application/geo+json")
        return envelope([event.to_dict() for event in events], meta)

    @app.get("/api/events/{event_id}", summary="One event with every report and its sentence")
    def event_detail(event_id: str) -> JSONResponse:
        store_now = access.get()
        event = store_now.event(event_id) if len(event_id) <= 200 else None
        if event is None:
            message = Msg.E506.format(event_id=event_id[:200])
            raise ApiError(404, "not_found", message, parameter="event_id", eventline_code="E506")
        reports = []
        for report in store_now.reports(event.id):
            row = report.to_dict()
            document = store_now.document(report.mention.doc_id)
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
