"""Pairwise scoring of cross-document deduplication on a labelled corpus.

A corpus folder holds `documents.jsonl` (one news text per line), `events.jsonl` (the
report-level events an extractor should give for them, as Event dicts) and
`expected.json` ({"incidents": {label: [report ids]}}). Every pair of reports placed in one
cluster is a predicted merge; every pair in one incident is a true merge. Precision is the
share of predicted merges that are true, recall the share of true merges found.

With `use_extractor=True` the texts go through the real pipeline first; each extracted
event is labelled with the incident of the hand-made event it overlaps in the same
document, and extracted events that overlap none are counted as `unlabelled` and left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from eventline.dedupe import DEFAULT_CONFIG, DedupeConfig, cluster
from eventline.model import Document, Event


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_corpus(corpus_dir: Path) -> tuple[list[Document], list[Event], dict[str, str]]:
    """Documents, hand-made report events, and the incident label of each report id."""
    documents = [Document.from_dict(row) for row in read_jsonl(corpus_dir / "documents.jsonl")]
    events = [Event.from_dict(row) for row in read_jsonl(corpus_dir / "events.jsonl")]
    expected = json.loads((corpus_dir / "expected.json").read_text(encoding="utf-8"))
    label_of = {rid: label for label, ids in expected["incidents"].items() for rid in ids}
    return documents, events, label_of


def pairs(groups: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    """Every unordered pair of ids that share a group."""
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def pairwise_scores(
    predicted: Iterable[Sequence[str]], gold: Iterable[Sequence[str]]
) -> dict[str, float | int]:
    predicted_pairs, gold_pairs = pairs(predicted), pairs(gold)
    hits = len(predicted_pairs & gold_pairs)
    precision = hits / len(predicted_pairs) if predicted_pairs else 1.0
    recall = hits / len(gold_pairs) if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": len(predicted_pairs),
        "gold_pairs": len(gold_pairs),
        "true_pairs": hits,
    }


def _label_extracted(extracted: list[Event], hand_made: list[Event], label_of: dict[str, str]):
    """Map each extracted event to the incident of the hand-made event it overlaps."""
    labels: dict[str, str] = {}
    for event in extracted:
        for reference in hand_made:
            same_doc = reference.doc_id == event.doc_id
            overlap = (
                event.char_start < reference.char_end and reference.char_start < event.char_end
            )
            if same_doc and overlap and reference.id in label_of:
                labels[event.id] = label_of[reference.id]
                break
    return labels


def score_dedupe(
    corpus_dir: Path, use_extractor: bool = False, config: DedupeConfig = DEFAULT_CONFIG
) -> dict[str, Any]:
    """Pairwise merge precision, recall and F1 of `dedupe.cluster` on a labelled corpus."""
    documents, hand_made, label_of = load_corpus(Path(corpus_dir))
    if use_extractor:
        from eventline.pipeline import Pipeline

        reports = [e for result in Pipeline().process_many(documents) for e in result.events]
        labels = _label_extracted(reports, hand_made, label_of)
    else:
        reports, labels = hand_made, label_of
    labelled = [e for e in reports if e.id in labels]
    predicted = [[e.id for e in members] for members in cluster(labelled, config)]
    gold: dict[str, list[str]] = {}
    for event in labelled:
        gold.setdefault(labels[event.id], []).append(event.id)
    scores: dict[str, Any] = dict(pairwise_scores(predicted, gold.values()))
    scores.update(
        reports=len(reports),
        unlabelled=len(reports) - len(labelled),
        incidents=len(gold),
        clusters=len(predicted),
        source="extractor" if use_extractor else "fixtures",
    )
    return scores
