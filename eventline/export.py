"""Write stored events, reports or claims as CSV, JSON lines, Parquet or GeoJSON.

`columns="default"` gives eventline's own flat columns; `columns="acled"` renames the
event columns that mean the same as ACLED's (event_id_cnty, event_date, year,
time_precision, event_type, sub_event_type, actor1, actor2, country, admin1, location,
latitude, longitude, geo_precision, source, notes, fatalities). ACLED columns eventline
cannot fill honestly (interaction codes, associated actors, ACLED's own ids) are left out.
ACLED counts one number of deaths, so `fatalities` is the lower bound of the range.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from eventline.errors import ConfigError, Msg
from eventline.model import Actor, Claim, Event, Report
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


def event_row(event: Event) -> dict[str, Any]:
    """One canonical event as flat default columns."""
    place = event.location
    a1, a2 = event.actor1, event.actor2
    return {
        "id": event.id,
        "date": event.date.isoformat() if event.date else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "event_type": event.event_type,
        "mode": event.mode,
        "context": ";".join(event.context) or None,
        "cameo": event.cameo,
        "quad_class": event.quad_class,
        "acled_event_type": event.acled_event_type,
        "acled_sub_event_type": event.acled_sub_event_type,
        "actor1": _actor_label(a1),
        "actor1_code": a1.code if a1 else None,
        "actor1_country": a1.country if a1 else None,
        "actor2": _actor_label(a2),
        "actor2_code": a2.code if a2 else None,
        "actor2_country": a2.country if a2 else None,
        "location": (place.name or place.text) if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": place.precision if place else None,
        "fatalities": event.fatalities,
        "fatalities_max": event.fatalities_max,
        "report_count": event.report_count,
        "attribution": event.attribution,
        "confidence": event.confidence,
        "doc_id": event.doc_id,
        "sentence": event.sentence,
    }


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


def report_row(report: Report) -> dict[str, Any]:
    values = event_row(report.mention)
    values["id"] = report.mention.id
    return {
        "event_id": report.event_id,
        "report_id": report.mention.id,
        "source": report.source,
        "url": report.url,
        "published": report.published.isoformat() if report.published else None,
        **{k: v for k, v in values.items() if k not in ("id", "report_count")},
    }


def claim_row(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "doc_id": claim.doc_id,
        "count": claim.count,
        "event_type": claim.event_type,
        "actor1": _actor_label(claim.actor1),
        "actor1_country": claim.actor1.country if claim.actor1 else None,
        "actor2": _actor_label(claim.actor2),
        "actor2_country": claim.actor2.country if claim.actor2 else None,
        "period_start": claim.period_start.isoformat() if claim.period_start else None,
        "period_end": claim.period_end.isoformat() if claim.period_end else None,
        "period_text": claim.period_text,
        "attribution": claim.attribution,
        "sentence": claim.sentence,
    }


def _rows(store: Store, what: str, columns: str, flt: EventFilter | None) -> Iterator[tuple]:
    """(flat row, full JSON record) pairs for the chosen content."""
    if what == "claims":
        for claim in store.claims(flt):
            yield claim_row(claim), claim.to_dict()
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
            yield event_row(event), event.to_dict()


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
    flat = [row for row, _ in rows]
    if fmt == "csv":
        return _write_csv(flat, out)
    if fmt == "parquet":
        return _write_parquet(flat, out)
    return _write_geojson(flat, out)


def _write_csv(rows: list[dict[str, Any]], out: IO) -> int:
    if not rows:
        return 0
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def _write_parquet(rows: list[dict[str, Any]], out: IO) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = getattr(out, "buffer", out)  # a text stream such as stdout has a binary buffer
    pq.write_table(pa.Table.from_pylist(rows), sink)
    return len(rows)


def _write_geojson(rows: list[dict[str, Any]], out: IO) -> int:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
        }
        for row in rows
        if row.get("latitude") is not None and row.get("longitude") is not None
    ]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)
