"""The relative phrases around a place name: "20 km south of", "near", "eastern", "outskirts of".

`relative_phrase` folds such a phrase into the mention and says what it does to the point;
`name_cue_beside` says which reading the words beside a name ask for ("New York Gov.": the
state; "the city of Turkey": the town).
"""

from __future__ import annotations

import csv
import functools
import re

from spacy.tokens import Doc, Span

from eventline.resolve.places.gazetteer import DATA_DIR

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


NAME_CUES_FILE = DATA_DIR / "name_cues.csv"
# how far before a name a cue may start ("governor of New York"): the longest cue fits
CUE_WINDOW = 40
Cues = dict[str, tuple[re.Pattern[str], re.Pattern[str]]]


@functools.cache
def _name_cue_patterns() -> Cues:
    """For each reading ("region", "town"): a pattern for a cue right after a name (used
    with `match` at the name's end, which anchors it there) and one right before it."""
    cues: dict[tuple[str, str], list[str]] = {}
    with NAME_CUES_FILE.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for record in csv.DictReader(lines):
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
