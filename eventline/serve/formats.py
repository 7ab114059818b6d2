"""Event lists as CSV rows and GeoJSON features, for `GET /api/events?format=csv|geojson`."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from eventline.model import Event

CSV_COLUMNS = (
    "id",
    "date",
    "date_end",
    "date_precision",
    "date_text",
    "event_type",
    "mode",
    "cameo",
    "quad_class",
    "acled_event_type",
    "acled_sub_event_type",
    "actor1_text",
    "actor1_name",
    "actor1_country",
    "actor1_code",
    "actor2_text",
    "actor2_name",
    "actor2_country",
    "actor2_code",
    "location_name",
    "location_country",
    "location_admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_max",
    "attribution",
    "confidence",
    "report_count",
    "doc_id",
    "sentence",
)
# Spreadsheets run a cell that starts with one of these as a formula; a leading quote stops it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def flat_row(event: Event) -> dict[str, Any]:
    """One flat record per event: the CSV columns, also used as GeoJSON properties."""
    a1, a2, place = event.actor1, event.actor2, event.location
    return {
        "id": event.id,
        "date": event.date.isoformat() if event.date else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "event_type": event.event_type,
        "mode": event.mode,
        "cameo": event.cameo,
        "quad_class": event.quad_class,
        "acled_event_type": event.acled_event_type,
        "acled_sub_event_type": event.acled_sub_event_type,
        "actor1_text": a1.text if a1 else None,
        "actor1_name": a1.name if a1 else None,
        "actor1_country": a1.country if a1 else None,
        "actor1_code": a1.code if a1 else None,
        "actor2_text": a2.text if a2 else None,
        "actor2_name": a2.name if a2 else None,
        "actor2_country": a2.country if a2 else None,
        "actor2_code": a2.code if a2 else None,
        "location_name": (place.name or place.text) if place else None,
        "location_country": place.country if place else None,
        "location_admin1": place.admin1 if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": place.precision if place else None,
        "fatalities": event.fatalities,
        "fatalities_max": event.fatalities_max,
        "attribution": event.attribution,
        "confidence": event.confidence,
        "report_count": event.report_count,
        "doc_id": event.doc_id,
        "sentence": event.sentence,
    }


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def events_csv(events: Sequence[Event]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        writer.writerow({k: _safe_cell(v) for k, v in flat_row(event).items()})
    return buffer.getvalue()


def events_geojson(events: Sequence[Event], meta: dict[str, Any]) -> dict[str, Any]:
    """A FeatureCollection of the located events; `meta` rides along as a foreign member
    (allowed by RFC 7946, section 6.1) so that paging works as in the JSON envelope."""
    features = []
    for event in events:
        place = event.location
        if place is None or place.lat is None or place.lon is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": event.id,
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": flat_row(event),
            }
        )
    meta = dict(meta, unlocated=len(events) - len(features))
    return {"type": "FeatureCollection", "features": features, "meta": meta}
