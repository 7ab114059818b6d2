"""Does the prefilter cost recall? Extract the benchmark corpus twice and compare events.

Run A parses every sentence (Pipeline(prefilter=False)); run B is the default pipeline, which
parses only the prefilter's candidate sentences (the other sentences are blanked out, offsets
unchanged). With --neighbors N the texts are masked here, keeping N sentences either side of
each candidate, and run B reads them with the pipeline's own prefilter off. An event is
matched across runs by its character span, trigger and type, and by its resolved actors,
date and place. Events found only without the prefilter are listed (trigger and sentence),
so a cost in recall can be read, not only counted.

With --why N it also reports the prefilter's yield: for each word or phrase that alone kept a
sentence (the first sentence aside), how many sentences and characters it kept and how many of
those sentences gave an event in the full run; the N words that kept the most characters are
listed. A word that keeps much text and never gives an event is where to tighten.

    .venv/bin/python -m bench.prefilter_recall [--quick] [--limit N] [--neighbors N] [--why N]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from bench.common import load_corpus
from eventline.engines.local import WARM_UP_TEXT
from eventline.model import Document, Event
from eventline.pipeline import Pipeline
from eventline.prefilter import candidate_sentences, mask_text, reasons


def event_key(event: Event, detailed: bool) -> tuple[object, ...]:
    key: tuple[object, ...] = (event.doc_id, event.char_start, event.trigger, event.event_type)
    if detailed:
        codes = tuple(a.code if a else None for a in (event.actor1, event.actor2))
        place = event.location.geonameid if event.location else None
        key += (codes, event.date, place, event.fatalities)
    return key


def prefilter_yield(documents: list[Document], events: list[Event], top: int) -> list[dict]:
    """Per word that alone kept a sentence: sentences, characters, sentences with an event."""
    by_doc: dict[str, list[Event]] = {}
    for event in events:
        by_doc.setdefault(event.doc_id, []).append(event)
    tally: dict[str, list[int]] = {}
    for document in documents:
        text = document.text
        for start, end in candidate_sentences(text)[1:]:
            words = reasons(text[start:end])
            if len(words) != 1:
                continue
            gave = any(
                e.char_start < end
                and e.char_end > start
                and (e.trigger or "").lower() in text[start:end].lower()
                for e in by_doc.get(document.id, [])
            )
            row = tally.setdefault(words[0], [0, 0, 0])
            row[0] += 1
            row[1] += end - start
            row[2] += gave
    ranked = sorted(tally.items(), key=lambda item: -item[1][1])[:top]
    return [
        {"word": word, "sentences": n, "chars": chars, "with_event": gave}
        for word, (n, chars, gave) in ranked
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--neighbors", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--why", type=int, default=0, help="list the N words keeping most text")
    args = parser.parse_args()
    documents = load_corpus(quick=args.quick)
    if args.limit:
        documents = documents[: args.limit]
    full = Pipeline(prefilter=False)
    if args.neighbors:
        prefiltered = full
        masked = [
            replace(
                d, text=mask_text(d.text, candidate_sentences(d.text, neighbors=args.neighbors))
            )
            for d in documents
        ]
    else:  # the production path: the pipeline masks the texts itself
        prefiltered, masked = Pipeline(prefilter=True), documents
    # load the model, dictionaries and gazetteer before timing (shared by both pipelines)
    for pipeline in {id(full): full, id(prefiltered): prefiltered}.values():
        pipeline.process(Document("warm-up", WARM_UP_TEXT))
    runs = {}
    for name, pipeline, docs in (("full", full, documents), ("prefiltered", prefiltered, masked)):
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
    kept_spans = {event_key(e, False) for e in runs["prefiltered"][0]}
    summary["lost"] = [
        {"doc": e.doc_id, "trigger": e.trigger, "type": e.event_type, "sentence": e.sentence}
        for e in runs["full"][0]
        if event_key(e, False) not in kept_spans
    ]
    if args.why:
        summary["kept_alone_by"] = prefilter_yield(documents, runs["full"][0], args.why)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
