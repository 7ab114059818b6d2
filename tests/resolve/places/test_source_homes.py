"""A source's home region, learned from the regions its documents' places lie in."""

from __future__ import annotations

from collections import Counter

from eventline.model import Document
from eventline.resolve.places.source_homes import SourceHomes, focus_regions, source_key

OHIO = ("USA", "Ohio")
KANSAS = ("USA", "Kansas")
MISSOURI = ("USA", "Missouri")


def _doc(**fields: str) -> Document:
    return Document(id="d1", text="text", **fields)


def test_the_source_is_the_given_source_else_the_host_of_the_url() -> None:
    assert source_key(_doc(source=" Dispatch ")) == "dispatch"
    assert source_key(_doc(url="https://www.dispatch.com/news/1")) == "dispatch.com"
    assert source_key(_doc(url="http://news.example.org:8080/a")) == "news.example.org"
    assert source_key(_doc(source="Dispatch", url="https://other.com/")) == "dispatch"
    assert source_key(_doc()) is None
    assert source_key(_doc(url="not a url")) is None
    assert source_key(_doc(url="http://[::1")) is None  # malformed: no source, no error


def test_a_sources_first_document_has_no_home_and_the_next_ones_have() -> None:
    homes = SourceHomes()
    assert homes.home("dispatch.com") == frozenset()
    homes.learn("dispatch.com", [OHIO, ("USA", "Texas"), ("USA", "Utah")])
    assert homes.home("dispatch.com") == frozenset()  # three regions tie: none stands out
    homes.learn("dispatch.com", [OHIO])
    assert homes.home("dispatch.com") == frozenset({OHIO})
    assert homes.home("other.com") == frozenset()
    assert homes.home(None) == frozenset()


def test_a_world_service_naming_regions_all_over_gets_no_home() -> None:
    homes = SourceHomes()
    regions = [("IRQ", "Baghdad"), ("SYR", "Idlib"), ("UKR", "Kherson"), ("YEM", "Sanaa")]
    for region in regions * 2:
        homes.learn("wire", [region])
    # each is named in a quarter of its stories, under the share a home needs
    assert homes.home("wire") == frozenset()


def test_a_paper_on_a_border_has_both_regions_as_its_home() -> None:
    homes = SourceHomes()
    homes.learn("kansascity.com", [KANSAS, MISSOURI])
    homes.learn("kansascity.com", [MISSOURI, KANSAS])
    homes.learn("kansascity.com", [])
    assert homes.home("kansascity.com") == frozenset({KANSAS, MISSOURI})


def test_a_region_named_twice_in_one_document_counts_once() -> None:
    homes = SourceHomes()
    homes.learn("paper", [OHIO, OHIO, ["USA", "Ohio"]])
    assert homes.regions["paper"][OHIO] == 1 and homes.documents["paper"] == 1


def test_documents_get_their_sources_home_unless_the_input_gave_one() -> None:
    homes = SourceHomes()
    homes.learn("dispatch.com", [OHIO])
    first = _doc(url="https://www.dispatch.com/2")
    given = Document(id="d2", text="t", url="https://dispatch.com/3", source_home=[KANSAS])
    unknown = Document(id="d3", text="t", url="https://elsewhere.com/")
    homes.give_homes([first, given, unknown, "not a document"])
    assert first.source_home == [OHIO]
    assert given.source_home == [KANSAS]
    assert unknown.source_home == []


def test_a_document_tells_the_region_most_of_its_places_lie_in() -> None:
    # a story about Columbus that mentions a town in Kansas in passing is about Ohio
    assert focus_regions(Counter({OHIO: 5, KANSAS: 1})) == [OHIO]
    assert focus_regions(Counter({KANSAS: 2, MISSOURI: 2, OHIO: 1})) == [KANSAS, MISSOURI]
    assert focus_regions(Counter()) == []
