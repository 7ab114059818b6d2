"""Which part of the PLOVER GSR (source country, event, target country) triples the pipeline
misses, as the Markdown tables of docs/accuracy-notes.md (eventline/evaluation/triple_failures.py
says how a record is judged).

    .venv/bin/python scripts/plover_triple_failures.py [--limit N] [--data DIR]
    .venv/bin/python scripts/plover_triple_failures.py --from scoreboard.json

`--from` reads the output of `eventline eval plover_gsr --json` instead of scoring again. Run
it from the repository root, as `eventline eval` runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eventline.evaluation import triple_failures
from eventline.evaluation.runner import DEFAULT_DATA, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the gold sets")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N records")
    parser.add_argument(
        "--from", dest="saved", type=Path, default=None, help="a saved `eventline eval --json`"
    )
    args = parser.parse_args(argv)
    if args.saved is not None:
        sets = json.loads(args.saved.read_text(encoding="utf-8")).get("sets", {})
    else:
        sets = run(["plover_gsr"], args.data, args.limit).sets
    table = sets.get("plover_gsr", {}).get("triple_failures")
    if table is None:
        print("error: no PLOVER GSR figures with a triple breakdown", file=sys.stderr)
        return 2
    print(triple_failures.markdown(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
