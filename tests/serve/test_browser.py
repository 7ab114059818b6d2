"""The dashboard in a real headless Chromium: map markers, popups, the detail view.

Needs Debian's chromium at /usr/bin/chromium and the `playwright` Python package (its
own browser download is not used). The server runs in a thread on 127.0.0.1 and stops
when the module's tests end.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from eventline.serve.api import create_app, vendor_assets_present
from tests.serve.conftest import XSS_SENTENCE

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# CI machines are shared and busy: a popup or a fetch can take seconds to show. Every wait
# uses this one bound, long enough for a loaded machine; a real failure still ends the test.
UI_WAIT_MS = 30_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(store_url: str) -> Iterator[str]:
    """The API and dashboard over `store_url`, in a thread on 127.0.0.1, until the block ends."""
    port = free_port()
    config = uvicorn.Config(create_app(store_url), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(store_url: str) -> Iterator[str]:
    with served(store_url) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            "headless browser test needs Debian chromium at /usr/bin/chromium (apt-get install chromium)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="needs the playwright Python package"
    )
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # The page's Content-Security-Policy is bypassed on purpose: the test's own probes need
    # it, and the markup test must show that rendering is safe without that second guard.
    context = browser.new_context(viewport={"width": 1280, "height": 1100}, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(UI_WAIT_MS)
    tab.dialogs = []  # every alert/confirm a script opens lands here
    tab.errors = []

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def _click_until_popup(marker: Any, popup: Any, tries: int = 3) -> None:
    """Click a marker until its popup shows. On a loaded machine a click can land while the
    map still settles after fitting its bounds and miss the marker; the marker is then
    clicked again (the last wait raises with the browser's call log)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only runs with playwright

    for _ in range(tries - 1):
        marker.click()
        try:
            popup.wait_for(state="visible", timeout=UI_WAIT_MS // tries)
            return
        except PlaywrightTimeout:
            continue
    marker.click()
    popup.wait_for(state="visible")


def open_popup_with(page: Any, text: str) -> None:
    """Click the map's markers one by one until the popup shows `text`."""
    markers = page.locator("#map path.leaflet-interactive")
    popup = page.locator(".leaflet-popup-content")
    for index in range(markers.count()):
        _click_until_popup(markers.nth(index), popup)
        if text in popup.inner_text():
            return
        page.locator(".leaflet-popup-close-button").click()
        page.wait_for_function("!document.querySelector('.leaflet-popup')")
    pytest.fail(f"no marker popup shows {text!r}")


def test_dashboard_shows_markers_and_evidence(server: str, page: Any) -> None:
    if not vendor_assets_present():
        pytest.skip("dashboard vendor files missing: run scripts/build_assets.sh")
    page.goto(server)
    page.wait_for_function(
        "document.querySelectorAll('#map path.leaflet-interactive').length === 5"
    )
    page.wait_for_function("document.querySelectorAll('#events tbody tr').length === 6")
    page.wait_for_function("document.querySelectorAll('#timeline polyline').length >= 2")
    assert page.locator("#assets-warning").is_hidden()
    # the base map: countries drawn from the TopoJSON file, no tiles
    assert page.locator("#map path").count() > 100
    assert page.locator("#map img.leaflet-tile").count() == 0

    open_popup_with(page, "Baghdad")
    detail = page.locator("#detail")
    detail.locator(".report").nth(1).wait_for()
    assert "U.S. warplanes struck two Kataib Hezbollah facilities" in detail.inner_text()
    assert "Example Wire" in detail.inner_text() and "Other Desk" in detail.inner_text()
    page.wait_for_function(
        "[...document.querySelectorAll('#dyads tbody td')].some(td => td.textContent.includes('answered'))"
    )
    time.sleep(0.5)  # let the popup finish fading in before the picture
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert page.errors == []


def test_markup_in_data_is_shown_as_text_and_never_runs(server: str, page: Any) -> None:
    if not vendor_assets_present():
        pytest.skip("dashboard vendor files missing: run scripts/build_assets.sh")
    page.goto(server)
    page.wait_for_function(
        "document.querySelectorAll('#map path.leaflet-interactive').length === 5"
    )
    open_popup_with(page, "Kabul")
    popup_text = page.locator(".leaflet-popup-content").inner_text()
    assert "<script>alert('xss-script')</script>" in popup_text
    page.locator("#detail blockquote.evidence").first.wait_for()
    page.wait_for_function("document.querySelector('#detail').textContent.includes('onerror')")
    detail_text = page.locator("#detail").inner_text()
    assert XSS_SENTENCE in detail_text
    assert "<b>Bold Source</b>" in detail_text
    # the javascript: URL of the report stays text, never a link
    assert page.locator("#detail a").count() == 0
    # the row with the markup renders it as text too
    page.locator("#events tbody tr", has_text="<i>protesters</i>").click()
    time.sleep(0.3)
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("#detail script, #events script, .leaflet-popup script").count() == 0
    assert page.dialogs == []
    assert page.errors == []


def test_missing_vendor_files_tell_how_to_build_them(server: str, page: Any) -> None:
    page.route("**/static/vendor/**", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(server)
    warning = page.locator("#assets-warning")
    warning.wait_for(state="visible")
    assert "scripts/build_assets.sh" in warning.inner_text()
    # the rest of the page still works without the map libraries
    page.wait_for_function("document.querySelectorAll('#events tbody tr').length === 6")
