"""Control characters in any query parameter of any endpoint: a 400 in the one JSON envelope,
never a 500; and /api/health says not ok when the store cannot be read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from eventline.serve.api import create_app
from eventline.serve.responses import route_parameters

HOSTILE = ["\x00", "Hamas\x00", "\x00' OR 1=1 --", "a\x1fb", "x\ny", "\x7f", "\x9b", '"\x00*']
# values that must stay valid beside the hostile one (reciprocity needs both sides)
NEEDED = {"/api/reciprocity": {"a": "USA", "b": "IRN"}}


def api_routes(client: TestClient) -> list[APIRoute]:
    app = client.app
    return [r for r in app.routes if isinstance(r, APIRoute) and r.path.startswith("/api/")]  # type: ignore[attr-defined]


def cases(client: TestClient) -> list[tuple[str, str, dict[str, str]]]:
    found = []
    for route in api_routes(client):
        if "{" in route.path:
            continue
        for name in sorted(route_parameters(route)):
            for value in HOSTILE:
                params = {**NEEDED.get(route.path, {}), name: value}
                found.append((route.path, name, params))
    return found


def test_every_parameter_of_every_endpoint_refuses_control_characters(client: TestClient) -> None:
    checked = cases(client)
    paths = {path for path, _, _ in checked}
    assert {"/api/events", "/api/dyads", "/api/timeline", "/api/reciprocity", "/api/claims"} <= paths
    for path, name, params in checked:
        response = client.get(path, params=params)
        assert response.status_code == 400, (path, name, params, response.text)
        body = response.json()
        assert body["ok"] is False and body["error"]["status"] == 400, (path, name)
        assert body["error"]["parameter"] == name, (path, name, body)
    assert len(checked) >= 8 * 30  # every parameter, every hostile value


@pytest.mark.parametrize("value", ["\x00", "ev\x00' OR '1'='1", "a\nb"])
def test_event_ids_with_control_characters_are_refused(client: TestClient, value: str) -> None:
    response = client.get("/api/events/" + value.replace("\x00", "%00").replace("\n", "%0A"))
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "event_id"


def test_plain_searches_still_work(client: TestClient) -> None:
    for path, params in [
        ("/api/events", {"q": "protest", "actor": "Hamas"}),
        ("/api/dyads", {"actor": "\"quoted\" OR 'x'"}),
        ("/api/timeline", {"q": "a*b"}),
        ("/api/reciprocity", {"a": "USA", "b": "IRN", "q": "strike"}),
    ]:
        assert client.get(path, params=params).status_code == 200, (path, params)


def test_health_reads_the_store_and_says_not_ok_when_events_would_fail(
    store_url: str, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copy(store_url, damaged)
    with TestClient(create_app(str(damaged), answer_cache=False)) as fresh:
        assert fresh.get("/api/health").json()["data"]["status"] == "ok"
    size = damaged.stat().st_size
    page = 4096
    with damaged.open("r+b") as handle:  # every page after the first two: garbage
        handle.seek(2 * page)
        handle.write(os.urandom(size - 2 * page))
    with TestClient(create_app(str(damaged), answer_cache=False)) as broken:
        events = broken.get("/api/events")
        health = broken.get("/api/health")
    assert events.status_code == 503 and events.json()["error"]["eventline_code"] == "E508"
    assert health.status_code == 503 and health.json()["ok"] is False
    assert "E302" in health.json()["error"]["message"]


def test_a_missing_store_is_not_created_by_the_server(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "events.db"
    with TestClient(create_app(str(missing))) as server:
        response = server.get("/api/health")
    assert response.status_code == 503 and "E310" in response.json()["error"]["message"]
    assert not missing.parent.exists()
