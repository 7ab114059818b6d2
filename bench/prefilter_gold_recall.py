"""Does the prefilter cap recall? The share of sentences holding a gold or silver event that it
keeps for parsing, per source.

A sentence is kept when the trigger lexicon finds a word in it, or else when the event model
gives it an event at the pipeline's prefilter probability. The model's answer for each
sentence comes from the fold model that never saw the sentence's document (the same 5-fold
split as training), so the figure is the one unseen news gets.

    .venv/bin/python bench/prefilter_gold_recall.py [--data SHARED/eval/dev]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from eventline.evaluation.runner import DEFAULT_DATA
from eventline.prefilter import MODEL_EVENT_BAR, MODEL_TYPE_BAR, keep, model_keeps
from eventline.training import event_data, event_training

# gold sets and verified silver: the weakest labels (screen quotes, unlabelled news) are left out
MIN_WEIGHT = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    examples = event_data.training_examples(args.data)
    crossed = event_training.cross_fit(examples)
    total: Counter[str] = Counter()
    by_lexicon: Counter[str] = Counter()
    by_either: Counter[str] = Counter()
    # the cost side: the share of TimeBank's sentences (news, mostly without a political
    # event) the prefilter hands to the parser
    news_kept, news = 0, 0
    for example, reading in zip(examples, crossed.readings, strict=True):
        lexicon = keep(example.text)
        model = model_keeps(reading)
        if example.origin == "timebank":
            news += 1
            news_kept += lexicon or model
        if example.event is None or example.event[0] != 1 or example.event[1] < MIN_WEIGHT:
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
                "model_bars": {"event": MODEL_EVENT_BAR, "type": MODEL_TYPE_BAR},
                "recall": rows,
                "timebank_sentences_kept": kept_news,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
