"""Synthetic documents and report-level events for store tests (template-made on purpose).

The kill and concurrency tests need many documents whose events overlap, so that dedupe
has real work to do, without running the extractor. Sentences are assembled from small
parts; the same (town, day, actor) recurs across documents so reports merge.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from eventline.model import Actor, Claim, Document, Event, Place, Result

TOWNS = [
    ("Kharkiv", "UKR", 49.9935, 36.2304),
    ("Kherson", "UKR", 46.6354, 32.6169),
    ("Gao", "MLI", 16.2666, -0.0400),
    ("Mopti", "MLI", 14.4843, -4.1830),
    ("Maiduguri", "NGA", 11.8464, 13.1603),
    ("Bunia", "COD", 1.5594, 30.2522),
    ("Kismayo", "SOM", -0.3582, 42.5454),
    ("Deir ez-Zor", "SYR", 35.3359, 40.1408),
]
ACTORS = [
    ("army troops", "MIL"),
    ("police officers", "COP"),
    ("rebel fighters", "REB"),
    ("unidentified gunmen", None),
]
VERBS = [
    ("ASSAULT", "firearms", "opened fire on"),
    ("ASSAULT", "aerial", "bombed"),
    ("PROTEST", "demonstrate", "marched against"),
    ("COERCE", "arrest", "detained"),
]
TARGETS = ["a market", "a checkpoint", "a convoy", "residents", "a village"]
OPENERS = ["", "Witnesses said ", "Officials confirmed that ", "According to local media, "]


def make_results(count: int, seed: int = 7, start: date = date(2024, 3, 1)) -> list[Result]:
    """`count` documents; each tells one or two incidents drawn from a small pool."""
    rng = random.Random(seed)
    results = []
    for number in range(count):
        published = start + timedelta(days=rng.randrange(30))
        doc_id = f"syn{number:05d}"
        sentences, events = [], []
        for _ in range(rng.choice((1, 1, 2))):
            town, country, lat, lon = rng.choice(TOWNS)
            actor_text, sector = rng.choice(ACTORS)
            event_type, mode, verb = rng.choice(VERBS)
            when = published - timedelta(days=rng.choice((0, 1)))
            deaths = rng.choice((None, 0, 2, 3, 5))
            sentence = (
                f"{rng.choice(OPENERS)}{actor_text} {verb} {rng.choice(TARGETS)} in {town} "
                f"on {when:%B} {when.day}" + (f", leaving {deaths} people dead." if deaths else ".")
            )
            offset = sum(len(s) + 1 for s in sentences)
            sentences.append(sentence[0].upper() + sentence[1:])
            events.append(
                Event(
                    id=f"{doc_id}-e{len(events)}",
                    doc_id=doc_id,
                    sentence=sentences[-1],
                    char_start=offset,
                    char_end=offset + len(sentence),
                    event_type=event_type,
                    mode=mode,
                    actor1=Actor(
                        text=actor_text,
                        country=country if sector else None,
                        sector=sector,
                        code=f"{country}{sector}" if sector else None,
                    ),
                    date=when,
                    date_precision="day",
                    location=Place(
                        text=town, name=town, country=country, lat=lat, lon=lon, precision=1
                    ),
                    fatalities=deaths,
                    trigger=verb.split()[0],
                )
            )
        text = " ".join(sentences)
        claims = []
        if number % 10 == 0:
            claims.append(
                Claim(
                    id=f"{doc_id}-c0",
                    doc_id=doc_id,
                    sentence=text,
                    char_start=0,
                    char_end=len(text),
                    count=rng.randrange(5, 50),
                    event_type="ASSAULT",
                    period_start=published - timedelta(days=14),
                    period_end=published,
                )
            )
        document = Document(id=doc_id, text=text, published=published, source="synthetic")
        results.append(Result(document=document, events=events, claims=claims))
    return results
