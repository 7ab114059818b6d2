"""Exports of a small store in every format and column set."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

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
    assert {"id", "date", "event_type", "location_lat", "report_count", "sentence"} <= set(rows[0])

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
    assert -180 <= lon <= 180 and -90 <= lat <= 90 and "location_lat" not in feature["properties"]


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


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


FORMULAS = ["=HYPERLINK(\"http://example.com\",\"x\")", "+1+2", "-3-4", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> str:
    from eventline.model import Place
    from tests.store.test_store import report, result

    path = str(tmp_path_factory.mktemp("formulas") / "events.db")
    place = Place(text="=cmd|' /C calc'!A0", name="@Kharkiv", country="UKR", lat=49.99, lon=36.23)
    results = [
        result(f"d{n}", date(2024, 1 + 2 * n, 5), replace(report(f"r{n}", f"d{n}", place, date(2024, 1 + 2 * n, 5)), sentence=formula, attribution=formula))
        for n, formula in enumerate(FORMULAS)
    ]
    with open_store(path) as opened:
        opened.add_results(results + make_results(5, seed=9))
    return path


def test_one_csv_layout_everywhere_with_formulas_defused(hostile_store: str, capsys) -> None:
    from fastapi.testclient import TestClient

    from eventline.cli import main
    from eventline.output import FORMULA_STARTS, contract_columns
    from eventline.serve.api import create_app

    assert main(["events", "--db", hostile_store, "--csv", "--sort", "id"]) == 0
    cli_text = capsys.readouterr().out
    with open_store(hostile_store) as store:
        out = io.StringIO()
        export(store, "csv", out, flt=EventFilter(sort="id"))
    with TestClient(create_app(hostile_store)) as client:
        api_text = client.get("/api/events", params={"format": "csv", "sort": "id", "limit": 1000}).text
    tables = [list(csv.reader(io.StringIO(text, newline=""))) for text in (cli_text, out.getvalue(), api_text)]
    headers = [table[0] for table in tables]
    assert headers[0] == headers[1] == headers[2] == contract_columns(("event",))
    assert tables[0] == tables[1] == tables[2]  # the same rows, too
    cells = [cell for table in tables for row in table[1:] for cell in row]
    # numbers stay numbers (a longitude of -4.18 is no formula)
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not is_number(cell)]
    assert sum(cell.startswith("'=") for cell in cells) >= 3 * 2  # sentence and place name
    rows = list(csv.DictReader(io.StringIO(api_text, newline="")))
    assert {row["attribution"] for row in rows} >= {"'" + f for f in FORMULAS}


def test_acled_and_reports_and_claims_csv_are_defused_too(hostile_store: str) -> None:
    from eventline.output import FORMULA_STARTS

    with open_store(hostile_store) as store:
        for what, columns in (("events", "acled"), ("reports", "default"), ("claims", "default")):
            out = io.StringIO()
            export(store, "csv", out, what=what, columns=columns)
            rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
            assert rows[0], (what, columns)
            found = [c for row in rows[1:] for c in row if c.startswith(FORMULA_STARTS) and not is_number(c)]
            assert not found, (what, columns, found)
