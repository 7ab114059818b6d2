"""Choose one gazetteer entry per place mention, using the rest of the document.

Each candidate is scored on its prior weight (kind, population), the countries and regions
the document's other names point to, closeness to the other names' candidates, and a
region named right after it ("Paris, Texas"). `choose_places` applies the conventions for
names that mean a region or a world feature rather than their namesake towns, then
chooses in two rounds so that every name sees the others' choices.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from eventline.nlp import text_of
from eventline.resolve.places.gazetteer import (
    FEATURE_KINDS,
    GazEntry,
    Gazetteer,
)
from eventline.resolve.places.geometry import haversine_km
from eventline.resolve.places.links import (
    MAJOR_NAME_POPULATION,
    coordinated_regions,
    link_city_region_pairs,
    names_match,
    one_sense_per_name,
)
from eventline.resolve.places.mentions import DEMONYM_PREFIX
from eventline.resolve.places.phones import phone_regions
from eventline.resolve.places.relations import name_cue_beside


@dataclass
class PlaceContext:
    """What the document tells about where it is: countries, regions and resolved points."""

    countries: Counter = field(default_factory=Counter)  # ISO alpha-3 -> votes
    admin1s: Counter = field(default_factory=Counter)  # (ISO alpha-3, admin1 name) -> votes
    # regions the document names itself ("Texas", "Ohio"), apart from regions its chosen towns
    # lie in: a wrong town choice must not vouch for its namesakes' region as strongly
    named_admin1s: Counter = field(default_factory=Counter)
    # countries the document names itself ("Russia"), apart from the countries of its towns
    named_countries: Counter = field(default_factory=Counter)
    # the regions of the phone numbers the text prints: where a local paper is
    home_admin1s: Counter = field(default_factory=Counter)
    # the home region of the document's source, learned from its other documents
    # (eventline.resolve.places.source_homes)
    source_admin1s: frozenset[tuple[str, str]] = frozenset()
    points: list[tuple[float, float]] = field(default_factory=list)

    @property
    def main_country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None

    def country_share(self, iso3: str | None) -> float:
        total = sum(self.countries.values())
        return self.countries.get(iso3, 0) / total if total and iso3 else 0.0


@dataclass(frozen=True)
class HomeRegions:
    """Where the paper is: the regions of the numbers this story prints, and its source's home."""

    phones: Counter
    source: frozenset[tuple[str, str]] = frozenset()


@dataclass
class PlaceMention:
    """A place mention: its character span, candidates, relation and choice."""

    start: int  # character offsets of the whole mention, relative phrase included
    end: int
    core_start: int  # the place name itself
    core_end: int
    candidates: list[GazEntry]
    relation: str | None = None  # "near", "direction:<name>", "part:<name>"
    constraint: GazEntry | None = None  # "Paris, Texas": the region after the comma
    choice: GazEntry | None = None
    key: str = ""  # the normalised name: repeated mentions of one name vote once


# -- choosing among candidates -----------------------------------------------------------
# how much the document's own countries and regions pull an ambiguous name: enough for a
# local paper's "Paris" (Texas) or "Georgia" (the state) to beat the famous namesake
COUNTRY_CONTEXT_WEIGHT = 10.0
ADMIN1_CONTEXT_WEIGHT = 4.0
# a region only inferred from the towns chosen for other names pulls less: one wrong pick
# would otherwise drag the document's other ambiguous names after it
INFERRED_ADMIN1_WEIGHT = 1.0
# the paper's home region, from the phone numbers it prints (eventline.resolve.places.phones):
# stronger than a region the text names: a number to call is where the readers are
HOME_ADMIN1_WEIGHT = 8.0
# the source's home region, learned from the regions its other stories name: weaker than a
# number printed in this story, since a local paper also reports from afar ("Paris" in a
# Kentucky paper's story from France), and than a country's own name ("China" over China,
# Texas), but as strong as a region this story names
SOURCE_HOME_WEIGHT = 4.0
# a town (under MAJOR_NAME_POPULATION) that carries the name only as an old or variant
# spelling is rarely meant
ALTERNATE_NAME_PENALTY = 6.0
# a major city whose country the document names (not only through its towns) gains this
# much: it outweighs most of a small namesake's lead from the document's main country
MAJOR_CITY_POPULATION = 300_000
NAMED_COUNTRY_CITY_BONUS = 6.0
# a candidate within 30 km of another name's candidate gains this much per such name (up
# to three names), within 80 km half of it
MUTUAL_SUPPORT_CLOSE = 3.0
MUTUAL_SUPPORT_NEAR = 1.5
# names with more namesakes than this ("Springfield" has ~60) are too spread out to vouch
MAX_CANDIDATES_FOR_SUPPORT = 400


def _score(
    entry: GazEntry,
    mention: PlaceMention,
    ctx: PlaceContext,
    others: list[GazEntry],
    support: dict[str, float] | None = None,
) -> float:
    score = entry.importance
    if (
        entry.kind in ("city", "capital")
        and entry.population < MAJOR_NAME_POPULATION
        and not names_match(entry.name, mention.key)
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
    if (
        entry.kind in ("city", "capital")
        and entry.population >= MAJOR_CITY_POPULATION
        and ctx.named_countries.get(entry.country)
    ):
        # a paper full of American towns that also names Russia means Moscow, Russia
        score += NAMED_COUNTRY_CITY_BONUS
    region = entry.name if entry.kind == "admin1" else entry.admin1
    if entry.country and region and ctx.named_admin1s.get((entry.country, region)):
        score += ADMIN1_CONTEXT_WEIGHT
    elif entry.country and region and ctx.admin1s.get((entry.country, region)):
        score += INFERRED_ADMIN1_WEIGHT
    if entry.country and region and ctx.home_admin1s.get((entry.country, region)):
        score += HOME_ADMIN1_WEIGHT
    elif entry.country and region and (entry.country, region) in ctx.source_admin1s:
        score += SOURCE_HOME_WEIGHT
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


# one vote per distinct name: (name key, the entry it votes for, the name's mentions)
Vote = tuple[str, GazEntry | None, list[PlaceMention]]


def _votes(mentions: list[PlaceMention], use_choice: bool) -> list[Vote]:
    """Each distinct name's entry, in document order: the most frequent choice for it, or
    (before any choice) its prior choice."""
    by_key: dict[str, list[PlaceMention]] = {}
    for mention in mentions:
        by_key.setdefault(mention.key, []).append(mention)
    votes: list[Vote] = []
    for key, group in by_key.items():
        if use_choice:
            entry = Counter(m.choice for m in group).most_common(1)[0][0]
        else:
            entry = _prior_choice(group[0])
        votes.append((key, entry, group))
    return votes


def _build_context(
    votes: list[Vote], use_choice: bool, home: HomeRegions, exclude_key: str | None = None
) -> PlaceContext:
    """Votes of the document's names for countries and regions.

    Each distinct name votes once, so that a local paper repeating "Paris" ten times cannot
    outvote the county and state names that say which Paris it is; a name is scored
    against the votes of the other names only (`exclude_key`).
    """
    ctx = PlaceContext(home_admin1s=home.phones, source_admin1s=home.source)
    for key, entry, group in votes:
        if exclude_key is not None and _related_keys(key, exclude_key):
            continue
        if entry is None:
            # "Henry County": many namesakes, all in one country, still vote for it
            countries = {c.country for c in group[0].candidates}
            if len(countries) == 1 and None not in countries:
                ctx.countries[countries.pop()] += 1
            continue
        if entry.country:
            # an explicit country or region name is stronger evidence than a town's country
            ctx.countries[entry.country] += 2 if entry.kind in ("country", "admin1") else 1
        if entry.kind == "country" and entry.country:
            ctx.named_countries[entry.country] += 1
        if entry.kind == "admin1" and entry.country:
            ctx.admin1s[(entry.country, entry.name)] += 1
            ctx.named_admin1s[(entry.country, entry.name)] += 1
        elif entry.admin1 and entry.country and use_choice:
            ctx.admin1s[(entry.country, entry.admin1)] += 1
        ctx.points.append((entry.lat, entry.lon))
    return ctx


def _related_keys(a: str, b: str) -> bool:
    """'dublin' and 'dublin city': one name said twice, which must not vouch for itself."""
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def _prior_choice(mention: PlaceMention) -> GazEntry | None:
    """Choice before context: only confident when one candidate clearly outweighs the rest."""
    ranked = sorted(mention.candidates, key=lambda c: c.importance, reverse=True)
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0].importance - ranked[1].importance >= 2.0:
        return ranked[0]
    return None


def _prefer_region_named_alone(mention: PlaceMention, gaz: Gazetteer, text: str) -> None:
    """'Quebec', 'New York Gov.', 'upstate New York': the region, not its namesake city;
    'the city of Turkey': the town, not the country.

    A name means the region when it is listed as doing so alone (`region_names.csv`) or
    when words beside it speak of the region (`name_cues.csv`). The cities of the region
    that carry the name are then dropped, so that the region beats them whatever their
    size; a name said with its suffix ("New York City") is another key. Words that speak
    of a town drop the areas instead, when a town of the name is known.
    """
    cue = name_cue_beside(text, mention.core_start, mention.core_end)
    if cue == "town":
        towns = [c for c in mention.candidates if c.kind in ("city", "capital")]
        if towns:
            mention.candidates = towns
        return
    regions = [
        c
        for c in mention.candidates
        if c.kind == "admin1" and (cue == "region" or gaz.names_region(c.name, c.country))
    ]
    if not regions:
        return
    if cue == "region":
        # "Florida Senator": the words speak of a region, so no town of the name is meant
        mention.candidates = [c for c in mention.candidates if c.kind not in ("city", "capital")]
        return
    mention.candidates = [
        c
        for c in mention.candidates
        if not (
            c.kind in ("city", "capital")
            and any(c.country == r.country and c.admin1 == r.name for r in regions)
        )
    ]


def _prefer_own_names_of_areas(mention: PlaceMention) -> None:
    """'Iraq' is the country, never Arāk, a city of Iran that GeoNames also spells "Iraq":
    when a country or region bears the name as its own, towns of other countries that carry
    it only as an alternate spelling are dropped, whatever their size or the document's
    context. A town of the same country keeps its alternate ("New York" for the city)."""
    owners = {
        c.country
        for c in mention.candidates
        if c.kind in ("country", "admin1") and names_match(c.name, mention.key)
    }
    if not owners:
        return
    mention.candidates = [
        c
        for c in mention.candidates
        if c.kind not in ("city", "capital")
        or c.country in owners
        or names_match(c.name, mention.key)
    ]


# a town this small that shares its name with a sea, river or region ("Middle East",
# Maryland; "Atlantic", Iowa) is almost never what a news text means by the name
FEATURE_NAMESAKE_MAX_POPULATION = 10_000


def _prefer_feature_over_hamlet(mention: PlaceMention) -> None:
    if not any(c.kind in FEATURE_KINDS for c in mention.candidates):
        return
    mention.candidates = [
        c
        for c in mention.candidates
        if not (c.kind in ("city", "capital") and c.population < FEATURE_NAMESAKE_MAX_POPULATION)
    ]


def _prefer_city_over_its_region(mention: PlaceMention) -> None:
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


def _mutual_support(mentions: list[PlaceMention]) -> dict[str, dict[str, float]]:
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


def _choose(mentions: list[PlaceMention], home: HomeRegions) -> PlaceContext:
    for mention in mentions:
        _prefer_city_over_its_region(mention)
    support = _mutual_support(mentions)
    keys = {m.key for m in mentions}
    votes = _votes(mentions, use_choice=False)
    contexts = {key: _build_context(votes, False, home, exclude_key=key) for key in keys}
    for _ in range(2):
        others = [m.choice or _prior_choice(m) for m in mentions]
        others_known = [o for o in others if o is not None]
        for mention in mentions:
            ctx = contexts[mention.key]
            mention.choice = max(
                mention.candidates,
                key=lambda c: _score(c, mention, ctx, others_known, support.get(mention.key)),
            )
        votes = _votes(mentions, use_choice=True)
        contexts = {key: _build_context(votes, True, home, exclude_key=key) for key in keys}
    return _build_context(votes, True, home)


def choose_places(
    doc: Doc,
    mentions: list[PlaceMention],
    gaz: Gazetteer,
    source_home: frozenset[tuple[str, str]] = frozenset(),
) -> PlaceContext:
    """Set `choice` on every mention; returns what the document tells about where it is.

    `source_home`: (ISO alpha-3, region) the document's source is at, if known."""
    text = text_of(doc)
    for mention in mentions:
        _prefer_own_names_of_areas(mention)
        _prefer_region_named_alone(mention, gaz, text)
        _prefer_feature_over_hamlet(mention)
    link_city_region_pairs(text, mentions)
    coordinated_regions(text, mentions)
    one_sense_per_name(mentions)
    phones = phone_regions(text) if mentions else Counter()
    return _choose(mentions, HomeRegions(phones, source_home))
