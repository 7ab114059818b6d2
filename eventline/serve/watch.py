"""What `eventline watch` left in the store, over HTTP: `/api/alerts`, `/api/sources`,
and `/api/stream`, which pushes new events and alerts to an open page.

The stream is server-sent events. It starts from the store as it is when the page
connects and, every `interval` seconds, sends the canonical events touched by documents
stored since (one `events` message, a JSON array) and each new alert (one `alert`
message). A comment line keeps idle connections open; a stream ends after STREAM_SECONDS
and the browser's EventSource connects again by itself.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, cast

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from eventline.serve.access import StoreAccess
from eventline.serve.params import DEFAULT_LIMIT, MAX_LIMIT
from eventline.serve.responses import envelope, page_meta
from eventline.store.watch_state import WatchState

STREAM_SECONDS = 3600.0
KEEP_ALIVE_SECONDS = 15.0
MAX_STREAMED_EVENTS = 500  # events in one message at most (a large ingest sends the newest)
RECONNECT_MS = 3000


def _watch_state(access: StoreAccess) -> WatchState:
    # both stores keep the watch's tables (eventline.store.watch_state); any other store
    # fails here as any endpoint's broken store does, in the error envelope
    return cast(WatchState, access.get())


def add_watch_routes(app: FastAPI, access: StoreAccess) -> None:
    @app.get("/api/alerts", summary="Alerts fired by `eventline watch`, newest first")
    def list_alerts(
        request: Request,
        limit: Annotated[
            int, Query(ge=1, le=MAX_LIMIT, description="Page size (1 to 1000).")
        ] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")] = 0,
    ) -> JSONResponse:
        state = _watch_state(access)
        rows = state.alerts(limit=limit, offset=offset)
        total = state.count_alerts()
        return envelope(rows, page_meta(request, len(rows), total, limit, offset))

    @app.get("/api/sources", summary="Each watched source: last success, last error, items, events")
    def list_sources() -> JSONResponse:
        state = _watch_state(access)
        rows = state.source_health()
        return envelope(rows, {"count": len(rows), "total": len(rows)})

    @app.get("/api/stream", summary="Server-sent events: new events and alerts as they are stored")
    async def stream(
        request: Request,
        interval: Annotated[
            float, Query(ge=0.2, le=60, description="Seconds between looks at the store (2).")
        ] = 2.0,
    ) -> StreamingResponse:
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            _messages(request, access, interval), media_type="text/event-stream", headers=headers
        )


async def _messages(request: Request, access: StoreAccess, interval: float) -> AsyncIterator[bytes]:
    state = await run_in_threadpool(_watch_state, access)
    yield f"retry: {RECONNECT_MS}\n: connected\n\n".encode()
    cursors = await run_in_threadpool(lambda: (state.document_cursor(), state.alert_cursor()))
    documents, alerts = cursors
    started = quiet_since = time.monotonic()
    while time.monotonic() - started < STREAM_SECONDS:
        await asyncio.sleep(interval)
        if await request.is_disconnected():
            return
        read = await run_in_threadpool(_changes, access, documents, alerts)
        documents, alerts, events, fired = read
        chunks = []
        if events:
            chunks.append(_message("events", events[-MAX_STREAMED_EVENTS:]))
        chunks.extend(_message("alert", alert, alert["id"]) for alert in fired)
        if not chunks and time.monotonic() - quiet_since >= KEEP_ALIVE_SECONDS:
            chunks.append(b": keep-alive\n\n")
        if chunks:
            quiet_since = time.monotonic()
            yield b"".join(chunks)


def _changes(
    access: StoreAccess, documents: str, alerts: tuple[str, str]
) -> tuple[str, tuple[str, str], list[dict[str, Any]], list[dict[str, Any]]]:
    """New cursors, the events of documents stored after `documents`, alerts after `alerts`."""
    state = _watch_state(access)
    newest = state.document_cursor()
    events = state.events_added_after(documents) if newest > documents else []
    fired = state.alerts_after(alerts)
    if fired:
        alerts = (fired[-1]["fired_at"], fired[-1]["id"])
    return newest, alerts, events, fired


def _message(kind: str, data: Any, message_id: str | None = None) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    head = f"id: {message_id}\n" if message_id else ""
    return f"{head}event: {kind}\ndata: {text}\n\n".encode()
