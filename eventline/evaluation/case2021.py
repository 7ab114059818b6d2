"""CASE 2021 Task 2: news snippets labelled with one of 30 event types (25 ACLED sub-event
types plus 5 extra types). Each snippet is one document.

Scored: weighted and macro F1 over the 30 labels, and accuracy after collapsing labels to
the 6 ACLED event types (the 5 extra types form one more group of their own). Place names
were altered by the task organisers, so locations are not scored here.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eventline.evaluation import metrics
from eventline.extraction.labels import AcledLabels
from eventline.model import Result

FILE_NAME = "case2021/case2021_task2_dev.tsv"
NO_EVENT = "NONE"


@dataclass
class CaseRecord:
    id: str
    text: str
    label: str  # CASE code, e.g. ARMED_CLASH


def load(data_dir: Path, limit: int | None = None) -> list[CaseRecord]:
    records: list[CaseRecord] = []
    with (data_dir / FILE_NAME).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = " ".join((row.get("EventSnippet") or "").split())
            label = (row.get("SubType") or "").strip()
            if text and label:
                records.append(CaseRecord(id=f"case-{row['id']}", text=text, label=label))
    return metrics.spread(records, limit)


def predicted_code(result: Result, labels: AcledLabels) -> str:
    """The CASE code of the main event (metrics.main_event_of) of those that carry an ACLED
    sub-event type."""
    best = metrics.main_event_of([e for e in result.events if e.acled_sub_event_type])
    if best is None:
        return NO_EVENT
    return labels.code_for(best.acled_sub_event_type) or NO_EVENT


def score_labels(gold: Sequence[str], predicted: Sequence[str], texts: Sequence[str]) -> dict:
    """Figures for aligned gold and predicted CASE codes (shared by pipeline and classifier)."""
    labels = AcledLabels.load()
    gold_groups = [labels.group_of(code) for code in gold]
    predicted_groups = [labels.group_of(code) for code in predicted]
    return {
        "n": len(gold),
        "subtype_weighted_f1": round(metrics.weighted_f1(gold, predicted), 4),
        "subtype_macro_f1": round(metrics.macro_f1(gold, predicted, sorted(set(gold))), 4),
        "subtype_accuracy": round(metrics.accuracy(gold, predicted), 4),
        "event_type_accuracy": round(metrics.accuracy(gold_groups, predicted_groups), 4),
        "confusions": metrics.confusions(gold, predicted, texts),
    }


def score(records: Sequence[CaseRecord], results: Sequence[Result]) -> dict:
    labels = AcledLabels.load()
    predicted = [predicted_code(result, labels) for result in results]
    return score_labels([r.label for r in records], predicted, [r.text for r in records])
