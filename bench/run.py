"""Run the throughput benchmark and write its figures into docs/performance.md.

    .venv/bin/python -m bench.run [--quick] [--rounds 3] [--processes 1 2] [--no-write]

See bench/common.py for what is measured. Run it from the repository root.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.common import MODES, format_markdown, run_benchmark, write_section


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="eventline throughput benchmark")
    parser.add_argument("--quick", action="store_true", help="a 60-article slice")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument("--no-write", action="store_true", help="print only")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    command = "python -m bench.run " + " ".join(shlex.quote(a) for a in argv)
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
        results = Path("bench") / "results"
        results.mkdir(parents=True, exist_ok=True)
        name = "quick.json" if args.quick else "full.json"
        (results / name).write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
        write_section(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
