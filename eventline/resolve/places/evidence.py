"""When a gazetteer name that spaCy did not tag is a place: the evidence around it.

Distinctive entries (countries, regions, districts, big cities) need none; a town name needs
a locative preposition before it, a place noun after it ("Athens Police", "a Paris man"), a
", State" after it, a street address before it, or a dateline position ("HARTFORD —"). The
rules read a `TokenTable` (eventline.tokens) by token position.
"""

from __future__ import annotations

from eventline.data_files import word_list, word_set
from eventline.resolve.places.gazetteer import GazEntry, Gazetteer, normalize_name
from eventline.resolve.places.relations import DIRECTIONS, direction_of
from eventline.tokens import TokenTable

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# entity labels whose words are not places even when a gazetteer knows them ("Jackson", "Iraqi")
NON_PLACE_LABELS = {"PERSON", "NORP", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT"}
# labels of numbers and times: a name inside one is part of a date or an amount
NUMERIC_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"}
# kinds that gazetteer-only matches may add: distinctive names, unlike small towns that
# share names with people and things
GAP_FILL_KINDS = {"site", "airbase", "region", "sea", "river", "country", "admin1", "admin2"}
GAP_FILL_MIN_POPULATION = 100_000
GAP_TOWN_MIN_POPULATION = 500
MIN_TOWNS_OF_BARE_DISTRICT = 50
MIN_TOWNS_OF_REGION = 3
# the words around a name that say whether it is a place (eventline/data/places/evidence.yaml)
_WORDS = "places/evidence.yaml"
DISTRICT_TYPE_WORDS = word_set(_WORDS, "district_type_words")
NAME_MODIFIERS = word_set(_WORDS, "name_modifiers")
HYPHEN_PLACE_WORDS = word_set(_WORDS, "hyphen_place_words")
LOCATIVE_BEFORE = word_set(_WORDS, "locative_before")
PLACE_NOUNS_AFTER = word_set(_WORDS, "place_nouns_after")
STREET_WORDS = word_set(_WORDS, "street_words")
PERSON_TITLES = word_set(_WORDS, "person_titles")
PLACE_ONLY_NOUNS_AFTER = word_set(_WORDS, "place_only_nouns_after")
DATELINE_MARKS = frozenset(word_list(_WORDS, "dateline_marks"))
PARTY_LETTERS = frozenset(word_list(_WORDS, "party_letters"))  # upper case: "R-Marshall"
LIST_JOINERS = frozenset(word_list(_WORDS, "list_joiners"))


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


def is_name_modifier(word: str) -> bool:
    return word in NAME_MODIFIERS or word in DIRECTIONS or direction_of(word) is not None


def is_demonym_word(tokens: TokenTable, start: int, end: int) -> bool:
    """'Iraqi', 'American': adjectives of a people, not places."""
    return end - start == 1 and (tokens.pos[start] == "ADJ" or tokens.ent_type[start] == "NORP")


def inside_longer_name(tokens: TokenTable, start: int, end: int, left_word: bool = True) -> bool:
    """'Grove' in "Meadow Grove", 'Bank' in "East Bank Middle School": part of a longer name.

    Modifiers before the name ("North Texas", "Greater Cairo") do not count. True when the
    span lies inside a longer place or person entity that starts before it, or (with
    `left_word`) when a capitalised word that is not a function word runs into it.
    """
    lower = tokens.lower
    first = start
    while first > 0 and is_name_modifier(lower[first - 1]):
        first -= 1
    for i in range(start, end):
        label = tokens.ent_type[i]
        if not (label in PLACE_LABELS or label == "PERSON"):
            continue
        ent_start = i
        while ent_start > 0 and tokens.ent_iob[ent_start] == "I":
            ent_start -= 1
        while ent_start < first and lower[ent_start] in ("the", "a"):
            ent_start += 1
        if ent_start < first and not any(lower[j] in LIST_JOINERS for j in range(ent_start, first)):
            return True
        break
    if not left_word or first == 0:
        return False
    before = first - 1
    return (
        tokens.is_alpha[before]
        and tokens.capitalised(before)
        and not tokens.sent_start[before]
        and not tokens.is_stop[before]
    )


def evidenced_candidates(
    tokens: TokenTable, start: int, end: int, gaz: Gazetteer
) -> list[GazEntry]:
    """The candidates of an untagged name at start..end that its context lets stand."""
    text = tokens.span_text(start, end)
    key = normalize_name(text)
    if len(key) < 3 and "." not in text:
        return []
    candidates = gaz.candidates(text)
    if candidates and _is_dateline(tokens, start, end) and not gaz.is_common_word(key):
        # "HAMILTON — The board": whatever the model read the upper-case word as, and
        # however few people the town has
        towns = [c for c in candidates if c.kind in GAP_FILL_KINDS or c.kind in ("city", "capital")]
        if towns:
            return towns
    if (
        not candidates
        or is_demonym_word(tokens, start, end)
        or _inside_person(tokens, start, end)
        or gaz.is_common_word(key)
    ):
        return []
    if any(tokens.ent_type[i] in NUMERIC_LABELS for i in range(start, end)):
        return []
    n = len(tokens)
    before = tokens.lower[start - 1] if start > 0 else None
    after = tokens.lower[end] if end < n else None
    after_text = tokens.text[end] if end < n else None
    if _names_a_street(tokens, end):
        return []  # "Lone Oak Road", "Dublin Road"
    if before is not None and before.rstrip(".") in PERSON_TITLES:
        return []
    if inside_longer_name(tokens, start, end, left_word=False):
        return []
    if _after_party_letter(tokens, start):
        # "Sen. Tom Bakk, DFL-Cook", "Delegate Harold Michael, D-Hardy": a legislator's home
        # town or county; the county of that name is a candidate too
        counties = [c for c in gaz.candidates(text + " County") if c.kind == "admin2"]
        return [c for c in candidates if c.kind != "admin2" or is_distinctive(c)] + counties
    strong = [c for c in candidates if is_distinctive(c)]
    single_common = end - start == 1 and (tokens.sent_start[start] or tokens.pos[start] != "PROPN")
    if strong and not single_common and tokens.ent_type[start] not in NON_PLACE_LABELS:
        return strong
    towns = [
        c
        for c in candidates
        if c.kind in GAP_FILL_KINDS
        or (c.kind in ("city", "capital") and c.population >= GAP_TOWN_MIN_POPULATION)
    ]
    if not towns or inside_longer_name(tokens, start, end):
        # a town name is common enough to be the tail of another name ("Meadow Grove")
        return []
    region_after = after_text == "," and _region_follows(tokens, end + 1, gaz)
    if tokens.ent_type[start] == "PERSON":
        # the model read it as a person: only a ", State", a street address before it or a
        # word that only places take ("an Alexandria woman") outweighs that (a dateline
        # was taken above)
        strong_evidence = (
            _after_street_address(tokens, start)
            or after in PLACE_ONLY_NOUNS_AFTER
            or region_after
        )
        return towns if strong_evidence else []
    if _after_street_address(tokens, start):
        return towns
    followed_by_capital = after_text is not None and after_text[:1].isupper()
    if before in LOCATIVE_BEFORE and not followed_by_capital:
        return towns
    if after is not None and (after in PLACE_NOUNS_AFTER or _hyphen_place_word(tokens, end)):
        return towns
    if region_after:
        return towns
    return []


def _after_party_letter(tokens: TokenTable, start: int) -> bool:
    if start < 2:
        return False
    dash, party = start - 1, start - 2
    return (
        tokens.text[dash] in ("-", "–")
        and tokens.text_with_ws[dash] == tokens.text[dash]
        and tokens.text_with_ws[party] == tokens.text[party]
        and tokens.text[party] in PARTY_LETTERS
    )


def _hyphen_place_word(tokens: TokenTable, i: int) -> bool:
    """'Athens-based': a hyphen and a word that follows place names (not "Wal-Mart")."""
    word = tokens.text[i]
    if word == "-" and i + 1 < len(tokens):
        return tokens.lower[i + 1] in HYPHEN_PLACE_WORDS
    return word.startswith("-") and word[1:].lower() in HYPHEN_PLACE_WORDS


def _after_street_address(tokens: TokenTable, start: int) -> bool:
    """'of 1935 Orchard St., Alexandria,': a town right after a street address and a comma."""
    if start < 3 or tokens.text[start - 1] != ",":
        return False
    has_number = any(tokens.like_num[i] for i in range(max(0, start - 5), start - 1))
    street = tokens.lower[start - 2].rstrip(".") in STREET_WORDS or (
        tokens.text[start - 2] == "." and tokens.lower[start - 3] in STREET_WORDS
    )
    return has_number and street


def _names_a_street(tokens: TokenTable, end: int) -> bool:
    """Whether the capitalised run a name starts ends in a street word ("Lone Oak Road")."""
    for i in range(end, min(end + 3, len(tokens))):
        if tokens.lower[i].rstrip(".") in STREET_WORDS:
            return True
        if not tokens.capitalised(i) or tokens.sent_start[i]:
            return False
    return False


def _inside_person(tokens: TokenTable, start: int, end: int) -> bool:
    """'Brown' in "John Brown": a name that is part of a longer person's name."""
    for i in range(start, end):
        if tokens.ent_type[i] == "PERSON":
            ent_start, ent_end, _ = tokens.ent_at[i]
            if ent_start < start or ent_end > end:
                return True
    return False


def _region_follows(tokens: TokenTable, start: int, gaz: Gazetteer) -> bool:
    """'Melville, Sask.', 'Springfield, Ill.': a state or country right after the comma."""
    for n in (3, 2, 1):
        if start + n > len(tokens) or not tokens.capitalised(start):
            continue
        text = tokens.span_text(start, start + n)
        if any(c.kind in ("admin1", "country") for c in gaz.candidates(text)):
            return True
    return False


def _is_dateline(tokens: TokenTable, start: int, end: int) -> bool:
    """'HARTFORD —', 'WINONA --': an upper-case town opening a line, then a dash."""
    if end >= len(tokens) or not tokens.span_text(start, end).isupper():
        return False
    before = tokens.text[start - 1] if start else ""
    opens_line = (
        start == 0
        or "\n" in tokens.text_with_ws[start - 1]
        # after a headline ("... veteran lawyer. PORTLAND — The board"), whether or not the
        # model starts a sentence there, or after a byline's date ("March 30, 2009 NEWARK --")
        or before in (".", "\u00a0")
        or _is_year(before)
    )
    return opens_line and tokens.text[end] in DATELINE_MARKS


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")
