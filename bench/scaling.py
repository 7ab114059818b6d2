"""Cost of one long document: time per sentence and peak memory as the document grows.

One document of 1k, 4k, 16k and 64k sentences (by default) is built from the sentences of
the project's own example articles (examples/*.txt), drawn in a seeded random order, with
their numbers and weekdays varied so that the document tells many distinct events, as a
liveblog or a transcript does. Each size is extracted in a fresh process (so that its peak
memory is its own), after a warm-up that loads the model and dictionaries; the figure is
the extraction alone (`Pipeline.process`: cleaning, parse, extraction, merging), `--rounds`
times, median, as wall time and as CPU time (this process and spaCy's parsing processes).
One process parses unless `--parse-processes` says more, so that the figures are the cost
on one core. The repeated-sentence document ("Troops fired on protesters in the capital. "
60,000 times, 2.6 MB) is timed the same way with `--repeated 60000`.

    .venv/bin/python -m bench.scaling [--sizes 1000 4000 16000 64000] [--rounds 3] [--no-write]
    .venv/bin/python -m bench.scaling --repeated 60000

Run it from the repository root; it writes bench/results/scaling.json and the block between
the scaling markers of docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from eventline.pipeline import PARSE_PROCESSES_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "scaling.json"
START, END = "<!-- scaling:start -->", "<!-- scaling:end -->"
REPEATED_SENTENCE = "Troops fired on protesters in the capital. "
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_WEEKDAY = re.compile("|".join(WEEKDAYS))
_NUMBER = re.compile(r"\b\d+\b")
_DATELINE = re.compile(r"^[A-Z][A-Z .']+, [^-]{0,40} - ")


def example_sentences(folder: Path = ROOT / "examples") -> list[str]:
    """The sentences of the example articles' bodies (headlines and datelines left out)."""
    sentences: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        for paragraph in paragraphs[1:]:  # the first is the headline
            parts = _SENTENCE_END.split(_DATELINE.sub("", paragraph))
            sentences.extend(s.strip() for s in parts if s.strip())
    return sentences


def long_document(sentences: int, seed: int = 13) -> str:
    """`sentences` sentences drawn from the examples, five to a paragraph, numbers and
    weekdays varied."""
    pool = example_sentences()
    rng = random.Random(seed)
    drawn = []
    for _ in range(sentences):
        sentence = _NUMBER.sub(lambda _m: str(rng.randint(2, 60)), rng.choice(pool))
        drawn.append(_WEEKDAY.sub(lambda _m: rng.choice(WEEKDAYS), sentence))
    return "\n\n".join(" ".join(drawn[i : i + 5]) for i in range(0, len(drawn), 5))


def measure_one(sentences: int, rounds: int, repeated: bool) -> dict[str, Any]:
    """Runs in its own process: warm up, then extract one document `rounds` times."""
    from eventline.budget import Budget
    from eventline.engines.local import WARM_UP_TEXT
    from eventline.ingest import read_text
    from eventline.pipeline import Pipeline

    pipeline = Pipeline(budget=Budget(sentences=10**12, seconds=float("inf")))
    pipeline.extract_text(WARM_UP_TEXT, published="2024-06-12")
    warm_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = REPEATED_SENTENCE * sentences if repeated else long_document(sentences)
    times, cpu, events = [], [], 0
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), _cpu_seconds()
        result = pipeline.process(read_text(text, published="2024-06-12"))
        times.append(time.perf_counter() - started)
        cpu.append(_cpu_seconds() - started_cpu)
        events = len(result.events)
    peak_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return {
        "sentences": sentences, "characters": len(text), "events": events, "seconds": times,
        "median_seconds": statistics.median(times), "cpu_seconds": cpu, "median_cpu_seconds": statistics.median(cpu),
        "peak_mb": round(peak_mb, 1), "warm_mb": round(warm_mb, 1),
    }


def _cpu_seconds() -> float:
    """CPU time of this process and of its ended children (spaCy's parsing processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run(sizes: list[int], rounds: int, repeated: bool, parse_processes: int) -> list[dict[str, Any]]:
    rows = []
    environment = {**os.environ, PARSE_PROCESSES_VARIABLE: str(parse_processes)}
    for size in sizes:
        command = [sys.executable, "-m", "bench.scaling", "--one", str(size), "--rounds", str(rounds)]
        out = subprocess.run(command + (["--repeated-one"] if repeated else []), check=True,
                             capture_output=True, text=True, cwd=ROOT, env=environment)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["ms_per_sentence"] = round(1000 * row["median_seconds"] / size, 3)
        row["cpu_ms_per_sentence"] = round(1000 * row["median_cpu_seconds"] / size, 3)
        row["parse_processes"] = parse_processes
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def markdown(rows: list[dict[str, Any]], rounds: int, command: str) -> str:
    from bench.common import machine_info

    machine = machine_info()
    first, first_cpu = rows[0]["ms_per_sentence"], rows[0]["cpu_ms_per_sentence"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"Command: `{command}` ({rounds} round(s) per size, medians; {rows[0]['parse_processes']} parsing process)",
        f"Machine: {machine.get('cpu', '?')}, {machine.get('cpu_cores', '?')} cores, {machine.get('ram', '?')}; "
        f"load average {load:.1f} at the end",
        "",
        "| sentences | characters | events | seconds | ms / sentence | vs 1st | CPU ms / sentence | vs 1st | peak MB | MB over warm |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['sentences']:,} | {row['characters']:,} | {row['events']:,} | {row['median_seconds']:.1f} | "
            f"{row['ms_per_sentence']:.2f} | {row['ms_per_sentence'] / first:.2f}x | {row['cpu_ms_per_sentence']:.2f} | "
            f"{row['cpu_ms_per_sentence'] / first_cpu:.2f}x | {row['peak_mb']:.0f} | {row['peak_mb'] - row['warm_mb']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000, 64000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeated", type=int, metavar="N", help="time the repeated-sentence document of N sentences")
    parser.add_argument("--parse-processes", type=int, default=1,
                        help="processes parsing one long document (1: the cost of one core, the default)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeated-one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_one(args.one, args.rounds, args.repeated_one)))
        return 0
    if args.repeated:
        run([args.repeated], args.rounds, repeated=True, parse_processes=args.parse_processes)
        return 0
    rows = run(args.sizes, args.rounds, repeated=False, parse_processes=args.parse_processes)
    if not args.no_write:
        from bench.common import write_section

        command = "python -m bench.scaling " + " ".join(argv if argv is not None else sys.argv[1:])
        RESULTS.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
        write_section(markdown(rows, args.rounds, command.strip()), ROOT / "docs" / "performance.md", start=START, end=END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
