"""Running the API with uvicorn, in one process or in several.

One process answers requests in a thread pool, but Python runs one thread at a time, so
JSON encoding and request handling use one core at most. `workers > 1` starts that many
processes on the same port (uvicorn's supervisor); each opens its own store connections,
which both backends allow for readers. uvicorn needs an import string to start workers,
so the store URL travels to them in an environment variable.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from fastapi import FastAPI

from eventline.serve.api import create_app

STORE_URL_VARIABLE = "EVENTLINE_SERVE_STORE"
# "0" turns the answer cache off in every worker (eventline.serve.cache), e.g. to measure
# the server without it
ANSWER_CACHE_VARIABLE = "EVENTLINE_SERVE_ANSWER_CACHE"
# Connections waiting to be accepted: a burst of clients beyond it would be refused.
BACKLOG = 4096
# Seconds an idle keep-alive connection stays open. uvicorn's default (5 s) closes idle
# connections while a client may be sending its next request on them, and the client then
# sees a reset connection; a longer wait makes that race rare for clients that pause.
KEEP_ALIVE_SECONDS = 75


def fast_io_options() -> dict[str, str]:
    """uvloop's event loop and httptools' HTTP parser when installed (uvicorn[standard]):
    they take a good part of the per-request CPU off the pure-Python defaults."""
    options = {}
    if importlib.util.find_spec("uvloop") is not None:
        options["loop"] = "uvloop"
    if importlib.util.find_spec("httptools") is not None:
        options["http"] = "httptools"
    return options


def app_from_environment() -> FastAPI:
    """The app over the store named in EVENTLINE_SERVE_STORE (what each worker builds)."""
    cached = os.environ.get(ANSWER_CACHE_VARIABLE, "1") != "0"
    return create_app(os.environ[STORE_URL_VARIABLE], answer_cache=cached)


def run(
    store_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
    access_log: bool = True,
    answer_cache: bool = True,
) -> None:
    """Serve until stopped; `workers` processes share the port. `answer_cache`: keep whole
    answers while the store is unchanged (eventline.serve.cache)."""
    import uvicorn

    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": access_log,
        "backlog": BACKLOG,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        **fast_io_options(),
    }
    if workers <= 1:
        uvicorn.run(create_app(store_url, answer_cache=answer_cache), **options)
        return
    os.environ[STORE_URL_VARIABLE] = store_url
    os.environ[ANSWER_CACHE_VARIABLE] = "1" if answer_cache else "0"
    uvicorn.run(
        "eventline.serve.server:app_from_environment",
        factory=True,
        workers=workers,
        **options,
    )
