"""Spark engine throughput on local[1] against local[2], same articles, same code.

For each master a session is built (bound to 127.0.0.1, no UI) and warmed up: one task per
core makes each Python worker build its pipeline (model, dictionaries, gazetteer), and a
small job runs once end to end (the JVM's first Parquet writes). Then the articles are
extracted `--rounds` times with `run_spark_ingest` (no store: Parquet output only, in a
temporary folder). The timed figure covers the whole job: reading JSONL, extraction,
writing Parquet and reading the results back on the driver.

    .venv/bin/python -m bench.spark_scaling [--articles 200] [--rounds 3] [--masters local[1] local[2]]

Run it from the repository root; it writes bench/results/spark_scaling.json and the block
between the spark-bench markers of docs/performance.md. Needs pyspark and Java 17.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import load_corpus, machine_info, word_count, write_jsonl, write_section
from eventline.model import Document

START, END = "<!-- spark-bench:start -->", "<!-- spark-bench:end -->"


def even_slice(documents: list[Document], count: int) -> list[Document]:
    if count <= 0 or count >= len(documents):
        return documents
    step = len(documents) / count
    return [documents[int(i * step)] for i in range(count)]


def _load_pipeline(_rows: Any) -> Any:
    """Runs on an executor: build (and keep) this Python worker's pipeline."""
    from eventline.engines.local import default_pipeline_factory
    from eventline.engines.spark import _pipeline

    _pipeline(default_pipeline_factory, ())
    yield os.getpid()


def cores_of(master: str) -> int:
    """Cores of a local master: local[2] -> 2, local[*] -> all, local -> 1."""
    inside = master.partition("[")[2].rstrip("]")
    if inside == "*":
        return os.cpu_count() or 1
    return int(inside) if inside.isdigit() else 1


def measure_master(master: str, source: Path, warm: Path, rounds: int) -> dict[str, Any]:
    from eventline.engines.spark import build_session, run_spark_ingest

    session = build_session(master)
    try:
        started = time.perf_counter()
        cores = cores_of(master)
        # one task per core at once: with worker reuse each core's Python worker keeps it
        workers = session.sparkContext.parallelize(range(cores), cores)
        worker_pids = sorted(set(workers.mapPartitions(_load_pipeline).collect()))
        run_spark_ingest([str(warm)], None, session=session)
        warm_up = time.perf_counter() - started
        seconds = []
        for _ in range(rounds):
            started = time.perf_counter()
            summary = run_spark_ingest([str(source)], None, session=session)
            seconds.append(time.perf_counter() - started)
        return {
            "warm_up_seconds": warm_up,
            "warm_workers": len(worker_pids),
            "seconds": seconds,
            "events": summary.events,
        }
    finally:
        session.stop()


def format_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Articles: {report['articles']} (an even slice of the benchmark corpus), "
        f"{report['words']:,} words; {report['rounds']} timed jobs per master after a warm-up "
        f"job; 1-minute load average {report['load_before']} before, {report['load_after']} after.",
        f"Command: `{report['command']}`",
        "",
        "| master | job seconds | articles/s | words/s | warm-up job s (model loads) |",
        "|---|---|---|---|---|",
    ]
    for master, result in report["masters"].items():
        seconds = result["seconds"]
        median = statistics.median(seconds)
        lines.append(
            f"| {master} | {median:.1f} ({min(seconds):.1f}-{max(seconds):.1f}) | "
            f"{report['articles'] / median:.2f} | {report['words'] / median:,.0f} | "
            f"{result['warm_up_seconds']:.1f} |"
        )
    masters = list(report["masters"])
    if len(masters) == 2:
        first, second = (statistics.median(report["masters"][m]["seconds"]) for m in masters)
        lines += ["", f"Speed-up {masters[1]} over {masters[0]}: {first / second:.2f}x (medians)."]
    return "\n".join(lines)


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    documents = even_slice(load_corpus(), args.articles)
    report: dict[str, Any] = {
        "command": "python -m bench.spark_scaling "
        f"--articles {args.articles} --rounds {args.rounds} --masters {' '.join(args.masters)}",
        "articles": len(documents),
        "words": word_count(documents),
        "rounds": args.rounds,
        "machine": machine_info(),
        "load_before": load_average(),
        "masters": {},
    }
    with tempfile.TemporaryDirectory(prefix="eventline-spark-bench-") as folder:
        source = write_jsonl(documents, Path(folder) / "articles.jsonl")
        warm = write_jsonl(documents[:4], Path(folder) / "warm.jsonl")
        for master in args.masters:
            report["masters"][master] = measure_master(master, source, warm, args.rounds)
    report["load_after"] = load_average()
    markdown = format_markdown(report)
    print(markdown)
    if not args.no_write:
        out = Path("bench") / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "spark_scaling.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
        write_section(markdown, start=START, end=END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
