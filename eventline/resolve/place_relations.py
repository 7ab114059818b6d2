"""The relative phrases around a place name: "20 km south of", "near", "eastern", "outskirts of".

`relative_phrase` folds such a phrase into the mention and says what it does to the point.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

DIRECTIONS = {
    "north": (1, 0),
    "south": (-1, 0),
    "east": (0, 1),
    "west": (0, -1),
    "northeast": (1, 1),
    "northwest": (1, -1),
    "southeast": (-1, 1),
    "southwest": (-1, -1),
}
_DIRECTION_WORD = re.compile(r"^(north|south)?-?(east|west)?(ern)?$")
NEAR_WORDS = {"near", "outside", "around", "nearby", "close"}
OUTSKIRTS_WORDS = {"outskirts", "edge", "vicinity", "suburbs", "environs"}
DISTANCE_UNITS = {"km", "kilometers", "kilometres", "miles", "mi"}
CENTRE_WORDS = {"central", "western", "eastern", "northern", "southern"}


def direction_of(word: str) -> str | None:
    """'northern' -> "north", 'south-eastern' -> "southeast"; None for other words."""
    match = _DIRECTION_WORD.match(word.replace("-", "")) if word.endswith("ern") else None
    if not match or not (match.group(1) or match.group(2)):
        return None
    return (match.group(1) or "") + (match.group(2) or "")


def relative_phrase(doc: Doc, span: Span) -> tuple[int, str | None]:
    """Extend a mention leftwards over "10 km south of", "near", "eastern", "outskirts of".

    Returns the new first token index and the relation found.
    """
    i = span.start
    before = doc[i - 1].lower_ if i > 0 else ""
    # an adjective of direction inside or right before the name: "eastern Syria"
    if before and direction_of(before):
        return i - 1, "direction:" + direction_of(before)
    if before in CENTRE_WORDS:
        return i - 1, "direction:" + (direction_of(before) or "central")
    if i >= 2 and before == "of":
        word = doc[i - 2].lower_
        start = i - 2
        if word in OUTSKIRTS_WORDS:
            while start > 0 and doc[start - 1].lower_ in ("the", "on", "in", "at"):
                start -= 1
            return start, "near"
        if word in DIRECTIONS or word.replace("-", "") in DIRECTIONS:
            # "10 km south of", "30 miles north-west of"
            if start >= 2 and doc[start - 1].lower_ in DISTANCE_UNITS:
                start -= 2 if doc[start - 2].like_num else 1
            return start, "near"
    if before in NEAR_WORDS:
        return i - 1, "near"
    if i >= 2 and before == "to" and doc[i - 2].lower_ == "close":
        return i - 2, "near"
    return i, None
