"""The event and claim endpoints: `/api/events` (its parameters are read in
eventline.serve.events), `/api/events/{event_id}` and `/api/claims`.

Reads: the store, through `StoreAccess`, and the query parameters. Writes: JSON answers in
the envelope of eventline.serve.responses (CSV and GeoJSON for `/api/events` on request).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from eventline.errors import Msg
from eventline.model import with_document_text
from eventline.serve import events
from eventline.serve.access import CountCache, StoreAccess
from eventline.serve.cache import GENERATION_SCOPE_KEY
from eventline.serve.params import DEFAULT_LIMIT, ApiError, check_printable
from eventline.serve.query import ClaimFiltersQuery, Limit, Offset
from eventline.serve.responses import OPENAPI_PARAMETERS, envelope, page_meta


def generation(request: Request) -> int | None:
    """The store state the answer cache saw when this request arrived (None: unknown)."""
    return request.scope.get(GENERATION_SCOPE_KEY)


def add_event_routes(app: FastAPI, access: StoreAccess, counts: CountCache) -> None:
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


def add_claim_routes(app: FastAPI, access: StoreAccess) -> None:
    @app.get("/api/claims", summary="Aggregate claims (counts over a period), filtered and paged")
    def list_claims(
        request: Request,
        filters: ClaimFiltersQuery,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> JSONResponse:
        flt = filters.event_filter()
        # claims are few next to events, so the whole match is read and paged here
        claims = access.get().claims(flt)
        page = claims[offset : offset + limit]
        meta = page_meta(request, len(page), len(claims), limit, offset)
        return envelope([claim.to_dict() for claim in page], meta)
