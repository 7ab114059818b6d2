"""`eventline watch`, `eventline sources` and `eventline alerts` on the command line: a
local feed file and a folder, output options, one clear error for bad rules or sources."""

from __future__ import annotations

import csv
import io
import json
import socket
from datetime import date

import pytest

from eventline.cli import main
from tests.watch.stories import feed, feed_item, story

DAY = date(2024, 3, 4)
RULES = "rules:\n  - name: deadly-day\n    when: fatalities\n    window_days: 1\n    at_least: 3\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_watch_a_feed_file_and_a_folder_then_list_sources_and_alerts(tmp_path, capsys):
    local = tmp_path / "desk.xml"
    local.write_text(feed("Desk", [feed_item("https://paper.example", n, DAY, link=False) for n in range(2)]))
    drops = tmp_path / "drops"
    drops.mkdir()
    headline, paragraphs = story(7, DAY)
    (drops / "one.txt").write_text(headline + "\n\n" + "\n\n".join(paragraphs))
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    db = str(tmp_path / "w.db")
    with socket.socket() as probe:  # a port nobody listens on: a source that fails
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}/rss.xml"
    args = ("watch", str(local), str(drops), down, "--db", db, "--max-cycles", "2", "--every",
            "0.1", "--alerts", str(rules), "--alerts-out", "-", "--retries", "0")  # fmt: skip
    code, out, err = run(capsys, *args)
    assert code == 1, err  # a source failed: reported, the others went on
    assert f"[E704] Source {down} failed" in err
    assert "cycle 1: 3 sources (1 failed, 0 unchanged), 3 new items, 3 new documents" in err
    assert "cycle 2: 3 sources (1 failed, 1 unchanged), 0 new items" in err
    alerts = [json.loads(line) for line in out.splitlines()]
    assert alerts and all(alert["kind"] == "alert" for alert in alerts)

    code, out, _ = run(capsys, "sources", "--db", db, "--json")
    rows = {row["source"]: row for row in json.loads(out)}
    assert rows[down]["failures"] == 2 and rows[down]["last_success"] is None
    assert rows[str(local)]["items_seen"] == 2 and rows[str(drops)]["items_seen"] == 1
    assert rows[str(local)]["events_found"] > 0 and rows[str(local)]["last_error"] is None
    code, out, _ = run(capsys, "sources", "--db", db, "--csv")
    assert sorted(row["source"] for row in csv.DictReader(io.StringIO(out))) == sorted(rows)
    code, out, _ = run(capsys, "alerts", "--db", db, "--table")
    assert code == 0 and "deadly-day" in out

    # a new file in the folder: only it is read
    (drops / "two.txt").write_text(story(8, DAY)[0] + "\n\n" + "\n\n".join(story(8, DAY)[1]))
    code, out, err = run(capsys, "watch", str(drops), "--db", db, "--once")
    assert code == 0 and "1 new items, 1 new documents" in err


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("rules.yaml", "rules:\n  - name: a\n    when: fatalities\n    window: 1\n", "rules.yaml, line 4"),
        ("sources.txt", "https://paper.example/rss.xml\nnot-there.xml\n", "sources.txt, line 2"),
    ],
)
def test_a_bad_rules_or_sources_file_is_one_error_and_exit_2(tmp_path, capsys, name, text, where):
    bad = tmp_path / name
    bad.write_text(text)
    feed_file = tmp_path / "f.xml"
    feed_file.write_text(feed("F", []))
    sources = str(bad) if name == "sources.txt" else str(feed_file)
    args = ["watch", sources, "--db", str(tmp_path / "w.db"), "--once"]
    if name == "rules.yaml":
        args += ["--alerts", str(bad)]
    code, _, err = run(capsys, *args)
    assert code == 2 and where in err and err.count("error:") == 1


@pytest.mark.parametrize("option", [("--every", "0"), ("--max-cycles", "-1"), ("--workers", "x")])
def test_numbers_below_one_are_refused_before_anything_runs(tmp_path, capsys, option):
    with pytest.raises(SystemExit) as exit_info:
        main(["watch", "https://paper.example/rss.xml", "--db", str(tmp_path / "w.db"), *option])
    assert exit_info.value.code == 2
    assert f"argument {option[0]}" in capsys.readouterr().err
    assert not (tmp_path / "w.db").exists()
