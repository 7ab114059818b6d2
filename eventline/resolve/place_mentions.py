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
# a district name is distinctive when it carries its type word ("Henry County"); bare
# district names ("Grant", "Young", "Time") are as often words or surnames as places
DISTRICT_TYPE_WORDS = {
    "county", "parish", "district", "borough", "municipality", "province", "prefecture",
    "region", "department", "governorate", "oblast", "raion", "rayon", "shire",
}  # fmt: skip
MIN_TOWNS_OF_BARE_DISTRICT = 50
MIN_TOWNS_OF_REGION = 3
# capitalised words that may stand before a place name without being part of it
NAME_MODIFIERS = {
    "greater", "downtown", "upstate", "central", "metro", "metropolitan", "suburban", "rural",
    "far", "historic",
}  # fmt: skip
# what may follow a hyphen after a town name: "Athens-based", "Texas-born"
HYPHEN_PLACE_WORDS = {"based", "born", "bred", "raised", "area", "headquartered", "bound"}

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


def is_distinctive(entry: GazEntry) -> bool:
    """Whether a gazetteer-only match of this entry needs no further evidence of a place.

    Regions count their towns as population: a bare district name with few towns ("Grant",
    "Young") or a first-level region of one town ("Flores") is more often a word or a surname.
    """
    if entry.kind == "admin2":
        typed = entry.name.rsplit(" ", 1)[-1].casefold() in DISTRICT_TYPE_WORDS
        return typed or entry.population >= MIN_TOWNS_OF_BARE_DISTRICT
    if entry.kind == "admin1":
        return entry.population >= MIN_TOWNS_OF_REGION
    if entry.kind in GAP_FILL_KINDS:
        return True
    return entry.kind in ("city", "capital") and entry.population >= GAP_FILL_MIN_POPULATION


def _inside_longer_name(span: Span, left_word: bool = True) -> bool:
    """'Grove' in "Meadow Grove", 'Bank' in "East Bank Middle School": part of a longer name.

    Modifiers before the name ("North Texas", "Greater Cairo") do not count. True when the
    span lies inside a longer place or person entity that starts before it, or (with
    `left_word`) when a capitalised word that is not a function word runs into it.
    """
    doc = span.doc
    first = span.start
    while first > 0 and _is_name_modifier(doc[first - 1].lower_):
        first -= 1
    for token in span:
        label = token.ent_type_
        if not (label in PLACE_LABELS or label == "PERSON"):
            continue
        ent_start = token.i
        while ent_start > 0 and doc[ent_start].ent_iob_ == "I":
            ent_start -= 1
        while ent_start < first and doc[ent_start].lower_ in ("the", "a"):
            ent_start += 1
        head = doc[ent_start:first]
        if ent_start < first and not any(
            t.lower_ in ("of", ",", "and", "-", "–", "—") for t in head
        ):
            return True
        break
    if not left_word or first == 0:
        return False
    before = doc[first - 1]
    return (
        before.is_alpha
        and before.text[:1].isupper()
        and not before.is_sent_start
        and not before.is_stop
    )


def _is_name_modifier(word: str) -> bool:
    return word in NAME_MODIFIERS or word in DIRECTIONS or direction_of(word) is not None


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
    tokens = list(doc)
    i = 0
    while i < len(tokens):
        if not tokens[i].text[:1].isupper() or not gaz.may_open_demonym(tokens[i].text):
            i += 1
            continue
        for n in range(min(3, len(tokens) - i), 0, -1):
            last = tokens[i + n - 1]
            if not last.text[:1].isalpha():
                continue
            text = "".join(t.text_with_ws for t in tokens[i : i + n - 1]) + last.text
            entry = gaz.demonym(text)
            if entry is not None:
                # "British Columbia", "Indian Ocean": a place, not a people
                if not _opens_place_name(tokens, i, gaz):
                    found.append((doc[i : i + n], entry))
                    i += n - 1
                i += 1
                break
        else:
            i += 1
    return found


def _opens_place_name(tokens: list, i: int, gaz: Gazetteer) -> bool:
    """Whether capitalised words from token i on form a gazetteer name of two or more words."""
    for n in range(2, 4):
        if i + n > len(tokens) or not tokens[i + n - 1].text[:1].isupper():
            return False
        text = "".join(t.text_with_ws for t in tokens[i : i + n - 1]) + tokens[i + n - 1].text
        if gaz.has_name(text):
            return True
    return False


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
    "around", "via", "through", "throughout", "between", "of", "over", "inside", "beyond",
    "within", "along",
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
    tokens = list(doc)
    texts = [t.text for t in tokens]
    # tokens a multi-word name may hold: capitalised words, punctuation, "of", "de"
    name_like = [
        (tx[:1].isupper() or t.is_punct or t.lower_ in ("of", "de")) and t.i not in taken
        for t, tx in zip(tokens, texts, strict=True)
    ]
    i = 0
    while i < len(tokens):
        if i in taken or not texts[i][:1].isupper():
            i += 1
            continue
        run = 1
        while run < MAX_NGRAM and i + run < len(tokens) and name_like[i + run]:
            run += 1
        for n in range(run, 0, -1):
            if not texts[i + n - 1][:1].isalnum():
                continue
            text = "".join(t.text_with_ws for t in tokens[i : i + n - 1]) + texts[i + n - 1]
            if not gaz.has_name(text):
                continue  # a cheap lookup before any span is built
            span = doc[i : i + n]
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
    if _inside_longer_name(span, left_word=False):
        return []
    if _after_party_letter(span):
        # "Sen. Tom Bakk, DFL-Cook", "Delegate Harold Michael, D-Hardy": a legislator's home
        # town or county; the county of that name is a candidate too
        counties = [c for c in gaz.candidates(span.text + " County") if c.kind == "admin2"]
        return [c for c in candidates if c.kind != "admin2" or is_distinctive(c)] + counties
    strong = [c for c in candidates if is_distinctive(c)]
    single_common = len(span) == 1 and (span[0].is_sent_start or span[0].pos_ != "PROPN")
    if strong and not single_common and span[0].ent_type_ not in NON_PLACE_LABELS:
        return strong
    towns = [
        c
        for c in candidates
        if c.kind in GAP_FILL_KINDS
        or (c.kind in ("city", "capital") and c.population >= GAP_TOWN_MIN_POPULATION)
    ]
    if not towns or _inside_longer_name(span):
        # a town name is common enough to be the tail of another name ("Meadow Grove")
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
    if after is not None and (after.lower_ in PLACE_NOUNS_AFTER or _hyphen_place_word(after)):
        return towns
    if after is not None and after.text == "," and _region_follows(doc, span.end + 1, gaz):
        return towns
    if _is_dateline(span):
        return towns
    return []


# party letters before a legislator's home place in US news ("R-Marshall", "DFL-Cook")
PARTY_LETTERS = {"D", "R", "I", "DFL"}


def _after_party_letter(span: Span) -> bool:
    doc = span.doc
    if span.start < 2:
        return False
    dash, party = doc[span.start - 1], doc[span.start - 2]
    return (
        dash.text in ("-", "–")
        and not dash.whitespace_
        and not party.whitespace_
        and party.text in PARTY_LETTERS
    )


def _hyphen_place_word(token) -> bool:
    """'Athens-based': a hyphen and a word that follows place names (not "Wal-Mart")."""
    doc = token.doc
    if token.text == "-" and token.i + 1 < len(doc):
        return doc[token.i + 1].lower_ in HYPHEN_PLACE_WORDS
    return token.text.startswith("-") and token.text[1:].lower() in HYPHEN_PLACE_WORDS


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
            if gaz.is_common_word(head.text):
                continue  # "East Bank Middle School", "Central Activities Center"
            candidates = gaz.candidates(head.text)
            regional = [
                c
                for c in candidates
                if c.kind in ("country", "region")
                or (c.kind in ("admin1", "admin2") and is_distinctive(c))
            ]
            towns = [
                c for c in candidates if c.kind in ("city", "capital") and c.population >= 1000
            ]
            if ent.label_ == "ORG" and (regional or (n > 1 and towns)):
                # "Paris Police": the region names the mention, but the towns of that name
                # stay candidates, or a Paris district would beat Paris, Illinois; a longer
                # town name wins over the region it starts with ("Kansas City Police")
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
    # a name the document also uses as a person's surname ("Andy Trapani") is that person
    # where it stands alone
    surnames = {
        ent[-1].text
        for ent in doc.ents
        if ent.label_ == "PERSON"
        and len(ent) in (2, 3)
        and all(t.is_alpha and t.text[:1].isupper() for t in ent)
    }
    extra = []
    # only tokens that open a known name need looking at
    longest: dict[str, int] = {}
    for span, _ in found:
        longest[span[0].text] = max(longest.get(span[0].text, 0), len(span))
    for token in doc:
        if token.text not in longest or token.i in taken:
            continue
        for n in range(min(MAX_NGRAM, longest[token.text]), 0, -1):
            span = doc[token.i : token.i + n]
            if len(span) != n or span.text not in known or any(t.i in taken for t in span):
                continue
            if n == 1 and span.text in surnames:
                break
            if _inside_longer_name(span, left_word=False):
                break
            before = doc[span.start - 1] if span.start else None
            if before is not None and before.lower_.rstrip(".") in PERSON_TITLES:
                break
            extra.append((span, known[span.text]))
            taken.update(t.i for t in span)
            break
    return extra


# words a town's name takes in local usage ("Dublin City Council", "Hamilton Township")
TOWN_SUFFIXES = ("city", "township", "twp", "town", "village", "borough")


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
        key = normalize_name(span.text)
        merged = by_key.setdefault(key, {})
        merged.update((c.id, c) for c in candidates)
        merged.update((c.id, c) for c in _towns_without_suffix(key, candidates, gaz))
        if any(c.kind in ("city", "capital") for c in candidates):
            # population floors decide whether a name is a place at all; once it is, every
            # town of that name competes ("Churchill, Man." has 899 people)
            merged.update((c.id, c) for c in gaz.candidates(key) if c.kind in ("city", "capital"))
    found = [(span, list(by_key[normalize_name(span.text)].values()), False) for span, _ in spans]
    found += [(span, [entry], True) for span, entry in demonyms]
    found.sort(key=lambda item: item[0].start)
    return found
