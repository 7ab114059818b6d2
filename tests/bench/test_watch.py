"""bench/watch.py on a few feeds: a first cycle takes every item, steady cycles none, and
the section it writes keeps the figures between its markers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "watch.py"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("watch_bench_under_test", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_small_run_and_its_section(bench: ModuleType, tmp_path, monkeypatch) -> None:
    args = bench.argparse.Namespace(feeds=3, items=2, processes=1, workers=4, steady=2)
    first, steady, _, documents = bench.run(args)
    assert (first.sources, first.new_items, documents) == (3, 6, 6)
    assert 0 < first.fetch_seconds <= first.seconds
    assert [(cycle.new_items, cycle.unchanged) for cycle in steady] == [(0, 3), (0, 3)]
    section = bench.report(args, first, steady, documents)
    assert section.startswith(bench.START) and section.endswith(bench.END)
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\n## Watch\n\n" + bench.START + "\nold\n" + bench.END + "\n\ntail\n")
    monkeypatch.setattr(bench, "DOC", doc)
    bench.write(section)
    text = doc.read_text()
    assert "old" not in text and "| first | 3 | 6 | 6 |" in text and text.endswith("tail\n")
