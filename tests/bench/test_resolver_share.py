"""bench/resolver_share.py: which resolver a module belongs to, and timers that count each
resolver call once."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "resolver_share.py"


@pytest.fixture(scope="module")
def share() -> ModuleType:
    spec = importlib.util.spec_from_file_location("resolver_share_under_test", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("module", "category"),
    [
        ("eventline.resolve.dates.expressions", "dates"),
        ("eventline.resolve.dates.rules", "dates"),
        ("eventline.resolve.places.document", "places"),
        ("eventline.resolve.places.mentions", "places"),
        ("eventline.resolve.places.gazetteer", "places"),
        ("eventline.resolve.places.index", "places"),  # a module of a sub-package
        ("eventline.resolve.actors", "actors"),
        ("eventline.resolve.counts", "counts"),
        ("eventline.resolve.numbers", None),
        ("eventline.extraction.dates", None),  # not a resolver module
    ],
)
def test_category_by_module_name(share: ModuleType, module: str, category: str | None) -> None:
    assert share.category_of(module) == category


def _module(name: str, **names: object) -> ModuleType:
    module = ModuleType(name)
    vars(module).update(names)
    return module


def test_a_helper_module_belongs_to_the_one_resolver_that_uses_it(share: ModuleType) -> None:
    def spell(words: str) -> str:
        return words

    spell.__module__ = "eventline.resolve.spelling"
    helper = _module("eventline.resolve.spelling", spell=spell)
    inner = _module("eventline.resolve.wording")  # a helper of the helper, imported whole
    helper.wording = inner
    shared = _module("eventline.resolve.shared")
    modules = {
        "eventline.resolve.dates.expressions": _module("eventline.resolve.dates.expressions", spell=spell, shared=shared),
        "eventline.resolve.counts": _module("eventline.resolve.counts", shared=shared),
        "eventline.resolve.spelling": helper,
        "eventline.resolve.wording": inner,
        "eventline.resolve.shared": shared,
    }
    found = share.module_categories(modules)
    assert found["eventline.resolve.spelling"] == "dates"
    assert found["eventline.resolve.wording"] == "dates"
    assert found["eventline.resolve.shared"] is None  # used by two resolvers


def test_a_resolver_calling_another_is_counted_once(share: ModuleType) -> None:
    clock = share.ResolverClock()

    def count(n: int) -> int:
        return n

    def date_of(n: int) -> int:
        return timed_count(n) + timed_count(n)

    def words(n: int) -> Iterator[int]:
        for i in range(n):
            yield timed_count(i)

    timed_count = clock._timed(count, "counts")
    timed_date = clock._timed(date_of, "dates")
    timed_words = clock._timed(words, "dates")
    assert timed_date(2) == 4
    assert clock.calls == {"dates": 1, "places": 0, "actors": 0, "counts": 0}
    assert timed_count(1) == 1
    assert list(timed_words(3)) == [0, 1, 2]
    assert clock.calls["counts"] == 1  # the calls inside the generator were inner calls
    assert clock.seconds["dates"] > 0 and clock.seconds["counts"] > 0
    clock.reset()
    assert clock.calls["dates"] == 0 and clock.seconds["dates"] == 0.0


def test_a_cached_resolver_keeps_its_cache_controls(share: ModuleType) -> None:
    from functools import cache

    @cache
    def table() -> dict[str, int]:
        return {"one": 1}

    timed = share.ResolverClock()._timed(table, "dates")
    assert timed() == {"one": 1}
    assert timed.cache_info().currsize == 1
    timed.cache_clear()
    assert timed.cache_info().currsize == 0
