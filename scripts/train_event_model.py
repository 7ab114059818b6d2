"""Rebuild the shipped event model (eventline/data/models/event_model.pkl), its hash and the
k-fold section of docs/model-card.md.

    python scripts/train_event_model.py [--data SHARED_DIR] [--user FILE.jsonl ...] [--no-save]
                                         [--set NAME=VALUE ...]

Reads every training source from the shared data folder (eventline.training.event_data),
fits 5 fold models held out by document, prints their out-of-fold figures and reliability
table, then fits on everything, calibrates on the out-of-fold scores and saves the model.
Deterministic: sorted inputs, fixed seeds, single-threaded BLAS.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from eventline.evaluation.runner import DEFAULT_DATA
from eventline.extraction.event_model import MODEL_PATH
from eventline.training import event_data, event_figures, event_training

CARD = Path(__file__).resolve().parents[1] / "docs" / "model-card.md"
BEGIN, END = "<!-- figures: begin -->", "<!-- figures: end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="gold sets folder (eval/dev)")
    parser.add_argument("--user", type=Path, nargs="*", default=[], help="your labelled JSONL files")
    parser.add_argument("--no-save", action="store_true", help="only print the k-fold figures")
    parser.add_argument(
        "--set", nargs="*", default=[], metavar="NAME=VALUE",
        help="override a training setting (event_training.Settings), e.g. dense_weight=2",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: data folder {args.data} is missing; pass --data DIR", file=sys.stderr)
        return 2
    examples = event_data.training_examples(args.data, args.user)
    try:
        settings = event_training.with_overrides(event_training.SETTINGS, args.set)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    crossed = event_training.cross_fit(examples, settings)
    figures = event_figures.figures(
        examples, crossed.readings, settings.type_threshold, crossed.type_thresholds()
    )
    origins = dict(sorted(Counter(e.origin for e in examples).items()))
    print(json.dumps({"examples": origins, "held_out_by_document": figures}, indent=2))
    if args.no_save:
        return 0
    model = event_training.fit_final(examples, crossed, settings)
    model.info.update({"folds": event_training.FOLDS, "examples": origins, "figures": figures})
    print(json.dumps({"type_thresholds": model.type_thresholds()}))
    digest = model.save(MODEL_PATH)
    size = MODEL_PATH.stat().st_size / 1e6
    print(f"saved {MODEL_PATH.name} ({size:.1f} MB), sha256 {digest}")
    write_card_figures(figures, origins, digest, size, model.type_thresholds())
    return 0


def write_card_figures(
    figures: dict, origins: dict, digest: str, size: float, thresholds: dict[str, float]
) -> None:
    """Replace the generated section of the model card (between its two markers)."""
    lines = [BEGIN, "", f"Artifact: `event_model.pkl`, {size:.1f} MB, SHA-256 `{digest}`.", ""]
    lines += ["| source | sentences |", "|---|---|"]
    lines += [f"| {origin} | {count} |" for origin, count in origins.items()]
    lines += ["", "| set | figure | value |", "|---|---|---|"]
    for name, values in figures.items():
        if name == "reliability":
            continue
        lines += [f"| {name} | {key} | {value} |" for key, value in values.items()]
    lines += ["", "Per-type thresholds (best F1 on out-of-fold readings; each fold's figures use"]
    lines += ["thresholds chosen without that fold):", ""]
    lines += ["| type | threshold |", "|---|---|"]
    lines += [f"| {etype} | {value} |" for etype, value in sorted(thresholds.items())]
    lines += ["", "Reliability of the PLOVER type probabilities (out of fold, answers of weight"]
    lines += ["at least 0.5: gold and verified silver):", ""]
    lines += ["| probability | answers | mean predicted | observed share |", "|---|---|---|---|"]
    lines += [
        f"| {row['bin']} | {row['n']} | {row['mean_probability']} | {row['observed_share']} |"
        for row in figures["reliability"]
    ]
    lines += ["", END]
    text = CARD.read_text(encoding="utf-8") if CARD.is_file() else f"# Event model card\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    CARD.write_text(head + "\n".join(lines) + tail, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
