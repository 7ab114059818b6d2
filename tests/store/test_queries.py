"""The indexed read queries give exactly what the plain filter means.

A store of synthetic events, some with day ranges, some without a date or a death toll, is
read with many random filters, sorts and pages; each answer is compared with the filter
applied in Python to every event.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from eventline.model import Event, Result
from eventline.store import open_store
from eventline.store.base import EventFilter
from tests.store.synthetic import make_results


def varied_results(count: int) -> list[Result]:
    """Synthetic results where a few events span several days and a few have no date."""
    rng = random.Random(11)
    results = make_results(count, seed=5)
    for result in results:
        for number, event in enumerate(result.events):
            roll = rng.random()
            if roll < 0.15 and event.date is not None:
                span = timedelta(days=rng.choice((2, 9, 40)))
                result.events[number] = replace(event, date_end=event.date + span)
            elif roll < 0.22:
                result.events[number] = replace(event, date=None, date_precision=None)
    return results


def matches(event: Event, flt: EventFilter) -> bool:
    """The filter's meaning, written out plainly."""
    last = event.date_end or event.date
    if flt.since and (last is None or last < flt.since):
        return False
    if flt.until and (event.date is None or event.date > flt.until):
        return False
    actors = [a for a in (event.actor1, event.actor2) if a is not None]
    place = event.location
    if flt.country:
        countries = {a.country for a in actors} | {place.country if place else None}
        if flt.country not in countries:
            return False
    if flt.actor:
        fields = [v for a in actors for v in (a.text, a.name, a.code) if v]
        if not any(flt.actor.lower() in v.lower() for v in fields):
            return False
    if flt.event_type and event.event_type != flt.event_type:
        return False
    if flt.mode and event.mode != flt.mode:
        return False
    return not flt.text or flt.text.lower() in event.sentence.lower()


def ordered(events: list[Event], sort: str) -> list[Event]:
    key = sort.lstrip("-")
    present = [e for e in events if getattr(e, key) is not None]
    absent = [e for e in events if getattr(e, key) is None]
    descending = sort.startswith("-")
    present.sort(key=lambda e: (getattr(e, key), e.id), reverse=descending)
    absent.sort(key=lambda e: e.id, reverse=descending)
    return present + absent


def random_filter(rng: random.Random) -> EventFilter:
    day = date(2024, 2, 1) + timedelta(days=rng.randrange(45))
    flt = EventFilter(sort=rng.choice(["date", "-date", "fatalities", "-fatalities", "id"]))
    if rng.random() < 0.5:
        flt.since = day
    if rng.random() < 0.3:
        flt.until = day + timedelta(days=rng.randrange(20))
    if rng.random() < 0.3:
        flt.country = rng.choice(["UKR", "MLI", "SYR"])
    if rng.random() < 0.3:
        flt.actor = rng.choice(["army", "REB", "ukrmil", "gu", "Police Officers", "xyz"])
    if rng.random() < 0.3:
        flt.event_type = rng.choice(["ASSAULT", "PROTEST", "COERCE"])
    if rng.random() < 0.3:
        flt.text = rng.choice(["market", "in Gao", "dead", "ki", "Kh", "leaving 5 people"])
    if rng.random() < 0.6:
        flt.limit = rng.choice([1, 5, 20])
        flt.offset = rng.choice([0, 0, 3, 17])
    return flt


@pytest.fixture(scope="module")
def varied_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("queries") / "events.db"
    with open_store(str(path)) as store:
        store.add_results(varied_results(150))
    with open_store(str(path)) as store:
        yield store


def test_random_filters_match_the_plain_meaning(varied_store):
    everything = varied_store.events()
    assert any(e.date_end for e in everything) and any(e.date is None for e in everything)
    rng = random.Random(3)
    for _ in range(250):
        flt = random_filter(rng)
        expected = ordered([e for e in everything if matches(e, flt)], flt.sort)
        assert varied_store.count_events(flt) == len(expected), flt
        end = None if flt.limit is None else flt.offset + flt.limit
        page = [e.id for e in expected[flt.offset : end]]
        assert [e.id for e in varied_store.events(flt)] == page, flt
        texts = varied_store.event_json_texts(flt)
        assert [json.loads(t)["id"] for t in texts] == page, flt


def test_store_json_texts_are_the_events(varied_store):
    flt = EventFilter(sort="-date", limit=10)
    texts = varied_store.event_json_texts(flt)
    assert [json.loads(t) for t in texts] == [e.to_dict() for e in varied_store.events(flt)]


def test_a_version_one_store_gains_the_text_index(tmp_path):
    """An existing store is upgraded in place and its events become searchable."""
    from eventline.store import schema

    path = tmp_path / "old.db"
    saved = list(schema.MIGRATIONS)
    schema.MIGRATIONS[:] = saved[:1]
    try:
        with open_store(str(path)) as store:
            store.add_results(make_results(20))
    finally:
        schema.MIGRATIONS[:] = saved
    with open_store(str(path)) as store:
        flt = EventFilter(text="in gao")
        found = {e.id for e in store.events(flt)}
        plain = {e.id for e in store.events() if "in gao" in e.sentence.lower()}
        assert found == plain and found
        assert store.count_events(flt) == len(plain)


def test_events_written_later_are_found_and_replaced_ones_are_gone(store):
    results = varied_results(40)
    store.add_results(results[:20])
    store.add_results(results[20:])  # re-clustering deletes and writes events again
    everything = store.events()
    for needle in ("army", "market", "rebel fighters"):
        expected = {e.id for e in everything if matches(e, EventFilter(actor=needle))}
        assert {e.id for e in store.events(EventFilter(actor=needle))} == expected
        expected = {e.id for e in everything if needle in e.sentence.lower()}
        assert {e.id for e in store.events(EventFilter(text=needle))} == expected
