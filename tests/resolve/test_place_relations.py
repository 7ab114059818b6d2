"""Relative phrases folded into place mentions."""

from __future__ import annotations

import pytest

from eventline.resolve.place_relations import direction_of, region_cue_beside, relative_phrase


@pytest.mark.parametrize(
    ("word", "direction"),
    [("northern", "north"), ("south-eastern", "southeast"), ("western", "west"), ("modern", None),
     ("north", None)],
)  # fmt: skip
def test_direction_of(word: str, direction: str | None) -> None:
    assert direction_of(word) == direction


def _relation(nlp, text: str, name: str) -> tuple[str, str | None]:
    doc = nlp(text)
    start = next(t.i for t in doc if t.text == name)
    first, relation = relative_phrase(doc, doc[start : start + 1])
    return doc[first : start + 1].text, relation


def test_distance_and_direction_phrase(nlp) -> None:
    assert _relation(nlp, "A bomb went off 20 km south of Baghdad.", "Baghdad") == (
        "20 km south of Baghdad",
        "near",
    )


def test_direction_adjective_and_outskirts(nlp) -> None:
    assert _relation(nlp, "Clashes in eastern Syria.", "Syria") == (
        "eastern Syria",
        "direction:east",
    )
    phrase, relation = _relation(nlp, "They fought on the outskirts of Kharkiv.", "Kharkiv")
    assert phrase == "on the outskirts of Kharkiv" and relation == "near"


def test_plain_name_has_no_relation(nlp) -> None:
    assert _relation(nlp, "Talks opened in Geneva.", "Geneva") == ("Geneva", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Former New York Gov. Mario Cuomo spoke.", True),
        ("They crossed near the New York border at dawn.", True),
        ("Snow fell across upstate New York overnight.", True),
        ("the governor of New York signed it", True),
        ("New York state police closed the road.", True),
        ("Flights between New York and Moscow resume.", False),
        ("The New York Times reported it.", False),
        ("New Yorkstate is not a word.", False),  # a cue is a whole word after a space
    ],
)
def test_region_cues_beside_a_name(text: str, expected: bool) -> None:
    start = text.index("New York")
    end = start + len("New York")
    if text.startswith("New Yorkstate"):
        end = start + len("New Yorkstate")
    assert region_cue_beside(text, start, end) is expected
