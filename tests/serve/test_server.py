"""How `eventline serve` starts uvicorn: options, workers, and the nosniff header."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventline.serve import server
from eventline.serve.api import create_app


def test_fast_io_is_used_only_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    assert server.fast_io_options() == {"loop": "uvloop", "http": "httptools"}
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert server.fast_io_options() == {}
    monkeypatch.setattr(importlib.util, "find_spec", real)


@pytest.mark.parametrize("workers", [1, 3])
def test_run_hands_uvicorn_the_options(
    workers: int, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    monkeypatch.delenv(server.STORE_URL_VARIABLE, raising=False)
    monkeypatch.delenv(server.ANSWER_CACHE_VARIABLE, raising=False)
    url = str(tmp_path / "served.db")
    server.run(url, port=8123, workers=workers, answer_cache=False)
    ((app, options),) = calls
    assert options["port"] == 8123 and options["host"] == "127.0.0.1"
    assert options["backlog"] == server.BACKLOG
    assert options["timeout_keep_alive"] == server.KEEP_ALIVE_SECONDS
    if workers == 1:
        assert app.state.answer_cache is None
    else:
        # workers build the app themselves, from the environment
        assert app == "eventline.serve.server:app_from_environment"
        assert options["workers"] == workers and options["factory"] is True
        import os

        assert os.environ[server.STORE_URL_VARIABLE] == url
        assert os.environ[server.ANSWER_CACHE_VARIABLE] == "0"


def test_every_answer_says_nosniff_once(store_url: str) -> None:
    with TestClient(create_app(store_url)) as client:
        for path in ("/api/events", "/api/events?sort=nonsense", "/nowhere", "/", "/openapi.json"):
            response = client.get(path)
            assert response.headers.get_list("x-content-type-options") == ["nosniff"], path
