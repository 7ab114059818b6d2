"""The relative phrases around a place name: "20 km south of", "near", "eastern", "outskirts of".

`relative_phrase` folds such a phrase into the mention and says what it does to the point;
`name_cue_beside` says which reading the words beside a name ask for ("New York Gov.": the
state; "the city of Turkey": the town).
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span

from eventline.data_files import read_csv, read_yaml, word_set
from eventline.resolve.places.gazetteer import PLACES_DIR

# the words of place phrases (eventline/data/places/phrases.yaml)
PHRASES = "places/phrases.yaml"
# compass word -> (north, east) signs
DIRECTIONS: dict[str, tuple[int, int]] = {
    word: (signs[0], signs[1]) for word, signs in read_yaml(PHRASES)["directions"].items()
}
_DIRECTION_WORD = re.compile(r"^(north|south)?-?(east|west)?(ern)?$")
NEAR_WORDS = word_set(PHRASES, "near_words")
OUTSKIRTS_WORDS = word_set(PHRASES, "outskirts_words")
DISTANCE_UNITS = word_set(PHRASES, "distance_units")
CENTRE_WORDS = word_set(PHRASES, "centre_words")


NAME_CUES_FILE = PLACES_DIR / "name_cues.csv"
# how far before a name a cue may start ("governor of New York"): the longest cue fits
CUE_WINDOW = 40
Cues = dict[str, tuple[re.Pattern[str], re.Pattern[str]]]


@functools.cache
def _name_cue_patterns() -> Cues:
    """For each reading ("region", "town"): a pattern for a cue right after a name (used
    with `match` at the name's end, which anchors it there) and one right before it."""
    cues: dict[tuple[str, str], list[str]] = {}
    for record in read_csv(NAME_CUES_FILE):
        words = r"\s+".join(re.escape(word) for word in record["cue"].split())
        cues.setdefault((record["means"].strip(), record["side"].strip()), []).append(words)

    def either(means: str, side: str) -> str:
        # longest first, so that "state senate" is tried before "state"
        return "|".join(sorted(cues.get((means, side), ["(?!)"]), key=len, reverse=True))

    return {
        means: (
            re.compile(rf"\s+(?:{either(means, 'after')})(?![\w])", re.IGNORECASE),
            re.compile(rf"(?<![\w])(?:{either(means, 'before')})\s+$", re.IGNORECASE),
        )
        for means in {key[0] for key in cues}
    }


def name_cue_beside(text: str, start: int, end: int) -> str | None:
    """Which reading the words beside text[start:end] ask for: "region" ("New York Gov.",
    "upstate New York"), "town" ("the city of Turkey"), or None (cues: name_cues.csv)."""
    before_text = text[max(0, start - CUE_WINDOW) : start]
    for means, (after, before) in sorted(_name_cue_patterns().items()):
        if after.match(text, end, end + CUE_WINDOW) or before.search(before_text):
            return means
    return None


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
    direction = direction_of(before) if before else None
    if direction:
        return i - 1, "direction:" + direction
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
