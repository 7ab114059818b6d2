"""The watch's HTTP client against a local server: conditional GET, redirects, size cap,
retries, robots.txt, timeouts, the per-host delay."""

from __future__ import annotations

import socket
import time

import pytest

from eventline.watch.fetch import Fetcher, FetchError, FetchPolicy
from tests.watch.feedserver import FeedServer

QUICK = FetchPolicy(timeout=2.0, retries=2, backoff=0.05, host_delay=0.0, max_bytes=100_000)


def test_conditional_get_answers_304_until_the_feed_changes():
    with FeedServer() as server:
        url = server.set("/feed.xml", "<rss>one</rss>")
        fetcher = Fetcher(QUICK)
        first = fetcher.get(url)
        assert first.status == 200 and first.body == b"<rss>one</rss>" and first.etag
        again = fetcher.get(url, etag=first.etag)
        assert again.status == 304 and again.body == b""
        server.set("/feed.xml", "<rss>two</rss>")
        changed = fetcher.get(url, etag=first.etag)
        assert changed.status == 200 and changed.body == b"<rss>two</rss>"
        assert changed.etag != first.etag


def test_redirects_are_followed_up_to_the_limit():
    with FeedServer() as server:
        server.set("/old", status=301, headers={"Location": "/new"})
        server.set("/new", "here")
        fetcher = Fetcher(QUICK)
        fetched = fetcher.get(server.url + "/old")
        assert fetched.body == b"here" and fetched.url.endswith("/new")
        server.set("/loop", status=302, headers={"Location": "/loop"})
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetcher.get(server.url + "/loop")
        assert server.hits["/loop"] == 6


def test_a_body_over_the_cap_is_refused():
    with FeedServer() as server:
        url = server.set("/huge", b"x" * 200_000)
        with pytest.raises(FetchError, match="over the 100,000-byte limit"):
            Fetcher(QUICK).get(url)


def test_server_errors_are_retried_with_backoff_then_reported():
    with FeedServer() as server:
        url = server.set("/broken", "oops", status=500)
        started = time.monotonic()
        with pytest.raises(FetchError, match="HTTP 500") as caught:
            Fetcher(QUICK).get(url)
        assert server.hits["/broken"] == 3  # the first try and two retries
        assert time.monotonic() - started >= 0.05 + 0.1  # backoff doubled
        assert caught.value.url == url
        server.set("/gone", "no", status=404)
        with pytest.raises(FetchError, match="HTTP 404"):
            Fetcher(QUICK).get(server.url + "/gone")
        assert server.hits["/gone"] == 1  # a 404 will not pass by retrying


def test_a_refused_connection_is_a_clear_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = FetchPolicy(timeout=1.0, retries=1, backoff=0.01, host_delay=0.0)
    with pytest.raises(FetchError) as caught:
        Fetcher(policy).get(f"http://127.0.0.1:{port}/feed.xml")
    assert "refused" in caught.value.detail.lower() or "connect" in caught.value.detail.lower()


def test_a_slow_server_times_out():
    with FeedServer() as server:
        url = server.set("/slow", "late", delay=1.5)
        policy = FetchPolicy(timeout=0.3, retries=0, host_delay=0.0)
        with pytest.raises(FetchError, match="(?i)timed out"):
            Fetcher(policy).get(url)


def test_robots_txt_is_respected():
    with FeedServer() as server:
        server.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        server.set("/private/feed.xml", "secret")
        server.set("/public/feed.xml", "open")
        fetcher = Fetcher(QUICK)
        with pytest.raises(FetchError, match="robots.txt"):
            fetcher.get(server.url + "/private/feed.xml")
        assert fetcher.get(server.url + "/public/feed.xml").body == b"open"
        assert server.hits["/private/feed.xml"] == 0
        assert server.hits["/robots.txt"] == 1  # read once per host


def test_requests_to_one_host_are_spaced():
    with FeedServer() as server:
        url = server.set("/a", "a")
        fetcher = Fetcher(FetchPolicy(host_delay=0.2, retries=0))
        fetcher.get(url)  # robots.txt (404) and the page
        started = time.monotonic()
        fetcher.get(url)
        fetcher.get(url)
        assert time.monotonic() - started >= 0.35
