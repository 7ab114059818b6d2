"""Running the API with uvicorn, in one process or in several.

One process answers requests in a thread pool, but Python runs one thread at a time, so
JSON encoding and request handling use one core at most. `workers > 1` starts that many
processes on the same port (uvicorn's supervisor); each opens its own store connections,
which both backends allow for readers. uvicorn needs an import string to start workers,
so the store URL travels to them in an environment variable.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from eventline.serve.api import create_app

STORE_URL_VARIABLE = "EVENTLINE_SERVE_STORE"


def app_from_environment() -> FastAPI:
    """The app over the store named in EVENTLINE_SERVE_STORE (what each worker builds)."""
    return create_app(os.environ[STORE_URL_VARIABLE])


def run(
    store_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Serve until stopped; `workers` processes share the port."""
    import uvicorn

    options = {"host": host, "port": port, "log_level": log_level, "access_log": access_log}
    if workers <= 1:
        uvicorn.run(create_app(store_url), **options)  # type: ignore[arg-type]
        return
    os.environ[STORE_URL_VARIABLE] = store_url
    uvicorn.run(
        "eventline.serve.server:app_from_environment",
        factory=True,
        workers=workers,
        **options,  # type: ignore[arg-type]
    )
