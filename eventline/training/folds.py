"""Training data for the sentence classifier, k-fold splits and out-of-fold figures.

The classifier is trained only on the dev gold sets. Whenever the evaluation scores it (or
the pipeline that uses it) on one of those sets, it uses models from the fold that did not
see the scored text: figures for trained components are always cross-validated.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from eventline.evaluation import case2021, conflibert, plover_gsr
from eventline.extraction.classifier import (
    AcledLabels,
    LabelledText,
    SentenceClassifier,
    plover_quad_classes,
)

FOLDS = 5
SEED = 13


def training_examples(data_dir: Path) -> list[LabelledText]:
    """Every labelled sentence the classifier learns from, across schemes.

    PLOVER GSR gives PLOVER event types (and, through the PLOVER -> QuadClass table, extra
    QuadClass examples); CASE 2021 gives ACLED sub-event types; ConfliBERT gives QuadClass.
    """
    examples: list[LabelledText] = []
    quad_of = plover_quad_classes()
    for record in plover_gsr.load(data_dir):
        examples.append(LabelledText(record.text, "plover", record.event, "plover_gsr"))
        if record.event in quad_of:
            examples.append(
                LabelledText(record.text, "quad_class", str(quad_of[record.event]), "plover_gsr")
            )
    labels = AcledLabels.load()
    for case in case2021.load(data_dir):
        examples.append(
            LabelledText(case.text, "acled_sub_event", labels.name_of(case.label), "case2021")
        )
    for quad in conflibert.load_classes(data_dir):
        examples.append(LabelledText(quad.text, "quad_class", str(quad.quad_class), "conflibert"))
    return examples


def fold_assignments(
    examples: Sequence[LabelledText], folds: int = FOLDS, seed: int = SEED
) -> dict[str, int]:
    """text -> fold, stratified by label within each scheme (first scheme seen wins when a
    text is labelled in several), so every fold holds each label in proportion."""
    from sklearn.model_selection import StratifiedKFold

    assignment: dict[str, int] = {}
    by_scheme: dict[str, list[LabelledText]] = defaultdict(list)
    for example in examples:
        by_scheme[example.scheme].append(example)
    for scheme_examples in by_scheme.values():
        fresh = [e for e in _unique_texts(scheme_examples) if e.text not in assignment]
        if not fresh:
            continue
        labels = [e.label for e in fresh]
        smallest = min(labels.count(label) for label in set(labels))
        if smallest >= folds:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
            for fold, (_, held_out) in enumerate(splitter.split(labels, labels)):
                for index in held_out:
                    assignment[fresh[index].text] = fold
        else:
            # rare labels make stratification impossible: fall back to a stable hash split
            for example in fresh:
                assignment[example.text] = hash_fold(example.text, folds)
    return assignment


def hash_fold(text: str, folds: int = FOLDS) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % folds


def _unique_texts(examples: Sequence[LabelledText]) -> list[LabelledText]:
    seen: set[str] = set()
    out = []
    for example in examples:
        if example.text not in seen:
            seen.add(example.text)
            out.append(example)
    return out


def fold_models(
    examples: Sequence[LabelledText], assignment: dict[str, int], folds: int = FOLDS
) -> list[SentenceClassifier]:
    """One classifier per fold, each trained on every example outside that fold."""
    return [
        SentenceClassifier.train([e for e in examples if assignment.get(e.text) != fold])
        for fold in range(folds)
    ]


def out_of_fold_predictions(
    examples: Sequence[LabelledText],
    assignment: dict[str, int],
    models: Sequence[SentenceClassifier],
) -> dict[str, dict[str, tuple[str, float]]]:
    """text -> prediction by the model of the fold that held the text out."""
    texts_by_fold: dict[int, list[str]] = defaultdict(list)
    for text in {e.text for e in examples}:
        texts_by_fold[assignment[text]].append(text)
    out: dict[str, dict[str, tuple[str, float]]] = {}
    for fold, texts in texts_by_fold.items():
        texts.sort()
        for text, prediction in zip(texts, models[fold].predict(texts), strict=True):
            out[text] = prediction
    return out


def cross_validated_figures(
    examples: Sequence[LabelledText],
    predictions: dict[str, dict[str, tuple[str, float]]],
) -> dict[str, dict]:
    """Classifier-only k-fold figures, one block per gold set it was trained on."""
    labels = AcledLabels.load()
    plover = [e for e in examples if e.scheme == "plover"]
    case = [e for e in examples if e.scheme == "acled_sub_event"]
    quad = [e for e in examples if e.scheme == "quad_class" and e.origin == "conflibert"]
    figures: dict[str, dict] = {}
    if plover:
        gold = [e.label for e in plover]
        predicted = [predictions[e.text].get("plover", ("NONE", 0.0))[0] for e in plover]
        from eventline.evaluation import metrics

        figures["plover_gsr"] = {
            "n": len(gold),
            "event_type_accuracy": round(metrics.accuracy(gold, predicted), 4),
            "event_type_macro_f1": round(metrics.macro_f1(gold, predicted, sorted(set(gold))), 4),
            "confusions": metrics.confusions(gold, predicted, [e.text for e in plover]),
        }
    if case:
        gold_codes = [labels.code_for(e.label) or e.label for e in case]
        predicted_codes = [
            labels.code_for(predictions[e.text].get("acled_sub_event", ("", 0.0))[0]) or "NONE"
            for e in case
        ]
        figures["case2021"] = case2021.score_labels(
            gold_codes, predicted_codes, [e.text for e in case]
        )
    if quad:
        gold_quads = [int(e.label) for e in quad]
        predicted_quads = [int(predictions[e.text].get("quad_class", ("0", 0.0))[0]) for e in quad]
        figures["conflibert_quad"] = conflibert.score_quad_labels(
            gold_quads, predicted_quads, [e.text for e in quad]
        )
    return figures
