"""Cross-document deduplication: many reports of one real event become one canonical event.

Every function here is pure: it reads `model.Event`s (report-level events, as extraction
gives them) and returns new values. The stores call `cluster()` and, through
eventline.reconcile, `canonical_event()`.

Blocking (`is_candidate`): two reports can only be the same event when
  * their PLOVER event types are equal,
  * their modes do not conflict (data/mode_families.csv: different families, fire from a
    distance against fighting on the spot, or an act that does not kill against a report
    that counts deaths),
  * their countries do not conflict (location country, else the target's; unknown matches
    anything; places within each other's tolerance never conflict),
  * their date intervals, widened by `date_window_days` (2 days), overlap. A day-precision
    date is a one-day interval; week, month and year precision use `date`..`date_end`.
    Reports without a date are never merged: nothing says they happened at the same time.
  * if both places have coordinates, they lie within the looser of the two precision
    tolerances (precision 1 exact: 25 km, 2 near: 50 km, 3 region: 150 km); two exact
    places with different names more than 5 km apart are different towns.

Scoring (`match_score`, 0..1) is a weighted mean of the parts both reports speak to:
  date 0.30      same day 1.0, 1 day apart 0.6, 2 days 0.25; an interval (week, "overnight")
                 holding the other report's day 0.7, 1 day off 0.5, 2 days 0.25
  place 0.30     same place id or name, or under 2 km: 1.0; a region holding the other
                 place (a country, a first-level region): 0.7; inside the tolerance: 0.7,
                 but 0.3 for two exact places of different names
  actors 0.25    per role (0.125 each): same name 1.0, same CAMEO code 0.85, same country
                 0.6 (0.75 with equal sector), only sectors known 0.7 if equal else 0.3,
                 different countries 0.0
  mode 0.05      equal 1.0, same group of data/mode_families.csv ("missile", "air strike")
                 0.8, different 0.3
  deaths 0.10    ranges overlap 1.0; apart by a factor <= 1.5: 0.8, <= 2: 0.6, <= 3: 0.3,
                 more: 0.0
A part one report leaves unknown (no place, no target, no toll) is left out of the mean
instead of counting as half alike; a fixed prior (`unknown_weight` 0.25 at 0.5) stands in
for what neither report says, so agreement on the date alone never scores high.
Two reports match when they are candidates and score >= `threshold` (0.65).

Clustering (`cluster`) is independent of the order reports arrive in: reports are sorted by
(date precision, date, id), and each joins the existing cluster whose members it scores
best with on average (>= threshold, and a candidate with every member), or starts a new
one. Since a cluster only grows through a matching pair, clustering a connected component
of the match graph alone gives the same clusters as clustering everything; the stores use
that to re-cluster only the component new reports touch. A canonical event's id derives
from the smallest report id in its cluster.

Reconciling the reports of a cluster into one canonical event is eventline.reconcile's.

Reads: report-level `Event`s from many documents. Writes: clusters of reports and
whether two reports match. Knowledge: eventline/data/mode_families.csv.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from eventline.data_files import read_csv
from eventline.model import Actor, Event, Place, stable_id
from eventline.resolve.places.geometry import haversine_km

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
# km within which two places can be the same event site, by ACLED geo precision
PLACE_TOLERANCE_KM = {1: 25.0, 2: 50.0, 3: 150.0}
UNKNOWN_PRECISION_TOLERANCE_KM = 50.0
# how far a coarse date without an explicit end may lie from the day it names
COARSE_SPREAD_DAYS = {"week": 6, "month": 30, "year": 365}
MODE_FAMILIES_CSV = "mode_families.csv"


@dataclass(frozen=True)
class ModeFamily:
    family: str
    group: str
    lethal: bool


@lru_cache(maxsize=1)
def mode_families() -> dict[str, ModeFamily]:
    """PLOVER mode -> its family (data/mode_families.csv)."""
    return {
        row["mode"]: ModeFamily(row["family"], row["group"], row["lethal"].strip() == "yes")
        for row in read_csv(MODE_FAMILIES_CSV)
    }


@dataclass(frozen=True)
class DedupeConfig:
    threshold: float = 0.65
    date_window_days: int = 2
    same_site_km: float = 2.0
    distinct_towns_km: float = 5.0
    weight_date: float = 0.30
    weight_place: float = 0.30
    weight_actors: float = 0.25
    weight_mode: float = 0.05
    weight_deaths: float = 0.10
    # evidence a pair must outweigh: unknown parts are left out, this much weight at 0.5
    # stands in for everything neither report says
    unknown_weight: float = 0.25


DEFAULT_CONFIG = DedupeConfig()


# ---- small helpers ------------------------------------------------------------------------


def date_interval(event: Event) -> tuple[date, date] | None:
    """The days an event may have happened on, inclusive; None without a date."""
    if event.date is None:
        return None
    if event.date_end is None and event.date_precision in COARSE_SPREAD_DAYS:
        # "earlier this week" resolved to one day of a coarse precision: it may be any day
        # around it, so the interval is widened rather than read as that day alone
        spread = timedelta(days=COARSE_SPREAD_DAYS[event.date_precision])
        return (event.date - spread, event.date + spread)
    end = event.date_end if event.date_end is not None else event.date
    return (event.date, max(end, event.date))


def event_country(event: Event) -> str | None:
    """The country an event happened in: the place's, else the target's. The attacker's is
    not used: Russian forces strike in Ukraine, Israeli jets in Gaza."""
    if event.location is not None and event.location.country:
        return event.location.country
    if event.actor2 is not None and event.actor2.country:
        return event.actor2.country
    return None


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().replace("-", " ").split())


def _place_key(place: Place) -> str:
    return place.geonameid or _norm(place.name or place.text)


def _has_coords(place: Place | None) -> bool:
    return place is not None and place.lat is not None and place.lon is not None


def _tolerance(place: Place) -> float:
    return PLACE_TOLERANCE_KM.get(place.precision or 0, UNKNOWN_PRECISION_TOLERANCE_KM)


def _distance(a: Place, b: Place) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def canonical_id(report_ids: Iterable[str]) -> str:
    """The id of a canonical event: stable as long as its smallest report stays in it."""
    return stable_id("canonical", min(report_ids), prefix="ev")


# ---- blocking -----------------------------------------------------------------------------
def date_bounds(event: Event, config: DedupeConfig = DEFAULT_CONFIG) -> tuple[date, date] | None:
    """The widened interval used to look up candidates in a store."""
    span = date_interval(event)
    if span is None:
        return None
    window = timedelta(days=config.date_window_days)
    return (span[0] - window, span[1] + window)


def _contains(coarse: Place, fine: Place) -> bool:
    """A region-precision place names an area, not a point: a country (no admin1) holds
    every place of that country, a first-level region every place of that region. Its
    centroid can lie hundreds of km from a town inside it ("across Yemen" / "Hodeidah")."""
    if coarse.precision != 3 or not coarse.country or coarse.country != fine.country:
        return False
    return coarse.admin1 is None or coarse.admin1 == fine.admin1


def _nested(a: Place, b: Place) -> bool:
    return _contains(a, b) or _contains(b, a)


def _places_conflict(a: Place | None, b: Place | None, config: DedupeConfig) -> bool:
    if not (_has_coords(a) and _has_coords(b)):
        return False
    assert a is not None and b is not None
    if _nested(a, b):
        return False
    km = _distance(a, b)
    if km > max(_tolerance(a), _tolerance(b)):
        return True
    both_exact = a.precision == 1 and b.precision == 1
    return both_exact and _place_key(a) != _place_key(b) and km > config.distinct_towns_km


def _places_near(a: Place | None, b: Place | None) -> bool:
    """Both places known and within each other's tolerance (border towns such as Rafah lie
    in two countries, and gazetteers do not always pick the same one)."""
    if not (_has_coords(a) and _has_coords(b)):
        return False
    assert a is not None and b is not None
    return _distance(a, b) <= min(_tolerance(a), _tolerance(b))


def modes_conflict(a: Event, b: Event) -> bool:
    """Modes that cannot name one event: different families (an abduction and a bombing),
    fire from a distance against fighting on the spot, or an act that does not kill
    against a report that counts deaths."""
    families = mode_families()
    family_a, family_b = families.get(a.mode or ""), families.get(b.mode or "")
    if family_a is not None and family_b is not None:
        return family_a.family != family_b.family or (
            family_a.family == "armed" and family_a.group != family_b.group
        )
    known, other = (family_a, b) if family_a is not None else (family_b, a)
    return known is not None and not known.lethal and (other.fatalities or 0) > 0


def is_candidate(a: Event, b: Event, config: DedupeConfig = DEFAULT_CONFIG) -> bool:
    """Could these two reports describe one event at all (type, country, time, place)?"""
    if a.event_type != b.event_type:
        return False
    if modes_conflict(a, b):
        return False
    if a.doc_id == b.doc_id and a.mode and b.mode and a.mode != b.mode:
        # one article that tells a clash and an airstrike tells two events: the extractor,
        # which read the whole article, kept them apart for a reason
        return False
    country_a, country_b = event_country(a), event_country(b)
    if (
        country_a
        and country_b
        and country_a != country_b
        and not _places_near(a.location, b.location)
    ):
        return False
    span_a, bounds_b = date_interval(a), date_bounds(b, config)
    if span_a is None or bounds_b is None:
        return False
    if span_a[1] < bounds_b[0] or span_a[0] > bounds_b[1]:
        return False
    return not _places_conflict(a.location, b.location, config)


# ---- scoring ------------------------------------------------------------------------------
def _date_score(a: Event, b: Event) -> float:
    span_a, span_b = date_interval(a), date_interval(b)
    if span_a is None or span_b is None:
        return 0.0
    day_a = a.date_precision in (None, "day") and span_a[0] == span_a[1]
    day_b = b.date_precision in (None, "day") and span_b[0] == span_b[1]
    gap = max((span_b[0] - span_a[1]).days, (span_a[0] - span_b[1]).days, 0)
    if day_a and day_b:
        return {0: 1.0, 1: 0.6, 2: 0.25}.get(gap, 0.0)
    # an interval ("overnight", "this week") holding the other report's day is consistent
    # with it, but says less than two equal days
    return {0: 0.7, 1: 0.5, 2: 0.25}.get(gap, 0.0)


def _place_score(a: Place | None, b: Place | None, config: DedupeConfig) -> float | None:
    if a is None and b is None:
        # one report without a place is often a follow-up that takes the place as known;
        # two without one give no ground at all for the same site: a neutral half counts
        return 0.5
    if a is None or b is None:
        return None
    if _place_key(a) and _place_key(a) == _place_key(b):
        return 1.0
    if not (_has_coords(a) and _has_coords(b)):
        return None
    if _nested(a, b):
        return 0.7  # consistent, but the coarse report says less than a shared town
    km = _distance(a, b)
    if km <= config.same_site_km:
        return 1.0
    if km > max(_tolerance(a), _tolerance(b)):
        return 0.0
    # a coarse place containing a precise one is consistent; two precise names are not
    return 0.3 if a.precision == 1 and b.precision == 1 else 0.7


def _sector(actor: Actor) -> str | None:
    if actor.sector:
        return actor.sector
    # a bare sector code ("CVL", "MIL") without a country
    code = actor.code or ""
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def _actor_score(a: Actor | None, b: Actor | None) -> float | None:
    """How alike two actors of one role are; None when nothing comparable is known."""
    if a is None or b is None:
        return None
    if a.name and b.name and _norm(a.name) == _norm(b.name):
        return 1.0
    if _norm(a.text) and _norm(a.text) == _norm(b.text):
        return 1.0
    if a.country and b.country and a.country != b.country:
        return 0.0
    if a.code and b.code and a.code == b.code:
        return 0.85
    sector_a, sector_b = _sector(a), _sector(b)
    if a.country and b.country:
        return 0.75 if sector_a and sector_a == sector_b else 0.6
    if sector_a and sector_b:
        # "Russian forces" and "the army": one side's country is unknown, the kind agrees
        return 0.7 if sector_a == sector_b else 0.3
    return None


def _mode_score(a: str | None, b: str | None) -> float | None:
    if a is None or b is None:
        return None
    if a == b:
        return 1.0
    families = mode_families()
    family_a, family_b = families.get(a), families.get(b)
    if family_a is not None and family_b is not None and family_a.group == family_b.group:
        return 0.8  # "missile" and "air strike": reporters name one weapon differently
    return 0.3


def _deaths_range(event: Event) -> tuple[int, int] | None:
    if event.fatalities is None:
        return None
    high = event.fatalities_max if event.fatalities_max is not None else event.fatalities
    return (event.fatalities, max(high, event.fatalities))


def _deaths_score(a: Event, b: Event) -> float | None:
    range_a, range_b = _deaths_range(a), _deaths_range(b)
    if range_a is None or range_b is None:
        return None
    if range_a[0] <= range_b[1] and range_b[0] <= range_a[1]:
        return 1.0
    # tolls grow as bodies are found, so a gap lowers the score without ruling a match out
    low, high = min(range_a[1], range_b[1]), max(range_a[0], range_b[0])
    ratio = high / max(low, 1)
    return 0.8 if ratio <= 1.5 else 0.6 if ratio <= 2 else 0.3 if ratio <= 3 else 0.0


def match_score(a: Event, b: Event, config: DedupeConfig = DEFAULT_CONFIG) -> float:
    """How alike two reports are, 0..1 (see the module docstring for the parts).

    Parts one report leaves unknown are left out of the mean rather than counted as half
    alike: honest reports often omit the attacker or the toll. A neutral 0.5 at
    `unknown_weight` keeps a match on the date alone from scoring high.
    """
    parts = [
        (config.weight_date, _date_score(a, b)),
        (config.weight_place, _place_score(a.location, b.location, config)),
        (config.weight_actors / 2, _actor_score(a.actor1, b.actor1)),
        (config.weight_actors / 2, _actor_score(a.actor2, b.actor2)),
        (config.weight_mode, _mode_score(a.mode, b.mode)),
        (config.weight_deaths, _deaths_score(a, b)),
    ]
    known = [(weight, score) for weight, score in parts if score is not None]
    total = sum(weight * score for weight, score in known) + config.unknown_weight * 0.5
    weights = sum(weight for weight, _ in known) + config.unknown_weight
    return round(total / weights, 6)


def is_match(a: Event, b: Event, config: DedupeConfig = DEFAULT_CONFIG) -> bool:
    """Symmetric: the same real event according to blocking and score."""
    return is_candidate(a, b, config) and match_score(a, b, config) >= config.threshold


# ---- clustering ---------------------------------------------------------------------------
def _cluster_order(event: Event) -> tuple[int, date, str]:
    rank = PRECISION_RANK.get(event.date_precision or "day", 0)
    return (rank, event.date or date.min, event.id)


def cluster(reports: Sequence[Event], config: DedupeConfig = DEFAULT_CONFIG) -> list[list[Event]]:
    """Group reports of one real event; the result does not depend on the input order.

    Each cluster is sorted by report id and the clusters by their smallest id.
    """
    unique = {event.id: event for event in reports}
    clusters: list[list[Event]] = []
    for event in sorted(unique.values(), key=_cluster_order):
        best_index, best_score = -1, -1.0
        for index, members in enumerate(clusters):
            if not all(is_candidate(event, member, config) for member in members):
                continue
            score = sum(match_score(event, member, config) for member in members) / len(members)
            # strictly better only, so a tie goes to the cluster that formed first
            if score >= config.threshold and score > best_score:
                best_index, best_score = index, score
        if best_index < 0:
            clusters.append([event])
        else:
            clusters[best_index].append(event)
    ordered = [sorted(members, key=lambda e: e.id) for members in clusters]
    return sorted(ordered, key=lambda members: members[0].id)
