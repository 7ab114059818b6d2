"""/api/alerts, /api/sources and the /api/stream of server-sent events, in the envelope."""

from __future__ import annotations

import json
import threading
import time

from fastapi.testclient import TestClient

from eventline.serve.api import create_app
from eventline.store import open_store
from eventline.store.watch_state import SeenItem, now_iso
from tests.serve.conftest import sample_results


def alert(number: int) -> dict:
    return {
        "kind": "alert", "id": f"a{number}", "rule": "deadly-day", "when": "fatalities",
        "fired_at": now_iso(), "summary": f"alert number {number}", "event_ids": [],
    }  # fmt: skip


def make_store(path: str) -> None:
    with open_store(path) as store:
        store.add_results(sample_results())
        store.mark_seen([SeenItem("https://paper.example/rss.xml", "g1", "h1", None, "doc-baghdad-1")])
        store.record_success("https://paper.example/rss.xml", '"v1"', None)
        store.record_failure("https://down.example/rss.xml", "HTTP 500 Internal Server Error")
        store.add_alerts([alert(1), alert(2)])


def test_alerts_and_sources_in_the_envelope(tmp_path):
    path = str(tmp_path / "w.db")
    make_store(path)
    with TestClient(create_app(path)) as client:
        body = client.get("/api/alerts", params={"limit": 1}).json()
        assert body["ok"] is True and [a["id"] for a in body["data"]] == ["a2"]  # newest first
        assert body["meta"]["total"] == 2 and "offset=1" in body["meta"]["next"]
        sources = client.get("/api/sources").json()
        assert sources["ok"] is True and sources["meta"]["count"] == 2
        by_source = {row["source"]: row for row in sources["data"]}
        assert by_source["https://down.example/rss.xml"]["last_error"].startswith("HTTP 500")
        assert by_source["https://paper.example/rss.xml"]["items_seen"] == 1
        bad = client.get("/api/alerts", params={"limit": 0}).json()
        assert bad["ok"] is False and bad["error"]["parameter"] == "limit"
        unknown = client.get("/api/sources", params={"x": 1}).json()
        assert unknown["ok"] is False and unknown["error"]["code"] == "unknown_parameter"


def test_the_stream_pushes_new_events_and_a_new_alert(tmp_path):
    path = str(tmp_path / "w.db")
    results = sample_results()
    with open_store(path) as store:
        store.add_results(results[1:])
    new_event_ids = {event.id for event in results[0].events}

    def fire_later() -> None:
        time.sleep(0.6)
        with open_store(path) as store:
            store.add_results(results[:1])
            store.add_alerts([alert(3)])

    with TestClient(create_app(path)) as client:
        with client.stream("GET", "/api/stream", params={"interval": 0.2}) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            threading.Thread(target=fire_later, daemon=True).start()
            kind, pushed = None, {}
            deadline = time.monotonic() + 20
            for line in response.iter_lines():
                assert time.monotonic() < deadline, "no alert came within 20 s"
                if line.startswith("event: "):
                    kind = line[len("event: "):]
                elif line.startswith("data: "):
                    pushed[kind] = json.loads(line[len("data: "):])
                    if "alert" in pushed:
                        break
        assert pushed["alert"]["id"] == "a3" and pushed["alert"]["summary"] == "alert number 3"
        reports = {event["id"] for event in pushed["events"]}
        assert reports and all(event["kind"] == "event" for event in pushed["events"])
        with open_store(path) as store:  # the events of the new document, as stored
            assert reports == {store.event(event_id).id for event_id in new_event_ids}
