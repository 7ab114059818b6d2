"""A local HTTP server (127.0.0.1 only) serving feeds and article pages that tests change
between cycles: each path answers what its `Route` says, with an ETag computed from the
body (so unchanged feeds answer 304), and every request is counted. It stops when the
test's `with` block ends.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

MAX_DELAY = 5.0  # no route sleeps longer than this, whatever a test asks


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    # the default backlog of 5 drops the connections of many fetch threads at once, and
    # each dropped one waits a second for the client to try again
    request_queue_size = 256


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.statuses: list[tuple[str, int]] = []
        self.posts: list[tuple[str, dict[str, str], bytes]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                server._answer(self)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with server._lock:
                    server.posts.append((self.path, dict(self.headers), body))
                server._answer(self)

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    def set(self, path: str, body: bytes | str = b"", **values: Any) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **values)
        return self.url + path

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        route = self.routes.get(path)
        with self._lock:
            self.hits[path] += 1
        if route is None:
            self._send(handler, path, 404, b"not found", {})
            return
        time.sleep(min(route.delay, MAX_DELAY))
        etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.status == 200:
            headers["ETag"] = etag
            if handler.headers.get("If-None-Match") == etag:
                self._send(handler, path, 304, b"", headers)
                return
        self._send(handler, path, route.status, route.body, headers)

    def _send(self, handler: BaseHTTPRequestHandler, path: str, status: int, body: bytes, headers: dict[str, str]) -> None:
        with self._lock:
            self.statuses.append((path, status))
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if body:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)


def rss(title: str, items: list[dict[str, Any]]) -> str:
    """An RSS 2.0 feed; each item: guid, title, link, description, and published (a date)."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>']
    for item in items:
        parts.append("<item>")
        for name in ("guid", "title", "link", "description"):
            if item.get(name):
                parts.append(f"<{name}>{escape(item[name])}</{name}>")
        if item.get("published"):
            moment = item["published"]
            parts.append(f"<pubDate>{format_datetime(moment)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts)


def article_page(headline: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(headline)}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(headline)}</h1>{body}</article>"
        f"<footer>Copyright the example paper</footer></body></html>"
    )
