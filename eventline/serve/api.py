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
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from starlette.concurrency import run_in_threadpool

import eventline
from eventline.errors import Msg
from eventline.model import with_document_text
from eventline.serve import events
from eventline.serve.access import CountCache, StoreAccess
from eventline.serve.analysis_routes import add_analysis_routes
from eventline.serve.cache import GENERATION_SCOPE_KEY, AnswerCache, AnswerCacheMiddleware
from eventline.serve.params import (
    DEFAULT_LIMIT,
    ApiError,
    build_filter,
    check_printable,
)
from eventline.serve.query import ActorQ, Country, Limit, Offset, Since, TextQ, TypeQ, Until
from eventline.serve.responses import (
    OPENAPI_PARAMETERS,
    NoSniffMiddleware,
    envelope,
    install_error_handlers,
    page_meta,
    reject_unknown_parameters,
)
from eventline.serve.watch import add_watch_routes
from eventline.store.base import Store

__all__ = ["CountCache", "StoreAccess", "create_app", "vendor_assets_present"]

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE = HERE / "templates" / "index.html"
VENDOR_FILES = ("leaflet.js", "leaflet.css", "topojson-client.min.js", "countries-110m.json")
# The dashboard page loads only its own files: no script from anywhere else, no inline script.
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'"
)




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

    add_analysis_routes(app, access)
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
