"""Scoring arithmetic shared by every gold set: accuracy, per-label and averaged F1, set-level
precision/recall/F1, confusions, and which event a one-label text is scored by. Pure
functions over plain Python values, no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from eventline.model import Event

T = TypeVar("T")
L = TypeVar("L", bound=Hashable)  # a label: a class name or number


@dataclass
class PRF:
    """True positives, false positives and false negatives, with the usual ratios."""

    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        return {
            f"{prefix}precision": round(self.precision, 4),
            f"{prefix}recall": round(self.recall, 4),
            f"{prefix}f1": round(self.f1, 4),
        }


def accuracy(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Share of positions where the prediction equals the gold label."""
    _check_lengths(gold, predicted)
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def per_label_prf(
    gold: Sequence[Hashable],
    predicted: Sequence[Hashable],
    labels: Iterable[Hashable] | None = None,
) -> dict[Hashable, PRF]:
    """One PRF per label (single-label classification: a miss is an fn for the gold label and
    an fp for the predicted one)."""
    _check_lengths(gold, predicted)
    label_set = set(labels) if labels is not None else set(gold)
    scores = {label: PRF() for label in label_set}
    for g, p in zip(gold, predicted, strict=True):
        if g == p:
            if g in scores:
                scores[g].tp += 1
            continue
        if g in scores:
            scores[g].fn += 1
        if p in scores:
            scores[p].fp += 1
    return scores


def macro_f1(
    gold: Sequence[Hashable],
    predicted: Sequence[Hashable],
    labels: Iterable[Hashable] | None = None,
) -> float:
    """Unweighted mean of per-label F1 over the gold labels (or `labels`)."""
    scores = per_label_prf(gold, predicted, labels)
    return sum(s.f1 for s in scores.values()) / len(scores) if scores else 0.0


def weighted_f1(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Per-label F1 weighted by the label's gold support (the CASE 2021 headline measure)."""
    support = Counter(gold)
    scores = per_label_prf(gold, predicted, support)
    total = sum(support.values())
    return sum(scores[label].f1 * n for label, n in support.items()) / total if total else 0.0


def set_prf(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> PRF:
    """Set-level counts for one item (e.g. the triples of one sentence)."""
    gold_set, predicted_set = set(gold), set(predicted)
    hits = len(gold_set & predicted_set)
    return PRF(tp=hits, fp=len(predicted_set) - hits, fn=len(gold_set) - hits)


def token_overlap(gold: str, predicted: str) -> float:
    """Token-level F1 between two strings (SQuAD style), case-insensitive; 0 when either is empty."""
    gold_tokens = _tokens(gold)
    predicted_tokens = _tokens(predicted)
    if not gold_tokens or not predicted_tokens:
        return 0.0
    common = sum((Counter(gold_tokens) & Counter(predicted_tokens)).values())
    if not common:
        return 0.0
    precision = common / len(predicted_tokens)
    recall = common / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def top_confusions(
    gold: Sequence[L], predicted: Sequence[L], n: int = 5
) -> list[tuple[L, L, int]]:
    """The n most frequent (gold, predicted) pairs where they differ, most frequent first."""
    _check_lengths(gold, predicted)
    pairs = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    ordered = sorted(pairs.items(), key=lambda item: (-item[1], str(item[0])))
    return [(g, p, count) for (g, p), count in ordered[:n]]


def confusions(
    gold: Sequence[L], predicted: Sequence[L], texts: Sequence[str], n: int = 5
) -> list[dict[str, Any]]:
    """The n most frequent confusions, each with the first text that shows it."""
    examples: dict[tuple[L, L], str] = {}
    for g, p, text in zip(gold, predicted, texts, strict=True):
        if g != p:
            examples.setdefault((g, p), text)
    return [
        {"gold": g, "predicted": p, "count": c, "example": examples.get((g, p), "")}
        for g, p, c in top_confusions(gold, predicted, n)
    ]


def spread(items: Sequence[T], limit: int | None) -> list[T]:
    """At most `limit` items taken evenly across the sequence (gold files are often sorted by
    label, so the first N would cover only one or two labels)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def _tokens(text: str) -> list[str]:
    return [t for t in "".join(c.lower() if c.isalnum() else " " for c in text).split() if t]


def _check_lengths(gold: Sequence[object], predicted: Sequence[object]) -> None:
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} items but predictions have {len(predicted)}")


def main_event_of(events: Sequence[Event]) -> Event | None:
    """The event a set that gives a text one label compares with: the most confident, as a
    user reading the output would take it. (Preferring events that name both sides scored
    higher on the dev sets, PLOVER GSR type macro-F1 0.650 -> 0.662, but it is a choice of the
    scorer, not of the output, so it would credit the pipeline with what no user sees.)"""
    if not events:
        return None
    return max(events, key=lambda e: e.confidence)
