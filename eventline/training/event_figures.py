"""Figures of the event model alone, from out-of-fold readings (held out by document).

- per gold set: PLOVER type accuracy and macro-F1 (most probable type), CASE 2021 30-label
  weighted F1 and 6-type accuracy, ConfliBERT QuadClass accuracy, and the share of event
  sentences the model judges to report none;
- ngec_voa (silver): multi-label type macro-F1 over every known (quote, type) answer, and
  the most probable type's macro-F1 on quotes with one verified type;
- calibration: a reliability table of the type probabilities on gold and silver answers;
- false events: on held-out sentences with no political event, the share given a type at
  its threshold (what the model would report where there is nothing to report);
- case: the headline figures again on the held-out sentences lower-cased and upper-cased
  (`case_figures`), since real news arrives as headlines, wire slugs and lower-cased posts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventline.evaluation import case2021, conflibert, metrics
from eventline.extraction.event_model import Reading
from eventline.extraction.labels import AcledLabels
from eventline.training.event_data import PLOVER_TYPES, Example

BINS = 10


def figures(
    examples: Sequence[Example],
    readings: Sequence[Reading],
    threshold: float,
    type_thresholds: Sequence[Mapping[str, float]] | None = None,
) -> dict[str, Any]:
    """`type_thresholds`, one mapping per example (those of the fold model that read it),
    replace `threshold` for the types they name where a type is judged present."""
    pairs = list(zip(examples, readings, strict=True))
    limits = {
        id(r): Limits(threshold, t)
        for r, t in zip(readings, type_thresholds or [{}] * len(readings), strict=True)
    }
    threshold_of = limits.__getitem__  # keyed by the reading object: subsets keep their limits
    out: dict[str, Any] = {}
    gsr = [(e, r) for e, r in pairs if e.origin == "plover_gsr"]
    if gsr:
        gold = [_single_type(e) for e, _ in gsr]
        guess = [r.top_type()[0] for _, r in gsr]
        out["plover_gsr"] = {
            "n": len(gsr),
            "event_type_accuracy": round(metrics.accuracy(gold, guess), 4),
            "event_type_macro_f1": round(metrics.macro_f1(gold, guess, sorted(set(gold))), 4),
            "no_event_share": _no_event(gsr, threshold_of),
        }
    case = [(e, r) for e, r in pairs if e.origin == "case2021" and e.acled_sub_event]
    if case:
        labels = AcledLabels.load()
        gold_codes = [labels.code_for(e.acled_sub_event[0]) or "" for e, _ in case if e.acled_sub_event]
        guess_codes = [
            labels.code_for(r.acled_sub_event[0] if r.acled_sub_event else None) or "NONE"
            for _, r in case
        ]
        scored = case2021.score_labels(gold_codes, guess_codes, [e.text for e, _ in case])
        out["case2021"] = {
            k: v for k, v in scored.items() if k != "confusions"
        } | {"no_event_share": _no_event(case, threshold_of)}
    quad = [(e, r) for e, r in pairs if e.origin == "conflibert" and e.quad_class]
    if quad:
        gold_quads = [e.quad_class[0] for e, _ in quad if e.quad_class]
        scored = conflibert.score_quad_labels(
            gold_quads, [r.quad_class[0] for _, r in quad], [e.text for e, _ in quad]
        )
        out["conflibert_quad"] = {k: v for k, v in scored.items() if k != "confusions"}
    voa = [(e, r) for e, r in pairs if e.origin == "ngec_voa"]
    if voa:
        out["ngec_voa"] = _voa(voa, threshold_of)
    no_event = false_events(pairs, threshold_of)
    if no_event:
        out["no_event_text"] = no_event
    out["reliability"] = reliability(pairs)
    return out


# sources of held-out sentences with no political event: ConfliBERT class 0 and uncoded
# PETRARCH records (coded by hand), TimeBank sentences (unlabelled, mostly no event)
NO_EVENT_SOURCES = ("conflibert", "petrarch", "timebank")


def false_events(
    pairs: Sequence[tuple[Example, Reading]], limits: Callable[[int], Limits]
) -> dict[str, Any]:
    """Per source, the no-event sentences and the share the model gives a type at its
    threshold (a false event), a type at 0.5 (what the pipeline needs to report an event no
    trigger word names), or an "any event" probability of 0.5 or more."""
    out: dict[str, Any] = {}
    for origin in NO_EVENT_SOURCES:
        rows = [(e, r) for e, r in pairs if e.origin == origin and e.event and e.event[0] == 0]
        if not rows:
            continue
        typed = sum(1 for _, r in rows if limits(id(r)).any_type(r))
        out[f"{origin}_n"] = len(rows)
        out[f"{origin}_false_event_share"] = round(typed / len(rows), 4)
        sure = sum(1 for _, r in rows if r.top_type()[1] >= 0.5)
        out[f"{origin}_type_over_half_share"] = round(sure / len(rows), 4)
        out[f"{origin}_event_head_share"] = round(sum(r.event >= 0.5 for _, r in rows) / len(rows), 4)
    return out


# the figures shown for each casing of the held-out text
CASE_HEADLINES = (
    ("plover_gsr", "event_type_macro_f1"),
    ("plover_gsr", "no_event_share"),
    ("case2021", "subtype_weighted_f1"),
    ("case2021", "event_type_accuracy"),
    ("conflibert_quad", "quad_accuracy"),
    ("ngec_voa", "multilabel_type_macro_f1"),
)
CASINGS: dict[str, Callable[[str], str]] = {"lower": str.lower, "upper": str.upper}


def case_figures(
    examples: Sequence[Example],
    read: Callable[[Callable[[str], str]], Sequence[Reading]],
    threshold: float,
    type_thresholds: Sequence[Mapping[str, float]] | None = None,
) -> dict[str, dict[str, float]]:
    """casing -> the headline figures with every held-out sentence in that casing; `read`
    gives the out-of-fold readings of the examples' texts after a casing function."""
    out: dict[str, dict[str, float]] = {}
    for name, casing in CASINGS.items():
        scored = figures(examples, read(casing), threshold, type_thresholds)
        out[name] = {
            f"{set_name}_{key}": scored[set_name][key]
            for set_name, key in CASE_HEADLINES
            if key in scored.get(set_name, {})
        }
    return out


def _single_type(example: Example) -> str:
    positives = [t for t, (y, _) in example.plover.items() if y == 1]
    return positives[0] if positives else "NONE"


@dataclass(frozen=True)
class Limits:
    """The probability at which each type counts as present for one reading."""

    default: float
    per_type: Mapping[str, float]

    def passes(self, reading: Reading, etype: str) -> bool:
        return reading.types.get(etype, 0.0) >= self.per_type.get(etype, self.default)

    def any_type(self, reading: Reading) -> bool:
        return any(self.passes(reading, etype) for etype in reading.types)


def _no_event(pairs: Sequence[tuple[Example, Reading]], limits: Callable[[int], Limits]) -> float:
    missed = sum(1 for _, r in pairs if not limits(id(r)).any_type(r))
    return round(missed / len(pairs), 4)


def _voa(pairs: Sequence[tuple[Example, Reading]], limits: Callable[[int], Limits]) -> dict[str, Any]:
    f1s = []
    for etype in PLOVER_TYPES:
        tp = fp = fn = 0
        for example, reading in pairs:
            answer = example.plover.get(etype)
            if answer is None:
                continue
            predicted = limits(id(reading)).passes(reading, etype)
            tp += predicted and answer[0] == 1
            fp += predicted and answer[0] == 0
            fn += (not predicted) and answer[0] == 1
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    single = [(e, r) for e, r in pairs if sum(y for y, _ in e.plover.values()) == 1]
    gold = [_single_type(e) for e, _ in single]
    guess = [r.top_type()[0] for _, r in single]
    return {
        "n_quotes": len(pairs),
        "documents": len({e.group for e, _ in pairs}),
        "multilabel_type_macro_f1": round(sum(f1s) / len(f1s), 4),
        "single_type_n": len(single),
        "single_type_accuracy": round(metrics.accuracy(gold, guess), 4),
        "single_type_macro_f1": round(metrics.macro_f1(gold, guess, sorted(set(gold))), 4),
        "no_event_share": _no_event(pairs, limits),
    }


def reliability(pairs: Sequence[tuple[Example, Reading]]) -> list[dict[str, Any]]:
    """Predicted type probability against the observed share of positives, in ten bins, over
    every (sentence, type) answer of weight >= 0.5 (gold and verified silver)."""
    bins: list[list[tuple[float, int]]] = [[] for _ in range(BINS)]
    for example, reading in pairs:
        for etype, (label, weight) in example.plover.items():
            if weight < 0.5 or etype not in reading.types:
                continue
            p = reading.types[etype]
            bins[min(BINS - 1, int(p * BINS))].append((p, label))
    table = []
    for index, items in enumerate(bins):
        if not items:
            continue
        table.append(
            {
                "bin": f"{index / BINS:.1f}-{(index + 1) / BINS:.1f}",
                "n": len(items),
                "mean_probability": round(sum(p for p, _ in items) / len(items), 3),
                "observed_share": round(sum(y for _, y in items) / len(items), 3),
            }
        )
    return table
