"""Write stored events, reports or claims as CSV, JSON lines, Parquet or GeoJSON.

`columns="default"` gives the CSV layout of eventline.output (the output contract's fields,
flattened: the same columns as `events --csv` and the API's CSV; Parquet and GeoJSON
properties use them too). A report row is the report's own columns, then its event's.
`columns="acled"`, the documented alternative, renames the
event columns that mean the same as ACLED's (event_id_cnty, event_date, year,
time_precision, event_type, sub_event_type, actor1, actor2, country, admin1, location,
latitude, longitude, geo_precision, source, notes, fatalities). ACLED columns eventline
cannot fill honestly (interaction codes, associated actors, ACLED's own ids) are left out.
ACLED counts one number of deaths, so `fatalities` is the lower bound of the range.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from eventline.errors import ConfigError, Msg
from eventline.model import Actor, Event, Report
from eventline.output import contract_columns, flatten, write_csv
from eventline.store.base import EventFilter, Store

FORMATS = ("csv", "jsonl", "parquet", "geojson")
CONTENTS = ("events", "reports", "claims")
COLUMN_SETS = ("default", "acled")
# ACLED's time_precision: 1 the day is known, 2 the week, 3 the month (or coarser)
ACLED_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def _actor_label(actor: Actor | None) -> str | None:
    return (actor.name or actor.text) if actor else None


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    return found.name if found else code


ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)


def acled_row(event: Event, sources: list[str]) -> dict[str, Any]:
    """One canonical event in ACLED's column names (only the columns eventline can fill)."""
    place = event.location
    return {
        "event_id_cnty": event.id,
        "event_date": event.date.isoformat() if event.date else None,
        "year": event.date.year if event.date else None,
        "time_precision": ACLED_TIME_PRECISION.get(event.date_precision or "")
        if event.date
        else None,
        "event_type": event.acled_event_type,
        "sub_event_type": event.acled_sub_event_type,
        "actor1": _actor_label(event.actor1),
        "actor2": _actor_label(event.actor2),
        "country": _country_name(place.country if place else None),
        "admin1": place.admin1 if place else None,
        "location": (place.name or place.text) if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": place.precision if place else None,
        "source": "; ".join(sources) or None,
        "notes": event.sentence,
        "fatalities": event.fatalities,
    }


# a report's own columns, before the columns of the event as its document told it
REPORT_COLUMNS = ["event_id", "report_id", "source", "url", "published"]


def report_row(report: Report) -> dict[str, Any]:
    """One report: where it comes from, then its event in the CSV layout."""
    row = flatten(report.mention.to_dict())
    row["id"] = report.mention.id
    return {
        "event_id": report.event_id,
        "report_id": report.mention.id,
        "source": report.source,
        "url": report.url,
        "published": report.published.isoformat() if report.published else None,
        **row,
    }


def columns_of(what: str, columns: str) -> list[str]:
    """The CSV header of each content and column set."""
    if columns == "acled":
        return list(ACLED_COLUMNS)
    if what == "reports":
        return REPORT_COLUMNS + [c for c in contract_columns(("event",)) if c != "report_count"]
    return contract_columns(("claim",) if what == "claims" else ("event",))


def _rows(store: Store, what: str, columns: str, flt: EventFilter | None) -> Iterator[tuple]:
    """(flat row, full JSON record) pairs for the chosen content."""
    if what == "claims":
        for claim in store.claims(flt):
            record = claim.to_dict()
            yield flatten(record), record
        return
    for event in store.events(flt):
        if what == "reports":
            for report in store.reports(event.id):
                yield report_row(report), report.to_dict()
        elif columns == "acled":
            sources = sorted({r.source for r in store.reports(event.id) if r.source})
            row = acled_row(event, sources)
            yield row, row
        else:
            record = event.to_dict()
            yield flatten(record), record


def export(
    store: Store,
    fmt: str,
    out: IO,
    what: str = "events",
    columns: str = "default",
    flt: EventFilter | None = None,
) -> int:
    """Write the chosen rows to `out` (binary for parquet, text otherwise); return the count."""
    if fmt not in FORMATS or what not in CONTENTS or columns not in COLUMN_SETS:
        raise ConfigError(Msg.E307, what=f"{what}/{columns}", fmt=fmt)
    if fmt == "geojson" and what == "claims":
        raise ConfigError(Msg.E307, what="claims (they have no coordinates)", fmt=fmt)
    rows = _rows(store, what, columns, flt)
    if fmt == "jsonl":
        count = 0
        for row, record in rows:
            out.write(json.dumps(row if columns == "acled" else record, ensure_ascii=False) + "\n")
            count += 1
        return count
    header = columns_of(what, columns)
    if fmt == "csv":
        return write_csv((row for row, _ in rows), header, out)
    flat = [{column: row.get(column) for column in header} for row, _ in rows]
    if fmt == "parquet":
        return _write_parquet(flat, out)
    return _write_geojson(flat, out, header)


def _write_parquet(rows: list[dict[str, Any]], out: IO) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = getattr(out, "buffer", out)  # a text stream such as stdout has a binary buffer
    pq.write_table(pa.Table.from_pylist(rows), sink)
    return len(rows)


def _write_geojson(rows: list[dict[str, Any]], out: IO, header: list[str]) -> int:
    # the ACLED set names its coordinates as ACLED does, the CSV layout as the contract does
    lat, lon = ("latitude", "longitude") if "latitude" in header else ("location_lat", "location_lon")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row[lon], row[lat]]},
            "properties": {k: v for k, v in row.items() if k not in (lat, lon)},
        }
        for row in rows
        if row.get(lat) is not None and row.get(lon) is not None
    ]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)
