"""The alerts panel in a real headless Chromium: an alert fired while the page is open
appears without a reload, and its evidence opens in the event view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from eventline.store import open_store
from eventline.store.watch_state import now_iso
from tests.serve.conftest import sample_results
from tests.serve.test_browser import ARTIFACTS, browser, served  # noqa: F401 - a fixture
from tests.serve.test_browser import page as page  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def alert(number: int, event_ids: list[str]) -> dict:
    return {
        "kind": "alert", "id": f"a{number}", "rule": "deadly-day", "when": "fatalities",
        "fired_at": now_iso(), "summary": f"deadly-day: alert number {number}.",
        "event_ids": event_ids, "country": None, "actor": None, "type": None,
    }  # fmt: skip


@pytest.fixture
def watched_server(tmp_path) -> Iterator[tuple[str, str]]:
    path = str(tmp_path / "watched.db")
    with open_store(path) as store:
        store.add_results(sample_results())
        store.add_alerts([alert(1, [])])
    with served(path) as url:
        yield url, path


def test_an_alert_appears_while_the_page_is_open(watched_server, page: Any) -> None:
    url, path = watched_server
    page.goto(url)
    page.locator("#alerts li[data-alert-id='a1']").wait_for(timeout=10000)
    page.wait_for_function("document.querySelector('#alerts-live').textContent === 'live'")
    with open_store(path) as store:
        event_id = store.events()[0].id
        store.add_alerts([alert(2, [event_id])])
    fresh = page.locator("#alerts li[data-alert-id='a2']")
    fresh.wait_for(timeout=15000)  # pushed by /api/stream, no reload
    assert page.locator("#alerts li").first.get_attribute("data-alert-id") == "a2"
    assert "alert number 2" in fresh.inner_text()
    fresh.locator(".evidence button").first.click()
    page.wait_for_function("document.querySelectorAll('#detail .report').length > 0")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#alerts-panel").screenshot(path=str(ARTIFACTS / "alerts.png"))
    assert page.errors == []
