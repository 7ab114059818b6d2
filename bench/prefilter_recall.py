"""Does the prefilter cost recall? Extract the benchmark corpus twice and compare events.

Run A parses every sentence; run B parses only the prefilter's candidate sentences (the
other sentences are blanked out, offsets unchanged). An event is matched across runs by its
character span, trigger and type, and by its resolved actors, date and place.

    .venv/bin/python bench/prefilter_recall.py [--quick] [--neighbors N]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from eventline.benchmark import load_corpus
from eventline.model import Event
from eventline.pipeline import Pipeline
from eventline.prefilter import candidate_sentences, mask_text


def event_key(event: Event, detailed: bool) -> tuple[object, ...]:
    key: tuple[object, ...] = (event.doc_id, event.char_start, event.trigger, event.event_type)
    if detailed:
        codes = tuple(a.code if a else None for a in (event.actor1, event.actor2))
        place = event.location.geonameid if event.location else None
        key += (codes, event.date, place, event.fatalities)
    return key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--neighbors", type=int, default=0)
    args = parser.parse_args()
    documents = load_corpus(quick=args.quick)
    masked = [
        replace(d, text=mask_text(d.text, candidate_sentences(d.text, neighbors=args.neighbors)))
        for d in documents
    ]
    pipeline = Pipeline()
    runs = {}
    for name, docs in (("full", documents), ("prefiltered", masked)):
        started = time.perf_counter()
        events = [e for r in pipeline.process_many(docs) for e in r.events]
        runs[name] = (events, time.perf_counter() - started)
    summary = {"documents": len(documents), "neighbors": args.neighbors}
    for detailed in (False, True):
        full = {event_key(e, detailed) for e in runs["full"][0]}
        kept = {event_key(e, detailed) for e in runs["prefiltered"][0]}
        label = "same_values" if detailed else "same_span_type"
        summary[label] = {
            "events_full": len(full),
            "events_prefiltered": len(kept),
            "found_in_both": len(full & kept),
            "recall": round(len(full & kept) / len(full), 4) if full else 1.0,
            "only_prefiltered": len(kept - full),
        }
    summary["seconds"] = {name: round(seconds, 1) for name, (_, seconds) in runs.items()}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
