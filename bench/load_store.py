"""The synthetic store of bench/load_test.py: events spread over 30 countries, five years,
eleven PLOVER types and five sectors, each with one report and its document, written
straight into a SQLite store made by eventline's own schema.

    python bench/load_store.py PATH [--events 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

from eventline.model import Actor, Document, Event, Place, stable_id
from eventline.store import mapping, open_store

# (ISO alpha-3, latitude, longitude) of places the synthetic events happen near
COUNTRIES = [
    ("IRQ", 33.3, 44.4),
    ("SYR", 34.8, 38.9),
    ("YEM", 15.4, 44.2),
    ("AFG", 34.5, 69.2),
    ("UKR", 49.0, 31.4),
    ("RUS", 55.7, 37.6),
    ("ISR", 31.8, 35.2),
    ("PSE", 31.5, 34.4),
    ("LBN", 33.9, 35.5),
    ("SDN", 15.5, 32.5),
    ("SSD", 4.9, 31.6),
    ("ETH", 9.0, 38.7),
    ("SOM", 2.0, 45.3),
    ("MLI", 12.6, -8.0),
    ("NGA", 9.1, 7.5),
    ("BFA", 12.4, -1.5),
    ("COD", -4.3, 15.3),
    ("MMR", 19.8, 96.1),
    ("PAK", 33.7, 73.0),
    ("IND", 28.6, 77.2),
    ("COL", 4.7, -74.1),
    ("MEX", 19.4, -99.1),
    ("LBY", 32.9, 13.2),
    ("NER", 13.5, 2.1),
    ("CAF", 4.4, 18.6),
    ("MOZ", -25.9, 32.6),
    ("IRN", 35.7, 51.4),
    ("TUR", 39.9, 32.9),
    ("USA", 38.9, -77.0),
    ("PHL", 14.6, 121.0),
]
SECTORS = [
    ("MIL", "military"),
    ("GOV", "government"),
    ("REB", "rebels"),
    ("COP", "police"),
    ("CVL", "civilians"),
]
TYPES = [
    ("ASSAULT", ["aerial", "firearms", "explosives", "drone", "heavy-weapons", None], 40),
    ("COERCE", ["arrest", "seize", "restrict", None], 15),
    ("PROTEST", ["demo", "riot", None], 10),
    ("THREATEN", [None], 8),
    ("MOBILIZE", ["troops", None], 6),
    ("ACCUSE", [None], 6),
    ("SANCTION", [None], 4),
    ("CONSULT", [None], 4),
    ("AGREE", [None], 3),
    ("RETREAT", ["withdraw", None], 2),
    ("AID", [None], 2),
]
VERBS = {
    "ASSAULT": "attacked",
    "COERCE": "detained",
    "PROTEST": "protested against",
    "THREATEN": "threatened",
    "MOBILIZE": "deployed against",
    "ACCUSE": "accused",
    "SANCTION": "sanctioned",
    "CONSULT": "met",
    "AGREE": "agreed with",
    "RETREAT": "withdrew from",
    "AID": "sent aid to",
}
FIRST_DAY = date(2020, 1, 1)
DAYS = 5 * 365


def _actor(country: str, sector: tuple[str, str]) -> Actor:
    """An actor of one country and one sector, (code, words): "IRQ military"."""
    words = f"{country} {sector[1]}"
    return Actor(text=words, name=words, country=country, sector=sector[0], code=country + sector[0])


def synthetic_event(rng: random.Random, n: int, doc_id: str) -> Event:
    event_type, modes, _ = rng.choices(TYPES, weights=[t[2] for t in TYPES])[0]
    c1, c2 = rng.choice(COUNTRIES), rng.choice(COUNTRIES)
    s1, s2 = rng.choice(SECTORS), rng.choice(SECTORS)
    actor1, actor2 = _actor(c1[0], s1), _actor(c2[0], s2)
    lat, lon = c1[1] + rng.uniform(-2, 2), c1[2] + rng.uniform(-2, 2)
    place = Place(
        text=f"town {n % 500}",
        name=f"town {n % 500}",
        country=c1[0],
        lat=round(lat, 4),
        lon=round(lon, 4),
        precision=1,
    )
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    deaths = rng.choice([None, None, 0, 1, 2, 3, 5, 8, 12, 20]) if event_type == "ASSAULT" else None
    sentence = (
        f"The {actor1.text} {VERBS[event_type]} the {actor2.text} near {place.name} (item {n})."
    )
    return Event(
        id=stable_id("load", n, prefix="r"),
        doc_id=doc_id,
        sentence=sentence,
        char_start=0,
        char_end=len(sentence),
        event_type=event_type,
        mode=rng.choice(modes),
        actor1=actor1,
        actor2=actor2,
        date=day,
        date_precision="day",
        location=place,
        fatalities=deaths,
        attribution=rng.choice([None, "officials", "a spokesman", "witnesses"]),
        trigger=VERBS[event_type],
    )


def build_store(path: Path, count: int, seed: int) -> None:
    """Write `count` canonical events (one report each) straight through the store's own
    row layout: the store's dedupe would take hours at this size, and the load test
    measures reading, not ingest."""
    rng = random.Random(seed)
    open_store(str(path)).close()  # creates the schema
    conn = sqlite3.connect(str(path))
    now = "2024-01-01T00:00:00+00:00"
    with conn:
        for start in range(0, count, 10):
            doc = Document(
                id=f"load-doc-{start // 10}",
                text="synthetic",
                source="synthetic wire",
                published=FIRST_DAY,
            )
            conn.execute(
                mapping.INSERT_DOCUMENT,
                (
                    doc.id,
                    None,
                    doc.published.isoformat(),
                    None,
                    doc.source,
                    None,
                    None,
                    doc.text,
                    now,
                ),
            )
            for n in range(start, min(start + 10, count)):
                event = synthetic_event(rng, n, doc.id)
                data = json.dumps(event.to_dict(), sort_keys=True)
                conn.execute(mapping.INSERT_REPORT, (*mapping.report_row(event), data))
                canonical = Event.from_dict(dict(event.to_dict(), id="ev" + event.id[1:]))
                conn.execute(
                    mapping.INSERT_EVENT,
                    (*mapping.event_row(canonical), json.dumps(canonical.to_dict(), sort_keys=True)),
                )
                conn.execute(
                    "UPDATE reports SET event_id = ? WHERE id = ?", (canonical.id, event.id)
                )
    conn.execute("ANALYZE")
    conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    build_store(args.path, args.events, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
