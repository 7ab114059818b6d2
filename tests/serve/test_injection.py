"""Markup and formulas in news text come back as plain data and are rendered as text.

The browser half (no alert runs, no element is made from the data) is in test_browser.py:
test_markup_in_data_is_shown_as_text_and_never_runs.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fastapi.testclient import TestClient

from eventline.model import Event
from eventline.serve.formats import events_csv
from tests.serve.conftest import XSS_SENTENCE

STATIC = Path(__file__).resolve().parents[2] / "eventline" / "serve" / "static"


def xss_event(client: TestClient) -> dict:
    data = client.get("/api/events", params={"country": "AFG"}).json()["data"]
    assert len(data) == 1
    return data[0]


def test_markup_comes_back_verbatim_as_json_strings(client: TestClient) -> None:
    event = xss_event(client)
    assert event["sentence"] == XSS_SENTENCE
    assert event["actor1"]["text"] == "<b>protesters</b>"
    assert event["attribution"] == "<script>alert('xss-attribution')</script>"
    response = client.get(f"/api/events/{event['id']}")
    assert response.headers["content-type"].startswith("application/json")
    report = response.json()["data"]["reports"][0]
    assert report["sentence"] == XSS_SENTENCE
    assert report["source"] == "<b>Bold Source</b>"
    assert report["url"] == "javascript:alert('xss-url')"


def test_markup_in_query_values_is_only_searched_for(client: TestClient) -> None:
    data = client.get("/api/events", params={"q": "<script>"}).json()["data"]
    assert [e["sentence"] for e in data] == [XSS_SENTENCE]
    error = client.get("/api/events", params={"country": "<script>"}).json()["error"]
    assert error["parameter"] == "country"


def test_error_messages_do_not_echo_markup_as_html(client: TestClient) -> None:
    response = client.get("/api/events", params={"since": "<img src=x onerror=alert(1)>"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")


def test_dashboard_page_forbids_inline_and_foreign_scripts(client: TestClient) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    # no script or stylesheet from another host: the page works offline
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", response.text)


def test_dashboard_script_never_parses_data_as_html() -> None:
    source = (STATIC / "app.js").read_text(encoding="utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ):
        assert sink not in source, f"app.js uses {sink}"
    # popups get DOM nodes, not HTML strings
    assert "bindPopup(() => popupContent(" in source


def test_csv_cells_cannot_become_spreadsheet_formulas() -> None:
    event = Event(
        id="e1",
        doc_id="d1",
        sentence='=HYPERLINK("http://example.com","click")',
        char_start=0,
        char_end=10,
        event_type="ASSAULT",
        attribution="@officials",
    )
    row = next(csv.DictReader(io.StringIO(events_csv([event]))))
    assert row["sentence"].startswith("'=")
    assert row["attribution"] == "'@officials"
    assert row["event_type"] == "ASSAULT"
