"""eventline.training.folds: every text in one fold, labels spread over the folds, and no fold
model scores a text it was trained on."""

from __future__ import annotations

from collections import Counter

from eventline.extraction.classifier import LabelledText
from eventline.training.folds import FOLDS, fold_assignments, hash_fold, out_of_fold_predictions


def _examples() -> list[LabelledText]:
    examples = []
    for label, verb in (("ASSAULT", "shelled"), ("PROTEST", "marched through"), ("AID", "sent food to")):
        for n in range(10):
            examples.append(LabelledText(f"Group {n} {verb} town {n}.", "plover", label, "test"))
    # the same text labelled in a second scheme keeps the fold it already has
    examples.append(LabelledText("Group 0 shelled town 0.", "quad_class", "4", "test"))
    return examples


def test_each_text_has_one_fold_and_each_label_spreads_over_all_folds() -> None:
    examples = _examples()
    assignment = fold_assignments(examples)
    assert set(assignment) == {e.text for e in examples}
    assert set(assignment.values()) == set(range(FOLDS))
    for label in ("ASSAULT", "PROTEST", "AID"):
        folds = Counter(assignment[e.text] for e in examples if e.label == label)
        assert len(folds) == FOLDS and set(folds.values()) == {2}  # 10 texts, 5 folds
    assert fold_assignments(examples) == assignment  # seeded: the same split every run


def test_rare_labels_fall_back_to_a_stable_hash_split() -> None:
    examples = [LabelledText("Only once.", "plover", "RETREAT", "test")]
    assert fold_assignments(examples) == {"Only once.": hash_fold("Only once.")}
    assert 0 <= hash_fold("Only once.") < FOLDS


class _Recorder:
    """A stand-in fold model that answers with its fold number, to see who scored what."""

    def __init__(self, fold: int) -> None:
        self.fold = fold

    def predict(self, texts: list[str]) -> list[dict[str, tuple[str, float]]]:
        return [{"plover": (str(self.fold), 1.0)} for _ in texts]


def test_a_text_is_scored_by_the_model_of_the_fold_that_held_it_out() -> None:
    examples = _examples()
    assignment = fold_assignments(examples)
    models = [_Recorder(fold) for fold in range(FOLDS)]
    # the recorders stand in for SentenceClassifier: predict is all the function calls
    predictions = out_of_fold_predictions(examples, assignment, models)  # type: ignore[arg-type]
    assert {text: int(answer["plover"][0]) for text, answer in predictions.items()} == assignment
