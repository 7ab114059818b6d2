"""The benchmark's bookkeeping (no speed is asserted): ratios inside a round, the table."""

from __future__ import annotations

import os

from bench.common import BenchReport, Spread, _cpu_seconds, format_markdown


def _run(words_per_s: float, words_per_cpu_s: float) -> dict[str, float]:
    return {
        "articles_per_s": words_per_s / 100,
        "words_per_s": words_per_s,
        "peak_rss_mb": 300.0,
        "peak_rss_worker_mb": 400.0,
        "words_per_cpu_s": words_per_cpu_s,
        "load_average": 1.0,
    }


def test_ratios_are_taken_inside_each_round_and_tabled() -> None:
    report = BenchReport(
        command="python bench/run.py --quick",
        quick=True,
        articles=2,
        words=200,
        rounds=2,
        machine={"cpu_cores": "2", "cpu": "x", "ram": "1 GB", "os": "os", "python": "3", "spacy": "3"},
    )
    # the machine is twice as fast in round 2: the ratio stays 1.5
    report.raw = [
        {"spacy/1": _run(100, 200), "eventline/1": _run(150, 250)},
        {"spacy/1": _run(200, 200), "eventline/1": _run(300, 250)},
    ]
    for key in report.raw[0]:
        report.results[key] = {
            m: Spread.of([r[key][m] for r in report.raw]) for m in report.raw[0][key]
        }
    report.ratios["eventline/1"] = Spread.of(
        [r["eventline/1"]["words_per_s"] / r["spacy/1"]["words_per_s"] for r in report.raw]
    )
    report.cpu_ratios["eventline/1"] = Spread.of([1.25, 1.25])
    table = format_markdown(report)
    row = next(line for line in table.splitlines() if line.startswith("| eventline | 1 |"))
    assert "1.50 (1.50-1.50)" in row and "1.25 (1.25-1.25)" in row
    assert "1 (baseline)" in table


def test_cpu_seconds_grow_with_work_and_read_other_processes() -> None:
    before = _cpu_seconds()
    sum(i * i for i in range(300_000))
    assert _cpu_seconds() > before
    # a process id that is not running counts nothing instead of failing
    assert _cpu_seconds([os.getpid(), 2**22 + 1]) >= _cpu_seconds()
