"""Event model cost: load time, peak RSS after the first reading, and reading speed (sentences/s).

Load is timed in wall seconds and in CPU seconds (what a busy machine does not inflate), up to
a model ready to read, then for the first reading (the trigger lexicon and the sentence
vectors load then). Each load runs in a fresh Python process (imports included), so its time and memory are its
own; the figures are medians over --rounds. Reading speed is measured on the sentences of the
benchmark corpus (bench.common.load_corpus), for the whole model (`EventModel.read`, as the
pipeline calls it) and for the dense sentence vectors alone.

    .venv/bin/python -m bench.event_model_load [--rounds 3] [--sentences 3000]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

_LOAD = """
import json, resource, sys, time
from pathlib import Path
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start, start_cpu = time.perf_counter(), cpu()
from eventline.extraction.event_model import EventModel
model = EventModel.load(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
loaded, loaded_cpu = time.perf_counter(), cpu()
model.read(["Troops shelled the town."])  # the first reading loads the lexicon and vectors
print(json.dumps({
    "seconds": loaded - start, "cpu_seconds": loaded_cpu - start_cpu,
    "first_read_seconds": time.perf_counter() - loaded, "first_read_cpu_seconds": cpu() - loaded_cpu,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

_SPEED = """
import json, sys, time
from eventline.extraction.event_model import EventModel
from eventline.extraction.sentence_vectors import encode
from pathlib import Path
sentences = json.load(sys.stdin)
model = EventModel.load(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
model.read(sentences[:10]); encode(sentences[:10])
start = time.perf_counter(); model.read(sentences); whole = time.perf_counter() - start
start = time.perf_counter(); encode(sentences); dense = time.perf_counter() - start
print(json.dumps({"model_per_s": len(sentences) / whole, "dense_per_s": len(sentences) / dense}))
"""


def _sentences(limit: int) -> list[str]:
    from bench.common import load_corpus

    out: list[str] = []
    for document in load_corpus():
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", document.text) if len(s.strip()) > 20]
        if len(out) >= limit:
            break
    return out[:limit]


def _run(code: str, stdin: str = "", args: Sequence[str] = ()) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--model", type=Path, help="another artifact to load (default: the shipped one)")
    args = parser.parse_args(argv)
    loads = [_run(_LOAD, args=[str(args.model)] if args.model else []) for _ in range(args.rounds)]
    sentences = _sentences(args.sentences)
    model = [str(args.model)] if args.model else []
    speeds = [_run(_SPEED, json.dumps(sentences), model) for _ in range(args.rounds)]
    report = {
        **{
            f"{key}_median": round(statistics.median(r[key] for r in loads), 2)
            for key in ("seconds", "cpu_seconds", "first_read_seconds", "first_read_cpu_seconds")
        },
        "rss_mb_after_first_read_median": round(statistics.median(r["rss_mb"] for r in loads)),
        "sentences": len(sentences),
        "model_sentences_per_s_median": round(statistics.median(r["model_per_s"] for r in speeds)),
        "dense_sentences_per_s_median": round(statistics.median(r["dense_per_s"] for r in speeds)),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
