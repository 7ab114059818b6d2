from eventline.extraction.classifier import (
    AcledLabels,
    LabelledText,
    LexiconAnalyzer,
    SentenceClassifier,
    current_plover_event,
    lemma_candidates,
)


def _tiny_training_set() -> list[LabelledText]:
    violent = [
        "Troops shelled the rebel town",
        "Militants attacked an army post",
        "Gunmen killed villagers",
    ]
    talks = [
        "The ministers met for talks",
        "The leaders held a meeting",
        "Envoys discussed a truce",
    ]
    examples = [LabelledText(t, "plover", "ASSAULT") for t in violent]
    examples += [LabelledText(t, "plover", "CONSULT") for t in talks]
    examples += [LabelledText(t, "quad_class", "4") for t in violent]
    examples += [LabelledText(t, "quad_class", "1") for t in talks]
    examples += [LabelledText(t, "acled_sub_event", "Armed clash") for t in violent]
    examples += [LabelledText(t, "acled_sub_event", "Agreement") for t in talks]
    return examples


def test_trained_classifier_predicts_every_scheme_with_probabilities(tmp_path):
    classifier = SentenceClassifier.train(_tiny_training_set())
    rows = classifier.predict(["Rebels attacked the army post", "Ministers held talks"])
    assert rows[0]["plover"][0] == "ASSAULT" and rows[1]["plover"][0] == "CONSULT"
    assert rows[0]["quad_class"][0] == "4"
    assert rows[0]["acled_event"] == ("Battles", rows[0]["acled_sub_event"][1])
    assert all(0.0 < p <= 1.0 for row in rows for _, p in row.values())
    path = tmp_path / "model.pkl"
    classifier.save(path)
    assert SentenceClassifier.load(path).predict(["Rebels attacked the army post"]) == rows[:1]
    assert classifier.predict([]) == []


def test_swapped_models_are_restored():
    first = SentenceClassifier.train(_tiny_training_set())
    flipped = [
        LabelledText(
            e.text, e.scheme, {"ASSAULT": "CONSULT", "CONSULT": "ASSAULT"}.get(e.label, e.label)
        )
        for e in _tiny_training_set()
    ]
    second = SentenceClassifier.train(flipped)
    text = ["Militants attacked an army post"]
    with first.swapped(second):
        assert first.predict(text)[0]["plover"][0] == "CONSULT"
    assert first.predict(text)[0]["plover"][0] == "ASSAULT"


def test_shipped_model_loads_and_answers():
    classifier = SentenceClassifier.load()
    assert SentenceClassifier.load() is classifier  # one shared instance per process
    row = classifier.predict(["Government forces shelled rebel positions near the town."])[0]
    assert set(row) >= {"plover", "quad_class", "acled_sub_event"}
    assert row["quad_class"][0] in {"0", "1", "2", "3", "4"}


def test_label_tables():
    labels = AcledLabels.load()
    assert labels.code_for("Air/drone strike") == "AIR_STRIKE" == labels.code_for("air_strike")
    assert labels.group_of("GRENADE") == "Explosions/Remote violence"
    assert labels.group_of("UNKNOWN") == "UNKNOWN"
    assert current_plover_event("disapprove") == "ACCUSE" and current_plover_event("AID") == "AID"


def test_lemma_candidates_undo_inflection():
    assert "shell" in lemma_candidates("shelled")
    assert "bomb" in lemma_candidates("bombing")
    assert "raid" in lemma_candidates("raids")
    assert "rally" in lemma_candidates("rallies")
    assert lemma_candidates("war") == ["war"]


def test_lexicon_analyzer_reads_triggers_cues_and_multiword_triggers():
    features = LexiconAnalyzer()("Troops shelled the town with missiles.")
    assert "event=ASSAULT" in features and "quad=4" in features
    assert "cue=Shelling/artillery/missile attack" in features
    assert "multi=REQUEST" in LexiconAnalyzer()("Protesters called for the release of prisoners.")
    assert LexiconAnalyzer()("The weather was fine.") == []


def test_predict_only_the_schemes_asked_for():
    classifier = SentenceClassifier.train(_tiny_training_set())
    row = classifier.predict(["Rebels attacked the army post"], ["acled_sub_event"])[0]
    assert set(row) == {"acled_sub_event", "acled_event"}
    assert set(classifier.predict(["Ministers held talks"], ["plover"])[0]) == {"plover"}
