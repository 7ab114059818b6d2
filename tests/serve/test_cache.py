"""The answer cache: kept answers are the answers, and never outlive the store state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventline.serve.api import create_app
from eventline.serve.cache import (
    AnswerCache,
    accepts_gzip,
    cache_key,
    compress_entry,
    entry_for_client,
)
from eventline.store import open_store
from tests.serve.conftest import sample_results


def answer(size: int = 3) -> tuple[int, list[tuple[bytes, bytes]], bytes, bool]:
    return (200, [(b"content-type", b"application/json")], b"x" * size, False)


def test_entries_live_only_within_one_store_state() -> None:
    version = {"now": 1}
    cache = AnswerCache(lambda: version["now"])
    key = ("http", b"h", "/api/events", b"")
    first = cache.generation()
    assert first is not None and cache.get(key, first) is None
    cache.put(key, first, answer())
    assert cache.generation() == first and cache.get(key, first) == answer()
    version["now"] = 2  # another connection committed
    second = cache.generation()
    assert second != first and cache.get(key, second) is None and len(cache) == 0
    cache.put(key, first, answer())  # read under the old state: not kept
    assert len(cache) == 0


def test_a_store_without_a_version_keeps_nothing() -> None:
    cache = AnswerCache(lambda: None)
    assert cache.generation() is None

    def broken() -> int:
        raise OSError("store gone")

    assert AnswerCache(broken).generation() is None


def test_the_cache_stays_within_its_bounds() -> None:
    cache = AnswerCache(lambda: 1, max_entries=3, max_bytes=10, max_entry_bytes=6)
    state = cache.generation()
    assert state is not None
    keys = [("http", b"h", "/api/events", str(n).encode()) for n in range(5)]
    for key in keys:
        cache.put(key, state, answer(3))
    assert len(cache) == 3 and cache.get(keys[0], state) is None  # the oldest went first
    cache.put(keys[0], state, answer(7))  # larger than one entry may be
    assert cache.get(keys[0], state) is None
    cache.put(keys[0], state, answer(6))  # fits, but pushes the total past 10 bytes
    assert cache.get(keys[0], state) is not None and len(cache) == 2


def scope(method: str = "GET", path: str = "/api/events", host: bytes = b"a") -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "scheme": "http",
        "query_string": b"country=IRQ",
        "headers": [(b"host", host)],
    }


def test_only_reads_of_the_api_are_kept() -> None:
    assert cache_key(scope()) == ("http", b"a", "/api/events", b"country=IRQ")
    assert cache_key(scope(host=b"b")) != cache_key(scope())  # `next` links name the host
    assert cache_key(scope(method="POST")) is None
    assert cache_key(scope(path="/")) is None
    assert cache_key(scope(path="/api/health")) is None  # also tells about files on disk


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    url = str(tmp_path / "cached.db")
    with open_store(url) as store:
        store.add_results(sample_results()[:2])
    return url


def test_a_repeated_query_is_answered_from_the_cache(fresh_url: str) -> None:
    app = create_app(fresh_url)
    with TestClient(app) as client:
        first = client.get("/api/events", params={"limit": 1})
        second = client.get("/api/events", params={"limit": 1})
        cache = app.state.answer_cache
        assert cache.hits == 1
        assert second.content == first.content
        assert second.headers["x-content-type-options"] == "nosniff"
        assert second.headers["content-type"] == first.headers["content-type"]
        # the `next` link follows the Host header, so another host is another entry
        other = client.get("/api/events", params={"limit": 1}, headers={"host": "example.org"})
        assert other.json()["meta"]["next"].startswith("http://example.org/")
        assert cache.hits == 1


def test_errors_are_not_kept(fresh_url: str) -> None:
    app = create_app(fresh_url)
    with TestClient(app) as client:
        for _ in range(2):
            assert client.get("/api/events", params={"since": "yesterday"}).status_code == 400
        assert app.state.answer_cache.hits == 0 and len(app.state.answer_cache) == 0


def test_a_write_elsewhere_is_seen_by_the_next_request(fresh_url: str) -> None:
    """Pages and totals: a full first page needs a count, which must not be reused either."""
    app = create_app(fresh_url)
    with TestClient(app) as client:
        before = client.get("/api/events", params={"limit": 1}).json()["meta"]["total"]
        assert client.get("/api/events", params={"limit": 1}).json()["meta"]["total"] == before
        with open_store(fresh_url) as writer:
            writer.add_results(sample_results()[2:])
        after = client.get("/api/events", params={"limit": 1}).json()["meta"]["total"]
        everything = client.get("/api/events", params={"limit": 1000}).json()["meta"]["count"]
    assert after == everything > before


def test_the_cache_can_be_turned_off(fresh_url: str) -> None:
    assert create_app(fresh_url, answer_cache=False).state.answer_cache is None
    with open_store(fresh_url) as shared:
        # a store handed in may write through its own connection, unseen by a version check
        assert create_app(fresh_url, store=shared).state.answer_cache is None


def test_workers_read_the_cache_setting_from_the_environment(
    fresh_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventline.serve import server

    monkeypatch.setenv(server.STORE_URL_VARIABLE, fresh_url)
    monkeypatch.setenv(server.ANSWER_CACHE_VARIABLE, "0")
    assert server.app_from_environment().state.answer_cache is None
    monkeypatch.setenv(server.ANSWER_CACHE_VARIABLE, "1")
    assert server.app_from_environment().state.answer_cache is not None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        (b"gzip", True),
        (b"gzip, deflate, br", True),
        (b"deflate, GZIP;q=0.5", True),
        (b"br;q=1.0, gzip;q=0", False),
        (b"*", True),
        (b"identity", False),
    ],
)
def test_accept_encoding_is_read_as_http_says(header: bytes | None, expected: bool) -> None:
    headers = [] if header is None else [(b"accept-encoding", header)]
    assert accepts_gzip({"headers": headers}) is expected


def test_large_json_answers_are_kept_compressed_and_inflated_for_other_clients() -> None:
    body = b'{"data": [' + b", ".join(b'{"id": "e%d"}' % i for i in range(500)) + b"]}"
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    entry = compress_entry(200, headers, body)
    status, sent_headers, sent = entry_for_client(entry, gzip_ok=True)
    named = dict(sent_headers)
    assert status == 200 and entry[3] is True and len(sent) < len(body) // 4
    assert named[b"content-encoding"] == b"gzip" and named[b"vary"] == b"accept-encoding"
    assert named[b"content-length"] == b"%d" % len(sent)
    _, plain_headers, plain = entry_for_client(entry, gzip_ok=False)
    assert plain == body and b"content-encoding" not in dict(plain_headers)
    assert dict(plain_headers)[b"content-length"] == b"%d" % len(body)
    # small answers and other types stay as they are
    assert compress_entry(200, headers, b"{}")[3] is False
    assert compress_entry(200, [(b"content-type", b"image/png")], body)[3] is False


def test_clients_with_and_without_gzip_read_the_same_answer(fresh_url: str) -> None:
    app = create_app(fresh_url)
    with TestClient(app) as client:
        plain = {"accept-encoding": "identity"}
        first = client.get("/api/events", params={"limit": 50}, headers=plain)
        packed = client.get("/api/events", params={"limit": 50})  # httpx asks for gzip
        again = client.get("/api/events", params={"limit": 50}, headers=plain)
    assert app.state.answer_cache.hits == 2
    assert "content-encoding" not in first.headers and first.headers["vary"] == "accept-encoding"
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == first.content == again.content
    assert int(packed.headers["content-length"]) < len(first.content)
