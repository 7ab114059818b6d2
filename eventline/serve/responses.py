"""The one JSON envelope of every answer, and the app-wide error handling around it.

Success: {"ok": true, "data": ..., "meta": {...}}; failure: {"ok": false, "error": {...}}
(see `eventline.serve.params.ApiError`). Every exception an endpoint or the framework
raises is turned into the failure envelope here, so no answer leaves in another shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventline.errors import EventlineError, Msg, StoreError
from eventline.serve.params import ApiError, invalid

NOSNIFF = (b"x-content-type-options", b"nosniff")
# where a route lists query parameters that it reads itself (not through FastAPI's
# signature), for the OpenAPI schema and the unknown-parameter check alike
OPENAPI_PARAMETERS = "parameters"


def envelope(data: Any, meta: dict[str, Any] | None = None, status: int = 200) -> JSONResponse:
    body: dict[str, Any] = {"ok": True, "data": data}
    if meta is not None:
        body["meta"] = meta
    return JSONResponse(body, status_code=status)


def raw_envelope(data_json: str, meta: dict[str, Any]) -> Response:
    """The success envelope around `data` that is already one JSON text."""
    body = '{"ok":true,"data":' + data_json + ',"meta":' + compact_json(meta) + "}"
    return Response(body.encode("utf-8"), media_type="application/json")


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse({"ok": False, "error": error.to_dict()}, status_code=error.status)


def page_meta(request: Request, count: int, total: int, limit: int, offset: int) -> dict[str, Any]:
    following = offset + limit
    next_url = (
        str(request.url.include_query_params(offset=following)) if following < total else None
    )
    return {"count": count, "total": total, "limit": limit, "offset": offset, "next": next_url}


def route_parameters(route: APIRoute) -> set[str]:
    """The query parameters a route accepts: those of its signature and of its dependencies
    (the `Filters` dataclass, and theirs in turn), and those it reads itself."""
    names = set(_query_names(route.dependant))
    for spec in (route.openapi_extra or {}).get(OPENAPI_PARAMETERS, ()):
        if spec.get("in") == "query":
            names.add(spec["name"])
    return names


def _query_names(dependant: Dependant) -> Iterator[str]:
    """The query parameter names of a dependant and of all its sub-dependencies."""
    yield from (param.alias for param in dependant.query_params)
    for dependency in dependant.dependencies:
        yield from _query_names(dependency)


def check_parameters(route: APIRoute, names: Any, allowed: set[str] | None = None) -> None:
    """Raise ApiError for the first query parameter the route does not accept."""
    accepted = route_parameters(route) if allowed is None else allowed
    for name in names:
        if name not in accepted:
            raise ApiError(
                400,
                "unknown_parameter",
                Msg.E502.format(
                    parameter=name, path=route.path, options=", ".join(sorted(accepted)) or "none"
                ),
                parameter=name,
                eventline_code=Msg.E502.name,
            )


async def reject_unknown_parameters(request: Request) -> None:
    """A misspelt filter (`?contry=IRQ`) must fail loudly, not silently return everything.

    Asynchronous because it only reads the request: a plain function would be sent to the
    thread pool, one more hand-over per request."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.path.startswith("/api/"):
        return  # the dashboard page ignores query strings (links often carry tracking ones)
    check_parameters(route, request.query_params)


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


def install_error_handlers(app: FastAPI) -> None:
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
            error = ApiError(404, "not_found", Msg.E504.format(path=path), eventline_code=Msg.E504.name)
        elif exc.status_code == 405:
            message = Msg.E505.format(method=request.method, path=path)
            error = ApiError(405, "method_not_allowed", message, eventline_code=Msg.E505.name)
        else:
            error = ApiError(exc.status_code, "http_error", str(exc.detail))
        response = error_response(error)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(StoreError)
    async def on_store_error(request: Request, exc: StoreError) -> JSONResponse:
        message = Msg.E508.format(detail=str(exc))
        return error_response(ApiError(503, "store_unavailable", message, eventline_code=Msg.E508.name))

    @app.exception_handler(EventlineError)
    async def on_eventline_error(request: Request, exc: EventlineError) -> JSONResponse:
        return error_response(ApiError(400, "bad_request", str(exc), eventline_code=exc.code))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        # the class name only: a traceback or message could leak paths or data
        message = Msg.E507.format(detail=type(exc).__name__)
        return error_response(ApiError(500, "internal_error", message, eventline_code=Msg.E507.name))
