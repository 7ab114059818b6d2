"""Formatting records: the shared --json / --csv / --table / --jsonl options, and the one
CSV layout of events and claims.

Every listing command of the CLI formats through `write_records`, so all of them accept the
same options and print the same shapes. The CSV layout (`csv_columns`, `write_csv`) is the
one `events --csv`, `export --format csv` and the API's `format=csv` all write: the fields
of the output contract in their order, nested objects flattened with "_" (actor1_country,
location_lat), lists joined with ";" (a list of objects, such as an event's `roles`, as its
JSON text), and every cell a spreadsheet would run as a formula
defused with a leading quote. docs/output-contract.md lists the columns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any, TextIO

FORMATS = ("jsonl", "json", "csv", "table")
# Spreadsheets run a cell that starts with one of these as a formula (OWASP's list); a
# leading quote makes it text
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become columns joined with "_" (actor1_country) for CSV and tables."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            flat[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, list):
            flat[name] = ";".join(str(v) for v in value)
        else:
            flat[name] = value
    return flat


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def write_records(
    records: Sequence[dict[str, Any]],
    fmt: str,
    out: TextIO,
    columns: Sequence[str] | None = None,
    max_width: int = 40,
) -> None:
    if fmt == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if fmt == "json":
        json.dump(list(records), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    rows = [flatten(r) for r in records]
    if columns is None:
        columns = []
        for row in rows:
            columns.extend(k for k in row if k not in columns)
    if fmt == "csv":
        write_csv(rows, columns, out)
        return
    # table: fixed-width columns, long values cut with an ellipsis
    widths = {c: min(max_width, max([len(c)] + [len(_cell(r.get(c), max_width)) for r in rows])) for c in columns}
    out.write("  ".join(c.ljust(widths[c]) for c in columns).rstrip() + "\n")
    out.write("  ".join("-" * widths[c] for c in columns) + "\n")
    for row in rows:
        out.write("  ".join(_cell(row.get(c), widths[c]).ljust(widths[c]) for c in columns).rstrip() + "\n")


def safe_cell(value: Any) -> Any:
    """A cell value that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], out: IO[str]) -> int:
    """Flat rows (see `flatten`) as CSV under `columns`, cells defused; returns the count."""
    # RFC 4180 line ends: the writer then quotes every cell holding a CR or LF of its own
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
        count += 1
    return count


EVENT_TABLE_COLUMNS = [
    "id",
    "date",
    "event_type",
    "mode",
    "actor1_code",
    "actor1_text",
    "actor2_code",
    "actor2_text",
    "location_name",
    "location_country",
    "fatalities",
    "report_count",
]
CLAIM_TABLE_COLUMNS = ["id", "count", "event_type", "actor1_text", "actor2_text", "period_start", "period_end", "attribution"]


def contract_columns(kinds: Sequence[str] = ("event", "claim")) -> list[str]:
    """The CSV layout: the flat column list of the output contract, the same header whatever
    the rows hold (an event without actor2 still has actor2_country)."""
    from dataclasses import fields

    from eventline.model import Actor, Claim, Event, Place

    nested = {"actor1": Actor, "actor2": Actor, "location": Place}
    columns: list[str] = []
    for kind, model in (("event", Event), ("claim", Claim)):
        if kind not in kinds:
            continue
        for f in fields(model):
            names = [f"{f.name}_{g.name}" for g in fields(nested[f.name])] if f.name in nested else [f.name]
            columns.extend(n for n in names if n not in columns)
    return columns
