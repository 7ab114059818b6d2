"""Names listed before a head noun of districts: "Becker, Clay and Otter Tail counties",
"Caddo and Bossier parishes", "Idlib and Hama governorates", "Grant county".

Before such a head each name is the district "<Name> County" (or the region of that name),
not the namesake town the name alone would be read as. The head words, the word that ends
a district's own name and the gazetteer kinds each head may name are listed in
eventline/data/places/district_heads.csv. The finder reads a `TokenTable` (eventline.tokens).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from eventline.data_files import read_csv, word_set
from eventline.resolve.places.gazetteer import PLACES_DIR, GazEntry, Gazetteer
from eventline.resolve.places.relations import PHRASES
from eventline.tokens import TokenTable

HEADS_FILE = PLACES_DIR / "district_heads.csv"
# words that separate the names of a list: "Becker, Clay and Wilkin"
LIST_SEPARATORS = word_set(PHRASES, "list_separators")
# lower-case words and marks inside a district's name: "Lake of the Woods", "Lac qui Parle",
# "Prince George's", "St. Louis", "Miami-Dade"
NAME_CONNECTORS = word_set(PHRASES, "name_connectors")

# a mention found: first token, end token, candidates
Listed = tuple[int, int, list[GazEntry]]


@dataclass(frozen=True, slots=True)
class DistrictHead:
    """What a head word says about the names before it."""

    suffix: str  # the word a district's own name ends with: "County" in "Becker County"
    kinds: frozenset[str]  # gazetteer kinds such a district may have
    plural: bool  # "counties" heads a list; "county" follows one name


@functools.cache
def district_heads() -> dict[str, DistrictHead]:
    """Lower-case head word -> what it names, read once from the data file."""
    heads: dict[str, DistrictHead] = {}
    for record in read_csv(HEADS_FILE):
        kinds = frozenset(k.strip() for k in record["kinds"].split("|") if k.strip())
        suffix = record["suffix"].strip()
        heads[record["plural"].strip().lower()] = DistrictHead(suffix, kinds, True)
        heads[record["singular"].strip().lower()] = DistrictHead(suffix, kinds, False)
    return heads


def district_lists(tokens: TokenTable, gaz: Gazetteer) -> list[Listed]:
    """Every name before a district head word, with its districts as the only candidates.

    A plural head takes the list of names before it ("Navarro, Henderson and Ellis
    counties"); a lower-case singular head takes the one name before it, head included
    ("Grant county"), as the capitalised form ("Grant County") is read as one name anyway.
    """
    heads = district_heads()
    found: list[Listed] = []
    for position, word in enumerate(tokens.lower):
        head = heads.get(word)
        if head is None or position == 0:
            continue
        if head.plural:
            found.extend(_list_before(tokens, position, head, gaz))
        elif tokens.text[position].islower():
            item = _named_district(tokens, position, head, gaz, bare=False)
            if item is not None and not _names_its_region(tokens, item, gaz):
                found.append((item[0], position + 1, item[2]))
    return found


def _list_before(
    tokens: TokenTable, head_at: int, head: DistrictHead, gaz: Gazetteer
) -> list[Listed]:
    """The names of the list ending right before the head word, nearest first."""
    items: list[Listed] = []
    end = head_at
    while end > 0:
        item = _named_district(tokens, end, head, gaz, bare=True)
        if item is None:
            break
        items.append(item)
        if item[0] > _name_run_start(tokens, end):
            break  # words before the district's name are not a list name ("Minnesota's Clay")
        i = item[0] - 1
        while i >= 0 and tokens.lower[i] in LIST_SEPARATORS:
            i -= 1
        if i == item[0] - 1:
            break
        end = i + 1
    # "Texas counties", "Iowa and Nebraska counties": state names used as adjectives
    if all(_names_its_region(tokens, item, gaz) for item in items):
        return []
    return items


def _name_run_start(tokens: TokenTable, end: int) -> int:
    """First token of the run of name words ending before `end`."""
    start = end
    while start > 0 and (
        (tokens.capitalised(start - 1) and tokens.is_alpha[start - 1])
        or tokens.lower[start - 1] in NAME_CONNECTORS
    ):
        start -= 1
    return start


def _named_district(
    tokens: TokenTable, end: int, head: DistrictHead, gaz: Gazetteer, bare: bool
) -> Listed | None:
    """The longest capitalised name ending before `end` that names a district of the head's
    kinds: "<Name> County", and (with `bare`) districts of the name alone ("Kent", "Idlib")."""
    if not _ends_a_name(tokens, end):
        return None
    for start in range(_name_run_start(tokens, end), end):
        if not tokens.capitalised(start) or not tokens.is_alpha[start] or tokens.is_stop[start]:
            continue  # "The counties", "Both districts"
        name = tokens.span_text(start, end)
        candidates = [c for c in gaz.candidates(f"{name} {head.suffix}") if c.kind in head.kinds]
        if bare and not gaz.is_common_word(name):
            # "Kent and Essex counties": the English counties go by the bare name; which of
            # the namesakes is meant is the candidate choice's to say
            candidates += [c for c in gaz.candidates(name) if c.kind in head.kinds]
        if candidates:
            return start, end, candidates
    return None


def _ends_a_name(tokens: TokenTable, end: int) -> bool:
    """A capitalised word, or one with a possessive ("Prince George's"), ends before `end`."""
    last = end - 1
    if last > 0 and tokens.lower[last] in ("'s", "’s"):
        last -= 1
    return tokens.capitalised(last) and tokens.is_alpha[last]


def _names_its_region(tokens: TokenTable, item: Listed, gaz: Gazetteer) -> bool:
    """Whether the name is also a first-level region of its districts' country: "Texas" in
    "Texas counties" is the state (Texas County lies in Missouri and Oklahoma)."""
    countries = {c.country for c in item[2] if c.kind == "admin2"}
    name = tokens.span_text(item[0], item[1])
    return any(c.kind == "admin1" and c.country in countries for c in gaz.candidates(name))
