"""Resolve place mentions in a parsed document to coordinates, and tie places to events.

`document_places` finds every place mention (spaCy GPE/LOC/FAC entities plus gazetteer
names spaCy misses), folds relative phrases into the mention ("south of Baghdad",
"eastern Syria", "near Kharkiv"), and picks one gazetteer entry per mention using the rest
of the document: countries and regions it names, and closeness to its other places.
`event_location` picks, in one sentence, the place the event happened at.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from eventline.model import Place
from eventline.resolve.gazetteer import (
    AREA_KINDS,
    GazEntry,
    Gazetteer,
    get_gazetteer,
    normalize_name,
)

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
# prepositions that place an event ("in", "at", "near" ...), not ones that name a topic
LOCATIVE_PREPS = {
    "in", "at", "near", "on", "outside", "inside", "across", "into", "around", "throughout",
    "of", "over", "along", "off", "within", "onto", "upon",
}  # fmt: skip
# nouns naming groups of people: a place attached to them describes the group, not the event
GROUP_NOUNS = {
    "group", "groups", "militia", "militias", "faction", "factions", "organization",
    "organisation", "movement", "party", "government", "ministry", "official", "officials",
    "embassy", "ambassador", "leader", "leaders", "spokesman", "spokesperson", "president",
    "minister", "envoy", "representative", "affiliate", "affiliates", "proxies", "proxy",
}  # fmt: skip


@dataclass
class PlaceContext:
    """What the document tells about where it is: countries, regions and resolved points."""

    countries: Counter = field(default_factory=Counter)  # ISO alpha-3 -> votes
    admin1s: Counter = field(default_factory=Counter)  # (ISO alpha-3, admin1 name) -> votes
    points: list[tuple[float, float]] = field(default_factory=list)

    @property
    def main_country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None

    def country_share(self, iso3: str | None) -> float:
        total = sum(self.countries.values())
        return self.countries.get(iso3, 0) / total if total and iso3 else 0.0


@dataclass
class _Mention:
    start: int  # character offsets of the whole mention, relative phrase included
    end: int
    core_start: int  # the place name itself
    core_end: int
    candidates: list[GazEntry]
    relation: str | None = None  # "near", "direction:<name>", "part:<name>"
    constraint: GazEntry | None = None  # "Paris, Texas": the region after the comma
    choice: GazEntry | None = None
    key: str = ""  # the normalised name: repeated mentions of one name vote once


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


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
        if not doc[i].text[:1].isupper() or doc[i].ent_type_ in ("PERSON",):
            i += 1
            continue
        for n in range(min(3, len(doc) - i), 0, -1):
            span = doc[i : i + n]
            if not span[-1].text[:1].isalpha():
                continue
            entry = gaz.demonym(span.text)
            # a one-word demonym inside a multi-word name is part of it: "American Legion"
            if entry is not None and (n > 1 or _outside_names(span)):
                found.append((span, entry))
                i += n
                break
        else:
            i += 1
    return found


def _outside_names(span: Span) -> bool:
    token = span[0]
    if token.ent_type_ not in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"):
        return True
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return ent is None or len(ent) == 1


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


def _gap_mentions(doc: Doc, gaz: Gazetteer, taken: set[int]) -> list[tuple[Span, list[GazEntry]]]:
    """Gazetteer names spaCy did not tag: longest capitalised n-grams with distinctive entries."""
    found = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if i in taken or not token.text[:1].isupper() or token.ent_type_ in NON_PLACE_LABELS:
            i += 1
            continue
        matched = False
        for n in range(min(MAX_NGRAM, len(doc) - i), 0, -1):
            span = doc[i : i + n]
            if any(t.i in taken for t in span) or not span[-1].text[:1].isalnum():
                continue
            if n == 1 and (token.is_sent_start or token.pos_ not in ("PROPN",)):
                continue
            candidates = [
                c
                for c in gaz.candidates(span.text)
                if c.kind in GAP_FILL_KINDS
                or (c.kind in ("city", "capital") and c.population >= GAP_FILL_MIN_POPULATION)
            ]
            if candidates and not _is_demonym(span):
                found.append((span, candidates))
                i += n
                matched = True
                break
        if not matched:
            i += 1
    return found


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
            if ent.label_ == "ORG" and regional:
                found.append((head, regional))
                break
            towns = [
                c for c in candidates if c.kind in ("city", "capital") and c.population >= 1000
            ]
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


def _relative_phrase(doc: Doc, span: Span) -> tuple[int, str | None]:
    """Extend a mention leftwards over "10 km south of", "near", "eastern", "outskirts of".

    Returns the new first token index and the relation found.
    """
    i = span.start
    # an adjective of direction inside or right before the name: "eastern Syria"
    if i > 0 and _direction_of(doc[i - 1].lower_):
        return i - 1, "direction:" + _direction_of(doc[i - 1].lower_)
    if i > 0 and doc[i - 1].lower_ in ("central", "western", "eastern", "northern", "southern"):
        return i - 1, "direction:" + (_direction_of(doc[i - 1].lower_) or "central")
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


def _direction_of(word: str) -> str | None:
    match = _DIRECTION_WORD.match(word.replace("-", "")) if word.endswith("ern") else None
    if not match or not (match.group(1) or match.group(2)):
        return None
    return (match.group(1) or "") + (match.group(2) or "")


# -- choosing among candidates -----------------------------------------------------------
# how much the document's own countries and regions pull an ambiguous name: enough for a
# local paper's "Paris" (Texas) or "Georgia" (the state) to beat the famous namesake
COUNTRY_CONTEXT_WEIGHT = 10.0
ADMIN1_CONTEXT_WEIGHT = 4.0


def _score(entry: GazEntry, mention: _Mention, ctx: PlaceContext, others: list[GazEntry]) -> float:
    score = entry.importance
    score += COUNTRY_CONTEXT_WEIGHT * ctx.country_share(entry.country)
    region = entry.name if entry.kind == "admin1" else entry.admin1
    if entry.country and region and ctx.admin1s.get((entry.country, region)):
        score += ADMIN1_CONTEXT_WEIGHT
    if mention.constraint is not None:
        target = mention.constraint
        if target.kind == "country" and entry.country == target.country:
            score += 8.0
        elif (
            target.kind == "admin1"
            and entry.admin1 == target.name
            and entry.country == target.country
        ):
            score += 10.0
    if not entry.is_area:
        distances = [
            haversine_km(entry.lat, entry.lon, o.lat, o.lon)
            for o in others
            if o is not entry and not o.is_area
        ]
        if distances:
            nearest = min(distances)
            score += (
                4.0 if nearest < 50 else 3.0 if nearest < 100 else 1.0 if nearest < 300 else 0.0
            )
    return score


def _build_context(
    mentions: list[_Mention], use_choice: bool, exclude_key: str | None = None
) -> PlaceContext:
    """Votes of the document's names for countries and regions.

    Each distinct name votes once, so that a local paper repeating "Paris" ten times cannot
    outvote the county and state names that say which Paris it is; a name is scored
    against the votes of the other names only (`exclude_key`).
    """
    ctx = PlaceContext()
    by_key: dict[str, list[_Mention]] = {}
    for mention in mentions:
        if mention.key != exclude_key:
            by_key.setdefault(mention.key, []).append(mention)
    for group in by_key.values():
        if use_choice:
            entry = Counter(m.choice for m in group).most_common(1)[0][0]
        else:
            entry = _prior_choice(group[0])
        if entry is None:
            # "Henry County": many namesakes, all in one country, still vote for it
            countries = {c.country for c in group[0].candidates}
            if len(countries) == 1 and None not in countries:
                ctx.countries[countries.pop()] += 1
            continue
        if entry.country:
            # an explicit country or region name is stronger evidence than a town's country
            ctx.countries[entry.country] += 2 if entry.kind in ("country", "admin1") else 1
        if entry.kind == "admin1" and entry.country:
            ctx.admin1s[(entry.country, entry.name)] += 1
        elif entry.admin1 and entry.country and use_choice:
            ctx.admin1s[(entry.country, entry.admin1)] += 1
        ctx.points.append((entry.lat, entry.lon))
    return ctx


def _prior_choice(mention: _Mention) -> GazEntry | None:
    """Choice before context: only confident when one candidate clearly outweighs the rest."""
    ranked = sorted(mention.candidates, key=lambda c: c.importance, reverse=True)
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0].importance - ranked[1].importance >= 2.0:
        return ranked[0]
    return None


def _prefer_city_over_its_region(mention: _Mention) -> None:
    """'Kharkiv', 'Baghdad': a big city named like its region is meant more often than the region."""
    cities = [
        c for c in mention.candidates if c.kind in ("city", "capital") and c.population >= 100_000
    ]
    if not cities:
        return
    mention.candidates = [
        c
        for c in mention.candidates
        if not (
            c.kind == "admin1"
            and any(t.country == c.country and t.admin1 == c.name for t in cities)
        )
    ]


def _choose(mentions: list[_Mention]) -> PlaceContext:
    for mention in mentions:
        _prefer_city_over_its_region(mention)
    keys = {m.key for m in mentions}
    contexts = {key: _build_context(mentions, use_choice=False, exclude_key=key) for key in keys}
    for _ in range(2):
        others = [m.choice or _prior_choice(m) for m in mentions]
        others_known = [o for o in others if o is not None]
        for mention in mentions:
            ctx = contexts[mention.key]
            mention.choice = max(
                mention.candidates, key=lambda c: _score(c, mention, ctx, others_known)
            )
        contexts = {key: _build_context(mentions, use_choice=True, exclude_key=key) for key in keys}
    return _build_context(mentions, use_choice=True)


def _one_sense_per_name(mentions: list[_Mention]) -> None:
    """Once "Paris, Texas" is said, a later bare "Paris" is the same town."""
    for constrained in [m for m in mentions if m.constraint is not None]:
        region = constrained.constraint
        for mention in mentions:
            if mention.key != constrained.key or mention.constraint is not None:
                continue
            inside = [c for c in mention.candidates if _inside(c, region)]
            if inside:
                mention.candidates = inside
                mention.constraint = region


# -- building Place values ---------------------------------------------------------------
def _points_near(gaz: Gazetteer, entry: GazEntry) -> list[tuple[float, float]]:
    """Gazetteer points inside an area entry, for directional sub-areas ("eastern Syria")."""
    if entry.kind == "country":
        return gaz.points(entry.country)
    if entry.kind == "admin1":
        return gaz.points(entry.country, entry.name)
    return (
        [
            p
            for p in gaz.points(entry.country)
            if haversine_km(entry.lat, entry.lon, p[0], p[1]) < 60
        ]
        if entry.country
        else []
    )


def _directional_point(gaz: Gazetteer, entry: GazEntry, direction: str) -> tuple[float, float]:
    """Mean of the area's points on the named side of its median latitude / longitude."""
    # one point per quarter-degree cell: the side of an area, not of its population
    points = sorted({(round(p[0] * 4) / 4, round(p[1] * 4) / 4) for p in _points_near(gaz, entry)})
    if direction == "central" or direction not in DIRECTIONS or len(points) < 4:
        return entry.lat, entry.lon
    dlat, dlon = DIRECTIONS[direction]
    median_lat = statistics.median(p[0] for p in points)
    median_lon = statistics.median(p[1] for p in points)
    side = [
        p
        for p in points
        if (dlat == 0 or (p[0] - median_lat) * dlat > 0)
        and (dlon == 0 or (p[1] - median_lon) * dlon > 0)
    ]
    if not side:
        return entry.lat, entry.lon
    return statistics.fmean(p[0] for p in side), statistics.fmean(p[1] for p in side)


def _to_place(text: str, entry: GazEntry, relation: str | None, gaz: Gazetteer) -> Place:
    lat, lon = entry.lat, entry.lon
    if entry.kind in AREA_KINDS:
        precision = 3
    elif entry.kind == "admin2":
        precision = 2
    else:
        precision = 1
    if relation == "near":
        precision = max(precision, 2)
    elif relation and relation.startswith("direction:"):
        if entry.kind in AREA_KINDS:
            lat, lon = _directional_point(gaz, entry, relation.split(":", 1)[1])
        else:
            precision = max(precision, 2)
    return Place(
        text=text,
        name=entry.name,
        country=entry.country,
        admin1=entry.admin1 if entry.kind != "admin1" else entry.name,
        lat=round(lat, 4),
        lon=round(lon, 4),
        precision=precision,
        geonameid=entry.id,
    )


def document_places(
    doc: Doc, gaz: Gazetteer | None = None
) -> tuple[list[tuple[int, int, Place]], PlaceContext]:
    """Every place mention in `doc` as (char_start, char_end, Place), plus the document context."""
    gaz = gaz or get_gazetteer()
    demonyms = _demonym_mentions(doc, gaz)
    demonym_tokens = {t.i for span, _ in demonyms for t in span}
    spans = [
        (span, candidates)
        for span, candidates in _entity_mentions(doc, gaz)
        if not any(t.i in demonym_tokens for t in span)
    ]
    taken = {t.i for span, _ in spans for t in span} | demonym_tokens
    spans += _org_mentions(doc, gaz, taken)
    taken = {t.i for span, _ in spans for t in span}
    blocked = taken | {
        t.i for ent in doc.ents if ent.label_ in NON_PLACE_LABELS | {"ORG"} for t in ent
    }
    spans += _gap_mentions(doc, gaz, blocked | demonym_tokens)
    taken = {t.i for span, _ in spans for t in span} | demonym_tokens
    spans += _propagate(doc, spans, taken)
    demonym_starts = {span.start_char for span, _ in demonyms}
    spans += [(span, [entry]) for span, entry in demonyms]
    spans.sort(key=lambda item: item[0].start)

    mentions: list[_Mention] = []
    for span, candidates in spans:
        start_token, relation = _relative_phrase(doc, span)
        if span.start_char in demonym_starts:
            start_token, relation = span.start, DEMONYM_PREFIX
        mentions.append(
            _Mention(
                start=doc[start_token].idx,
                end=span.end_char,
                core_start=span.start_char,
                core_end=span.end_char,
                candidates=candidates,
                relation=relation,
                key=normalize_name(span.text),
            )
        )
    _link_city_region_pairs(doc, mentions)
    _one_sense_per_name(mentions)
    ctx = _choose(mentions)
    result = []
    for mention in mentions:
        if mention.choice is None:
            continue
        text = doc.text[mention.start : mention.end]
        place = _to_place(text, mention.choice, mention.relation, gaz)
        if mention.relation == DEMONYM_PREFIX:
            place.geonameid = DEMONYM_PREFIX + (place.geonameid or "")
        result.append((mention.start, mention.end, place))
    return result, ctx


def _link_city_region_pairs(doc: Doc, mentions: list[_Mention]) -> None:
    """In "Paris, Texas" the region after the comma narrows the town before it."""
    for first, second in zip(mentions, mentions[1:], strict=False):
        between = doc.text[first.core_end : second.core_start]
        if between.strip() != ",":
            continue
        regions = [c for c in second.candidates if c.kind in ("admin1", "country")]
        if not regions:
            continue
        for region in sorted(regions, key=lambda c: -c.importance):
            if any(_inside(c, region) for c in first.candidates):
                first.constraint = region
                first.candidates = [c for c in first.candidates if _inside(c, region)]
                second.candidates = [region]
                break


def _inside(entry: GazEntry, region: GazEntry) -> bool:
    if entry is region or entry.kind in ("country", "continent"):
        return False
    if region.kind == "country":
        return entry.country == region.country
    return entry.country == region.country and entry.admin1 == region.name


# -- the event's place -------------------------------------------------------------------
def _mention_root(doc: Doc, start: int, end: int) -> Token | None:
    """The syntactic head of the place name itself, skipping "near", "20 km south of" ..."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    first_name = next((t.i for t in span if t.text[:1].isupper()), span.start)
    return doc[first_name : span.end].root


def _part_of_actor(root: Token) -> bool:
    """'Iran-backed militia', 'Iraqi militia', 'Syrian government': a place naming an actor."""
    doc = root.doc
    following = doc[root.i + 1] if root.i + 1 < len(doc) else None
    if following is not None and following.text in ("-", "–"):
        return True
    if following is not None and following.lower_.startswith("-"):
        return True
    if root.dep_ in ("compound", "amod", "nmod", "poss") and root.head.lower_ in GROUP_NOUNS:
        return True
    if root.dep_ == "nsubj" or root.dep_ == "nsubjpass" and root.ent_type_ in ("GPE",):
        return root.dep_ == "nsubj"
    return False


def _location_score(root: Token, trigger: Token) -> float:
    """How strongly the syntax ties a place (its root token) to the event trigger."""
    targets = {trigger}
    targets |= {c for c in trigger.children if c.dep_ in ("dobj", "pobj", "attr", "nsubjpass")}
    verb = trigger.head if trigger.dep_ not in ("ROOT",) else trigger
    if root.dep_ == "dobj" and root.head == trigger:
        return 4.0  # "struck Baghdad"
    if root.dep_ == "pobj" and root.head.dep_ == "prep":
        prep = root.head
        if prep.lower_ not in LOCATIVE_PREPS:
            return 0.0
        attached = prep.head
        if attached.lower_ in GROUP_NOUNS:
            return 0.5
        # "south of Baghdad": the preposition hangs off the direction word, which is itself
        # attached to the trigger or the verb
        if attached.lower_ in DIRECTIONS or attached.lower_ in OUTSKIRTS_WORDS:
            attached = attached.head if attached.head.dep_ != "prep" else attached.head.head
        if attached == trigger:
            return 5.0
        if attached in targets:
            return 4.0
        if attached == verb:
            return 3.0
        if attached.pos_ in ("VERB", "AUX"):
            return 2.0
        if attached.head == trigger or attached.head == verb:
            return 1.5
        return 1.0
    if root.dep_ in ("npadvmod", "advmod") and root.head in (trigger, verb):
        return 2.0
    if root.dep_ in ("appos", "conj") and root.head.dep_ == "pobj":
        return _location_score(root.head, trigger) - 0.5
    return 0.3


def event_location(
    sent: Span, trigger: Token, mentions: list[tuple[int, int, Place]], ctx: PlaceContext
) -> Place | None:
    """The place of the event `trigger` names in `sent`, or None when the sentence gives none."""
    doc = sent.doc
    best: tuple[float, int] | None = None
    best_place: Place | None = None
    for start, end, place in mentions:
        if start < sent.start_char or end > sent.end_char or is_demonym_place(place):
            continue
        root = _mention_root(doc, start, end)
        if root is None or _part_of_actor(root):
            continue
        score = _location_score(root, trigger)
        if score <= 0.3 and root.dep_ in ("compound", "amod", "poss"):
            continue
        # precise places beat vague ones at equal syntax; the document's main country breaks ties
        score += 0.2 * (3 - (place.precision or 3))
        if ctx.main_country and place.country == ctx.main_country:
            score += 0.05
        distance = abs(root.i - trigger.i)
        key = (score, -distance)
        if best is None or key > best:
            best, best_place = key, place
    if best is None or best[0] < 0.5:
        return None
    return best_place
