"""The event model: readings, calibration, persistence with its hash, swapping fold models."""

import hashlib

import pytest

from eventline.extraction.event_model import EventModel, Reading
from eventline.extraction.labels import AcledLabels, current_plover_event
from eventline.extraction.lexicon_features import lemma_candidates
from eventline.training import event_training
from eventline.training.event_data import PLOVER_TYPES, Example

VIOLENT = ["Troops shelled the rebel town", "Militants attacked an army post", "Gunmen killed villagers"]
TALKS = ["The ministers met for talks", "The leaders held a meeting", "Envoys discussed a truce"]
QUIET = ["The weather was mild on Sunday", "Shares rose in early trading", "The film opens next week"]


def _examples(flip: bool = False) -> list[Example]:
    violent, talks = ("CONSULT", "ASSAULT") if flip else ("ASSAULT", "CONSULT")
    out = []
    for text in VIOLENT:
        out.append(Example(text, text, "test", (1, 1.0), {t: (int(t == violent), 1.0) for t in PLOVER_TYPES},
                           (4, 1.0), ("Armed clash", 1.0)))
    for text in TALKS:
        out.append(Example(text, text, "test", (1, 1.0), {t: (int(t == talks), 1.0) for t in PLOVER_TYPES},
                           (1, 1.0), ("Agreement", 1.0)))
    for text in QUIET:
        out.append(Example(text, text, "test", (0, 1.0), {t: (0, 1.0) for t in PLOVER_TYPES}, (0, 1.0)))
    return out


@pytest.fixture(scope="module")
def tiny() -> EventModel:
    return event_training.fit(_examples())


def test_reading_gives_types_event_quad_and_acled(tiny):
    violent, talks = tiny.read(["Rebels attacked the army post", "Ministers held talks"], labels=True)
    assert violent.top_type()[0] == "ASSAULT" and talks.top_type()[0] == "CONSULT"
    assert violent.quad_class[0] == 4
    assert violent.acled_sub_event is not None and violent.acled_event == "Battles"
    assert all(0.0 < p < 1.0 for p in violent.types.values())
    assert tiny.read([]) == []


def test_an_empty_text_reads_as_no_event(tiny):
    (reading,) = tiny.read(["   "])
    assert reading.event == 0.0 and reading.present_types(0.4) == []


def test_present_types_keep_several_events():
    reading = Reading(event=0.9, types={"ASSAULT": 0.8, "ACCUSE": 0.6, "AID": 0.1})
    assert [t for t, _ in reading.present_types(0.5)] == ["ASSAULT", "ACCUSE"]
    assert Reading(event=0.9, types={"ASSAULT": 0.3, "AID": 0.1}).present_types(0.5) == []


def test_platt_scaling_is_monotone_and_fits_the_labels():
    a, b = event_training.platt([-2.0, -1.0, 1.0, 2.0, 0.5, -0.5], [0, 0, 1, 1, 1, 0], [1.0] * 6)
    assert a > 0
    model = EventModel(platt={"event": (a, b)})
    assert model.probability("event", 2.0) > model.probability("event", -2.0)


def test_saved_model_reads_back_and_its_hash_is_written(tiny, tmp_path):
    path, hash_path = tmp_path / "m.pkl", tmp_path / "m.sha256"
    digest = tiny.save(path, hash_path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert hash_path.read_text().split()[0] == digest
    assert EventModel.load(path).read(["Gunmen killed villagers"]) == tiny.read(["Gunmen killed villagers"])


def test_training_is_deterministic():
    first, second = event_training.fit(_examples()), event_training.fit(_examples())
    text = ["Envoys met for talks on a truce"]
    assert first.read(text) == second.read(text)


def test_swapped_models_are_restored(tiny):
    flipped = event_training.fit(_examples(flip=True))
    text = ["Militants attacked an army post"]
    with tiny.swapped(flipped):
        assert tiny.read(text)[0].top_type()[0] == "CONSULT"
    assert tiny.read(text)[0].top_type()[0] == "ASSAULT"


def test_shipped_model_loads_once_and_answers():
    model = EventModel.load()
    assert EventModel.load() is model
    (reading,) = model.read(["Government forces shelled rebel positions near the town."], labels=True)
    assert reading.top_type()[0] == "ASSAULT" and reading.event > 0.5
    assert reading.quad_class[0] == 4


def test_label_tables():
    labels = AcledLabels.load()
    assert labels.code_for("Air/drone strike") == "AIR_STRIKE" == labels.code_for("air_strike")
    assert labels.group_of("GRENADE") == "Explosions/Remote violence"
    assert labels.group_of("UNKNOWN") == "UNKNOWN"
    assert current_plover_event("disapprove") == "ACCUSE" and current_plover_event("AID") == "AID"


def test_lemma_candidates_undo_inflection():
    assert "shell" in lemma_candidates("shelled")
    assert "bomb" in lemma_candidates("bombing")
    assert "rally" in lemma_candidates("rallies")
    assert lemma_candidates("war") == ["war"]


def test_stacked_heads_score_as_each_head_does(tiny):
    texts = VIOLENT + TALKS + QUIET
    matrix = tiny.features.transform(texts)
    stacked = tiny.decision_values(matrix)
    assert set(stacked) == {name for name in tiny.heads if name not in ("quad_class", "acled_sub_event")}
    for name, values in stacked.items():
        assert list(values) == pytest.approx(list(tiny.heads[name].decision_function(matrix)), abs=1e-12)


def test_swapped_heads_are_stacked_afresh(tiny):
    flipped = event_training.fit(_examples(flip=True))
    matrix = tiny.features.transform(["Militants attacked an army post"])
    before = tiny.decision_values(matrix)["plover:ASSAULT"][0]
    with tiny.swapped(flipped):
        assert tiny.decision_values(matrix)["plover:ASSAULT"][0] != before
    assert tiny.decision_values(matrix)["plover:ASSAULT"][0] == before


def test_label_heads_answer_as_their_own_pipelines_do():
    from eventline.extraction.event_model import _predict_proba

    model = EventModel.load()
    texts = VIOLENT + TALKS + QUIET + ["", "POLICE ARREST 12 IN NAIROBI"]
    for name in ("quad_class", "acled_sub_event"):
        head = model.heads[name]
        assert abs(_predict_proba(head, texts) - head.predict_proba(texts)).max() == 0
