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
store connections and the totals in `eventline.serve.access`, the event and claim routes in
`eventline.serve.event_routes` (with `GET /api/events`, the busiest endpoint, reading its
parameters in `eventline.serve.events`), the analysis routes in
`eventline.serve.analysis_routes`, and the filters every route shares in
`eventline.serve.query`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig

import eventline
from eventline.serve.access import CountCache, StoreAccess
from eventline.serve.analysis_routes import add_analysis_routes
from eventline.serve.cache import AnswerCache, AnswerCacheMiddleware
from eventline.serve.event_routes import add_claim_routes, add_event_routes
from eventline.serve.responses import (
    NoSniffMiddleware,
    envelope,
    install_error_handlers,
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

    add_event_routes(app, access, counts)
    add_analysis_routes(app, access)
    add_watch_routes(app, access)
    add_claim_routes(app, access)

    return app
