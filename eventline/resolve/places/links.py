"""How the names of one document narrow each other: "Paris, Texas" (a region after a comma
narrows the town before it, and the towns listed with it), "Montana and Wyoming" (a list of
names that can all be regions of one country), and one sense per name (a later bare "Paris"
is the Paris already placed).

Reads: the place mentions of a document with their candidates and the text between them.
Writes: narrower candidate lists and each mention's `constraint` (the region it lies in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventline.resolve.places.gazetteer import AREA_KINDS, GazEntry, normalize_name

if TYPE_CHECKING:
    from eventline.resolve.places.choice import PlaceMention

# a town this big is itself whatever region follows its name ("Beirut, Vladimir ...")
MAJOR_NAME_POPULATION = 100_000


def names_match(name: str, key: str) -> bool:
    """Whether an entry's own name (not an alternate) is the mention's name."""
    own = normalize_name(name)
    return own == key or own.replace("saint ", "st ") == key.replace("saint ", "st ")


def one_sense_per_name(mentions: list[PlaceMention]) -> None:
    """Once "Paris, Texas" is said, a later bare "Paris" is the same town."""
    for constrained in [m for m in mentions if m.constraint is not None]:
        region = constrained.constraint
        if region is None:  # the list holds constrained mentions only
            continue
        for mention in mentions:
            if mention.key != constrained.key or mention.constraint is not None:
                continue
            inside = [c for c in mention.candidates if lies_inside(c, region)]
            if inside:
                mention.candidates = inside
                mention.constraint = region


# what may stand between two names of one list: "Nashville and Cordova", "Ohio, Texas or Utah"
LIST_JOINS = {",", "and", ", and", "or", ", or", "&"}


def _joined(text: str, first: PlaceMention, second: PlaceMention) -> bool:
    return " ".join(text[first.core_end : second.core_start].split()) in LIST_JOINS


def link_city_region_pairs(text: str, mentions: list[PlaceMention]) -> None:
    """In "Paris, Texas" the region after the comma narrows the town before it, and the
    towns listed with that town: "Nashville and Cordova, Tennessee"."""
    for index, (first, second) in enumerate(zip(mentions, mentions[1:], strict=False)):
        if text[first.core_end : second.core_start].strip() != ",":
            continue
        regions = [c for c in second.candidates if c.kind in ("admin1", "country")]
        if not regions or _names_a_country(first):
            # "entanglements in Russia, U.S. officials said": two names, not Russia, Ohio
            continue
        ranked = sorted(regions, key=lambda c: -c.importance)
        for region in ranked:
            if any(lies_inside(c, region) for c in first.candidates):
                first.constraint = region
                first.candidates = [c for c in first.candidates if lies_inside(c, region)]
                second.candidates = [region]
                _constrain_listed_before(text, mentions, index, region)
                break
        else:
            _town_unknown_in_region(text, mentions, index, ranked[0])


def _names_a_country(mention: PlaceMention) -> bool:
    return any(
        c.kind == "country" and names_match(c.name, mention.key) for c in mention.candidates
    )


def _town_unknown_in_region(
    text: str, mentions: list[PlaceMention], index: int, region: GazEntry
) -> None:
    """"Holliday, Missouri" with no Holliday in Missouri's towns: the place is somewhere in
    Missouri, not a Holliday elsewhere. Only for a lone pair of names: in a list ("Syria,
    Iraq and Iran") the comma joins equals."""
    first, second = mentions[index], mentions[index + 1]
    if any(c.kind in AREA_KINDS for c in first.candidates):
        return
    # "Beirut, Vladimir Isachenkov": a well-known town is itself, and a region that shares
    # its name with a sizeable town ("Vladimir") may be that town, or not a place at all
    if any(c.population >= MAJOR_NAME_POPULATION for c in first.candidates):
        return
    if any(
        c.kind in ("city", "capital")
        and c.population >= MAJOR_NAME_POPULATION
        and names_match(c.name, second.key)
        for c in second.candidates
    ):
        return
    if index > 0 and _joined(text, mentions[index - 1], first):
        return
    if index + 2 < len(mentions) and _joined(text, second, mentions[index + 2]):
        return
    first.candidates, first.constraint = [region], region
    second.candidates = [region]


def _constrain_listed_before(
    text: str, mentions: list[PlaceMention], index: int, region: GazEntry
) -> None:
    """Walk back over the names listed before mentions[index] while each has a candidate
    inside the region; the list ends at a name without one ("Kentucky, Nashville and ...")."""
    while index > 0 and _joined(text, mentions[index - 1], mentions[index]):
        earlier = mentions[index - 1]
        inside = [c for c in earlier.candidates if lies_inside(c, region)]
        if not inside or earlier.constraint is not None:
            return
        earlier.candidates, earlier.constraint = inside, region
        index -= 1


def coordinated_regions(text: str, mentions: list[PlaceMention]) -> None:
    """'Montana and Wyoming', 'Missouri, New York, North Carolina and Virginia': when every
    name of a list can be a first-level region of one country, each is that region, not a
    namesake town."""
    start = 0
    while start < len(mentions):
        end = start + 1
        while end < len(mentions) and _joined(text, mentions[end - 1], mentions[end]):
            end += 1
        group = mentions[start:end]
        start = end
        if len(group) < 2:
            continue
        shared: set[str] | None = None
        for mention in group:
            countries = {c.country for c in mention.candidates if c.kind == "admin1" and c.country}
            shared = countries if shared is None else shared & countries
        if not shared or len(shared) != 1:
            continue
        (country,) = shared
        for mention in group:
            mention.candidates = [
                c for c in mention.candidates if c.kind == "admin1" and c.country == country
            ]


def lies_inside(entry: GazEntry, region: GazEntry) -> bool:
    if entry is region or entry.kind in ("country", "continent"):
        return False
    if region.kind == "country":
        return entry.country == region.country
    return entry.country == region.country and entry.admin1 == region.name
