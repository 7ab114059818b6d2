"""HTTP for the watch: polite, bounded GETs that fail as one clear error.

Every request: a timeout per connect and per read, a body cap (a larger body is refused
while it streams, never read whole), redirects followed by hand up to a limit (each hop
checked against robots.txt), retries of connection failures, 429 and 5xx answers with
exponential backoff, and a delay between two requests to the same host. Feeds are asked
for with their ETag / Last-Modified (conditional GET), so an unchanged feed answers 304
and costs no parsing. robots.txt is read once per host and run through
urllib.robotparser. urllib3 (already under trafilatura) does the HTTP, one pool of
connections shared by the worker threads.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

import eventline

USER_AGENT = f"eventline/{eventline.__version__} (+watch)"
REDIRECTS = (301, 302, 303, 307, 308)
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 20.0  # seconds, for the connection and for each read
    retries: int = 2  # tries after the first, for failures that may pass
    backoff: float = 1.0  # seconds before the first retry; doubled for each next one
    host_delay: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    connections: int = 32  # kept-alive connections per host


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body came from, after redirects
    status: int  # 200, or 304 (not modified: no body)
    body: bytes
    etag: str | None
    last_modified: str | None


class FetchError(Exception):
    """A URL that could not be read; `detail` says why, in words for the user."""

    def __init__(self, url: str, detail: str, *, transient: bool = False) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url
        self.detail = detail
        self.transient = transient


class Fetcher:
    """GETs under one policy; safe to share between threads."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._pool = urllib3.PoolManager(
            num_pools=256, maxsize=self.policy.connections, retries=False
        )
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}  # host -> earliest start of its next request
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """The body at `url`, or 304 when the validators still hold. Raises FetchError."""
        headers = {"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for hop in range(self.policy.max_redirects + 1):
            if not self.allowed(url):
                raise FetchError(url, "robots.txt of the site disallows it")
            status, location, fetched = self._get_retried(url, headers)
            if location is None:
                assert fetched is not None
                return fetched
            if hop == self.policy.max_redirects:
                break
            url = urljoin(url, location)
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects")

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets this client read `url` (no robots.txt: yes)."""
        parts = urlsplit(url)
        home = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            lock = self._robots_locks.setdefault(home, threading.Lock())
        with lock:  # one read of robots.txt per host, however many threads ask
            rules = self._robots.get(home)
            if rules is None:
                rules = self._read_robots(home)
                self._robots[home] = rules
        return rules.can_fetch(self.policy.user_agent, url)

    def _read_robots(self, home: str) -> urllib.robotparser.RobotFileParser:
        rules = urllib.robotparser.RobotFileParser(home + "/robots.txt")
        try:
            _, _, fetched = self._get_retried(
                home + "/robots.txt", {"User-Agent": self.policy.user_agent}
            )
        except FetchError as error:
            # the robots convention: access denied means stay out; a site without one or
            # one that cannot be reached says nothing against reading it
            denied = error.detail.startswith(("HTTP 401", "HTTP 403"))
            rules.parse(["User-agent: *", "Disallow: /"] if denied else [])
            return rules
        if fetched is None:  # robots.txt redirected: read as absent
            rules.parse([])
            return rules
        rules.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        return rules

    def _get_retried(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, str | None, Fetched | None]:
        """One hop: (status, redirect location or None, the answer when not a redirect)."""
        attempt = 0
        while True:
            try:
                return self._get_once(url, headers)
            except FetchError as error:
                if not error.transient or attempt >= self.policy.retries:
                    raise
                time.sleep(self.policy.backoff * 2**attempt)
                attempt += 1

    def _get_once(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, str | None, Fetched | None]:
        self._wait_for_host(url)
        timeout = urllib3.Timeout(connect=self.policy.timeout, read=self.policy.timeout)
        try:
            response = self._pool.request(
                "GET", url, headers=headers, redirect=False, preload_content=False, timeout=timeout
            )
        except urllib3.exceptions.LocationValueError as exc:
            raise FetchError(url, f"not a usable URL ({exc})") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(url, _reason(exc), transient=True) from exc
        try:
            status = response.status
            if status in REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location")
                return status, location, None
            if status == 304:
                return status, None, self._answer(url, response, b"")
            if status != 200:
                transient = status in RETRIED_STATUSES
                raise FetchError(
                    url, f"HTTP {status} {response.reason or ''}".strip(), transient=transient
                )
            return status, None, self._answer(url, response, self._body(url, response))
        finally:
            response.release_conn()

    def _body(self, url: str, response: urllib3.BaseHTTPResponse) -> bytes:
        cap = self.policy.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            response.drain_conn()
            raise FetchError(url, f"body of {int(declared):,} bytes is over the {cap:,}-byte limit")
        parts: list[bytes] = []
        size = 0
        try:
            for part in response.stream(64 * 1024):
                size += len(part)
                if size > cap:
                    raise FetchError(url, f"body is over the {cap:,}-byte limit")
                parts.append(part)
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(url, _reason(exc), transient=True) from exc
        return b"".join(parts)

    @staticmethod
    def _answer(url: str, response: urllib3.BaseHTTPResponse, body: bytes) -> Fetched:
        return Fetched(
            url,
            response.status,
            body,
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
        )

    def _wait_for_host(self, url: str) -> None:
        """Take the host's next free slot and sleep until it comes."""
        host = urlsplit(url).netloc
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_slot.get(host, 0.0))
            self._next_slot[host] = start + self.policy.host_delay
        if start > now:
            time.sleep(start - now)

    def close(self) -> None:
        self._pool.clear()


def _reason(exc: Exception) -> str:
    """The root cause of a urllib3 failure, in a few words (DNS, refused, timed out)."""
    cause: BaseException = exc
    while getattr(cause, "reason", None) is not None and cause is not cause.reason:  # type: ignore[attr-defined]
        cause = cause.reason  # type: ignore[attr-defined]
    text = str(cause) or type(cause).__name__
    return text[:200]
