"""bench/load_test.py: a small run against a real server on 127.0.0.1, and its report."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "load_test.py"


@pytest.fixture(scope="module")
def load_test() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = module
    spec.loader.exec_module(module)
    return module


def test_percentile_is_the_nearest_rank(load_test: ModuleType) -> None:
    values = [float(n) for n in range(1, 101)]
    assert load_test.percentile(values, 0.5) == 51.0
    assert load_test.percentile(values, 0.95) == 96.0
    assert load_test.percentile(values, 0.99) == 100.0
    assert load_test.percentile([], 0.5) == 0.0


def test_a_short_run_answers_every_request(
    load_test: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    docs = tmp_path / "performance.md"
    docs.write_text(
        "# Performance\n\n<!-- load-test:start -->\nSTALE SECTION\n<!-- load-test:end -->\ntail\n"
    )
    monkeypatch.setattr(load_test, "DOCS", docs)
    argv = ["--events", "400", "--clients", "4", "--duration", "1", "--max-requests", "300"]
    code = load_test.main([*argv, "--phases", "closed,uncached,think", "--think-ms", "20"])
    import json

    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [phase["phase"] for phase in result["phases"]] == ["closed", "uncached", "think"]
    for phase in result["phases"]:
        assert phase["errors"] == 0 and 0 < phase["requests"] <= 300
        assert sum(kind["n"] for kind in phase["by_query"].values()) == phase["requests"]
        assert 0 < phase["distinct_queries"] <= phase["requests"]
        assert phase["latency_ms"]["p50"] <= phase["latency_ms"]["p95"]
    assert result["phases"][2]["think_ms"] == 20
    text = docs.read_text()
    assert "STALE SECTION" not in text and text.endswith("<!-- load-test:end -->\ntail\n")
    assert "think time: each client pauses 20 ms" in text and "| distinct queries |" in text


def test_an_unknown_phase_is_refused(load_test: ModuleType) -> None:
    with pytest.raises(SystemExit):
        load_test.main(["--phases", "closed,forever", "--no-docs"])
