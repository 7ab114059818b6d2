"""Every route answers in the one JSON envelope, for success and for each kind of failure.

The test walks `app.routes`, so a new endpoint without a sample call here fails it: add
the endpoint to VALID_CALLS (or to NOT_ENVELOPED with a reason) when you add it.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from eventline.serve.api import create_app

# one valid call per API route ({event_id} is filled in from the store)
VALID_CALLS: dict[str, dict[str, str]] = {
    "/api/health": {},
    "/api/events": {"type": "ASSAULT"},
    "/api/events/{event_id}": {},
    "/api/dyads": {"since": "2023-01-01"},
    "/api/timeline": {"interval": "day"},
    "/api/reciprocity": {"a": "USA", "b": "IRQ"},
    "/api/claims": {"country": "USA"},
    "/api/alerts": {"limit": "5"},
    "/api/sources": {},
}
# routes that are not JSON API answers by design
NOT_ENVELOPED = {
    "/": "the dashboard page (HTML)",
    "/openapi.json": "the OpenAPI schema document",
    "/static": "dashboard files (a missing file is still a JSON 404 envelope)",
    "/api/stream": "server-sent events that stay open (its errors: test_stream_errors_...)",
}


def assert_success(body: dict[str, Any]) -> None:
    assert body["ok"] is True
    assert "data" in body
    assert set(body) <= {"ok", "data", "meta"}


def assert_failure(body: dict[str, Any], status: int) -> None:
    assert body["ok"] is False
    assert set(body) == {"ok", "error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]


@pytest.fixture(scope="module")
def app(store_url: str) -> Any:
    return create_app(store_url)


@pytest.fixture(scope="module")
def api(app: Any) -> Any:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def event_id(api: TestClient) -> str:
    return api.get("/api/events", params={"limit": 1}).json()["data"][0]["id"]


def api_routes(app: Any) -> list[APIRoute]:
    return [
        r
        for r in app.routes
        if isinstance(r, APIRoute) and r.include_in_schema and r.path not in NOT_ENVELOPED
    ]


def test_every_route_is_covered(app: Any) -> None:
    for route in app.routes:
        path = route.path if isinstance(route, (Route, Mount, APIRoute)) else str(route)
        assert path in VALID_CALLS or path in NOT_ENVELOPED, f"no envelope check for {path}"


def test_valid_calls_succeed_in_the_envelope(app: Any, api: TestClient, event_id: str) -> None:
    for route in api_routes(app):
        assert route.methods == {"GET"}, f"{route.path} is not read-only"
        path = route.path.replace("{event_id}", event_id)
        response = api.get(path, params=VALID_CALLS[route.path])
        assert response.status_code == 200, (route.path, response.text)
        assert response.headers["content-type"].startswith("application/json")
        assert_success(response.json())


def test_unknown_parameters_fail_in_the_envelope(app: Any, api: TestClient, event_id: str) -> None:
    for route in api_routes(app):
        path = route.path.replace("{event_id}", event_id)
        params = dict(VALID_CALLS[route.path], surprise="1")
        response = api.get(path, params=params)
        assert response.status_code == 400, route.path
        body = response.json()
        assert_failure(body, 400)
        assert body["error"]["parameter"] == "surprise"


def test_bad_values_fail_in_the_envelope_naming_the_parameter(app: Any, api: TestClient) -> None:
    for route in api_routes(app):
        names = {param.alias for param in route.dependant.query_params}
        for name, bad in (("since", "not-a-date"), ("limit", "-3"), ("country", "12345")):
            if name not in names:
                continue
            params = dict(VALID_CALLS[route.path], **{name: bad})
            path = route.path.replace("{event_id}", "x")
            response = api.get(path, params=params)
            assert response.status_code == 400, (route.path, name)
            body = response.json()
            assert_failure(body, 400)
            assert body["error"]["parameter"] == name


def test_not_found_and_method_not_allowed_fail_in_the_envelope(app: Any, api: TestClient) -> None:
    for route in api_routes(app):
        path = route.path.replace("{event_id}", "no-such-event")
        response = api.post(path)
        assert response.status_code == 405
        assert_failure(response.json(), 405)
    response = api.get("/api/events/no-such-event")
    assert_failure(response.json(), 404)
    for missing_path in ("/api", "/api/event", "/nothing", "/static/vendor/none.js"):
        response = api.get(missing_path)
        assert response.status_code == 404, missing_path
        assert_failure(response.json(), 404)


def test_server_errors_fail_in_the_envelope(store_url: str, event_id: str) -> None:
    class FailingStore:
        def __getattr__(self, name: str) -> Any:
            raise ValueError("boom")

    broken = create_app(store_url, store=FailingStore())  # type: ignore[arg-type]
    with TestClient(broken, raise_server_exceptions=False) as client:
        for route in api_routes(broken):
            path = route.path.replace("{event_id}", event_id)
            response = client.get(path, params=VALID_CALLS[route.path])
            assert response.status_code == 500, route.path
            assert_failure(response.json(), 500)


def test_stream_errors_fail_in_the_envelope(api: TestClient) -> None:
    for params, name in (({"interval": "0"}, "interval"), ({"surprise": "1"}, "surprise")):
        response = api.get("/api/stream", params=params)
        assert response.status_code == 400
        assert_failure(response.json(), 400)
        assert response.json()["error"]["parameter"] == name
    assert_failure(api.post("/api/stream").json(), 405)


def test_openapi_and_dashboard_exist(api: TestClient) -> None:
    assert api.get("/openapi.json").json()["openapi"].startswith("3.")
    page = api.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert api.get("/", params={"utm_source": "mail"}).status_code == 200
