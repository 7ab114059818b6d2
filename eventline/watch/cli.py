"""The watch's commands: `eventline watch`, `eventline sources` and `eventline alerts`.

Registered by eventline.cli; the options parsed there become
the watch's objects here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

SOURCE_COLUMNS = [
    "source", "last_success", "last_error_at", "failures", "items_seen", "events_found", "last_error",
]  # fmt: skip
ALERT_COLUMNS = ["fired_at", "rule", "id", "summary"]


def _positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            number = None
        if number is None or number <= 0:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number above 0")
        return number

    return parse


def add_parsers(
    sub: Any, add_output_options: Callable[[argparse.ArgumentParser], None], default_db: str
) -> None:
    p = sub.add_parser("watch", help="follow feeds and folders: ingest what is new, fire alerts")
    p.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="feed URL, feed file, folder, or a file listing sources",
    )
    p.add_argument("--db", default=default_db, help="SQLite path or postgresql:// URL")
    p.add_argument(
        "--every", type=_positive(float), default=900.0, help="seconds between polls of a source (900)"
    )
    p.add_argument("--once", action="store_true", help="one cycle, then stop")
    p.add_argument("--max-cycles", type=_positive(int), default=None, metavar="N", help="stop after N cycles")
    p.add_argument("--alerts", type=Path, default=None, metavar="RULES.yaml", help="alert rules")
    p.add_argument(
        "--alerts-out", default=None, metavar="FILE", help="append alerts as JSONL (- for stdout)"
    )
    p.add_argument("--webhook", default=None, metavar="URL", help="POST each alert as JSON here")
    p.add_argument("--workers", type=_positive(int), default=8, help="fetch threads (8)")
    p.add_argument("--processes", type=int, default=1, help="parsing processes (1)")
    p.add_argument("--batch-size", type=int, default=32, help="documents per store transaction")
    p.add_argument("--timeout", type=_positive(float), default=20.0, help="seconds per connect and read (20)")
    p.add_argument("--retries", type=int, default=2, help="retries of a failed fetch (2)")
    p.add_argument(
        "--host-delay", type=float, default=1.0, help="seconds between requests to one host (1)"
    )
    p.add_argument(
        "--max-bytes", type=int, default=10 * 1024 * 1024, help="largest feed or page body"
    )
    p.add_argument(
        "--no-articles", action="store_true", help="use the feeds' own text, fetch no pages"
    )
    p.add_argument(
        "--actors",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="extra actor dictionary",
    )
    p.add_argument("--lock-timeout", type=float, default=30.0)

    p = sub.add_parser("sources", help="health of each watched source")
    p.add_argument("--db", default=default_db)
    add_output_options(p)

    p = sub.add_parser("alerts", help="stored alerts, newest first")
    p.add_argument("--db", default=default_db)
    p.add_argument("--limit", type=int, default=None)
    add_output_options(p)


def cmd_watch(args: argparse.Namespace) -> int:
    from eventline.store import open_store
    from eventline.store.sql import SQLStore
    from eventline.watch.deliver import Delivery
    from eventline.watch.fetch import FetchPolicy
    from eventline.watch.loop import Watch, WatchOptions
    from eventline.watch.rules import load_rules
    from eventline.watch.sources import parse_sources

    sources = parse_sources(args.sources)
    rules = load_rules(args.alerts) if args.alerts else []
    policy = FetchPolicy(
        timeout=args.timeout,
        retries=args.retries,
        host_delay=args.host_delay,
        max_bytes=args.max_bytes,
    )
    options = WatchOptions(
        every=args.every,
        max_cycles=1 if args.once else args.max_cycles,
        workers=args.workers,
        processes=args.processes,
        batch_size=args.batch_size,
        actor_files=args.actors,
        policy=policy,
        fetch_articles=not args.no_articles,
    )
    delivery = Delivery(args.alerts_out, args.webhook)

    def report(line: str) -> None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    with open_store(args.db, lock_timeout=args.lock_timeout) as store:
        assert isinstance(store, SQLStore)
        watch = Watch(sources, store, options, rules=rules, delivery=delivery, report=report)
        try:
            watch.run()
        except KeyboardInterrupt:
            report(f"stopped after {watch.cycles} cycles")
    # as for ingest: 1 when inputs (here: sources of the last cycle) failed, each reported
    return 1 if watch.last_failed else 0


def cmd_sources(args: argparse.Namespace) -> int:
    from eventline.output import write_records

    records = _read(args.db, lambda store: store.source_health())
    write_records(
        records,
        args.fmt,
        sys.stdout,
        columns=SOURCE_COLUMNS if args.fmt in ("table", "csv") else None,
    )
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from eventline.output import write_records

    records = _read(args.db, lambda store: store.alerts(limit=args.limit))
    if args.fmt in ("table", "csv"):
        for record in records:
            record["event_ids"] = " ".join(record.get("event_ids", []))
    columns = [*ALERT_COLUMNS, "event_ids"] if args.fmt in ("table", "csv") else None
    write_records(records, args.fmt, sys.stdout, columns=columns)
    return 0


def _read(url: str, read: Callable[[Any], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    from eventline.store import open_store

    with open_store(url) as store:
        return read(store)


COMMANDS = {"watch": cmd_watch, "sources": cmd_sources, "alerts": cmd_alerts}
