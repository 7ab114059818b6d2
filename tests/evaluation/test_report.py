import json

import pytest

from eventline.errors import ConfigError
from eventline.evaluation import report, runner
from eventline.evaluation.scoreboard import Scoreboard


def _board(**sets) -> Scoreboard:
    return Scoreboard(
        created="2024-01-01 00:00 UTC", commit="abc1234", data_dir="d", limit=10, sets=sets
    )


def test_floors_move_up_only_and_crashes_only_down(tmp_path):
    path = tmp_path / "floors.json"
    report.raise_floors(_board(petrarch={"relaxed_f1": 0.5, "crashes": 2, "n": 10}), path)
    floors = json.loads(path.read_text())["floors"]
    assert floors == {"petrarch.crashes": 2.0, "petrarch.relaxed_f1": 0.5}
    report.raise_floors(_board(petrarch={"relaxed_f1": 0.4, "crashes": 0}), path)
    floors = json.loads(path.read_text())["floors"]
    assert floors == {"petrarch.crashes": 0.0, "petrarch.relaxed_f1": 0.5}


def test_sizes_are_not_pinned_and_lower_is_better_figures_are_ceilings(tmp_path):
    path = tmp_path / "floors.json"
    figures = {"acc161": 0.8, "median_km": 3.0, "n_docs": 40.0, "n_gold": 480.0}
    report.raise_floors(_board(lgl=figures), path)
    assert json.loads(path.read_text())["floors"] == {"lgl.acc161": 0.8, "lgl.median_km": 3.0}
    report.raise_floors(_board(lgl={**figures, "median_km": 1.5}), path)
    assert json.loads(path.read_text())["floors"]["lgl.median_km"] == 1.5
    assert report.check_floors(_board(lgl={**figures, "median_km": 2.0}), path) == [
        "lgl.median_km: 2.0 above ceiling 1.5"
    ]


def test_check_floors_lists_drops_and_missing_figures(tmp_path):
    path = tmp_path / "floors.json"
    report.raise_floors(
        _board(petrarch={"relaxed_f1": 0.5, "crashes": 0}, muc4={"role_f1": 0.2}), path
    )
    assert (
        report.check_floors(
            _board(petrarch={"relaxed_f1": 0.5, "crashes": 0}, muc4={"role_f1": 0.3}), path
        )
        == []
    )
    board = _board(petrarch={"relaxed_f1": 0.45, "crashes": 1})
    board.unavailable["muc4"] = "not available: test"
    failures = report.check_floors(board, path)
    assert len(failures) == 3
    assert any("relaxed_f1" in f and "below floor" in f for f in failures)
    assert any("crashes" in f and "above ceiling" in f for f in failures)
    assert any("muc4.role_f1" in f and "not available" in f for f in failures)


def test_a_tolerance_forgives_a_trained_set_that_much_and_no_other_set(tmp_path):
    path = tmp_path / "floors.json"
    report.raise_floors(_board(classifier={"macro_f1": 0.6}, muc4={"role_f1": 0.2}), path)
    pinned = json.loads(path.read_text())
    pinned["tolerances"] = {"classifier": 0.005}
    path.write_text(json.dumps(pinned))
    within = _board(classifier={"macro_f1": 0.596}, muc4={"role_f1": 0.2})
    assert report.check_floors(within, path) == []
    beyond = _board(classifier={"macro_f1": 0.594}, muc4={"role_f1": 0.199})
    assert report.check_floors(beyond, path) == [
        "classifier.macro_f1: 0.594 below floor 0.6 (by 0.0060)",
        "muc4.role_f1: 0.199 below floor 0.2 (by 0.0010)",
    ]
    report.raise_floors(_board(classifier={"macro_f1": 0.7}), path)
    assert json.loads(path.read_text())["tolerances"] == {"classifier": 0.005}


def test_accuracy_md_shows_figures_targets_and_confusions(tmp_path):
    board = _board(
        case2021={
            "subtype_weighted_f1": 0.6,
            "event_type_accuracy": 0.93,
            "confusions": [
                {
                    "gold": "ATTACK",
                    "predicted": "ARMED_CLASH",
                    "count": 3,
                    "example": "one two three four five six seven eight nine ten eleven twelve thirteen",
                }
            ],
        },
    )
    board.unavailable["timebank"] = "not available: module missing"
    path = tmp_path / "docs" / "accuracy.md"
    report.write_accuracy_md(board, path)
    text = path.read_text()
    assert "abc1234" in text and "2024-01-01" in text
    assert (
        "| CASE 2021 30-label weighted F1 (pipeline) | 0.600 | >= 0.800 | short by 0.200 | best CASE 2021 system 0.771 |"
        in text
    )
    assert "| CASE 2021 6-type accuracy (pipeline) | 0.930 | >= 0.920 | met |" in text
    assert "gold ATTACK -> predicted ARMED_CLASH (3x)" in text and "thirteen" not in text
    assert "timebank" in text and "PETRARCH2" in text


def test_missing_data_and_unknown_sets_are_config_errors(tmp_path):
    with pytest.raises(ConfigError) as missing:
        runner.run(["muc4"], tmp_path / "absent")
    assert missing.value.code == "E404"
    with pytest.raises(ConfigError) as unknown:
        runner.run(["nope"], tmp_path)
    assert unknown.value.code == "E405"
    assert runner.main(["--data", str(tmp_path / "absent")]) == 2
