"""Run the throughput benchmark and write its figures into docs/performance.md.

    .venv/bin/python bench/run.py [--quick] [--rounds 3] [--processes 1 2] [--no-write]

Each mode runs in a fresh process per round (see eventline/benchmark.py). The figures go
between the `<!-- bench:start -->` and `<!-- bench:end -->` markers of docs/performance.md;
the rest of the file, including the load-test section, is left as it is. The raw numbers
are also written to bench/results/<quick|full>.json.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from eventline.benchmark import MODES, format_markdown, run_benchmark

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_section(markdown: str, path: Path = DOC) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Performance\n"
    block = f"{START}\n{markdown}\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="eventline throughput benchmark")
    parser.add_argument("--quick", action="store_true", help="a 60-article slice")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    command = "python bench/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    report = run_benchmark(
        rounds=args.rounds,
        processes=args.processes,
        modes=args.modes,
        quick=args.quick,
        command=command.strip(),
        on_result=lambda key, r: print(
            f"{key}: {r['words_per_s']:.0f} words/s, {r['peak_rss_worker_mb']:.0f} MB",
            file=sys.stderr,
        ),
    )
    markdown = format_markdown(report)
    print(markdown)
    if not args.no_write:
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        name = "quick.json" if args.quick else "full.json"
        (results / name).write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
        write_section(markdown)


if __name__ == "__main__":
    main()
