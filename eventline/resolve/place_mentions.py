"""Find place mentions in a parsed document: named entities, gazetteer names the model
missed, demonyms, and the relative phrases around them ("20 km south of", "eastern").

`find_place_spans` returns each mention's span with its gazetteer candidates; choosing one
candidate per mention is the job of eventline.resolve.places.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from eventline.model import Place
from eventline.resolve.gazetteer import GazEntry, Gazetteer, normalize_name

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# entity labels whose words are not places even when a gazetteer knows them ("Jackson", "Iraqi")
NON_PLACE_LABELS = {"PERSON", "NORP", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT"}
# kinds that gazetteer-only matches may add: distinctive names, unlike small towns that
# share names with people and things
GAP_FILL_KINDS = {"site", "airbase", "region", "sea", "river", "country", "admin1", "admin2"}
GAP_FILL_MIN_POPULATION = 100_000
MAX_NGRAM = 6

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


# -- finding mentions --------------------------------------------------------------------
def _trim(span: Span) -> Span:
    """Drop a leading 'the' and a trailing possessive: "the West Bank's" -> "West Bank"."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in ("the", "a"):
        start += 1
    while end > start and doc[end - 1].lower_ in ("'s", "’s", "'", "’"):
        end -= 1
    return doc[start:end]


def _is_demonym(span: Span) -> bool:
    """'Iraqi', 'American': adjectives of a people, not places."""
    if len(span) != 1:
        return False
    token = span[0]
    return token.pos_ == "ADJ" or (token.ent_type_ == "NORP")


DEMONYM_PREFIX = "demonym:"


def is_demonym_place(place: Place) -> bool:
    """Whether a mention names a people ("Syrian", "Texans"), resolved to its country or region."""
    return (place.geonameid or "").startswith(DEMONYM_PREFIX)


def _demonym_mentions(doc: Doc, gaz: Gazetteer) -> list[tuple[Span, GazEntry]]:
    """'Syrian', 'Sri Lankan', 'Palestinians': the longest capitalised run naming a people.

    Gazetteers and geoparsing corpora resolve them to the country or region; they are
    kept apart from place names so that the event's place never comes from one.
    """
    found = []
    i = 0
    while i < len(doc):
        if not doc[i].text[:1].isupper():
            i += 1
            continue
        for n in range(min(3, len(doc) - i), 0, -1):
            span = doc[i : i + n]
            if not span[-1].text[:1].isalpha():
                continue
            entry = gaz.demonym(span.text)
            if entry is not None:
                found.append((span, entry))
                i += n
                break
        else:
            i += 1
    return found


def _entity_mentions(doc: Doc, gaz: Gazetteer) -> list[tuple[Span, list[GazEntry]]]:
    found = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS and ent.label_ != "ORG":
            continue
        span = _trim(ent)
        if not len(span) or _is_demonym(span):
            continue
        if "," in span.text:
            # spaCy sometimes joins "Paris, Texas" into one entity: take its parts
            found.extend(_comma_parts(span, gaz))
            continue
        candidates = gaz.candidates(span.text)
        if ent.label_ == "ORG":
            # organisations are places only when they are bases or sites ("Al Asad Air Base")
            candidates = [c for c in candidates if c.kind in ("airbase", "site", "airport")]
        if candidates:
            found.append((span, candidates))
    return found


def _comma_parts(span: Span, gaz: Gazetteer) -> list[tuple[Span, list[GazEntry]]]:
    parts, start = [], span.start
    for token in span:
        if token.text == ",":
            parts.append(span.doc[start : token.i])
            start = token.i + 1
    parts.append(span.doc[start : span.end])
    return [(p, gaz.candidates(p.text)) for p in parts if len(p) and gaz.has_name(p.text)]


# words around a town name that say it is a place: "in Canaan", "Athens Police", "a Paris man"
LOCATIVE_BEFORE = {
    "in", "at", "near", "from", "to", "outside", "into", "toward", "towards", "across",
    "around", "via", "through", "throughout", "between", "of",
}  # fmt: skip
PLACE_NOUNS_AFTER = {
    "police", "city", "county", "school", "schools", "hospital", "high", "council", "fire",
    "library", "township", "mayor", "resident", "residents", "native", "man", "woman",
    "couple", "teen", "boy", "girl", "area", "officials", "village", "town", "-based",
}  # fmt: skip
STREET_WORDS = {
    "street", "st", "road", "rd", "avenue", "ave", "drive", "dr", "boulevard", "blvd", "lane",
    "ln", "way", "court", "ct", "highway", "hwy", "parkway", "pkwy", "place", "pl", "circle",
    "terrace", "trail", "pike", "square",
}  # fmt: skip
PERSON_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sen", "rep", "gov", "sgt", "lt", "capt", "gen", "officer",
    "judge", "president", "coach", "deputy", "detective", "sheriff", "chief", "pastor", "rev",
}  # fmt: skip
# words after a name that a person's name does not take: "an Alexandria woman"
PLACE_ONLY_NOUNS_AFTER = {
    "man", "woman", "resident", "residents", "native", "couple", "teen", "police", "-based",
    "county", "township", "city",
}  # fmt: skip
DATELINE_MARKS = {"-", "--", "—", "–", "(", ":"}
GAP_TOWN_MIN_POPULATION = 500


def _gap_mentions(doc: Doc, gaz: Gazetteer, taken: set[int]) -> list[tuple[Span, list[GazEntry]]]:
    """Gazetteer names spaCy did not tag, taken only with evidence that they are places.

    Distinctive entries (countries, regions, districts, big cities) need none; a town name
    needs a locative preposition before it, a place noun after it ("Athens Police", "a
    Paris man"), a ", State" after it, or a dateline position ("HARTFORD —").
    """
    found = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if i in taken or not token.text[:1].isupper():
            i += 1
            continue
        for n in range(min(MAX_NGRAM, len(doc) - i), 0, -1):
            span = doc[i : i + n]
            if any(t.i in taken for t in span) or not span[-1].text[:1].isalnum():
                continue
            if not all(
                t.text[:1].isupper() or t.is_punct or t.lower_ in ("of", "de") for t in span
            ):
                continue
            candidates = _evidenced_candidates(span, gaz)
            if candidates:
                found.append((span, candidates))
                i += n
                break
        else:
            i += 1
    return found


def _evidenced_candidates(span: Span, gaz: Gazetteer) -> list[GazEntry]:
    key = normalize_name(span.text)
    if len(key) < 3 and "." not in span.text:
        return []
    candidates = gaz.candidates(span.text)
    if not candidates or _is_demonym(span) or _inside_person(span) or gaz.is_common_word(key):
        return []
    if any(t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL") for t in span):
        return []
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if _names_a_street(span):
        return []  # "Lone Oak Road", "Dublin Road"
    if before is not None and before.lower_.rstrip(".") in PERSON_TITLES:
        return []
    strong = [
        c
        for c in candidates
        if c.kind in GAP_FILL_KINDS
        or (c.kind in ("city", "capital") and c.population >= GAP_FILL_MIN_POPULATION)
    ]
    single_common = len(span) == 1 and (span[0].is_sent_start or span[0].pos_ != "PROPN")
    if strong and not single_common and span[0].ent_type_ not in NON_PLACE_LABELS:
        return strong
    towns = [
        c
        for c in candidates
        if c.kind in GAP_FILL_KINDS
        or (c.kind in ("city", "capital") and c.population >= GAP_TOWN_MIN_POPULATION)
    ]
    if not towns:
        return []
    if span[0].ent_type_ == "PERSON":
        # the model read it as a person: only a ", State", a dateline, a street address
        # before it or a word that only places take ("an Alexandria woman") outweighs that
        return (
            towns
            if _is_dateline(span)
            or _after_street_address(span)
            or (after is not None and after.lower_ in PLACE_ONLY_NOUNS_AFTER)
            or (after is not None and after.text == "," and _region_follows(doc, span.end + 1, gaz))
            else []
        )
    if _after_street_address(span):
        return towns
    followed_by_capital = after is not None and after.text[:1].isupper()
    if before is not None and before.lower_ in LOCATIVE_BEFORE and not followed_by_capital:
        return towns
    if after is not None and (after.lower_ in PLACE_NOUNS_AFTER or after.text.startswith("-")):
        return towns
    if after is not None and after.text == "," and _region_follows(doc, span.end + 1, gaz):
        return towns
    if _is_dateline(span):
        return towns
    return []


def _after_street_address(span: Span) -> bool:
    """'of 1935 Orchard St., Alexandria,': a town right after a street address and a comma."""
    doc = span.doc
    if span.start < 3 or doc[span.start - 1].text != ",":
        return False
    window = doc[max(0, span.start - 5) : span.start - 1]
    has_number = any(t.like_num for t in window)
    street = doc[span.start - 2].lower_.rstrip(".") in STREET_WORDS or (
        doc[span.start - 2].text == "." and doc[span.start - 3].lower_ in STREET_WORDS
    )
    return has_number and street


def _county_lists(doc: Doc, gaz: Gazetteer, taken: set[int]) -> list[tuple[Span, list[GazEntry]]]:
    """'Harvey, Harper and Kingman counties': each name in the list is a county."""
    found = []
    for token in doc:
        if token.lower_ not in ("counties", "parishes"):
            continue
        suffix = " County" if token.lower_ == "counties" else " Parish"
        i = token.i - 1
        while i >= 0:
            word = doc[i]
            if word.text[:1].isupper() and i not in taken:
                candidates = [c for c in gaz.candidates(word.text + suffix) if c.kind == "admin2"]
                if not candidates:
                    break
                found.append((doc[i : i + 1], candidates))
                i -= 1
            elif word.text == "," or word.lower_ in ("and", "or"):
                i -= 1
            else:
                break
    return found


def _names_a_street(span: Span) -> bool:
    """Whether the capitalised run the span starts ends in a street word ("Lone Oak Road")."""
    doc = span.doc
    for token in doc[span.end : span.end + 3]:
        if token.lower_.rstrip(".") in STREET_WORDS:
            return True
        if not token.text[:1].isupper() or token.is_sent_start:
            return False
    return False


def _inside_person(span: Span) -> bool:
    """'Brown' in "John Brown": a name that is part of a longer person's name."""
    for token in span:
        if token.ent_type_ == "PERSON":
            ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
            if ent.start < span.start or ent.end > span.end:
                return True
    return False


def _region_follows(doc: Doc, start: int, gaz: Gazetteer) -> bool:
    """'Melville, Sask.', 'Springfield, Ill.': a state or country right after the comma."""
    for n in (3, 2, 1):
        if start + n > len(doc):
            continue
        words = doc[start : start + n]
        if words[0].text[:1].isupper() and any(
            c.kind in ("admin1", "country") for c in gaz.candidates(words.text)
        ):
            return True
    return False


def _is_dateline(span: Span) -> bool:
    """'HARTFORD —', 'WINONA --': an upper-case town opening a line, then a dash."""
    doc = span.doc
    if not span.text.isupper() or span.end >= len(doc):
        return False
    opens_line = (
        span.start == 0
        or "\n" in doc[span.start - 1].text_with_ws
        or (doc[span.start - 1].text in (".", "\u00a0") and span[0].is_sent_start)
    )
    return opens_line and doc[span.end].text in DATELINE_MARKS


def _org_mentions(doc: Doc, gaz: Gazetteer, taken: set[int]) -> list[tuple[Span, list[GazEntry]]]:
    """Regions named inside organisation names ("Ohio State Highway Patrol", "Dublin Police").

    A small model often tags a lone place name as ORG or PERSON; a country, state or
    county name, or a town named right after a locative preposition, is taken as a place.
    """
    found = []
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "PERSON"):
            continue
        span = _trim(ent)
        after_prep = span.start > 0 and doc[span.start - 1].lower_ in (
            "in",
            "at",
            "near",
            "of",
            "from",
            "to",
        )
        for n in range(min(MAX_NGRAM, len(span)), 0, -1):
            head = doc[span.start : span.start + n]
            if any(t.i in taken for t in head):
                continue
            candidates = gaz.candidates(head.text)
            regional = [
                c for c in candidates if c.kind in ("country", "admin1", "admin2", "region")
            ]
            towns = [
                c for c in candidates if c.kind in ("city", "capital") and c.population >= 1000
            ]
            if ent.label_ == "ORG" and regional:
                # "Paris Police": the region names the mention, but the towns of that name
                # stay candidates, or a Paris district would beat Paris, Illinois
                found.append((head, regional + towns))
                break
            if n == len(span) and after_prep and (regional or towns):
                found.append((head, regional + towns))
                break
    return found


def _propagate(
    doc: Doc, found: list[tuple[Span, list[GazEntry]]], taken: set[int]
) -> list[tuple[Span, list[GazEntry]]]:
    """A name recognised as a place once is a place wherever else the document repeats it."""
    known = {span.text: candidates for span, candidates in found}
    extra = []
    for token in doc:
        if token.i in taken or not token.text[:1].isupper():
            continue
        for n in range(MAX_NGRAM, 0, -1):
            span = doc[token.i : token.i + n]
            if len(span) == n and span.text in known and not any(t.i in taken for t in span):
                extra.append((span, known[span.text]))
                taken.update(t.i for t in span)
                break
    return extra


def relative_phrase(doc: Doc, span: Span) -> tuple[int, str | None]:
    """Extend a mention leftwards over "10 km south of", "near", "eastern", "outskirts of".

    Returns the new first token index and the relation found.
    """
    i = span.start
    # an adjective of direction inside or right before the name: "eastern Syria"
    if i > 0 and direction_of(doc[i - 1].lower_):
        return i - 1, "direction:" + direction_of(doc[i - 1].lower_)
    if i > 0 and doc[i - 1].lower_ in ("central", "western", "eastern", "northern", "southern"):
        return i - 1, "direction:" + (direction_of(doc[i - 1].lower_) or "central")
    if i >= 2 and doc[i - 1].lower_ == "of":
        word = doc[i - 2].lower_
        start = i - 2
        if word in OUTSKIRTS_WORDS:
            while start > 0 and doc[start - 1].lower_ in ("the", "on", "in", "at"):
                start -= 1
            return start, "near"
        if word in DIRECTIONS or word.replace("-", "") in DIRECTIONS:
            # "10 km south of", "30 miles north-west of"
            if start >= 2 and doc[start - 1].lower_ in (
                "km",
                "kilometers",
                "kilometres",
                "miles",
                "mi",
            ):
                start -= 2 if doc[start - 2].like_num else 1
            return start, "near"
    if i > 0 and doc[i - 1].lower_ in NEAR_WORDS:
        return i - 1, "near"
    if i >= 2 and doc[i - 1].lower_ == "to" and doc[i - 2].lower_ == "close":
        return i - 2, "near"
    return i, None


def direction_of(word: str) -> str | None:
    match = _DIRECTION_WORD.match(word.replace("-", "")) if word.endswith("ern") else None
    if not match or not (match.group(1) or match.group(2)):
        return None
    return (match.group(1) or "") + (match.group(2) or "")


def find_place_spans(doc: Doc, gaz: Gazetteer) -> list[tuple[Span, list[GazEntry], bool]]:
    """Every place mention as (span, candidates, is_demonym), in document order."""
    demonyms = _demonym_mentions(doc, gaz)
    demonym_tokens = {t.i for span, _ in demonyms for t in span}
    spans = [
        (span, candidates)
        for span, candidates in _entity_mentions(doc, gaz)
        if not any(t.i in demonym_tokens for t in span)
    ]
    taken = {t.i for span, _ in spans for t in span} | demonym_tokens
    spans += _org_mentions(doc, gaz, taken)
    taken = {t.i for span, _ in spans for t in span} | demonym_tokens
    spans += _county_lists(doc, gaz, taken)
    taken = {t.i for span, _ in spans for t in span} | demonym_tokens
    spans += _gap_mentions(doc, gaz, taken)
    taken = {t.i for span, _ in spans for t in span} | demonym_tokens
    spans += _propagate(doc, spans, taken)
    # one name, one candidate list: "Paris Police" and "in Paris" are the same Paris
    by_key: dict[str, dict[str, GazEntry]] = {}
    for span, candidates in spans:
        by_key.setdefault(normalize_name(span.text), {}).update((c.id, c) for c in candidates)
    found = [(span, list(by_key[normalize_name(span.text)].values()), False) for span, _ in spans]
    found += [(span, [entry], True) for span, entry in demonyms]
    found.sort(key=lambda item: item[0].start)
    return found
