"""The indexed read queries give exactly what the plain filter means.

A store of synthetic events, some with day ranges, some without a date or a death toll, is
read with many random filters, sorts and pages; each answer is compared with the filter
applied in Python to every event.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest

from eventline.model import Document, Event, Result
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
            elif roll < 0.17 and event.date is not None:
                # a range written the wrong way round: it still ends on its date_end
                result.events[number] = replace(event, date_end=event.date - timedelta(days=5))
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
        assert_page_json(varied_store, flt, page, len(expected))


def assert_page_json(store, flt: EventFilter, page: list[str], total: int) -> None:
    """The page as one JSON text holds the page in order; its total is the match's when
    asked for, and without asking only when the page tells it (a short last page)."""
    short = flt.limit is None or len(page) < flt.limit
    told = total if short and (page or flt.offset == 0) else None
    for with_total in (True, False):
        found, data, counted = store.event_page_json(flt, with_total=with_total)
        assert found == len(page), flt
        assert [event["id"] for event in json.loads(data)] == page, flt
        assert counted == (total if with_total else told), (flt, with_total)


def test_page_json_on_every_backend(store):
    """Both backends: the one-text page and its total (SQLite builds them in one statement,
    the others through the generic path)."""
    store.add_results(varied_results(40))
    everything = store.events()
    assert any(e.date_end and e.date and e.date_end < e.date for e in everything)
    rng = random.Random(8)
    for _ in range(40):
        flt = random_filter(rng)
        expected = ordered([e for e in everything if matches(e, flt)], flt.sort)
        end = None if flt.limit is None else flt.offset + flt.limit
        page = [e.id for e in expected[flt.offset : end]]
        assert_page_json(store, flt, page, len(expected))


def test_single_day_events_are_read_and_counted_from_their_partial_index(varied_store):
    """`since` with at most a type and `until`: the events without a range are read from
    the partial single-day index alone (no table row is read to choose or count them)."""
    from eventline.store import queries

    cases = [
        (
            EventFilter(since=date(2024, 2, 10), event_type="ASSAULT", limit=5, sort="-date"),
            "events_day_type_date",
        ),
        (EventFilter(since=date(2024, 2, 10), until=date(2024, 3, 12), limit=5), "events_day_date"),
    ]
    for flt, index in cases:
        for sql, params in (
            queries.select_events(flt, "data", varied_store.text_index, index_hints=True),
            queries.count_events(flt, varied_store.text_index, index_hints=True),
        ):
            assert f"COVERING INDEX {index}" in query_plan(varied_store, sql, params)
    # another filter may be narrower through its own index: the planner chooses then
    sql, _ = queries.select_events(
        EventFilter(since=date(2024, 2, 10), country="UKR", limit=5),
        "data",
        varied_store.text_index,
        index_hints=True,
    )
    assert "events_day_" not in sql


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


def query_plan(store, sql: str, params: list) -> str:
    rows = store._conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(str(row[3]) for row in rows)


@pytest.mark.parametrize(
    "flt",
    [
        EventFilter(since=date(2024, 2, 10), limit=5),
        EventFilter(since=date(2024, 2, 10), until=date(2024, 3, 1), limit=5, sort="-date"),
        EventFilter(since=date(2024, 2, 10), event_type="ASSAULT", limit=5, offset=3),
        EventFilter(since=date(2024, 2, 10), country="UKR", sort="fatalities"),
    ],
)
def test_the_spanning_part_reads_the_partial_date_end_index(varied_store, flt):
    """Events that start before `since` are found through the index over ranged events,
    not by walking every earlier day (the planner's choice without the hint)."""
    from eventline.store import queries

    for sql, params in (
        queries.select_events(flt, "data", varied_store.text_index, index_hints=True),
        queries.count_events(flt, varied_store.text_index, index_hints=True),
    ):
        assert "INDEXED BY events_date_end" in sql
        assert "INDEX events_date_end (date_end>?)" in query_plan(varied_store, sql, params)
    # without hints (PostgreSQL) the SQL names no index
    sql, _ = queries.select_events(flt, "data", None)
    assert "INDEXED BY" not in sql


def test_text_candidates_walk_the_events_table_by_rowid(varied_store):
    from eventline.store import queries

    for flt in (EventFilter(text="market", limit=5), EventFilter(actor="army", limit=5)):
        sql, params = queries.select_events(flt, "data", varied_store.text_index)
        assert "INTEGER PRIMARY KEY (rowid=?)" in query_plan(varied_store, sql, params)


def test_the_covering_filter_indexes_replace_the_narrow_ones(varied_store):
    rows = varied_store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    names = {row[0] for row in rows}
    assert {
        "events_lon_lat_date",
        "events_country_type_date",
        "events_actor1_country_type_date",
        "events_actor2_country_type_date",
    } <= names
    assert not names & {"events_lon_lat", "events_country_type", "events_actor1_country_type"}
    # a box page sorts index entries only: no read of the table before the page is chosen
    flt = EventFilter(bbox=(20.0, 10.0, 45.0, 55.0), limit=5)
    sql, params = queries_select(flt, varied_store)
    assert "COVERING INDEX events_lon_lat_date" in query_plan(varied_store, sql, params)


def queries_select(flt: EventFilter, store) -> tuple[str, list]:
    from eventline.store import queries

    return queries.select_events(flt, "data", store.text_index, index_hints=True)


@contextlib.contextmanager
def store_at_version(path, version: int) -> Iterator:
    """A store opened by code that knew the migrations up to `version` only."""
    from eventline.store import schema

    saved = list(schema.MIGRATIONS)
    schema.MIGRATIONS[:] = [m for m in saved if m[0] <= version]
    try:
        with open_store(str(path)) as store:
            yield store
    finally:
        schema.MIGRATIONS[:] = saved


def test_a_version_three_store_gains_the_covering_indexes(tmp_path):
    from eventline.store import schema

    path = tmp_path / "v3.db"
    with store_at_version(path, 3) as store:
        store.add_results(varied_results(30))
        before = [e.id for e in store.events(EventFilter(country="UKR", sort="-date"))]
    with open_store(str(path)) as store:
        assert store._schema_version() == schema.LATEST_VERSION
        assert [e.id for e in store.events(EventFilter(country="UKR", sort="-date"))] == before


def test_a_version_four_store_gains_the_single_day_indexes(tmp_path):
    from eventline.store import schema

    path = tmp_path / "v4.db"
    flt = EventFilter(since=date(2024, 2, 10), event_type="ASSAULT", limit=7, sort="-date")
    with store_at_version(path, 4) as store:
        store.add_results(varied_results(30))
        names = {row[0] for row in store._conn.execute("SELECT name FROM sqlite_master")}
        assert "events_day_date" not in names
        everything = store.events()
    with open_store(str(path)) as store:
        assert store._schema_version() == schema.LATEST_VERSION
        names = {row[0] for row in store._conn.execute("SELECT name FROM sqlite_master")}
        assert {"events_day_date", "events_day_type_date"} <= names
        expected = ordered([e for e in everything if matches(e, flt)], flt.sort)
        assert [e.id for e in store.events(flt)] == [e.id for e in expected[:7]]
        assert store.count_events(flt) == len(expected)


def test_data_version_moves_when_another_connection_commits(tmp_path):
    path = str(tmp_path / "versions.db")
    results = varied_results(10)
    with open_store(path) as watcher, open_store(path) as writer:
        first = watcher.data_version()
        assert first is not None and watcher.data_version() == first
        mine = writer.data_version()
        writer.add_results(results[:5])
        assert writer.data_version() == mine  # its own writes do not move it
        assert watcher.data_version() != first


def test_closing_still_refreshes_the_planner_statistics(tmp_path):
    """The analysis limit on close bounds the work; the statistics are still written."""
    import sqlite3

    path = tmp_path / "stats.db"
    with open_store(str(path)) as store:
        store.add_results(varied_results(30))
        store.events(EventFilter(country="UKR", limit=5))
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT tbl FROM sqlite_stat1")}
    assert "events" in tables or "reports" in tables


def test_a_version_five_store_gains_the_source_regions(tmp_path):
    from eventline.store import schema

    path = tmp_path / "v5.db"
    with store_at_version(path, 5) as store:
        store.add_results(varied_results(5))
        assert store.source_homes().documents == {}
    with open_store(str(path)) as store:
        assert store._schema_version() == schema.LATEST_VERSION
        # documents stored before the upgrade did not record their regions: they count for
        # no source, and the ones stored after it do
        document = Document(id="new", text="new", url="https://www.dispatch.com/a")
        store.add_results([Result(document, regions=[("USA", "Ohio")])])
        homes = store.source_homes()
        assert dict(homes.documents) == {"dispatch.com": 1}
        assert homes.home("dispatch.com") == frozenset({("USA", "Ohio")})
