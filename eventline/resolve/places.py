"""Resolve place mentions in a parsed document to coordinates, and tie places to events.

`document_places` finds every place mention (spaCy GPE/LOC/FAC entities plus gazetteer
names spaCy misses), folds relative phrases into the mention ("south of Baghdad",
"eastern Syria", "near Kharkiv"), and picks one gazetteer entry per mention using the rest
of the document: countries and regions it names, and closeness to its other places.
`event_location` picks, in one sentence, the place the event happened at.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from eventline.model import Place
from eventline.nlp import text_of
from eventline.resolve.gazetteer import (
    AREA_KINDS,
    FEATURE_KINDS,
    GazEntry,
    Gazetteer,
    get_gazetteer,
    normalize_name,
)
from eventline.resolve.place_mentions import (
    DEMONYM_PREFIX,
    DIRECTIONS,
    OUTSKIRTS_WORDS,
    find_place_spans,
    is_demonym_place,
    relative_phrase,
)

__all__ = [
    "PlaceContext",
    "document_places",
    "event_location",
    "get_gazetteer",
    "haversine_km",
    "is_demonym_place",
]

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
    # regions the document names itself ("Texas", "Ohio"), apart from regions its chosen towns
    # lie in: a wrong town choice must not vouch for its namesakes' region as strongly
    named_admin1s: Counter = field(default_factory=Counter)
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


# -- choosing among candidates -----------------------------------------------------------
# how much the document's own countries and regions pull an ambiguous name: enough for a
# local paper's "Paris" (Texas) or "Georgia" (the state) to beat the famous namesake
COUNTRY_CONTEXT_WEIGHT = 10.0
ADMIN1_CONTEXT_WEIGHT = 4.0
# a region only inferred from the towns chosen for other names pulls less: one wrong pick
# would otherwise drag the document's other ambiguous names after it
INFERRED_ADMIN1_WEIGHT = 1.0
# a small town that carries the name only as an old or variant spelling is rarely meant
ALTERNATE_NAME_PENALTY = 6.0
ALTERNATE_NAME_MIN_POPULATION = 100_000
# a candidate within 30 km of another name's candidate gains this much per such name (up
# to three names), within 80 km half of it
MUTUAL_SUPPORT_CLOSE = 3.0
MUTUAL_SUPPORT_NEAR = 1.5
# names with more namesakes than this ("Springfield" has ~60) are too spread out to vouch
MAX_CANDIDATES_FOR_SUPPORT = 400


def _score(
    entry: GazEntry,
    mention: _Mention,
    ctx: PlaceContext,
    others: list[GazEntry],
    support: dict[str, float] | None = None,
) -> float:
    score = entry.importance
    if (
        entry.kind in ("city", "capital")
        and entry.population < ALTERNATE_NAME_MIN_POPULATION
        and not _names_match(entry.name, mention.key)
    ):
        # a town known by this name only through an old or variant spelling ("Watervliet"
        # once "Washington") is rarely what the text means
        score -= ALTERNATE_NAME_PENALTY
    if support:
        score += support.get(entry.id, 0.0)
    if entry.country is None and entry.kind in FEATURE_KINDS:
        # seas and regions span countries: whatever country the document is about, they are
        # as near to it as its own towns ("the Middle East" in a paper full of US towns)
        score += COUNTRY_CONTEXT_WEIGHT * ctx.country_share(ctx.main_country)
    else:
        score += COUNTRY_CONTEXT_WEIGHT * ctx.country_share(entry.country)
    region = entry.name if entry.kind == "admin1" else entry.admin1
    if entry.country and region and ctx.named_admin1s.get((entry.country, region)):
        score += ADMIN1_CONTEXT_WEIGHT
    elif entry.country and region and ctx.admin1s.get((entry.country, region)):
        score += INFERRED_ADMIN1_WEIGHT
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
        # points more than 2.7 degrees of latitude away are beyond 300 km and earn nothing
        distances = [
            haversine_km(entry.lat, entry.lon, o.lat, o.lon)
            for o in others
            if abs(o.lat - entry.lat) < 2.7 and o is not entry and not o.is_area
        ]
        if distances:
            nearest = min(distances)
            score += (
                4.0 if nearest < 50 else 3.0 if nearest < 100 else 1.0 if nearest < 300 else 0.0
            )
    elif entry.kind == "admin1" and any(
        o.country == entry.country and o.admin1 == entry.name for o in others if o is not entry
    ):
        # the region holds the document's other places: as strong as a town's close neighbour
        score += 4.0
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
        if exclude_key is None or not _related_keys(mention.key, exclude_key):
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
            ctx.named_admin1s[(entry.country, entry.name)] += 1
        elif entry.admin1 and entry.country and use_choice:
            ctx.admin1s[(entry.country, entry.admin1)] += 1
        ctx.points.append((entry.lat, entry.lon))
    return ctx


def _names_match(name: str, key: str) -> bool:
    """Whether an entry's own name (not an alternate) is the mention's name."""
    own = normalize_name(name)
    return own == key or own.replace("saint ", "st ") == key.replace("saint ", "st ")


def _related_keys(a: str, b: str) -> bool:
    """'dublin' and 'dublin city': one name said twice, which must not vouch for itself."""
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


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


# how far apart two candidates of different names may be to vouch for each other, and
# what each vouching name is worth: "Paris" and "Henry County" in one article are the
# Tennessee pair, whichever Paris is more famous
SUPPORT_RADII_KM = ((30.0, MUTUAL_SUPPORT_CLOSE), (80.0, MUTUAL_SUPPORT_NEAR))
MAX_SUPPORTING_NAMES = 3


def _mutual_support(mentions: list[_Mention]) -> dict[str, dict[str, float]]:
    """For each name, a bonus per candidate: how many other names have a candidate close by.

    Point candidates are bucketed into one-degree cells so that the comparison stays cheap
    for names with hundreds of namesakes.
    """
    by_key: dict[str, list[GazEntry]] = {}
    for mention in mentions:
        if mention.relation != DEMONYM_PREFIX:
            by_key.setdefault(mention.key, mention.candidates)
    cells: dict[tuple[int, int], list[tuple[str, GazEntry]]] = {}
    for key, candidates in by_key.items():
        if len(candidates) > MAX_CANDIDATES_FOR_SUPPORT:
            continue
        for c in candidates:
            if not c.is_area:
                cells.setdefault((math.floor(c.lat), math.floor(c.lon)), []).append((key, c))
    support: dict[str, dict[str, float]] = {}
    for key, candidates in by_key.items():
        if len(candidates) < 2:
            continue
        bonuses: dict[str, float] = {}
        for c in candidates:
            if c.is_area:
                continue
            best: dict[str, float] = {}
            cell_lat, cell_lon = math.floor(c.lat), math.floor(c.lon)
            for dlat in (-1, 0, 1):
                for dlon in (-1, 0, 1):
                    for other_key, o in cells.get((cell_lat + dlat, cell_lon + dlon), ()):
                        if _related_keys(other_key, key):
                            continue
                        km = haversine_km(c.lat, c.lon, o.lat, o.lon)
                        for radius, weight in SUPPORT_RADII_KM:
                            if km < radius:
                                best[other_key] = max(best.get(other_key, 0.0), weight)
                                break
            if best:
                bonuses[c.id] = sum(sorted(best.values(), reverse=True)[:MAX_SUPPORTING_NAMES])
        support[key] = bonuses
    return support


def _choose(mentions: list[_Mention]) -> PlaceContext:
    for mention in mentions:
        _prefer_city_over_its_region(mention)
    support = _mutual_support(mentions)
    keys = {m.key for m in mentions}
    contexts = {key: _build_context(mentions, use_choice=False, exclude_key=key) for key in keys}
    for _ in range(2):
        others = [m.choice or _prior_choice(m) for m in mentions]
        others_known = [o for o in others if o is not None]
        for mention in mentions:
            ctx = contexts[mention.key]
            mention.choice = max(
                mention.candidates,
                key=lambda c: _score(c, mention, ctx, others_known, support.get(mention.key)),
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
    spans = find_place_spans(doc, gaz)
    mentions: list[_Mention] = []
    for span, candidates, demonym in spans:
        start_token, relation = relative_phrase(doc, span)
        if demonym:
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
        text = text_of(doc)[mention.start : mention.end]
        place = _to_place(text, mention.choice, mention.relation, gaz)
        if mention.relation == DEMONYM_PREFIX:
            place.geonameid = DEMONYM_PREFIX + (place.geonameid or "")
        result.append((mention.start, mention.end, place))
    return result, ctx


def _link_city_region_pairs(doc: Doc, mentions: list[_Mention]) -> None:
    """In "Paris, Texas" the region after the comma narrows the town before it."""
    for first, second in zip(mentions, mentions[1:], strict=False):
        between = text_of(doc)[first.core_end : second.core_start]
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
