"""Find place mentions in a parsed document: named entities, gazetteer names the model
missed, lists of counties (see eventline.resolve.places.lists), names repeated from
elsewhere in the document, and demonyms.

`find_place_spans` returns each mention's span with its gazetteer candidates; choosing one
candidate per mention is the job of eventline.resolve.places. The finders work on token
positions over a `TokenTable` (eventline.tokens) and build a spaCy span only for each mention kept.
"""

from __future__ import annotations

import functools

from spacy.tokens import Doc, Span

from eventline.data_files import read_csv, word_list, word_set
from eventline.model import Place
from eventline.resolve.places.evidence import (
    PERSON_TITLES,
    PLACE_LABELS,
    evidenced_candidates,
    inside_longer_name,
    is_demonym_word,
    is_distinctive,
)
from eventline.resolve.places.gazetteer import PLACES_DIR, GazEntry, Gazetteer, normalize_name
from eventline.resolve.places.lists import district_lists
from eventline.resolve.places.relations import PHRASES
from eventline.tokens import TokenTable, token_table

MAX_NGRAM = 6
DEMONYM_PREFIX = "demonym:"
# prepositions after which a lone name inside an organisation or person entity is a place
ORG_PLACE_PREPS = word_set(PHRASES, "org_place_preps")
# words a town's name takes in local usage ("Dublin City Council", "Hamilton Township")
TOWN_SUFFIXES = word_list(PHRASES, "town_suffixes")

# a mention found by a finder: first token, end token, candidates
Found = tuple[int, int, list[GazEntry]]
INSTITUTION_WORDS_FILE = PLACES_DIR / "institution_words.csv"
# a town must have this many people to be taken from inside an organisation's name
ORG_TOWN_MIN_POPULATION = 1000
MAX_INSTITUTION_MODIFIERS = 3


@functools.cache
def institution_words() -> dict[str, str]:
    """Lower-case word -> its role after a place's name in an organisation's name: "head"
    ("Police"), "modifier" ("Municipal" in "Municipal Court") or "after_modifier" (a head
    only after a modifier: "Court", since "Elkview Court" is a street)."""
    rows = read_csv(INSTITUTION_WORDS_FILE)
    return {row["word"].strip().lower(): row["role"].strip() for row in rows}


def is_demonym_place(place: Place) -> bool:
    """Whether a mention names a people ("Syrian", "Texans"), resolved to its country or region."""
    return (place.geonameid or "").startswith(DEMONYM_PREFIX)


def _trim(tokens: TokenTable, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the' and a trailing possessive: "the West Bank's" -> "West Bank"."""
    while start < end and tokens.lower[start] in ("the", "a"):
        start += 1
    while end > start and tokens.lower[end - 1] in ("'s", "’s", "'", "’"):
        end -= 1
    return start, end


def _demonym_mentions(tokens: TokenTable, gaz: Gazetteer) -> list[tuple[int, int, GazEntry]]:
    """'Syrian', 'Sri Lankan', 'Palestinians': the longest capitalised run naming a people.

    Gazetteers and geoparsing corpora resolve them to the country or region; they are
    kept apart from place names so that the event's place never comes from one.
    """
    found = []
    text = tokens.text
    size = len(tokens)
    i = 0
    while i < size:
        if not text[i][:1].isupper() or not gaz.may_open_demonym(text[i]):
            i += 1
            continue
        for n in range(min(3, size - i), 0, -1):
            if not text[i + n - 1][:1].isalpha():
                continue
            entry = gaz.demonym(tokens.span_text(i, i + n))
            if entry is not None:
                # "British Columbia", "Indian Ocean": a place, not a people; its words are
                # not tried again ("Saharan" inside "Sub-Saharan Africa")
                if not _opens_place_name(tokens, i, gaz, longer_than=n):
                    found.append((i, i + n, entry))
                i += n
                break
        else:
            i += 1
    return found


def _opens_place_name(tokens: TokenTable, i: int, gaz: Gazetteer, longer_than: int = 1) -> bool:
    """Whether capitalised words from token i on form a gazetteer name longer than the
    demonym found there: "British Columbia" after "British", but not "South East" (a
    Botswana district) inside "South East Asian"."""
    for n in range(longer_than + 1, longer_than + 3):
        if i + n > len(tokens) or not tokens.capitalised(i + n - 1):
            return False
        if gaz.has_name(tokens.span_text(i, i + n)):
            return True
    return False


def _entity_mentions(tokens: TokenTable, gaz: Gazetteer) -> list[Found]:
    found: list[Found] = []
    for ent_start, ent_end, label in tokens.ents:
        if label not in PLACE_LABELS and label != "ORG":
            continue
        start, end = _trim(tokens, ent_start, ent_end)
        if end <= start or is_demonym_word(tokens, start, end):
            continue
        text = tokens.span_text(start, end)
        if "," in text:
            # spaCy sometimes joins "Paris, Texas" into one entity: take its parts
            found.extend(_comma_parts(tokens, start, end, gaz))
            continue
        candidates = gaz.candidates(text)
        if label == "ORG":
            # organisations are places only when they are bases or sites ("Al Asad Air Base")
            candidates = [c for c in candidates if c.kind in ("airbase", "site", "airport")]
        if candidates:
            found.append((start, end, candidates))
    return found


def _comma_parts(tokens: TokenTable, start: int, end: int, gaz: Gazetteer) -> list[Found]:
    parts, first = [], start
    for i in range(start, end):
        if tokens.text[i] == ",":
            parts.append((first, i))
            first = i + 1
    parts.append((first, end))
    found = []
    for a, b in parts:
        text = tokens.span_text(a, b)
        if b > a and gaz.has_name(text):
            found.append((a, b, gaz.candidates(text)))
    return found


def _gap_mentions(tokens: TokenTable, gaz: Gazetteer, taken: set[int]) -> list[Found]:
    """Gazetteer names spaCy did not tag, taken only with evidence that they are places
    (see eventline.resolve.places.evidence)."""
    found: list[Found] = []
    text, lower = tokens.text, tokens.lower
    size = len(tokens)
    # tokens a multi-word name may hold: capitalised words, punctuation, "of", "de"
    name_like = [
        (text[i][:1].isupper() or tokens.is_punct[i] or lower[i] in ("of", "de")) and i not in taken
        for i in range(size)
    ]
    i = 0
    while i < size:
        if i in taken or not text[i][:1].isupper():
            i += 1
            continue
        run = 1
        while run < MAX_NGRAM and i + run < size and name_like[i + run]:
            run += 1
        for n in range(run, 0, -1):
            if not text[i + n - 1][:1].isalnum():
                continue
            if not gaz.has_name(tokens.span_text(i, i + n)):
                continue  # a cheap lookup before the evidence rules
            candidates = evidenced_candidates(tokens, i, i + n, gaz)
            if candidates:
                found.append((i, i + n, candidates))
                i += n
                break
        else:
            i += 1
    return found


def _regions_after_towns(
    tokens: TokenTable, found: list[Found], gaz: Gazetteer, taken: set[int]
) -> list[Found]:
    """'Gatineau, Que.', 'EDMONTON, Ky': the state or country after a town and a comma.

    The model often leaves such abbreviations untagged or reads them as a person; placed
    right after a town they can only be its region.
    """
    extra: list[Found] = []
    size = len(tokens)
    for _, end, candidates in found:
        first = end + 1
        if (
            first >= size
            or tokens.text[end] != ","
            or first in taken
            or not tokens.capitalised(first)
        ):
            continue
        if not any(c.kind in ("city", "capital", "admin2") for c in candidates):
            continue
        for n in (3, 2, 1):
            last = first + n
            if last > size or any(i in taken for i in range(first, last)):
                continue
            if not _ends_a_name(tokens, last):
                continue  # "Que.," and "Ky (" normalise like "Que." and "Ky"
            regions = [
                c
                for c in gaz.candidates(tokens.span_text(first, last))
                if c.kind in ("admin1", "country")
            ]
            if regions:
                extra.append((first, last, regions))
                taken.update(range(first, last))
                break
    return extra


def _ends_a_name(tokens: TokenTable, end: int) -> bool:
    """Whether a name may end before `end`: on a word, or on the dot of an abbreviation."""
    last = tokens.text[end - 1]
    if last[:1].isalnum():
        return True
    return last == "." and tokens.text_with_ws[end - 2] == tokens.text[end - 2]


def _org_mentions(tokens: TokenTable, gaz: Gazetteer, taken: set[int]) -> list[Found]:
    """Regions named inside organisation names ("Ohio State Highway Patrol", "Dublin Police").

    A small model often tags a lone place name as ORG or PERSON; a country, state or
    county name, a town named right after a locative preposition, or a town or county
    opening the name of its own institution ("Concord Police", "Bantam Superior Court";
    eventline/data/places/institution_words.csv) is taken as a place.
    """
    found: list[Found] = []
    for ent_start, ent_end, label in tokens.ents:
        if label not in ("ORG", "PERSON") and label not in PLACE_LABELS:
            continue
        start, end = _trim(tokens, ent_start, ent_end)
        # a place entity the gazetteer did not know as a whole ("Wyandotte County District
        # Court"): only a town's own institution gives its name
        institution_only = label in PLACE_LABELS
        after_prep = start > 0 and tokens.lower[start - 1] in ORG_PLACE_PREPS
        for n in range(min(MAX_NGRAM, end - start), 0, -1):
            if any(i in taken for i in range(start, start + n)):
                continue
            text = tokens.span_text(start, start + n)
            if gaz.is_common_word(text):
                continue  # "East Bank Middle School", "Central Activities Center"
            candidates = gaz.candidates(text)
            regional = [
                c
                for c in candidates
                if c.kind in ("country", "region")
                or (c.kind in ("admin1", "admin2") and is_distinctive(c))
            ]
            towns = [
                c
                for c in candidates
                if c.kind in ("city", "capital") and c.population >= ORG_TOWN_MIN_POPULATION
            ]
            if not (regional or towns):
                continue
            # the institution's words may lie outside the entity: "[McMinn County] Sheriff"
            limit = len(tokens) if start + n == end else end
            if (
                # "Paris Police": the region names the mention, but the towns of that name
                # stay candidates, or a Paris district would beat Paris, Illinois; a longer
                # town name wins over the region it starts with ("Kansas City Police")
                (not institution_only and label == "ORG" and (regional or n > 1))
                or (not institution_only and n == end - start and after_prep)
                # "Concord Police", "Hamilton Municipal Court", "McMinn County Sheriff": the
                # town's or county's own body, whatever the model read the whole name as
                or (
                    all(tokens.capitalised(i) for i in range(start, start + n))
                    and _institution_follows(tokens, start, start + n, limit)
                )
            ):
                found.append((start, start + n, regional + towns))
                break
    return found


def _institution_follows(tokens: TokenTable, start: int, after: int, end: int) -> bool:
    """Whether the entity goes on, after a place's name, with the words of its institution:
    a head ("Police"), or modifiers and then a head ("Municipal Court", "Volunteer Fire")."""
    roles = institution_words()
    # a name of two words or more that ends in one counts it: "Allegheny County Court"
    named = 1 if after - start >= 2 and roles.get(tokens.lower[after - 1]) == "modifier" else 0
    for modifiers, i in enumerate(range(after, min(end, after + MAX_INSTITUTION_MODIFIERS + 1))):
        role = roles.get(tokens.lower[i])
        if role == "head" or (role == "after_modifier" and modifiers + named):
            return True
        if role != "modifier":
            return False
    return False


def _propagate(tokens: TokenTable, found: list[Found], taken: set[int]) -> list[Found]:
    """A name recognised as a place once is a place wherever else the document repeats it."""
    known = {tokens.span_text(start, end): candidates for start, end, candidates in found}
    # a name the document also uses as a person's surname ("Andy Trapani") is that person
    # where it stands alone
    surnames = {
        tokens.text[end - 1]
        for start, end, label in tokens.ents
        if label == "PERSON"
        and end - start in (2, 3)
        and all(tokens.is_alpha[i] and tokens.capitalised(i) for i in range(start, end))
    }
    extra: list[Found] = []
    # only tokens that open a known name need looking at
    longest: dict[str, int] = {}
    for start, end, _ in found:
        first = tokens.text[start]
        longest[first] = max(longest.get(first, 0), end - start)
    size = len(tokens)
    for i, word in enumerate(tokens.text):
        if word not in longest or i in taken:
            continue
        for n in range(min(MAX_NGRAM, longest[word]), 0, -1):
            end = i + n
            if end > size:
                continue
            text = tokens.span_text(i, end)
            if text not in known or any(j in taken for j in range(i, end)):
                continue
            if n == 1 and text in surnames:
                break
            if inside_longer_name(tokens, i, end, left_word=False):
                break
            if i > 0 and tokens.lower[i - 1].rstrip(".") in PERSON_TITLES:
                break
            extra.append((i, end, known[text]))
            taken.update(range(i, end))
            break
    return extra


def _towns_without_suffix(key: str, candidates: list[GazEntry], gaz: Gazetteer) -> list[GazEntry]:
    """'Springfield City', 'Hamilton Township': the towns of the bare name are candidates too.

    Only when no candidate carries the whole name as its own: "Mexico City" and "Kansas
    City" are places of their own, "Dublin City" is Dublin's alternate name and also says
    "the city of Dublin" (Ohio, California ...).
    """
    stem, _, suffix = key.rpartition(" ")
    if not stem or suffix not in TOWN_SUFFIXES:
        return []
    if any(normalize_name(c.name) == key for c in candidates):
        return []
    return [c for c in gaz.candidates(stem) if c.kind in ("city", "capital", "admin2")]


def _positions(found: list[Found]) -> set[int]:
    return {i for start, end, _ in found for i in range(start, end)}


def find_place_spans(doc: Doc, gaz: Gazetteer) -> list[tuple[Span, list[GazEntry], bool]]:
    """Every place mention as (span, candidates, is_demonym), in document order."""
    tokens = token_table(doc)
    # a name before "counties" is the county whatever the model tagged it as
    listed = district_lists(tokens, gaz)
    listed_spans = {(start, end) for start, end, _ in listed}
    listed_tokens = _positions(listed)
    demonyms = [
        item
        for item in _demonym_mentions(tokens, gaz)
        if not any(i in listed_tokens for i in range(item[0], item[1]))
    ]
    demonym_tokens = {i for start, end, _ in demonyms for i in range(start, end)}
    found = listed + [
        item
        for item in _entity_mentions(tokens, gaz)
        if not any(i in demonym_tokens or i in listed_tokens for i in range(item[0], item[1]))
    ]
    # each finder leaves alone the tokens that the earlier ones took
    for finder in (_org_mentions, _gap_mentions):
        found += finder(tokens, gaz, _positions(found) | demonym_tokens)
    found += _propagate(tokens, found, _positions(found) | demonym_tokens)
    found += _regions_after_towns(tokens, found, gaz, _positions(found) | demonym_tokens)
    # one name, one candidate list: "Paris Police" and "in Paris" are the same Paris; a name
    # in a list of counties keeps its counties apart from the towns the name says elsewhere
    by_key: dict[tuple[str, bool], dict[str, GazEntry]] = {}
    keys = []
    for start, end, candidates in found:
        key = normalize_name(tokens.span_text(start, end))
        keys.append((key, (start, end) in listed_spans))
        merged = by_key.setdefault(keys[-1], {})
        merged.update((c.id, c) for c in candidates)
        merged.update((c.id, c) for c in _towns_without_suffix(key, candidates, gaz))
        if any(c.kind in ("city", "capital") for c in candidates):
            # population floors decide whether a name is a place at all; once it is, every
            # town of that name competes ("Churchill, Man." has 899 people)
            merged.update((c.id, c) for c in gaz.candidates(key) if c.kind in ("city", "capital"))
    spans = [
        (doc[start:end], list(by_key[key].values()), False)
        for (start, end, _), key in zip(found, keys, strict=True)
    ]
    spans += [(doc[start:end], [entry], True) for start, end, entry in demonyms]
    spans.sort(key=lambda item: item[0].start)
    return spans
