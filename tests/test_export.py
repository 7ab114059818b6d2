"""Exports of a small store in every format and column set."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from eventline.errors import ConfigError
from eventline.export import export
from eventline.store import open_store
from eventline.store.base import EventFilter
from tests.store.synthetic import make_results


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(str(tmp_path_factory.mktemp("export") / "events.db")) as opened:
        opened.add_results(make_results(30, seed=5))
        yield opened


def test_csv_events_default_and_acled(store):
    out = io.StringIO()
    count = export(store, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows) == store.count_events()
    assert {"id", "date", "event_type", "latitude", "report_count", "sentence"} <= set(rows[0])

    out = io.StringIO()
    export(store, "csv", out, columns="acled", flt=EventFilter(country="MLI"))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows and {row["country"] for row in rows} == {"Mali"}
    assert rows[0]["year"] == rows[0]["event_date"][:4]
    assert rows[0]["time_precision"] == "1" and rows[0]["source"] == "synthetic"
    assert "inter1" not in rows[0]


def test_jsonl_reports_and_claims(store):
    out = io.StringIO()
    count = export(store, "jsonl", out, what="reports")
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(records) == store.stats()["reports"]
    assert {"event_id", "report_id", "doc_id", "sentence", "values"} <= set(records[0])

    out = io.StringIO()
    assert export(store, "jsonl", out, what="claims") == store.stats()["claims"] > 0


def test_parquet(store, tmp_path):
    path = tmp_path / "events.parquet"
    with path.open("wb") as out:
        count = export(store, "parquet", out, flt=EventFilter(limit=5))
    table = pq.read_table(path)
    assert count == table.num_rows == 5
    assert "fatalities" in table.column_names


def test_geojson_points(store):
    out = io.StringIO()
    count = export(store, "geojson", out)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == count
    feature = collection["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90 and "latitude" not in feature["properties"]


@pytest.mark.parametrize(
    ("fmt", "what", "columns"),
    [
        ("xml", "events", "default"),
        ("csv", "people", "default"),
        ("csv", "events", "gdelt"),
        ("geojson", "claims", "default"),
    ],
)
def test_bad_options_give_e307(store, fmt, what, columns):
    with pytest.raises(ConfigError) as error:
        export(store, fmt, io.StringIO(), what=what, columns=columns)
    assert error.value.code == "E307"
