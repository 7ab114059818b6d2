"""Resolve place mentions in a parsed document to coordinates.

`document_places` finds every place mention (spaCy GPE/LOC/FAC entities plus gazetteer
names spaCy misses), folds relative phrases into the mention ("south of Baghdad",
"eastern Syria", "near Kharkiv"), and picks one gazetteer entry per mention using the rest
of the document (see eventline.resolve.places.choice).

Reads: a parsed document and its source's home region. Writes: (start, end, `Place`)
mentions and the document's `PlaceContext`. Knowledge: eventline/data/places/.
"""

from __future__ import annotations

import statistics

from spacy.tokens import Doc

from eventline.model import Place
from eventline.nlp import text_of
from eventline.resolve.places.choice import PlaceContext, PlaceMention, choose_places
from eventline.resolve.places.gazetteer import (
    AREA_KINDS,
    GazEntry,
    Gazetteer,
    get_gazetteer,
    normalize_name,
)
from eventline.resolve.places.geometry import haversine_km
from eventline.resolve.places.mentions import DEMONYM_PREFIX, find_place_spans, is_demonym_place
from eventline.resolve.places.relations import DIRECTIONS, relative_phrase

__all__ = [
    "PlaceContext",
    "document_places",
    "get_gazetteer",
    "is_demonym_place",
]


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
    doc: Doc, gaz: Gazetteer | None = None, source_home: frozenset[tuple[str, str]] = frozenset()
) -> tuple[list[tuple[int, int, Place]], PlaceContext]:
    """Every place mention in `doc` as (char_start, char_end, Place), plus the document context.

    A direction before an area ("eastern China") moves its point into that part of the area.
    `source_home` is the home region of the document's source (eventline.resolve.places.source_homes)."""
    gaz = gaz or get_gazetteer()
    mentions, ctx = _resolved_mentions(doc, gaz, source_home)
    return [(m.start, m.end, _place_of(doc, m, gaz)) for m in mentions], ctx


def toponym_places(
    doc: Doc, gaz: Gazetteer | None = None, source_home: frozenset[tuple[str, str]] = frozenset()
) -> tuple[list[tuple[int, int, Place, Place]], PlaceContext]:
    """Every place mention as (char_start, char_end, named place, place as events get it):
    the first keeps the named place's own point ("China" in "eastern China"), which is
    what toponym resolution is scored on (eventline.evaluation.geo); the second is the one
    `document_places` gives. One resolution serves both."""
    gaz = gaz or get_gazetteer()
    mentions, ctx = _resolved_mentions(doc, gaz, source_home)
    return [
        (m.start, m.end, _place_of(doc, m, gaz, relative=False), _place_of(doc, m, gaz))
        for m in mentions
    ], ctx


def _resolved_mentions(
    doc: Doc, gaz: Gazetteer, source_home: frozenset[tuple[str, str]] = frozenset()
) -> tuple[list[PlaceMention], PlaceContext]:
    """The document's place mentions with their relations, each with a chosen entry."""
    mentions: list[PlaceMention] = []
    for span, candidates, demonym in find_place_spans(doc, gaz):
        start_token, relation = relative_phrase(doc, span)
        if demonym:
            start_token, relation = span.start, DEMONYM_PREFIX
        mentions.append(
            PlaceMention(
                start=doc[start_token].idx,
                end=span.end_char,
                core_start=span.start_char,
                core_end=span.end_char,
                candidates=candidates,
                relation=relation,
                key=normalize_name(span.text),
            )
        )
    ctx = choose_places(doc, mentions, gaz, source_home)
    return [m for m in mentions if m.choice is not None], ctx


def _place_of(doc: Doc, mention: PlaceMention, gaz: Gazetteer, relative: bool = True) -> Place:
    assert mention.choice is not None
    relation = mention.relation
    if not relative and relation and relation.startswith("direction:"):
        relation = None
    place = _to_place(text_of(doc)[mention.start : mention.end], mention.choice, relation, gaz)
    if mention.relation == DEMONYM_PREFIX:
        place.geonameid = DEMONYM_PREFIX + (place.geonameid or "")
    return place
