"""eventline.serve.access: totals kept per filter and totals a page tells by itself."""

from __future__ import annotations

from eventline.serve.access import CountCache, page_total
from eventline.store.base import EventFilter


class CountingStore:
    def __init__(self, total: int) -> None:
        self.total = total
        self.calls = 0

    def count_events(self, flt: EventFilter) -> int:
        self.calls += 1
        assert flt.limit is None and flt.offset == 0  # the whole match is counted
        return self.total


def test_a_short_page_tells_its_total_without_counting() -> None:
    store, counts = CountingStore(99), CountCache()
    flt = EventFilter(limit=10, offset=20)
    assert page_total(store, counts, flt, 3, None) == 23  # type: ignore[arg-type]
    assert page_total(store, counts, EventFilter(limit=10), 0, None) == 0  # type: ignore[arg-type]
    assert store.calls == 0


def test_a_full_or_empty_later_page_is_counted_once_per_state() -> None:
    store, counts = CountingStore(57), CountCache(ttl=3600)
    full = EventFilter(limit=10, offset=0)
    assert page_total(store, counts, full, 10, 1) == 57  # type: ignore[arg-type]
    past_end = EventFilter(limit=10, offset=500)
    assert page_total(store, counts, past_end, 0, 1) == 57  # type: ignore[arg-type]
    assert store.calls == 1
    assert page_total(store, counts, full, 10, 2) == 57  # type: ignore[arg-type]
    assert store.calls == 2  # another store state: counted again


def test_lookup_and_keep_ignore_page_and_sort() -> None:
    counts = CountCache(ttl=3600)
    assert counts.lookup(EventFilter(country="IRQ")) is None
    counts.keep(EventFilter(country="IRQ", limit=5, sort="-date"), None, 12)
    assert counts.lookup(EventFilter(country="IRQ", offset=40, sort="id")) == 12
    assert counts.lookup(EventFilter(country="SYR")) is None
    assert CountCache(ttl=0).lookup(EventFilter(country="IRQ")) is None
