"""The command line: exact output shapes and exit codes (0 ok, 1 some inputs failed, 2 bad
options, 3 store errors)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eventline.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GAO = (
    "GAO, March 4, 2024 - Suspected jihadist fighters ambushed a Malian army convoy on Sunday "
    "near Gao, killing at least five soldiers, the army said.\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "events.db"
    assert main(["ingest", str(EXAMPLES), "--db", str(db), "--quiet"]) == 0
    return db


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == "eventline 0.1.0\n"


def test_extract_jsonl_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "gao.txt"
    article.write_text(GAO, encoding="utf-8")
    code, out, err = run(capsys, "extract", str(article))
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["kind"] for r in records] == ["event"]
    event = records[0]
    assert (event["event_type"], event["date"], event["fatalities"]) == ("ASSAULT", "2024-03-03", 5)
    assert event["location"]["country"] == "MLI"


def test_extract_csv_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "gao.txt"
    article.write_text(GAO, encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(article), "--csv")
    assert code == 0
    header = next(csv.reader(io.StringIO(out)))
    assert header[:6] == ["id", "doc_id", "sentence", "char_start", "char_end", "event_type"]
    assert "actor1_country" in header and "location_lat" in header


def test_bad_inputs_are_reported_and_the_rest_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "latin1.txt").write_bytes("Police arrested 12 protesters in Nairobi on Friday, a café owner said.".encode("latin-1"))
    (tmp_path / "docs.jsonl").write_text(
        json.dumps({"id": "a1", "text": GAO, "published": "2024-03-04"}) + "\nnot json\n" + json.dumps({"id": "a3"}) + "\n"
    )
    missing = tmp_path / "missing.txt"
    code, out, err = run(capsys, "extract", str(tmp_path), str(missing))
    assert code == 1
    lines = err.splitlines()
    assert any("empty.txt" in line and "[E102]" in line for line in lines)
    assert any("binary.bin" in line and "[E103]" in line for line in lines)
    assert any("docs.jsonl:2" in line and "[E105]" in line for line in lines)
    assert any("docs.jsonl:3" in line and "[E106]" in line for line in lines)
    assert any("missing.txt" in line and "[E101]" in line for line in lines)
    assert any("latin1.txt" in line and "[W101]" in line for line in lines)
    doc_ids = {json.loads(line)["doc_id"] for line in out.splitlines()}
    assert "a1" in doc_ids and len(doc_ids) == 2  # the JSONL record and the Latin-1 file


def test_invalid_date_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "x.txt", "--published", "22/11/2023"])
    assert exit_info.value.code == 2
    assert "E403" in capsys.readouterr().err


def test_a_bad_actor_file_stops_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Gunmen killed five villagers in Zamfara on Tuesday.")
    bad = tmp_path / "actors.yaml"
    bad.write_text("- name: Northern Lions\n  sector: LIONS\n")
    code, out, err = run(capsys, "extract", str(article), "--actors", str(bad))
    assert (code, out) == (2, "")
    assert err == (
        f"error: [E401] Actor file '{bad}' could not be read: entry 1: sector 'LIONS' is not a "
        "three-letter code such as MIL, GOV, REB, MLA. Expected CSV or YAML with columns name, "
        "aliases, country, sector, affiliation (see docs/actors.md).\n"
    )


def test_ingest_twice_changes_nothing(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out_before, _ = run(capsys, "events", "--db", str(store), "--json")
    assert code == 0
    code, _, err = run(capsys, "ingest", str(EXAMPLES), "--db", str(store), "--quiet")
    assert code == 0
    assert err.startswith(f"0 new, {len(list(EXAMPLES.iterdir()))} already stored, 0 failed")
    _, out_after, _ = run(capsys, "events", "--db", str(store), "--json")
    assert out_after == out_before


def test_events_formats(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, as_json, _ = run(capsys, "events", "--db", str(store), "--json")
    events = json.loads(as_json)
    assert events and all(e["kind"] == "event" for e in events)
    _, as_jsonl, _ = run(capsys, "events", "--db", str(store), "--jsonl")
    assert [json.loads(line)["id"] for line in as_jsonl.splitlines()] == [e["id"] for e in events]
    _, as_csv, _ = run(capsys, "events", "--db", str(store), "--csv")
    assert len(list(csv.DictReader(io.StringIO(as_csv)))) == len(events)
    _, table, _ = run(capsys, "events", "--db", str(store), "--table")
    assert table.splitlines()[0].split()[:4] == ["id", "date", "event_type", "mode"]
    assert len(table.splitlines()) == len(events) + 2


def test_events_filters(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "events", "--db", str(store), "--json", "--country", "UKR")
    ukraine = json.loads(out)
    assert ukraine and all("UKR" in json.dumps(e) for e in ukraine)
    _, out, _ = run(capsys, "events", "--db", str(store), "--json", "--since", "2024-08-01", "--until", "2024-08-31")
    assert all("2024-08-01" <= e["date"] <= "2024-08-31" for e in json.loads(out))
    _, out, _ = run(capsys, "events", "--db", str(store), "--json", "--type", "PROTEST")
    assert all(e["event_type"] == "PROTEST" for e in json.loads(out))


def test_show_event_and_unknown_id(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "events", "--db", str(store), "--json")
    first = json.loads(out)[0]
    code, shown, _ = run(capsys, "show", first["id"], "--db", str(store), "--json")
    assert code == 0
    record = json.loads(shown)
    assert record["id"] == first["id"] and record["reports"]
    report = record["reports"][0]
    assert report["sentence"]
    assert report["document_text"][report["values"]["char_start"] : report["values"]["char_end"]] == report["sentence"]
    code, text, _ = run(capsys, "show", first["id"], "--db", str(store))
    assert code == 0 and text.startswith(first["id"]) and "who:" in text
    code, _, err = run(capsys, "show", "no-such-id", "--db", str(store))
    assert code == 3 and "[E305]" in err


def test_store_that_is_not_eventline_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are not the tables you are looking for" * 100)
    code, _, err = run(capsys, "events", "--db", str(bogus))
    assert code == 3 and "[E302]" in err


def test_export_acled_columns(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "events.csv"
    code, _, _ = run(capsys, "export", "--db", str(store), "--format", "csv", "--columns", "acled", "-o", str(target))
    assert code == 0
    header = next(csv.reader(target.open(encoding="utf-8")))
    assert {"event_date", "event_type", "sub_event_type", "latitude", "longitude", "fatalities"} <= set(header)


def test_console_script_and_stdin() -> None:
    exe = shutil.which("eventline", path=str(Path(sys.executable).parent))
    assert exe is not None, "the eventline console script is installed with the package"
    run_ = subprocess.run([exe, "extract", "-", "--published", "2024-03-04"], input=GAO, capture_output=True, text=True, timeout=300)
    assert run_.returncode == 0, run_.stderr
    assert json.loads(run_.stdout.splitlines()[0])["event_type"] == "ASSAULT"


def test_dates_command_lists_expressions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Rebels attacked the town early Wednesday. A week earlier, on Oct. 27, troops arrived.")
    code, out, _ = run(capsys, "dates", str(article), "--published", "2023-11-22", "--json")
    assert code == 0
    values = {r["text"]: r for r in json.loads(out)}
    wednesday = next(v for k, v in values.items() if "Wednesday" in k)
    assert (wednesday["start"], wednesday["precision"]) == ("2023-11-22", "day")
    assert wednesday["char_start"] is not None and "Wednesday" in article.read_text()[wednesday["char_start"] : wednesday["char_end"]]
    assert any(v["start"] == "2023-10-27" for v in values.values())


def test_places_command_lists_mentions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Militants fired rockets at Al Asad Air Base in western Iraq.")
    code, out, _ = run(capsys, "places", str(article), "--json")
    assert code == 0
    places = json.loads(out)
    base = next(p for p in places if "Asad" in p["text"])
    assert base["country"] == "IRQ" and abs(base["lat"] - 33.79) < 0.1 and base["precision"] == 1
    code, table, _ = run(capsys, "places", str(article))
    assert code == 0 and table.splitlines()[0].split()[:4] == ["doc_id", "char_start", "char_end", "text"]


def test_read_commands_never_create_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["events"], ["claims"], ["show", "e1"], ["export"], ["failures"], ["serve"]):
        for missing in (tmp_path / "absent.db", tmp_path / "no" / "dir" / "x.db"):
            code, _, err = run(capsys, *command, "--db", str(missing))
            assert code == 3, (command, err)
            assert "[E310]" in err and "Traceback" not in err
            assert not missing.exists() and not (tmp_path / "no").exists()


def test_failures_lists_recorded_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eventline.model import Document, Problem
    from eventline.store import open_store

    db = tmp_path / "events.db"
    with open_store(str(db)) as store:
        store.record_failures([(Document("d1", "x", origin="in.jsonl:3"), Problem("in.jsonl:3", "E201", "RecursionError", doc_id="d1"))])
    code, out, _ = run(capsys, "failures", "--db", str(db), "--json")
    assert code == 0
    assert [(f["doc_id"], f["origin"], f["code"], f["final"]) for f in json.loads(out)] == [("d1", "in.jsonl:3", "E201", True)]
    code, out, _ = run(capsys, "failures", "--db", str(db), "--csv")
    assert next(csv.reader(io.StringIO(out)))[:3] == ["doc_id", "origin", "code"]


def test_a_damaged_store_is_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    from eventline.store import open_store
    from tests.store.synthetic import make_results

    db = tmp_path / "events.db"
    with open_store(str(db)) as store:
        store.add_results(make_results(40, seed=1))
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(os.urandom(3 * 4096))
    before = db.read_bytes()
    article = tmp_path / "gao.txt"
    article.write_text(GAO, encoding="utf-8")
    for command in (["ingest", str(article), "--quiet"], ["export"]):
        code, _, err = run(capsys, *command, "--db", str(db))
        assert code == 3 and "[E302]" in err and "Traceback" not in err, (command, err)
    assert db.read_bytes() == before  # nothing was written into it


def test_spark_ingest_refuses_published_before_opening_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = tmp_path / "news.jsonl"
    records.write_text('{"id": "a1", "text": "Gunmen attacked a checkpoint."}\n')
    db = tmp_path / "events.db"
    argv = ["ingest", str(records), "--db", str(db), "--engine", "spark", "--published", "2024-03-06"]
    assert main(argv) == 2
    assert "E604" in capsys.readouterr().err and not db.exists()


def test_extract_with_the_encoder_codes_the_same_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventline.extraction.event_model import ENCODER_VARIABLE, EventModel

    monkeypatch.setenv(ENCODER_VARIABLE, "0")  # restored after the test, as --encoder sets it
    article = tmp_path / "gao.txt"
    article.write_text(GAO, encoding="utf-8")
    code, out, err = run(capsys, "extract", "--encoder", str(article))
    assert code == 0 and err == ""
    assert EventModel.load().context is not None  # the encoder-backed model read the sentences
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert (event["event_type"], event["fatalities"]) == ("ASSAULT", 5)
    monkeypatch.setenv(ENCODER_VARIABLE, "0")
    assert EventModel.load().context is None  # off again: the cheap model alone
