"""Watch benchmark: many local feeds, a first cycle and steady cycles; figures into
docs/performance.md (section "Watch").

    .venv/bin/python bench/watch.py [--feeds 200] [--items 50] [--processes 1] [--no-write]

A local HTTP server on 127.0.0.1 (in this process) serves `--feeds` RSS feeds of `--items`
items each, and an article page per item. The first cycle reads every feed, fetches every
article, extracts it with trafilatura and runs the pipeline over it into a new SQLite
store; a steady cycle finds nothing new (every feed answers 304 to its conditional GET).
All feeds live on one host, so the per-host delay is 0 here: a real watch pays it per host.
Run from the repository root.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the local feed server and stories are the tests' own

from eventline.engines.local import LocalExtractor  # noqa: E402
from eventline.store import open_store  # noqa: E402
from eventline.store.sql import SQLStore  # noqa: E402
from eventline.watch.fetch import FetchPolicy  # noqa: E402
from eventline.watch.loop import CycleReport, Watch, WatchOptions  # noqa: E402
from eventline.watch.sources import parse_sources  # noqa: E402
from tests.watch.feedserver import FeedServer  # noqa: E402
from tests.watch.stories import feed, feed_item, page  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- watch-bench:start -->", "<!-- watch-bench:end -->"
FIRST_DAY = date(2024, 1, 1)


def serve(server: FeedServer, feeds: int, items: int) -> list[str]:
    urls = []
    for number in range(feeds):
        entries = []
        for index in range(items):
            story = number * items + index
            day = FIRST_DAY + timedelta(days=story % 60)
            server.set(f"/story/{story}.html", page(story, day), content_type="text/html")
            entries.append(feed_item(server.url, story, day))
        urls.append(server.set(f"/feed/{number}.xml", feed(f"Paper {number}", entries)))
    return urls


def run(args: argparse.Namespace) -> tuple[CycleReport, list[CycleReport], float, int]:
    policy = FetchPolicy(timeout=20.0, retries=1, host_delay=0.0)
    options = WatchOptions(workers=args.workers, processes=args.processes, policy=policy)
    with tempfile.TemporaryDirectory() as folder, FeedServer() as server:
        sources = parse_sources(serve(server, args.feeds, args.items))
        with open_store(str(Path(folder) / "watch.db")) as store:
            assert isinstance(store, SQLStore)
            watch = Watch(sources, store, options)
            with LocalExtractor(processes=args.processes) as extractor:
                loaded = time.perf_counter()
                extractor.start_workers()
                load_seconds = time.perf_counter() - loaded
                first = watch.cycle(sources, extractor)
                print(first.line(), f"(fetching done at {first.fetch_seconds:.1f} s)", flush=True)
                steady = []
                for _ in range(args.steady):
                    steady.append(watch.cycle(sources, extractor))
                    print(steady[-1].line(), flush=True)
            documents = store.stats()["documents"]
    return first, steady, load_seconds, documents


def report(args: argparse.Namespace, first: CycleReport, steady: list[CycleReport], documents: int) -> str:
    steady_median = statistics.median(cycle.seconds for cycle in steady)
    items = args.feeds * args.items
    return "\n".join(
        [
            START,
            f"`python bench/watch.py --feeds {args.feeds} --items {args.items} --processes "
            f"{args.processes} --workers {args.workers}` ({platform.machine()}, "
            f"Python {platform.python_version()}, SQLite store, feeds and pages from a local server "
            "in the same process):",
            "",
            "| cycle | sources | new items | documents | fetching done | cycle | per item |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| first | {first.sources} | {first.new_items:,} | {documents:,} | "
            f"{first.fetch_seconds:.1f} s | {first.seconds:.1f} s | "
            f"{1000 * first.seconds / max(1, items):.1f} ms |",
            f"| steady (median of {len(steady)}) | {steady[0].sources} | "
            f"{sum(c.new_items for c in steady)} | 0 | {statistics.median(c.fetch_seconds for c in steady):.2f} s | "
            f"{steady_median:.2f} s | {1000 * steady_median / args.feeds:.1f} ms per feed |",
            "",
            f"Fetching (every feed, every article page and its trafilatura extraction) was done "
            f"{first.fetch_seconds:.1f} s into the first cycle of {first.seconds:.1f} s; the rest "
            "is the pipeline over the documents, in the engine's process(es). A steady cycle "
            f"sends {args.feeds} conditional GETs, each answered 304, and parses nothing.",
            END,
        ]
    )


def write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if START in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Watch\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--workers", type=int, default=16, help="fetch threads")
    parser.add_argument("--steady", type=int, default=3, help="steady cycles to time")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    args = parser.parse_args(argv)
    first, steady, load_seconds, documents = run(args)
    section = report(args, first, steady, documents)
    print(section)
    print(f"(pipeline load, not timed in the cycles: {load_seconds:.1f} s)")
    if not args.no_write:
        write(section)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
