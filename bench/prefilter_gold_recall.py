"""Does the prefilter cap recall? The share of sentences holding a gold or silver event that it
keeps for parsing, per source.

A sentence is kept when the trigger lexicon finds a word in it, or else when the event model's
reading of it passes `eventline.prefilter.model_keeps` (the rule the pipeline uses). The
model's answer for each sentence, and the per-type thresholds its type bars come from, are
those of the fold model that never saw the sentence's document (the same 5-fold split as
training), so the figure is the one unseen news gets.

`--bars` also prints, for "any event" bars from 0.5 to 0.9 (the types at the bars the pipeline
codes an untriggered event from), the recall on folds 0-2 and on folds 3-4 and the share of
TimeBank's sentences kept, from which the event bar is chosen (docs/performance.md).

    .venv/bin/python bench/prefilter_gold_recall.py [--data SHARED/eval/dev] [--bars]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from eventline.evaluation.runner import DEFAULT_DATA
from eventline.extraction.decision import Thresholds, thresholds_of
from eventline.prefilter import MODEL_EVENT_BAR, keep, model_keeps
from eventline.training import event_data, event_training

# gold sets and verified silver: the weakest labels (screen quotes, unlabelled news) are left out
MIN_WEIGHT = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--bars", action="store_true", help="recall and cost of other event bars")
    args = parser.parse_args()
    examples = event_data.training_examples(args.data)
    crossed = event_training.cross_fit(examples)
    if args.bars:
        print(json.dumps(bar_table(examples, crossed), indent=2))
    total: Counter[str] = Counter()
    by_lexicon: Counter[str] = Counter()
    by_either: Counter[str] = Counter()
    # the cost side: the share of TimeBank's sentences (news, mostly without a political
    # event) the prefilter hands to the parser
    news_kept, news = 0, 0
    thresholds = fold_thresholds(crossed)
    for example, reading, fold in zip(examples, crossed.readings, crossed.folds, strict=True):
        lexicon = keep(example.text)
        model = model_keeps(reading, thresholds[fold])
        if example.origin == "timebank":
            news += 1
            news_kept += lexicon or model
        if not holds_event(example):
            continue
        total[example.origin] += 1
        by_lexicon[example.origin] += lexicon
        by_either[example.origin] += lexicon or model
    rows = {
        origin: {
            "sentences": n,
            "kept_by_lexicon": round(by_lexicon[origin] / n, 4),
            "kept_by_prefilter": round(by_either[origin] / n, 4),
        }
        for origin, n in sorted(total.items())
    }
    n = sum(total.values())
    rows["all"] = {
        "sentences": n,
        "kept_by_lexicon": round(sum(by_lexicon.values()) / n, 4),
        "kept_by_prefilter": round(sum(by_either.values()) / n, 4),
    }
    kept_news = round(news_kept / news, 4) if news else None
    print(
        json.dumps(
            {
                "model_bars": {"event": MODEL_EVENT_BAR, "type": "decision.triggerless_bar"},
                "recall": rows,
                "timebank_sentences_kept": kept_news,
            },
            indent=2,
        )
    )


def holds_event(example: event_data.Example) -> bool:
    return example.event is not None and example.event[0] == 1 and example.event[1] >= MIN_WEIGHT


def fold_thresholds(crossed: event_training.CrossFit) -> list[Thresholds]:
    """The per-type thresholds of each fold model."""
    return [thresholds_of(model) for model in crossed.models]


def bar_table(examples: list[event_data.Example], crossed: event_training.CrossFit) -> list[dict[str, float]]:
    """Recall on two halves of the folds and TimeBank's kept share, per "any event" bar."""
    lexicon = [keep(example.text) for example in examples]
    thresholds = fold_thresholds(crossed)
    rows = []
    for bar in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.01):
        kept = [
            lex or model_keeps(r, thresholds[fold], event_bar=bar)
            for lex, r, fold in zip(lexicon, crossed.readings, crossed.folds, strict=True)
        ]
        row: dict[str, float] = {"event_bar": bar}
        for name, folds in (("recall_folds_0_2", {0, 1, 2}), ("recall_folds_3_4", {3, 4})):
            chosen = [k for e, k, f in zip(examples, kept, crossed.folds, strict=True) if f in folds and holds_event(e)]
            row[name] = round(sum(chosen) / len(chosen), 4)
        news = [k for e, k in zip(examples, kept, strict=True) if e.origin == "timebank"]
        row["timebank_sentences_kept"] = round(sum(news) / max(1, len(news)), 4)
        rows.append(row)
    return rows


if __name__ == "__main__":
    main()
