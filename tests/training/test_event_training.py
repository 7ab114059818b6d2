"""Training choices: setting overrides, per-type thresholds, figures with thresholds, dense features."""

import numpy as np
import pytest

from eventline.extraction.event_model import Reading
from eventline.training import event_figures, event_training
from eventline.training.event_data import Example
from eventline.training.event_training import SETTINGS, Settings, choose_thresholds, with_overrides


def test_overrides_change_only_the_named_settings_with_their_kind():
    changed = with_overrides(SETTINGS, ["dense_weight=2", "c_binary=1"])
    assert changed.dense_weight == 2.0 and changed.c_binary == 1.0
    assert changed.word_features == SETTINGS.word_features
    with pytest.raises(ValueError, match="unknown setting"):
        with_overrides(SETTINGS, ["no_such=1"])
    with pytest.raises(ValueError, match="needs a int"):
        with_overrides(SETTINGS, ["word_features=lots"])


def _accuse(text: str, present: int, weight: float = 0.5) -> Example:
    return Example(text, text, "test", plover={"ACCUSE": (present, weight)})


def test_thresholds_take_the_best_f1_nearest_the_global_one():
    examples = [_accuse(f"p{i}", 1) for i in range(40)] + [_accuse(f"n{i}", 0) for i in range(40)]
    readings = [Reading(0.5, {"ACCUSE": 0.3})] * 40 + [Reading(0.1, {"ACCUSE": 0.1})] * 40
    chosen = choose_thresholds(examples, readings, [True] * 80, SETTINGS)
    # every threshold in (0.1, 0.3] separates the two; 0.3 is nearest the global 0.4
    assert chosen == {"ACCUSE": 0.3}


def test_thresholds_skip_rows_outside_the_split_weak_answers_and_rare_types():
    examples = [_accuse(f"p{i}", 1) for i in range(40)] + [_accuse(f"n{i}", 0) for i in range(40)]
    readings = [Reading(0.5, {"ACCUSE": 0.3})] * 80
    assert choose_thresholds(examples, readings, [False] * 80, SETTINGS) == {}
    weak = [_accuse(e.text, e.plover["ACCUSE"][0], weight=0.25) for e in examples]
    assert choose_thresholds(weak, readings, [True] * 80, SETTINGS) == {}
    few = Settings(threshold_min_positives=41)
    assert choose_thresholds(examples, readings, [True] * 80, few) == {}


def test_figures_count_a_type_present_at_its_own_threshold():
    examples = [
        Example("a", "voa:1", "ngec_voa", plover={"ACCUSE": (1, 0.5), "AID": (0, 0.5)}),
        Example("b", "voa:2", "ngec_voa", plover={"ACCUSE": (0, 0.5), "AID": (1, 0.5)}),
    ]
    readings = [Reading(0.5, {"ACCUSE": 0.3, "AID": 0.1}), Reading(0.5, {"ACCUSE": 0.1, "AID": 0.6})]
    plain = event_figures.figures(examples, readings, 0.4)["ngec_voa"]
    assert plain["no_event_share"] == 0.5
    tuned = event_figures.figures(examples, readings, 0.4, [{"ACCUSE": 0.25}] * 2)["ngec_voa"]
    assert tuned["no_event_share"] == 0.0
    assert tuned["multilabel_type_macro_f1"] > plain["multilabel_type_macro_f1"]


def test_dense_vectors_join_the_sparse_features_and_can_be_left_out():
    texts = ["Troops shelled the rebel town", "Ministers met for talks", "Shares rose"] * 2
    with_dense = event_training.build_features(Settings(dense_weight=1.0)).fit(texts).transform(texts)
    without = event_training.build_features(Settings(dense_weight=0)).fit(texts).transform(texts)
    assert with_dense.shape[1] - without.shape[1] == 256
    again = event_training.build_features(Settings(dense_weight=1.0)).fit(texts).transform(texts)
    np.testing.assert_array_equal(with_dense.toarray(), again.toarray())


def test_the_learning_curve_share_is_per_document_and_spread_evenly():
    assert event_training.share_of("voa:d1") == event_training.share_of("gsr:d1")
    shares = [event_training.share_of(f"voa:doc{i}") for i in range(2000)]
    assert all(0.0 <= s < 1.0 for s in shares)
    assert 0.2 < sum(s < 0.25 for s in shares) / len(shares) < 0.3


def test_the_shipped_model_reads_with_sentence_vectors_and_per_type_thresholds():
    from eventline.extraction.event_model import EventModel

    model = EventModel.load()
    assert "dense" in dict(model.features.transformer_list)
    thresholds = model.type_thresholds()
    assert thresholds and all(0.0 < t < 1.0 for t in thresholds.values())
    assert set(thresholds) <= set(model.types)


def test_false_events_count_no_event_sentences_given_a_type_at_its_threshold():
    examples = [
        Example("a", "timebank:1", "timebank", event=(0, 0.3)),
        Example("b", "timebank:1", "timebank", event=(0, 0.3)),
        Example("c", "conflibert:c", "conflibert", event=(1, 1.0)),
    ]
    readings = [
        Reading(0.7, {"ACCUSE": 0.3}),
        Reading(0.1, {"ACCUSE": 0.1}),
        Reading(0.9, {"ACCUSE": 0.9}),
    ]
    plain = event_figures.figures(examples, readings, 0.4)["no_event_text"]
    assert plain == {
        "timebank_n": 2,
        "timebank_false_event_share": 0.0,
        "timebank_type_over_half_share": 0.0,
        "timebank_event_head_share": 0.5,
    }
    tuned = event_figures.figures(examples, readings, 0.4, [{"ACCUSE": 0.25}] * 3)["no_event_text"]
    assert tuned["timebank_false_event_share"] == 0.5


def test_case_figures_score_the_readings_of_each_casing():
    examples = [Example("Troops shelled Kano", "gsr:a", "plover_gsr", plover={"ASSAULT": (1, 1.0)})]
    seen: list[str] = []

    def read(casing):
        seen.append(casing(examples[0].text))
        right = casing("x") == "x"  # the lower-cased reading is right, the upper-cased one wrong
        return [Reading(0.9, {"ASSAULT": 0.9 if right else 0.1, "PROTEST": 0.5})]

    out = event_figures.case_figures(examples, read, 0.4)
    assert seen == ["troops shelled kano", "TROOPS SHELLED KANO"]
    assert out["lower"]["plover_gsr_event_type_macro_f1"] == 1.0
    assert out["upper"]["plover_gsr_event_type_macro_f1"] == 0.0


def test_held_out_readings_of_changed_text_come_from_the_fold_model_that_never_saw_it():
    texts = [f"Troops shelled town {i} and police arrested {i} men" for i in range(12)]
    texts += [f"The festival {i} opens on Friday with music" for i in range(12)]
    examples = [
        Example(t, f"doc:{t}", "test", event=(int(i < 12), 1.0), plover={"ASSAULT": (int(i < 12), 1.0)})
        for i, t in enumerate(texts)
    ]
    crossed = event_training.cross_fit(examples, Settings(dense_weight=0), folds=2)
    rows = [0, 13, 5]
    again = crossed.read_held_out(rows, [texts[r] for r in rows])
    assert [r.types for r in again] == [crossed.readings[r].types for r in rows]
    assert crossed.read_held_out(rows, [texts[r].upper() for r in rows])[0].types == again[0].types
