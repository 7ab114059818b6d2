"""Rebuild the shipped event models (eventline/data/models/event_model.pkl and the
encoder-backed event_model_context.pkl), their hashes and the k-fold sections of
docs/model-card.md.

    python scripts/train_event_model.py [--data SHARED_DIR] [--user FILE.jsonl ...] [--no-save]
                                         [--model cheap|context|both] [--set NAME=VALUE ...]

Reads every training source from the shared data folder (eventline.training.event_data),
fits 5 fold models held out by document, prints their out-of-fold figures and reliability
table, then fits on everything, calibrates on the out-of-fold scores and saves the model.
The encoder-backed model embeds every training text once (eventline.extraction.
context_vectors; EVENTLINE_ENCODER_CACHE=DIR keeps the vectors for the next run).
Deterministic: sorted inputs, fixed seeds, single-threaded BLAS.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from eventline.evaluation.runner import DEFAULT_DATA
from eventline.extraction.event_model import (
    CONTEXT_HASH_PATH,
    CONTEXT_PATH,
    HASH_PATH,
    MODEL_PATH,
    EventModel,
)
from eventline.training import event_data, event_figures, event_training

CARD = Path(__file__).resolve().parents[1] / "docs" / "model-card.md"
FIGURES = ("<!-- figures: begin -->", "<!-- figures: end -->")
CONTEXT_FIGURES = ("<!-- context figures: begin -->", "<!-- context figures: end -->")
# what --model names: (training settings, artifact, its hash file, card section)
MODELS = {
    "cheap": (event_training.SETTINGS, MODEL_PATH, HASH_PATH, FIGURES),
    "context": (event_training.CONTEXT_SETTINGS, CONTEXT_PATH, CONTEXT_HASH_PATH, CONTEXT_FIGURES),
}
CURVE = ("<!-- learning curve: begin -->", "<!-- learning curve: end -->")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="gold sets folder (eval/dev)")
    parser.add_argument("--user", type=Path, nargs="*", default=[], help="your labelled JSONL files")
    parser.add_argument("--no-save", action="store_true", help="only print the k-fold figures")
    parser.add_argument(
        "--learning-curve", type=float, nargs="*", metavar="SHARE",
        help="only the learning curve: 5-fold figures trained on these shares of the documents "
        "(the full share is the shipped model's, when its settings match), into the model card",
    )  # fmt: skip
    parser.add_argument(
        "--model", choices=(*MODELS, "both"), default="both",
        help="which model to rebuild: the cheap one every sentence meets, the encoder-backed "
        "one that re-reads candidate sentences, or both (the default)",
    )  # fmt: skip
    parser.add_argument(
        "--set", nargs="*", default=[], metavar="NAME=VALUE",
        help="override a training setting (event_training.Settings), e.g. dense_weight=2",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: data folder {args.data} is missing; pass --data DIR", file=sys.stderr)
        return 2
    examples = event_data.training_examples(args.data, args.user)
    chosen = list(MODELS) if args.model == "both" else [args.model]
    try:
        for name in chosen:
            event_training.with_overrides(MODELS[name][0], args.set)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.learning_curve:
        settings = event_training.with_overrides(MODELS[chosen[0]][0], args.set)
        write_card_section(CURVE, learning_curve(examples, settings, args.learning_curve))
        return 0
    for name in chosen:
        settings, path, hash_path, markers = MODELS[name]
        train(examples, event_training.with_overrides(settings, args.set), args.no_save, path, hash_path, markers)
    return 0


def train(
    examples: list, settings: event_training.Settings, no_save: bool, path: Path, hash_path: Path,
    markers: tuple[str, str],
) -> None:  # fmt: skip
    """One model: its k-fold figures printed, then (unless `no_save`) fitted on everything,
    saved with its hash, and its figures written into the model card between `markers`."""
    crossed = event_training.cross_fit(examples, settings)
    figures = event_figures.figures(
        examples, crossed.readings, settings.type_threshold, crossed.type_thresholds()
    )
    figures["casing"] = crossed.casing_figures(examples, settings.type_threshold)
    origins = dict(sorted(Counter(e.origin for e in examples).items()))
    print(json.dumps({"model": path.name, "examples": origins, "held_out_by_document": figures}, indent=2))
    if no_save:
        return
    model = event_training.fit_final(examples, crossed, settings)
    model.info.update({"folds": event_training.FOLDS, "examples": origins, "figures": figures})
    print(json.dumps({"type_thresholds": model.type_thresholds()}))
    digest = model.save(path, hash_path)
    size = path.stat().st_size / 1e6
    print(f"saved {path.name} ({size:.1f} MB), sha256 {digest}")
    write_card_figures(path.name, figures, origins, digest, size, model.type_thresholds(), markers)


# the headline figure of each set, as the learning curve shows it
HEADLINES = (
    ("plover_gsr", "event_type_macro_f1", "PLOVER GSR type macro-F1"),
    ("case2021", "subtype_weighted_f1", "CASE 2021 weighted F1"),
    ("conflibert_quad", "quad_accuracy", "QuadClass accuracy"),
    ("ngec_voa", "multilabel_type_macro_f1", "ngec_voa multi-label macro-F1"),
)


def learning_curve(examples: list, settings: event_training.Settings, shares: list[float]) -> list[str]:
    """Card lines: the headline figures (5-fold, held out by document) against the share of
    training documents; every held-out document is read at every share."""
    rows: dict[float, dict] = {}
    for share in sorted(set(shares)):
        crossed = event_training.cross_fit(examples, settings, share=share)
        rows[share] = event_figures.figures(
            examples, crossed.readings, settings.type_threshold, crossed.type_thresholds()
        )
        print(json.dumps({"share": share, "figures": rows[share]}))
    shipped = EventModel.load(MODEL_PATH) if MODEL_PATH.is_file() else None
    if 1.0 not in rows and shipped is not None and shipped.info.get("settings") == settings.__dict__:
        rows[1.0] = shipped.info["figures"]
    lines = ["| training share | " + " | ".join(name for _, _, name in HEADLINES) + " |"]
    lines += ["|---" * (len(HEADLINES) + 1) + "|"]
    for share, figures in sorted(rows.items()):
        values = [str(figures.get(s, {}).get(key, "-")) for s, key, _ in HEADLINES]
        lines += [f"| {share:.2f} | " + " | ".join(values) + " |"]
    return lines


def write_card_section(markers: tuple[str, str], lines: list[str]) -> None:
    """Replace the part of the model card between `markers` with `lines`."""
    begin, end = markers
    text = CARD.read_text(encoding="utf-8") if CARD.is_file() else "# Event model card\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    CARD.write_text(head + "\n".join([begin, "", *lines, "", end]) + tail, encoding="utf-8")


def write_card_figures(
    artifact: str, figures: dict, origins: dict, digest: str, size: float,
    thresholds: dict[str, float], markers: tuple[str, str],
) -> None:  # fmt: skip
    """Replace a generated section of the model card (between its two markers)."""
    lines = [f"Artifact: `{artifact}`, {size:.1f} MB, SHA-256 `{digest}`.", ""]
    lines += ["| source | sentences |", "|---|---|"]
    lines += [f"| {origin} | {count} |" for origin, count in origins.items()]
    lines += ["", "| set | figure | value |", "|---|---|---|"]
    for name, values in figures.items():
        if name in ("reliability", "casing"):
            continue
        lines += [f"| {name} | {key} | {value} |" for key, value in values.items()]
    lines += ["", "The same held-out sentences in other casings (each read by its fold model):", ""]
    casings = figures["casing"]
    lines += ["| figure | as written | " + " | ".join(casings) + " |", "|---" * (len(casings) + 2) + "|"]
    for key in next(iter(casings.values())):
        original = _figure_of(figures, key)
        lines += [f"| {key} | {original} | " + " | ".join(str(c.get(key, "-")) for c in casings.values()) + " |"]
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
    write_card_section(markers, lines)


def _figure_of(figures: dict, flat_key: str) -> object:
    """A figure by its flat name ("plover_gsr_event_type_macro_f1")."""
    for set_name, values in figures.items():
        if flat_key.startswith(set_name + "_") and isinstance(values, dict):
            return values.get(flat_key[len(set_name) + 1 :], "-")
    return "-"


if __name__ == "__main__":
    sys.exit(main())
