"""The Store API on both backends: writing, re-adding, dedupe folding, filters, reads."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from eventline.errors import ConfigError
from eventline.model import Actor, Claim, Document, Event, Place, Problem, Result
from eventline.store import open_store
from eventline.store.base import EventFilter
from tests.store.synthetic import make_results

KHARKIV = Place(text="Kharkiv", name="Kharkiv", country="UKR", lat=49.99, lon=36.23, precision=1)
ODESA = Place(text="Odesa", name="Odesa", country="UKR", lat=46.48, lon=30.72, precision=1)
RUSSIA = Actor(text="Russian forces", country="RUS", sector="MIL", code="RUSMIL")


def report(rid: str, doc: str, place: Place, when: date, **values) -> Event:
    return Event(
        id=rid,
        doc_id=doc,
        sentence=f"A missile struck {place.text}.",
        char_start=0,
        char_end=20,
        event_type=values.pop("event_type", "ASSAULT"),
        mode="aerial",
        actor1=RUSSIA,
        date=when,
        date_precision="day",
        location=place,
        **values,
    )


def result(doc: str, published: date, *events: Event, claims=()) -> Result:
    return Result(
        document=Document(id=doc, text=f"text of {doc}", published=published, source=f"src-{doc}"),
        events=list(events),
        claims=list(claims),
    )


@pytest.fixture
def filled(store):
    day = date(2024, 1, 5)
    store.add_results(
        [
            result("d1", date(2024, 1, 6), report("r1", "d1", KHARKIV, day, fatalities=3)),
            result(
                "d2",
                date(2024, 1, 5),
                report("r2", "d2", KHARKIV, day, fatalities=4),
                report("r3", "d2", ODESA, day),
            ),
            result(
                "d3",
                date(2024, 2, 1),
                report("r4", "d3", ODESA, date(2024, 2, 1), event_type="PROTEST"),
                claims=[
                    Claim(
                        id="c1",
                        doc_id="d3",
                        sentence="Russia launched 66 strikes since October.",
                        char_start=0,
                        char_end=40,
                        count=66,
                        event_type="ASSAULT",
                        actor1=RUSSIA,
                        period_start=date(2023, 10, 1),
                        period_end=date(2024, 1, 31),
                    )
                ],
            ),
        ]
    )
    return store


def test_reports_of_one_event_merge_and_keep_provenance(filled):
    events = filled.events()
    assert filled.stats() == {"documents": 3, "reports": 4, "events": 3, "claims": 1}
    kharkiv = next(e for e in events if e.location.name == "Kharkiv")
    assert kharkiv.report_count == 2
    assert (kharkiv.fatalities, kharkiv.fatalities_max) == (3, 4)
    reports = filled.reports(kharkiv.id)
    # oldest document first
    assert [r.mention.doc_id for r in reports] == ["d2", "d1"]
    assert reports[0].source == "src-d2" and reports[0].published == date(2024, 1, 5)
    assert filled.event("r1").id == kharkiv.id == filled.event(kharkiv.id).id
    assert filled.event("nope") is None


def test_re_adding_a_document_changes_nothing(filled):
    before = [e.to_dict() for e in filled.events()]
    again = result("d1", date(2024, 1, 6), report("r1", "d1", ODESA, date(2024, 1, 9)))
    assert filled.add_results([again]) == 0
    assert [e.to_dict() for e in filled.events()] == before
    assert filled.has_documents(["d1", "d9"]) == {"d1"}


def test_duplicate_document_inside_one_batch_is_stored_once(store):
    one = result("d1", date(2024, 1, 6), report("r1", "d1", KHARKIV, date(2024, 1, 5)))
    assert store.add_results([one, one]) == 1
    assert store.stats()["reports"] == 1


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(country="ukr"), {"Kharkiv", "Odesa", "Odesa/PROTEST"}),
        (EventFilter(country="RUS"), {"Kharkiv", "Odesa", "Odesa/PROTEST"}),
        (EventFilter(country="MLI"), set()),
        (EventFilter(actor="RUSSIAN"), {"Kharkiv", "Odesa", "Odesa/PROTEST"}),
        (EventFilter(actor="rusmil", event_type="protest"), {"Odesa/PROTEST"}),
        (EventFilter(bbox=(36.0, 49.0, 37.0, 51.0)), {"Kharkiv"}),
        (EventFilter(text="STRUCK ODESA"), {"Odesa", "Odesa/PROTEST"}),
        (EventFilter(since=date(2024, 1, 10)), {"Odesa/PROTEST"}),
        (EventFilter(until=date(2024, 1, 10)), {"Kharkiv", "Odesa"}),
        (EventFilter(doc_id="d1"), {"Kharkiv"}),
        (EventFilter(mode="aerial", event_type="ASSAULT"), {"Kharkiv", "Odesa"}),
        (EventFilter(actor="%' OR 1=1 --"), set()),
    ],
)
def test_filters(filled, flt, expected):
    def label(e: Event) -> str:
        return e.location.name + ("" if e.event_type == "ASSAULT" else f"/{e.event_type}")

    assert {label(e) for e in filled.events(flt)} == expected
    assert filled.count_events(flt) == len(expected)


def test_sorting_and_paging(filled):
    by_deaths = filled.events(EventFilter(sort="-fatalities"))
    assert by_deaths[0].fatalities == 3  # NULLs last
    dates = [e.date for e in filled.events(EventFilter(sort="-date"))]
    assert dates == sorted(dates, reverse=True)
    everything = [e.id for e in filled.events(EventFilter(sort="id"))]
    assert everything == sorted(everything)
    pages = [
        e.id for o in (0, 1, 2) for e in filled.events(EventFilter(sort="id", limit=1, offset=o))
    ]
    assert pages == everything
    with pytest.raises(ConfigError) as error:
        filled.events(EventFilter(sort="date; DROP TABLE events"))
    assert error.value.code == "E406"


def test_claims_documents_and_counts(filled):
    assert [c.count for c in filled.claims()] == [66]
    assert filled.claims(EventFilter(since=date(2024, 3, 1))) == []
    assert [c.id for c in filled.claims(EventFilter(country="RUS", sort="-fatalities"))] == ["c1"]
    assert filled.document("d2").published == date(2024, 1, 5)
    assert filled.document("zz") is None
    assert [d.id for d in filled.documents()] == ["d1", "d2", "d3"]
    assert [d.id for d in filled.documents(limit=1, offset=1)] == ["d2"]


def test_failed_extraction_is_not_stored_so_a_later_run_retries_it(store):
    # the pipeline turns an exception into a Result with an E201 error and no events; stored,
    # it would count as done and a restarted ingest would skip it for good
    day = date(2024, 1, 5)
    failed = result("d1", day)
    failed.problems.append(Problem("d1", "E201", "extraction failed", doc_id="d1"))
    undated = result("d2", None, report("r2", "d2", ODESA, day))
    undated.problems.append(Problem("d2", "W102", "no date", "warning", "d2"))
    assert store.add_results([failed, undated]) == 1
    assert store.has_documents(["d1", "d2"]) == {"d2"}  # a warning still stores it
    retried = result("d1", day, report("r1", "d1", KHARKIV, day))
    assert store.add_results([retried]) == 1
    assert store.stats()["reports"] == 2
    assert store.event("r1") is not None


def test_store_is_persistent(store_url):
    with open_store(store_url) as first:
        first.add_results(make_results(12, seed=3))
        expected = [e.to_dict() for e in first.events(EventFilter(sort="id"))]
    with open_store(store_url) as second:
        assert [e.to_dict() for e in second.events(EventFilter(sort="id"))] == expected


def test_a_failing_batch_leaves_nothing(store, monkeypatch):
    from eventline import reconcile

    store.add_results(make_results(3, seed=1))
    before = store.stats()

    def broken(reports, config=None):
        raise RuntimeError("simulated failure in the middle of a batch")

    monkeypatch.setattr(reconcile, "deduplicate", broken)
    with pytest.raises(RuntimeError):
        store.add_results(make_results(8, seed=2)[3:])
    assert store.stats() == before


def test_ingest_order_does_not_change_canonical_events(tmp_path, store_url):
    results = make_results(60, seed=11)
    with open_store(store_url) as reference:
        reference.add_results(results)
        expected = [e.to_dict() for e in reference.events(EventFilter(sort="id"))]
    assert len(expected) < sum(len(r.events) for r in results)  # something merged
    shuffled = results[:]
    random.Random(5).shuffle(shuffled)
    with open_store(str(tmp_path / "shuffled.db")) as other:
        for start in range(0, len(shuffled), 7):
            other.add_results(shuffled[start : start + 7])
        assert [e.to_dict() for e in other.events(EventFilter(sort="id"))] == expected


def test_report_without_date_stays_alone(store):
    undated = replace(report("u1", "d1", KHARKIV, date(2024, 1, 5)), date=None)
    also = replace(report("u2", "d2", KHARKIV, date(2024, 1, 5)), date=None)
    store.add_results([result("d1", None, undated), result("d2", None, also)])
    assert store.count_events() == 2


def test_the_regions_stored_documents_name_say_where_their_sources_are(store_url):
    ohio, texas = ("USA", "Ohio"), ("USA", "Texas")

    def of(doc_id: str, url: str | None, *regions: tuple[str, str]) -> Result:
        return Result(Document(id=doc_id, text=doc_id, url=url), regions=list(regions))

    with open_store(store_url) as first:
        first.add_results([of("a", "https://www.dispatch.com/1", ohio), of("b", None, texas)])
        first.add_results([of("a", "https://www.dispatch.com/1", ohio)])  # again: once
        first.add_results([of("c", "https://dispatch.com/2", ohio, texas), of("d", "https://dispatch.com/3")])
    with open_store(store_url) as second:
        homes = second.source_homes()
    # a document without a source or URL counts for none
    assert dict(homes.documents) == {"dispatch.com": 3}
    assert dict(homes.regions["dispatch.com"]) == {ohio: 2, texas: 1}
    assert homes.home("dispatch.com") == frozenset({ohio})


def test_a_document_is_stored_as_given_and_its_spans_index_it(store):
    given = "\r\n\x00 A missile struck Kharkiv.\t"
    document = Document(id="dg", text="A missile struck Kharkiv.", given=given, published=date(2024, 1, 5))
    event = replace(report("rg", "dg", KHARKIV, date(2024, 1, 5)), sentence="A missile struck Kharkiv.", char_start=4, char_end=29)
    store.add_results([Result(document=document, events=[event])])
    stored = store.document("dg").text
    # PostgreSQL holds no NUL: it keeps U+FFFD in its place, one character for one
    assert stored in (given, given.replace("\x00", "\ufffd"))
    (kept,) = store.reports(store.events()[0].id)
    assert stored[kept.mention.char_start : kept.mention.char_end] == kept.mention.sentence
