"""scripts/plover_triple_failures.py: the breakdown tables from a saved scoreboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventline.evaluation import triple_failures as tf
from tests.scripts import load_script


def test_tables_from_a_saved_scoreboard(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    script = load_script("plover_triple_failures")
    table = tf.breakdown([(tf.ALL_FOUND, tf.RIGHT, tf.RIGHT), (tf.WRONG_TYPE, "", "")])
    saved = tmp_path / "board.json"
    saved.write_text(json.dumps({"sets": {"plover_gsr": {"triple_failures": table}}}))
    assert script.main(["--from", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "| wrong type | 1 | 0.500 |" in out and "| all triples found | 1 | 0.500 |" in out


def test_a_scoreboard_without_the_breakdown_is_an_error(tmp_path: Path) -> None:
    script = load_script("plover_triple_failures")
    saved = tmp_path / "board.json"
    saved.write_text(json.dumps({"sets": {}}))
    assert script.main(["--from", str(saved)]) == 2
