"""eventline.serve.events: the query-string path of GET /api/events."""

from __future__ import annotations

from datetime import date

import pytest

from eventline.serve import events
from eventline.serve.params import DEFAULT_LIMIT, ApiError


def test_parse_query_reads_every_declared_parameter() -> None:
    values = {
        "since": "2024-01-02",
        "until": "2024-02-03",
        "country": "irq",
        "actor": "army",
        "type": "assault",
        "mode": "aerial",
        "bbox": "40,30,45,35",
        "q": "market",
        "limit": "7",
        "offset": "14",
        "sort": "-fatalities",
        "format": "GeoJSON",
    }
    assert set(values) == events.NAMES
    flt, output = events.parse_query(values)
    assert output == "geojson"
    assert (flt.since, flt.until) == (date(2024, 1, 2), date(2024, 2, 3))
    assert (flt.country, flt.event_type, flt.mode) == ("IRQ", "ASSAULT", "aerial")
    assert (flt.actor, flt.text, flt.bbox) == ("army", "market", (40.0, 30.0, 45.0, 35.0))
    assert (flt.limit, flt.offset, flt.sort) == (7, 14, "-fatalities")


def test_parse_query_defaults() -> None:
    flt, output = events.parse_query({})
    assert output == "json"
    assert (flt.limit, flt.offset, flt.sort) == (DEFAULT_LIMIT, 0, "date")
    assert flt.since is None and flt.country is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("limit", "0"),
        ("limit", "2.5"),
        ("offset", "-1"),
        ("offset", str(events.MAX_OFFSET + 1)),
        ("since", "yesterday"),
        ("type", "PICNIC"),
        ("format", "xml"),
    ],
)
def test_a_bad_value_names_its_parameter(name: str, value: str) -> None:
    with pytest.raises(ApiError) as caught:
        events.parse_query({name: value})
    assert caught.value.status == 400 and caught.value.parameter == name


def test_declared_integer_bounds_are_the_checked_ones() -> None:
    specs = {spec["name"]: spec["schema"] for spec in events.PARAMETERS}
    for name in ("limit", "offset"):
        low, high = specs[name]["minimum"], specs[name]["maximum"]
        events.parse_query({name: str(low)})
        events.parse_query({name: str(high)})
        for outside in (low - 1, high + 1):
            with pytest.raises(ApiError):
                events.parse_query({name: str(outside)})
