"""Relative phrases folded into place mentions."""

from __future__ import annotations

import pytest

from eventline.resolve.places.relations import direction_of, name_cue_beside, relative_phrase


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
        ("Former New York Gov. Mario Cuomo spoke.", "region"),
        ("They crossed near the New York border at dawn.", "region"),
        ("Snow fell across upstate New York overnight.", "region"),
        ("the governor of New York signed it", "region"),
        ("New York state police closed the road.", "region"),
        ("The festival returns to the city of New York.", "town"),
        ("The Albany City Council voted.", "town"),
        ("Flights between New York and Moscow resume.", None),
        ("The New York Times reported it.", None),
        ("New Yorkstate is not a word.", None),  # a cue is a whole word after a space
    ],
)
def test_name_cues_beside_a_name(text: str, expected: str | None) -> None:
    name = "Albany" if "Albany" in text else "New York"
    start = text.index(name)
    end = start + len(name)
    if text.startswith("New Yorkstate"):
        end = start + len("New Yorkstate")
    assert name_cue_beside(text, start, end) == expected
