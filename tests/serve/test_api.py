"""Every endpoint of the HTTP API over a small SQLite store (see conftest.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventline.serve import api
from eventline.serve.api import create_app
from eventline.store import open_store


def ok_data(response: Any) -> tuple[Any, dict[str, Any]]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    assert set(body) <= {"ok", "data", "meta"}
    return body["data"], body.get("meta", {})


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False
    assert set(body) == {"ok", "error"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    return body["error"]


def ids(client: TestClient, **params: Any) -> list[str]:
    data, _ = ok_data(client.get("/api/events", params=params))
    return [event["id"] for event in data]


# ---- health, openapi -------------------------------------------------------------------------
def test_health_reports_store_counts(client: TestClient) -> None:
    data, _ = ok_data(client.get("/api/health"))
    assert data["status"] == "ok"
    assert data["store"] == {"documents": 5, "reports": 7, "events": 6, "claims": 1}
    assert isinstance(data["dashboard_assets"], bool)


def test_openapi_schema_lists_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/dyads", "/api/timeline"):
        assert path in schema["paths"]
    for path in ("/api/reciprocity", "/api/claims", "/api/health"):
        assert path in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"since", "until", "country", "actor", "type", "mode", "bbox", "q"} <= names
    assert {"limit", "offset", "sort", "format"} <= names
    limit = next(
        p for p in schema["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["in"] == "query" and limit["schema"]["type"] == "integer"
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 1000)


@pytest.mark.parametrize(
    ("name", "value"),
    [("limit", "0"), ("limit", "1001"), ("limit", "ten"), ("offset", "-1"), ("format", "xml")],
)
def test_event_page_values_out_of_range_name_their_parameter(
    client: TestClient, name: str, value: str
) -> None:
    error = error_of(client.get("/api/events", params={name: value}), 400)
    assert error["code"] == "invalid_parameter" and error["parameter"] == name
    assert value in error["message"]


# ---- /api/events: envelope and paging -----------------------------------------------------
def test_events_envelope_and_meta(client: TestClient) -> None:
    data, meta = ok_data(client.get("/api/events"))
    # seven reports, two of them the same Baghdad strike: six canonical events
    assert len(data) == 6
    assert meta == {"count": 6, "total": 6, "limit": 100, "offset": 0, "next": None}
    strike = next(e for e in data if e["mode"] == "aerial")
    assert strike["report_count"] == 2
    assert strike["actor1"]["code"] == "USAMIL"


def test_events_pagination_walks_every_event_once(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/api/events?limit=4&sort=id"
    pages = 0
    while url:
        data, meta = ok_data(client.get(url))
        seen += [event["id"] for event in data]
        assert meta["limit"] == 4
        url = meta["next"]
        pages += 1
    assert pages == 2
    assert len(seen) == len(set(seen)) == 6
    _, meta = ok_data(client.get("/api/events", params={"limit": 4, "offset": 4}))
    assert meta["count"] == 2 and meta["offset"] == 4 and meta["next"] is None


def test_events_sort_orders(client: TestClient) -> None:
    data, _ = ok_data(client.get("/api/events", params={"sort": "-date"}))
    dates = [e["date"] for e in data if e["date"]]
    assert dates == sorted(dates, reverse=True)
    data, _ = ok_data(client.get("/api/events", params={"sort": "-fatalities"}))
    assert data[0]["fatalities"] == 2


# ---- /api/events: each filter ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "expected_count"),
    [
        ({"since": "2023-11-21"}, 2),
        ({"until": "2023-10-01"}, 2),
        ({"since": "2023-11-20", "until": "2023-11-22"}, 2),
        ({"country": "SYR"}, 1),
        ({"country": "usa"}, 3),
        ({"actor": "kataib"}, 3),
        ({"actor": "SYRGOV"}, 1),
        ({"type": "ASSAULT"}, 3),
        ({"type": "coerce"}, 1),
        ({"mode": "aerial"}, 1),
        ({"bbox": "40,30,50,40"}, 3),
        ({"bbox": "60,30,70,40"}, 1),
        ({"q": "ballistic missile"}, 1),
        ({"q": "no sentence says this"}, 0),
        ({"type": "ASSAULT", "country": "IRQ", "since": "2023-11-21"}, 2),
    ],
)
def test_events_filters(client: TestClient, params: dict[str, str], expected_count: int) -> None:
    data, meta = ok_data(client.get("/api/events", params=params))
    assert len(data) == expected_count
    assert meta["total"] == expected_count


def test_events_filter_values_are_applied_not_just_counted(client: TestClient) -> None:
    data, _ = ok_data(client.get("/api/events", params={"type": "ASSAULT"}))
    assert {e["event_type"] for e in data} == {"ASSAULT"}
    data, _ = ok_data(client.get("/api/events", params={"bbox": "60,30,70,40"}))
    assert data[0]["location"]["name"] == "Kabul"


# ---- /api/events: bad input ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("since", "2023-13-01"),
        ("since", "yesterday"),
        ("until", "22/11/2023"),
        ("country", "IRAQ"),
        ("country", "I1"),
        ("type", "BOMBING"),
        ("mode", "DROP TABLE events"),
        ("bbox", "1,2,3"),
        ("bbox", "200,0,210,10"),
        ("bbox", "10,10,0,0"),
        ("bbox", "a,b,c,d"),
        ("bbox", "nan,0,1,1"),
        ("limit", "0"),
        ("limit", "5000"),
        ("limit", "ten"),
        ("offset", "-1"),
        ("sort", "sentence"),
        ("sort", "date; DROP TABLE events"),
        ("format", "xml"),
        ("q", "x" * 500),
    ],
)
def test_events_bad_input_names_the_parameter(
    client: TestClient, parameter: str, value: str
) -> None:
    error = error_of(client.get("/api/events", params={parameter: value}), 400)
    assert error["parameter"] == parameter
    assert error["code"] == "invalid_parameter"


def test_until_before_since_is_rejected(client: TestClient) -> None:
    response = client.get("/api/events", params={"since": "2023-11-22", "until": "2023-11-01"})
    assert error_of(response, 400)["parameter"] == "until"


def test_unknown_parameter_is_rejected_by_name(client: TestClient) -> None:
    error = error_of(client.get("/api/events", params={"contry": "IRQ"}), 400)
    assert error["code"] == "unknown_parameter"
    assert error["parameter"] == "contry"
    assert "country" in error["message"]


@pytest.mark.parametrize(
    "value",
    ["' OR 1=1 --", "%", "_", "x'); DROP TABLE events; --", '" OR ""="', "\\", "*"],
)
def test_sql_looking_values_are_plain_strings(client: TestClient, value: str) -> None:
    for parameter in ("actor", "q"):
        data, meta = ok_data(client.get("/api/events", params={parameter: value}))
        assert data == [] and meta["total"] == 0
    # the table is still there and whole
    _, meta = ok_data(client.get("/api/events"))
    assert meta["total"] == 6


# ---- /api/events: other formats ------------------------------------------------------------
def test_events_csv(client: TestClient) -> None:
    response = client.get("/api/events", params={"format": "csv", "limit": 4, "sort": "id"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["x-total-count"] == "6"
    assert 'rel="next"' in response.headers["link"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 4
    assert {"id", "date", "event_type", "location_lat", "location_lon", "sentence"} <= set(rows[0])


def test_events_geojson_holds_only_located_events(client: TestClient) -> None:
    response = client.get("/api/events", params={"format": "geojson"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 5  # the sanctions event has no place
    assert body["meta"]["unlocated"] == 1 and body["meta"]["total"] == 6
    kabul = next(f for f in body["features"] if f["properties"]["location_name"] == "Kabul")
    assert kabul["geometry"] == {"type": "Point", "coordinates": [69.17, 34.53]}


def test_errors_stay_json_envelopes_in_other_formats(client: TestClient) -> None:
    error = error_of(client.get("/api/events", params={"format": "csv", "since": "bad"}), 400)
    assert error["parameter"] == "since"


# ---- /api/events/{id} ------------------------------------------------------------------------
def test_event_detail_has_every_report_and_sentence(client: TestClient) -> None:
    strike_id = ids(client, mode="aerial")[0]
    data, meta = ok_data(client.get(f"/api/events/{strike_id}"))
    assert data["event"]["id"] == strike_id
    assert meta["count"] == 2
    sources = [report["source"] for report in data["reports"]]
    assert sources == ["Example Wire", "Other Desk"]  # oldest document first
    for report in data["reports"]:
        assert report["sentence"].startswith("U.S. warplanes struck")
        assert report["event_id"] == strike_id
        assert report["title"].startswith("Report from")
        values = report["values"]  # the span indexes the document's text, given with it
        assert report["document_text"][values["char_start"] : values["char_end"]] == report["sentence"]


def test_event_detail_accepts_a_report_id(client: TestClient) -> None:
    strike_id = ids(client, mode="aerial")[0]
    data, _ = ok_data(client.get(f"/api/events/{strike_id}"))
    report_id = data["reports"][1]["report_id"]
    again, _ = ok_data(client.get(f"/api/events/{report_id}"))
    assert again["event"]["id"] == strike_id


def test_unknown_event_is_404(client: TestClient) -> None:
    error = error_of(client.get("/api/events/ev-does-not-exist"), 404)
    assert error["code"] == "not_found"
    assert error["eventline_code"] == "E506"
    error_of(client.get("/api/events/" + "x" * 300), 404)


# ---- analysis endpoints ----------------------------------------------------------------------
def test_dyads(client: TestClient) -> None:
    data, meta = ok_data(client.get("/api/dyads"))
    assert meta["total"] == 3  # the protest has no target and the sanctions no actors
    top = data[0]
    assert (top["source"]["key"], top["target"]["key"], top["events"]) == ("IRQREB", "USAMIL", 2)
    assert top["fatalities"] == 2
    data, _ = ok_data(client.get("/api/dyads", params={"by": "country", "since": "2023-11-01"}))
    assert [(d["source"]["key"], d["target"]["key"]) for d in data] == [
        ("IRQ", "USA"),
        ("USA", "IRQ"),
    ]
    data, meta = ok_data(client.get("/api/dyads", params={"limit": 1}))
    assert len(data) == 1 and meta["total"] == 3
    assert error_of(client.get("/api/dyads", params={"by": "color"}), 400)["parameter"] == "by"


def test_timeline(client: TestClient) -> None:
    data, _ = ok_data(client.get("/api/timeline"))
    assert data["interval"] == "week" and data["undated"] == 1
    week = [b for b in data["buckets"] if b["period"] == "2023-11-20"]
    assert {(b["side"], b["events"]) for b in week} == {("IRQ", 2), ("USA", 1)}
    data, _ = ok_data(client.get("/api/timeline", params={"interval": "day", "side": "code"}))
    assert {
        "period": "2023-11-25",
        "side": "IRQREB",
        "event_type": "ASSAULT",
        "events": 1,
        "fatalities": 2,
    } in data["buckets"]
    assert (
        error_of(client.get("/api/timeline", params={"interval": "month"}), 400)["parameter"]
        == "interval"
    )


def test_reciprocity(client: TestClient) -> None:
    data, _ = ok_data(client.get("/api/reciprocity", params={"a": "USA", "b": "Kataib"}))
    assert data["a_to_b_events"] == 1 and data["b_to_a_events"] == 2
    # the US strike (22 Nov) answered the missile (20 Nov) two days later, and harder
    assert data["a_answers_b"]["lags_days"] == [2]
    assert data["a_answers_b"]["escalations"] == 1
    # the drone attack (25 Nov) answered the strike three days later
    assert data["b_answers_a"]["median_lag_days"] == 3
    assert data["escalated_more"] == "a"
    data, _ = ok_data(client.get("/api/reciprocity", params={"a": "USA", "b": "IRQ", "window": 1}))
    assert data["b_answers_a"]["matched"] == 0 and data["a_answers_b"]["matched"] == 0


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"b": "IRQ"}, "a"),
        ({"a": "USA"}, "b"),
        ({"a": "USA", "b": "IRQ", "window": "-1"}, "window"),
        ({"a": "USA", "b": "IRQ", "window": "a week"}, "window"),
        ({"a": "USA", "b": "IRQ", "since": "soon"}, "since"),
    ],
)
def test_reciprocity_bad_input(client: TestClient, params: dict[str, str], parameter: str) -> None:
    assert error_of(client.get("/api/reciprocity", params=params), 400)["parameter"] == parameter


def test_claims(client: TestClient) -> None:
    data, meta = ok_data(client.get("/api/claims"))
    assert meta["total"] == 1
    assert data[0]["count"] == 66 and data[0]["period_start"] == "2023-10-17"
    data, meta = ok_data(client.get("/api/claims", params={"since": "2023-12-01"}))
    assert data == [] and meta["total"] == 0
    assert error_of(client.get("/api/claims", params={"limit": "-5"}), 400)["parameter"] == "limit"


# ---- errors outside the endpoints ----------------------------------------------------------
def test_unknown_path_and_wrong_method_use_the_envelope(client: TestClient) -> None:
    assert error_of(client.get("/api/nothing-here"), 404)["code"] == "not_found"
    assert error_of(client.get("/static/no-such-file.js"), 404)["code"] == "not_found"
    assert error_of(client.post("/api/events"), 405)["code"] == "method_not_allowed"
    assert error_of(client.delete("/api/events/abc"), 405)["code"] == "method_not_allowed"


def test_a_crash_is_a_500_envelope_without_details(store_url: str) -> None:
    class BrokenStore:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError("secret detail: private-notes.db")

    app = create_app(store_url, store=BrokenStore())  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as broken:
        error = error_of(broken.get("/api/events"), 500)
    assert error["code"] == "internal_error"
    assert "secret" not in error["message"] and "RuntimeError" in error["message"]


def test_a_store_that_cannot_open_is_a_503_envelope(tmp_path: Any) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("these are notes, not a database\n")
    with TestClient(create_app(str(not_a_db))) as bad:
        error = error_of(bad.get("/api/health"), 503)
    assert error["code"] == "store_unavailable"


def test_store_opened_per_thread_reads_new_data(tmp_path: Any) -> None:
    from tests.serve.conftest import sample_results

    url = str(tmp_path / "fresh.db")
    open_store(url).close()
    with TestClient(create_app(url)) as fresh:
        _, meta = ok_data(fresh.get("/api/events"))
        assert meta["total"] == 0
        with open_store(url) as writer:
            writer.add_results(sample_results()[:1])
        _, meta = ok_data(fresh.get("/api/events"))
        assert meta["total"] == 2


def test_count_cache_reuses_a_total_only_within_its_lifetime() -> None:
    from eventline.serve.api import CountCache
    from eventline.store.base import EventFilter

    class CountingStore:
        calls = 0

        def count_events(self, flt: EventFilter) -> int:
            CountingStore.calls += 1
            return 40 + CountingStore.calls

    store = CountingStore()
    cache = CountCache(ttl=3600)
    first = cache.get(store, EventFilter(country="IRQ", limit=10, offset=0))  # type: ignore[arg-type]
    # another page of the same filter: counted once
    assert cache.get(store, EventFilter(country="IRQ", limit=10, offset=10)) == first  # type: ignore[arg-type]
    assert CountingStore.calls == 1
    cache.get(store, EventFilter(country="SYR"))  # type: ignore[arg-type]
    assert CountingStore.calls == 2
    expired = CountCache(ttl=0)
    expired.get(store, EventFilter())  # type: ignore[arg-type]
    expired.get(store, EventFilter())  # type: ignore[arg-type]
    assert CountingStore.calls == 4


def test_telemetry_hooks_are_off_unless_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(api.TELEMETRY_VARIABLE, raising=False)
    app = api.create_app(str(tmp_path / "off.db"))
    assert not any(app._telemetry[name] for name in api.TELEMETRY_OFF)
    monkeypatch.setenv(api.TELEMETRY_VARIABLE, "1")
    app = api.create_app(str(tmp_path / "on.db"))
    assert all(app._telemetry[name] for name in api.TELEMETRY_OFF)


# ---- the filters on every endpoint -----------------------------------------------------------
EVERY_FILTER = frozenset({"since", "until", "country", "actor", "type", "mode", "bbox", "q"})
# each filtered endpoint: the parameters it needs anyway, and the filters it takes (claims
# carry no mode or place; the reciprocity's sides take the actor's place)
FILTERED: dict[str, tuple[dict[str, str], frozenset[str]]] = {
    "/api/events": ({}, EVERY_FILTER),
    "/api/dyads": ({}, EVERY_FILTER),
    "/api/timeline": ({}, EVERY_FILTER),
    "/api/claims": ({}, EVERY_FILTER - {"mode", "bbox"}),
    "/api/reciprocity": ({"a": "USA", "b": "Kataib"}, EVERY_FILTER - {"actor"}),
}
BAD_VALUES = {
    "since": "yesterday",
    "until": "22/11/2023",
    "country": "IRAQ",
    "actor": "x" * 500,
    "type": "BOMBING",
    "mode": "DROP TABLE events",
    "bbox": "1,2,3",
    "q": "x" * 500,
}
# a value of each filter that no stored event or claim matches
MATCHING_NOTHING = {
    "since": "2030-01-01",
    "until": "1990-01-01",
    "country": "NOR",
    "actor": "nobody at all",
    "type": "AID",
    "mode": "naval",
    "bbox": "0,0,1,1",
    "q": "no sentence says this",
}


def _found(path: str, data: Any, meta: dict[str, Any]) -> int:
    """How many events (or claims) an endpoint's answer rests on."""
    if path == "/api/timeline":
        return sum(bucket["events"] for bucket in data["buckets"]) + data["undated"]
    if path == "/api/reciprocity":
        return int(data["a_to_b_events"] + data["b_to_a_events"])
    return int(meta["total"])


@pytest.mark.parametrize(("path", "name"), [(p, n) for p in FILTERED for n in sorted(EVERY_FILTER)])
def test_every_endpoint_checks_the_filters_it_takes_and_refuses_the_others(
    client: TestClient, path: str, name: str
) -> None:
    needed, taken = FILTERED[path]
    error = error_of(client.get(path, params={**needed, name: BAD_VALUES[name]}), 400)
    assert error["parameter"] == name
    assert error["code"] == ("invalid_parameter" if name in taken else "unknown_parameter")


@pytest.mark.parametrize(("path", "name"), [(p, n) for p in FILTERED for n in sorted(FILTERED[p][1])])
def test_every_endpoint_applies_the_filters_it_takes(client: TestClient, path: str, name: str) -> None:
    needed, _ = FILTERED[path]
    assert _found(path, *ok_data(client.get(path, params=needed))) > 0
    filtered = ok_data(client.get(path, params={**needed, name: MATCHING_NOTHING[name]}))
    assert _found(path, *filtered) == 0
