"""The pipeline on silver VOA quotes held out by document (the ngec_voa training data).

The trigger lexicon and the decision rules were developed while looking at the dev gold
sets, so the pipeline's figures there are optimistic. The ngec_voa quotes (real VOA news,
PLOVER types judged by an LLM that applied the codebook; see the set's README) were never
used to tune them, and the evaluation runs each quote with the event-model fold that never
saw its article. This set is therefore the honest check of the decision rules.

- Sample: whole articles in a fixed order (by a hash of the article id), until the sample
  holds `SAMPLE` quotes (`--limit` changes the number).
- Gold: the answers the model's own ngec_voa figure uses (eventline.training.event_data):
  verified and screened types are positives, rejected and implied types negatives, other
  types unknown and not scored.
- Figures: multi-label type macro-F1 (the types of all the quote's events against every
  known answer), the main event's type on quotes with one positive type (accuracy and
  macro-F1, no event counts as wrong), and the share of quotes that get no event (every
  quote reports one).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventline.evaluation import metrics
from eventline.evaluation.plover_gsr import main_event
from eventline.extraction.labels import current_plover_event
from eventline.model import Result

SAMPLE = 400
NO_EVENT = "NONE"


@dataclass(frozen=True)
class VoaRecord:
    id: str
    text: str
    article: str
    answers: dict[str, int]  # PLOVER type -> 1 present / 0 absent, for the known answers

    @property
    def positives(self) -> list[str]:
        return sorted(t for t, y in self.answers.items() if y == 1)


def load(data_dir: Path, limit: int | None = None) -> list[VoaRecord]:
    """The sample of quotes (empty when the shared data has no ngec_voa folder)."""
    from eventline.training import event_data

    folder = event_data.shared_root(data_dir) / event_data.VOA_DIR
    if not folder.is_dir():
        return []
    by_article: dict[str, list[event_data.Example]] = {}
    for example in event_data.voa_examples(folder):
        by_article.setdefault(example.group, []).append(example)
    wanted = SAMPLE if limit is None else limit
    records: list[VoaRecord] = []
    for article in sorted(by_article, key=lambda g: hashlib.sha256(g.encode()).hexdigest()):
        if len(records) >= wanted:
            break
        for number, example in enumerate(by_article[article]):
            answers = {t: y for t, (y, _) in example.plover.items()}
            if any(answers.values()):
                records.append(VoaRecord(f"{article}#{number}", example.text, article, answers))
    return records[:wanted]


def predicted_types(result: Result) -> set[str]:
    return {current_plover_event(e.event_type) for e in result.events}


def score(records: Sequence[VoaRecord], results: Sequence[Result]) -> dict[str, Any]:
    """The figures for pipeline results aligned with `records`."""
    if not records:
        return {"n_quotes": 0}
    predicted = [predicted_types(r) for r in results]
    types = sorted({t for r in records for t in r.answers})
    f1s = []
    for etype in types:
        counts = metrics.PRF()
        for record, found in zip(records, predicted, strict=True):
            answer = record.answers.get(etype)
            if answer is None:
                continue
            counts.tp += etype in found and answer == 1
            counts.fp += etype in found and answer == 0
            counts.fn += etype not in found and answer == 1
        f1s.append(counts.f1)
    single = [(rec, res) for rec, res in zip(records, results, strict=True) if len(rec.positives) == 1]
    gold = [rec.positives[0] for rec, _ in single]
    guess = [_main_type(res) for _, res in single]
    return {
        "n_quotes": len(records),
        "articles": len({r.article for r in records}),
        "multilabel_type_macro_f1": round(sum(f1s) / len(f1s), 4),
        "single_type_n": len(single),
        "event_type_accuracy": round(metrics.accuracy(gold, guess), 4),
        "event_type_macro_f1": round(metrics.macro_f1(gold, guess, sorted(set(gold))), 4),
        "no_event_share": round(sum(1 for p in predicted if not p) / len(records), 4),
    }


def _main_type(result: Result) -> str:
    event = main_event(result)
    return current_plover_event(event.event_type) if event is not None else NO_EVENT
