"""The `eventline` command: a thin layer over the library. It parses options, calls the
library, formats output and maps errors to exit codes. It holds no extraction logic.

Exit codes: 0 all inputs processed; 1 some inputs failed (each reported on stderr, the rest
processed); 2 invalid command line or options; 3 the store could not be opened, read or written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventline.errors import ConfigError, EventlineError, Msg, StoreError
from eventline.output import (
    CLAIM_TABLE_COLUMNS,
    EVENT_TABLE_COLUMNS,
    FORMATS,
    contract_columns,
    write_records,
)

if TYPE_CHECKING:
    from eventline.engines.local import IngestSummary

EXIT_OK, EXIT_FAILED_INPUTS, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3
DEFAULT_DB = "eventline.db"
PROCESSES_HELP = (
    "extracting processes (default: one per core when the input holds more than one batch "
    "of documents on Linux, where workers are forked from the loaded pipeline, or at least "
    "200,000 characters elsewhere; else 1)"
)


def _date(option: str):  # noqa: ANN202 - an argparse type factory
    def parse(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"[E403] {Msg.E403.format(value=value, option=option)}") from None

    return parse


def _add_output_options(parser: argparse.ArgumentParser, default: str = "table") -> None:
    group = parser.add_mutually_exclusive_group()
    for fmt in FORMATS:
        group.add_argument(f"--{fmt}", dest="fmt", action="store_const", const=fmt, help=f"print {fmt}")
    group.add_argument("--format", dest="fmt", choices=FORMATS, help="output format")
    parser.set_defaults(fmt=default)


def _add_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_date("--since"), help="events on or after YYYY-MM-DD")
    parser.add_argument("--until", type=_date("--until"), help="events on or before YYYY-MM-DD")
    parser.add_argument("--country", help="ISO alpha-3 code of the place or of either actor")
    parser.add_argument("--actor", help="text in an actor's name, mention or code")
    parser.add_argument("--type", dest="event_type", help="PLOVER event type, e.g. ASSAULT")
    parser.add_argument("--mode", help="PLOVER mode, e.g. aerial")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--sort", default="date", help="date, -date, fatalities, -fatalities, id")


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, or - for stdin")
    parser.add_argument("--published", type=_date("--published"), help="publication date for documents without one")
    parser.add_argument("--actors", action="append", type=Path, default=[], metavar="FILE", help="extra actor dictionary (CSV, YAML, or PETRARCH .actors/.agents); repeatable")
    parser.add_argument("--verbs", action="append", type=Path, default=[], metavar="FILE", help="PETRARCH/TABARI verb dictionary (e.g. CAMEO.2.0.txt): its codes win for its verbs; repeatable")
    parser.add_argument("--max-bytes", type=int, default=None, help="largest accepted input file")
    parser.add_argument("--encoder", action="store_true", help="a contextual encoder re-reads the sentences that can hold an event: better event types, far slower (docs/performance.md)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eventline", description="Conflict events from news text.")
    parser.add_argument("--version", action="version", version="eventline 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="documents in, events and claims out on stdout (no store)")
    _add_input_options(p)
    _add_output_options(p, default="jsonl")
    p.add_argument("--processes", type=int, default=None, help=PROCESSES_HELP)

    p = sub.add_parser("ingest", help="extract documents into a store, skipping those already stored")
    _add_input_options(p)
    p.add_argument("--db", default=DEFAULT_DB, help="SQLite path or postgresql:// URL")
    p.add_argument("--engine", choices=("local", "spark"), default="local")
    p.add_argument("--master", default="local[2]", help="Spark master URL (with --engine spark)")
    p.add_argument("--output", type=Path, default=None, help="Parquet output folder (with --engine spark)")
    p.add_argument("--processes", type=int, default=None, help=PROCESSES_HELP)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lock-timeout", type=float, default=30.0)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--retry-failed", action="store_true", help="extract again documents that failed for good on an earlier run")

    p = sub.add_parser("events", help="list stored events")
    p.add_argument("--db", default=DEFAULT_DB)
    _add_filter_options(p)
    _add_output_options(p)

    p = sub.add_parser("claims", help="list stored claims")
    p.add_argument("--db", default=DEFAULT_DB)
    _add_filter_options(p)
    _add_output_options(p)

    p = sub.add_parser("failures", help="documents whose extraction failed, with the reason")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--offset", type=int, default=0)
    _add_output_options(p)

    p = sub.add_parser("show", help="one event with its reports, evidence sentences and documents")
    p.add_argument("event_id")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--json", dest="as_json", action="store_true")

    p = sub.add_parser("export", help="write events, reports or claims to a file")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--format", dest="export_format", choices=("csv", "jsonl", "parquet", "geojson"), default="csv")
    p.add_argument("--what", choices=("events", "reports", "claims"), default="events")
    p.add_argument("--columns", choices=("default", "acled"), default="default")
    p.add_argument("-o", "--output", type=Path, default=None, help="file to write (default: stdout; required for parquet)")
    _add_filter_options(p)

    p = sub.add_parser("serve", help="HTTP API and dashboard")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="server processes sharing the port")

    p = sub.add_parser("dates", help="every time expression with its span, value and precision")
    _add_input_options(p)
    p.add_argument("--json", dest="as_json", action="store_true")

    p = sub.add_parser("places", help="every place mention with its span, coordinates and precision")
    _add_input_options(p)
    p.add_argument("--json", dest="as_json", action="store_true")

    from eventline.watch.cli import add_parsers as add_watch_parsers

    add_watch_parsers(sub, _add_output_options, DEFAULT_DB)

    sub.add_parser("eval", help="score eventline on the gold sets (see eventline eval --help)", add_help=False)
    return parser


# ---- commands ---------------------------------------------------------------------------
def _inputs(args: argparse.Namespace):  # noqa: ANN202 - a generator of Document | Problem
    from eventline.ingest import DEFAULT_MAX_BYTES, iter_inputs

    return iter_inputs(args.paths, published=args.published, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, stdin=sys.stdin)


def _report(problem: Any) -> None:
    sys.stderr.write(f"{problem}\n")


def cmd_extract(args: argparse.Namespace) -> int:
    from eventline.engines.local import run_extract
    from eventline.model import Problem, Result

    failed = False
    records: list[dict[str, Any]] = []
    streaming = args.fmt == "jsonl"
    for output in run_extract(_inputs(args), actor_files=args.actors, processes=args.processes):
        if isinstance(output, Problem):
            _report(output)
            failed = failed or output.severity == "error"
            continue
        assert isinstance(output, Result)
        for problem in output.problems:
            _report(problem)
            failed = failed or problem.severity == "error"
        batch = [e.to_dict() for e in output.events] + [c.to_dict() for c in output.claims]
        if streaming:
            write_records(batch, "jsonl", sys.stdout)
            sys.stdout.flush()
        else:
            records.extend(batch)
    if not streaming:
        columns = EVENT_TABLE_COLUMNS if args.fmt == "table" else contract_columns() if args.fmt == "csv" else None
        write_records(records, args.fmt, sys.stdout, columns=columns)
    return EXIT_FAILED_INPUTS if failed else EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from eventline.store import open_store

    if args.engine == "spark" and args.published is not None:
        raise ConfigError(Msg.E604)  # before a store is opened or created

    with open_store(args.db, lock_timeout=args.lock_timeout, verify=True) as store:
        if args.engine == "spark":
            from eventline.engines.spark import run_spark_ingest

            summary: IngestSummary = run_spark_ingest(args.paths, store, master=args.master, output=args.output, actor_files=args.actors)
        else:
            from eventline.engines.local import run_ingest

            bar = None
            if not args.quiet:
                from tqdm import tqdm

                bar = tqdm(unit="doc", file=sys.stderr, desc="ingest")

            def progress(p: Any) -> None:
                if bar is not None:
                    bar.n = p.documents_seen
                    bar.set_postfix(new=p.documents_new, skipped=p.documents_skipped, failed=p.documents_failed, events=p.events)
                    bar.refresh()

            try:
                summary = run_ingest(
                    _inputs(args), store, actor_files=args.actors, processes=args.processes,
                    batch_size=args.batch_size, on_progress=progress, retry_failed=args.retry_failed,
                )
            finally:
                if bar is not None:
                    bar.close()
    for problem in summary.problems:
        _report(problem)
    before = getattr(summary, "documents_failed_before", 0)
    elsewhere = getattr(summary, "documents_elsewhere", 0)
    earlier = f", {before} failed on an earlier run (eventline failures)" if before else ""
    earlier += f", {elsewhere} left to another ingest" if elsewhere else ""
    sys.stderr.write(
        f"{summary.documents_new} new, {summary.documents_skipped} already stored, "
        f"{summary.documents_failed} failed{earlier}; {summary.events} events, {summary.claims} claims\n"
    )
    return EXIT_FAILED_INPUTS if summary.documents_failed else EXIT_OK


def _filter(args: argparse.Namespace):  # noqa: ANN202
    from eventline.store.base import EventFilter

    return EventFilter(
        since=args.since, until=args.until, country=args.country, actor=args.actor,
        event_type=args.event_type, mode=args.mode, limit=args.limit, offset=args.offset, sort=args.sort,
    )


def _list(args: argparse.Namespace, kind: str, table_columns: list[str]) -> int:
    """`events` and `claims`: the same filters, the same output options."""
    from eventline.store import open_store

    with open_store(args.db, create=False) as store:
        found = store.events(_filter(args)) if kind == "event" else store.claims(_filter(args))
        records = [record.to_dict() for record in found]
    columns = {"table": table_columns, "csv": contract_columns((kind,))}.get(args.fmt)
    write_records(records, args.fmt, sys.stdout, columns=columns)
    return EXIT_OK


def cmd_events(args: argparse.Namespace) -> int:
    return _list(args, "event", EVENT_TABLE_COLUMNS)


def cmd_claims(args: argparse.Namespace) -> int:
    return _list(args, "claim", CLAIM_TABLE_COLUMNS)


def cmd_failures(args: argparse.Namespace) -> int:
    from eventline.store import open_store

    with open_store(args.db, create=False) as store:
        records = [failure.to_dict() for failure in store.failures(args.limit, args.offset)]
    columns = ["doc_id", "origin", "code", "attempts", "final", "failed_at", "reason"]
    write_records(records, args.fmt, sys.stdout, columns=columns if args.fmt in ("csv", "table") else None)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from eventline.model import with_document_text
    from eventline.store import open_store

    with open_store(args.db, create=False) as store:
        event = store.event(args.event_id)
        if event is None:
            raise StoreError(Msg.E305, event_id=args.event_id, url=args.db)
        reports = store.reports(event.id)
        docs = {r.mention.doc_id: store.document(r.mention.doc_id) for r in reports}
    record = event.to_dict()
    record["reports"] = [with_document_text(r.to_dict(), docs.get(r.mention.doc_id)) for r in reports]
    if args.as_json:
        json.dump(record, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    out = sys.stdout
    a1 = (event.actor1.text if event.actor1 else None) or "?"
    a2 = (event.actor2.text if event.actor2 else None) or "?"
    out.write(f"{event.id}  {event.event_type}/{event.mode or '-'}  CAMEO {event.cameo}  {event.acled_event_type} / {event.acled_sub_event_type}\n")
    out.write(f"  who:   {a1} ({event.actor1.code if event.actor1 else '-'})\n")
    out.write(f"  whom:  {a2} ({event.actor2.code if event.actor2 else '-'})\n")
    loc = event.location
    where = f"{loc.name or loc.text} ({loc.country}) {loc.lat}, {loc.lon} precision {loc.precision}" if loc else "-"
    out.write(f"  where: {where}\n")
    out.write(f"  when:  {event.date or '-'} ({event.date_precision or '-'}; \"{event.date_text or ''}\")\n")
    deaths = "unknown" if event.fatalities is None else str(event.fatalities)
    if event.fatalities_max not in (None, event.fatalities):
        deaths += f" (up to {event.fatalities_max})"
    out.write(f"  deaths: {deaths}\n  reports: {len(reports)}\n")
    for report in reports:
        doc = docs.get(report.mention.doc_id)
        title = (doc.title if doc else None) or report.mention.doc_id
        out.write(f"  - {title} [{report.published or 'no date'}] {report.mention.attribution or ''}\n")
        out.write(f"    \"{report.mention.sentence}\"\n")
        out.write(f"    characters {report.mention.char_start}-{report.mention.char_end} of the document's text (--json gives it)\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from eventline.export import export
    from eventline.store import open_store

    if args.export_format == "parquet" and args.output is None:
        raise ConfigError(Msg.E402, value="parquet to stdout", options="pass -o FILE.parquet")
    with open_store(args.db, create=False) as store:
        store.check()  # a dataset is written whole or not at all: a damaged store is E302
        if args.output is None:
            export(store, args.export_format, sys.stdout, what=args.what, columns=args.columns, flt=_filter(args))
        else:
            binary = args.export_format == "parquet"
            with open(args.output, "wb") if binary else open(args.output, "w", encoding="utf-8", newline="") as fh:
                export(store, args.export_format, fh, what=args.what, columns=args.columns, flt=_filter(args))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from eventline.serve.server import run
    from eventline.store import open_store

    with open_store(args.db, create=False) as store:  # fail here (exit 3), not per request
        store.check()

    run(args.db, host=args.host, port=args.port, workers=args.workers)
    return EXIT_OK


def _parsed_inputs(args: argparse.Namespace):  # noqa: ANN202
    from eventline.model import Problem
    from eventline.nlp import parse

    for item in _inputs(args):
        if isinstance(item, Problem):
            _report(item)
            continue
        yield item, parse(item.text)


def cmd_dates(args: argparse.Namespace) -> int:
    from eventline.resolve.dates.expressions import find_dateline, find_time_expressions

    records = []
    for document, doc in _parsed_inputs(args):
        anchor = document.published or find_dateline(document.text)
        for value in find_time_expressions(doc, anchor):
            if value.char_start is not None and value.char_end is not None:
                value.char_start, value.char_end = document.given_span(value.char_start, value.char_end)
                value.text = document.input_text[value.char_start : value.char_end]
            records.append({"doc_id": document.id, **value.to_dict()})
    if args.as_json:
        write_records(records, "json", sys.stdout)
    else:
        write_records(records, "table", sys.stdout, columns=["doc_id", "char_start", "char_end", "text", "timex", "start", "end", "precision"])
    return EXIT_OK


def cmd_places(args: argparse.Namespace) -> int:
    from eventline.resolve.places.document import document_places
    from eventline.resolve.places.source_homes import (
        SourceHomes,
        focus_regions,
        regions_of,
        source_key,
    )

    records = []
    homes = SourceHomes()  # as in `ingest`: a source's earlier documents say where it is
    for document, doc in _parsed_inputs(args):
        homes.give_homes([document])
        mentions, ctx = document_places(doc, source_home=regions_of(document.source_home))
        homes.learn(source_key(document), focus_regions(ctx.admin1s))
        for start, end, place in mentions:
            start, end = document.given_span(start, end)  # offsets into the text as given
            row = {**place.to_dict(), "text": document.input_text[start:end]}
            records.append({"doc_id": document.id, "char_start": start, "char_end": end, **row})
    if args.as_json:
        write_records(records, "json", sys.stdout)
    else:
        write_records(records, "table", sys.stdout, columns=["doc_id", "char_start", "char_end", "text", "name", "country", "lat", "lon", "precision", "geonameid"])
    return EXIT_OK


COMMANDS = {
    "extract": cmd_extract,
    "ingest": cmd_ingest,
    "events": cmd_events,
    "claims": cmd_claims,
    "failures": cmd_failures,
    "show": cmd_show,
    "export": cmd_export,
    "serve": cmd_serve,
    "dates": cmd_dates,
    "places": cmd_places,
}


def _watch_commands() -> dict[str, Any]:
    from eventline.watch.cli import COMMANDS as WATCH_COMMANDS

    return WATCH_COMMANDS


def _check_dictionaries(args: argparse.Namespace) -> None:
    """A bad --actors or --verbs file is one clear error before any work, not one failure per
    document (workers load the dictionaries only when their first document arrives); lines
    skipped in a PETRARCH file are listed once. Verb files then travel with the actor files:
    the pipeline tells them apart by their content."""
    actor_files = list(getattr(args, "actors", None) or [])
    verb_files = list(getattr(args, "verbs", None) or [])
    problems: list[str] = []
    if actor_files:
        from eventline.resolve.actors import ActorDictionary

        problems += ActorDictionary.load(actor_files).problems
    if verb_files:
        from eventline.extraction.verb_patterns import VerbDictionary

        problems += VerbDictionary.load(verb_files).problems
        args.actors = actor_files + verb_files
    for problem in problems:
        sys.stderr.write(f"warning: {problem}\n")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # eval owns its options; hand it the rest of the command line
    if argv and argv[0] == "eval":
        from eventline.evaluation.runner import main as eval_main

        return eval_main(argv[1:])
    args = build_parser().parse_args(argv)
    if getattr(args, "encoder", False):
        from eventline.extraction.event_model import enable_encoder

        enable_encoder()
    try:
        _check_dictionaries(args)
        return {**COMMANDS, **_watch_commands()}[args.command](args)
    except StoreError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_STORE
    except EventlineError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    except BrokenPipeError:  # `eventline events | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
