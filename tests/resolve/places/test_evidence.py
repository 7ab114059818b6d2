"""Evidence that an untagged gazetteer name is a place."""

from __future__ import annotations

from eventline.resolve.places.evidence import evidenced_candidates, is_distinctive
from eventline.resolve.places.gazetteer import GazEntry, get_gazetteer
from eventline.tokens import token_table


def _entry(kind: str, name: str = "X", population: int = 0) -> GazEntry:
    return GazEntry("t:1", name, kind, "USA", None, 0.0, 0.0, population)


def test_distinctive_entries() -> None:
    assert is_distinctive(_entry("admin2", "Henry County", 3))
    assert not is_distinctive(_entry("admin2", "Grant", 3))
    assert is_distinctive(_entry("city", population=2_000_000))
    assert not is_distinctive(_entry("city", population=20_000))
    assert is_distinctive(_entry("sea"))


def _evidenced(nlp, text: str, name: str) -> list[GazEntry]:
    doc = nlp(text)
    tokens = token_table(doc)
    start = next(t.i for t in doc if t.text == name)
    return evidenced_candidates(tokens, start, start + 1, get_gazetteer())


def test_town_after_a_locative_preposition_has_evidence(nlp) -> None:
    assert _evidenced(nlp, "The fire started in Canaan late on Sunday.", "Canaan")


def test_town_before_a_street_word_has_none(nlp) -> None:
    assert _evidenced(nlp, "He lives on Dublin Road with his family.", "Dublin") == []
