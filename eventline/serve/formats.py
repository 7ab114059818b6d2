"""Event lists as CSV rows and GeoJSON features, for `GET /api/events?format=csv|geojson`.

Both use the CSV layout of eventline.output, as `events --csv` and `export` do: the same
columns, names and order everywhere, and the same defused cells.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from eventline.model import Event
from eventline.output import contract_columns, flatten, write_csv


def events_csv(events: Sequence[Event]) -> str:
    buffer = io.StringIO()
    write_csv((flatten(event.to_dict()) for event in events), contract_columns(("event",)), buffer)
    return buffer.getvalue()


def events_geojson(events: Sequence[Event], meta: dict[str, Any]) -> dict[str, Any]:
    """A FeatureCollection of the located events; `meta` rides along as a foreign member
    (allowed by RFC 7946, section 6.1) so that paging works as in the JSON envelope."""
    columns = contract_columns(("event",))
    features = []
    for event in events:
        place = event.location
        if place is None or place.lat is None or place.lon is None:
            continue
        row = flatten(event.to_dict())
        features.append(
            {
                "type": "Feature",
                "id": event.id,
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {column: row.get(column) for column in columns},
            }
        )
    meta = dict(meta, unlocated=len(events) - len(features))
    return {"type": "FeatureCollection", "features": features, "meta": meta}
