"""Formatting records for the terminal: the shared --json / --csv / --table / --jsonl options.

Every listing command of the CLI formats through `write_records`, so all of them accept the
same options and print the same shapes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import Any, TextIO

FORMATS = ("jsonl", "json", "csv", "table")


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted columns (actor1.country) for CSV and tables."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
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
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    # table: fixed-width columns, long values cut with an ellipsis
    widths = {c: min(max_width, max([len(c)] + [len(_cell(r.get(c), max_width)) for r in rows])) for c in columns}
    out.write("  ".join(c.ljust(widths[c]) for c in columns).rstrip() + "\n")
    out.write("  ".join("-" * widths[c] for c in columns) + "\n")
    for row in rows:
        out.write("  ".join(_cell(row.get(c), widths[c]).ljust(widths[c]) for c in columns).rstrip() + "\n")


EVENT_TABLE_COLUMNS = [
    "id",
    "date",
    "event_type",
    "mode",
    "actor1.code",
    "actor1.text",
    "actor2.code",
    "actor2.text",
    "location.name",
    "location.country",
    "fatalities",
    "report_count",
]
CLAIM_TABLE_COLUMNS = ["id", "count", "event_type", "actor1.text", "actor2.text", "period_start", "period_end", "attribution"]


def contract_columns(kinds: Sequence[str] = ("event", "claim")) -> list[str]:
    """The flat column list of the output contract: the same header whatever the rows hold
    (an event without actor2 still has actor2.country)."""
    from dataclasses import fields

    from eventline.model import Actor, Claim, Event, Place

    nested = {"actor1": Actor, "actor2": Actor, "location": Place}
    columns: list[str] = []
    for kind, model in (("event", Event), ("claim", Claim)):
        if kind not in kinds:
            continue
        for f in fields(model):
            names = [f"{f.name}.{g.name}" for g in fields(nested[f.name])] if f.name in nested else [f.name]
            columns.extend(n for n in names if n not in columns)
    return columns
