"""Profile the extraction hot path with the standard library's cProfile.

The pipeline is warmed up first with the local engine's warm-up sentence (model, dictionaries,
gazetteer and its town points, classifier), then the corpus is extracted under the profiler. Prints the functions with the most cumulative and own time, and saves the
raw statistics (readable with `python -m pstats`).

    .venv/bin/python bench/profile_pipeline.py [--quick] [--limit N] [--top 25] [--out FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

from eventline.benchmark import load_corpus
from eventline.engines.local import WARM_UP_TEXT
from eventline.model import Document
from eventline.pipeline import Pipeline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the 60-article slice")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-prefilter", action="store_true", help="parse every sentence")
    parser.add_argument("--out", type=Path, default=Path("bench") / "results" / "profile.pstats")
    args = parser.parse_args()
    documents = load_corpus(quick=args.quick)
    if args.limit:
        documents = documents[: args.limit]
    pipeline = Pipeline(prefilter=not args.no_prefilter)
    pipeline.process(Document("warm-up", WARM_UP_TEXT))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    events = sum(len(r.events) for r in pipeline.process_many(documents))
    profiler.disable()
    seconds = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(args.out)
    print(f"{len(documents)} articles, {events} events, {seconds:.1f} s under the profiler")
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(args.top)
        print(text.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
