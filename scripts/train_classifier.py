"""Rebuild the shipped sentence classifier (eventline/data/models/sentence_classifier.pkl).

    python scripts/train_classifier.py [--data DIR] [--no-save]

Trains on the dev gold sets only (PLOVER GSR, CASE 2021, ConfliBERT QuadClass), prints the
5-fold cross-validated figures, then fits on everything and saves the model with those
figures in its `info`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from eventline.evaluation.runner import DEFAULT_DATA
from eventline.extraction.classifier import MODEL_PATH, SentenceClassifier
from eventline.training import folds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="gold sets folder")
    parser.add_argument("--no-save", action="store_true", help="only print the k-fold figures")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: gold data folder {args.data} is missing; pass --data DIR", file=sys.stderr)
        return 2

    examples = folds.training_examples(args.data)
    assignment = folds.fold_assignments(examples)
    models = folds.fold_models(examples, assignment)
    predictions = folds.out_of_fold_predictions(examples, assignment, models)
    figures = folds.cross_validated_figures(examples, predictions)
    headline = {
        name: {k: v for k, v in values.items() if k != "confusions"}
        for name, values in figures.items()
    }
    print(json.dumps({"folds": folds.FOLDS, "cross_validated": headline}, indent=2))

    if not args.no_save:
        classifier = SentenceClassifier.train(examples)
        classifier.info.update(
            {
                "folds": folds.FOLDS,
                "cross_validated": headline,
                "examples_by_origin": dict(Counter(f"{e.origin}:{e.scheme}" for e in examples)),
            }
        )
        classifier.save(MODEL_PATH)
        print(f"saved {MODEL_PATH.name} ({MODEL_PATH.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
