"""Reconciling: one canonical event from the reports of one cluster (eventline.dedupe).

Reconciling (`canonical_event`): the representative report (sentence, span, document) is
the one with the smallest id.
  * deaths: the most specific credible reports are the exact ones (no upper bound above the
    best guess); if none is exact, all known counts count. `fatalities` is the smallest
    best guess among them and `fatalities_max` the largest value when it differs.
  * location: the most precise place (lowest precision number, coordinates known), then
    the place most reports give, then the smallest report id.
  * date: the most precise, then the date most reports give, then the earliest.
  * actors: the most specific (a named group over a description: name > code > country),
    then the most reported, then the smallest report id.
  * mode, CAMEO and ACLED types: the most reported value, ties to the smallest report id.

Reads: the report-level `Event`s of a cluster, or a whole set of them (`deduplicate` clusters
them first). Writes: one canonical `Event` per cluster, with its reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import TypeVar

from eventline.dedupe import (
    DEFAULT_CONFIG,
    PRECISION_RANK,
    DedupeConfig,
    _has_coords,
    _norm,
    _place_key,
    canonical_id,
    cluster,
)
from eventline.model import Actor, DatePrecision, Event, Place

T = TypeVar("T")


# ---- reconciling --------------------------------------------------------------------------
def _pick(
    reports: Sequence[Event],
    value: Callable[[Event], T | None],
    key: Callable[[T], object],
    specificity: Callable[[T], float],
    tiebreak: Callable[[T], object] = lambda _: 0,
) -> T | None:
    """The most specific value, then the most reported (by `key`), then `tiebreak`, then the
    smallest report id."""
    candidates = [(r.id, v) for r in reports if (v := value(r)) is not None]
    if not candidates:
        return None
    votes = Counter(key(v) for _, v in candidates)
    candidates.sort(
        key=lambda item: (-specificity(item[1]), -votes[key(item[1])], tiebreak(item[1]), item[0])
    )
    return candidates[0][1]


def _actor_specificity(actor: Actor) -> float:
    return 4 * bool(actor.name) + 2 * bool(actor.code) + bool(actor.country) + bool(actor.sector)


def _place_specificity(place: Place) -> float:
    precision = place.precision if place.precision is not None else 4
    return 10 * bool(_has_coords(place)) - precision


def _most_reported(values: Iterable[T | None]) -> T | None:
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else None


def reconcile_fatalities(reports: Sequence[Event]) -> tuple[int | None, int | None]:
    """(fatalities, fatalities_max) by the rule in the module docstring."""
    known = [r for r in reports if r.fatalities is not None]
    exact = [r for r in known if r.fatalities_max in (None, r.fatalities)]
    credible = exact or known
    if not credible:
        return (None, None)
    low = min(r.fatalities for r in credible if r.fatalities is not None)
    high = max(max(r.fatalities or 0, r.fatalities_max or 0) for r in credible)
    return (low, high if high > low else None)


def canonical_event(reports: Sequence[Event]) -> Event:
    """One event from the reports of one cluster (the rule is in the module docstring)."""
    if not reports:
        raise ValueError("canonical_event needs at least one report")
    ordered = sorted(reports, key=lambda e: e.id)  # ties go to the smallest id
    representative = ordered[0]

    def dated(e: Event) -> tuple[date, date | None, DatePrecision | None, str | None] | None:
        if e.date is None:
            return None
        return (e.date, e.date_end, e.date_precision, e.date_text)

    when = _pick(
        ordered,
        dated,
        key=lambda d: (d[0], d[1], d[2]),
        specificity=lambda d: -PRECISION_RANK.get(d[2] or "day", 0),
        tiebreak=lambda d: d[0],
    )
    fatalities, fatalities_max = reconcile_fatalities(ordered)
    attributions = sorted({r.attribution for r in ordered if r.attribution})
    return replace(
        representative,
        id=canonical_id(r.id for r in ordered),
        mode=_most_reported(r.mode for r in ordered),
        context=sorted({c for r in ordered for c in r.context}),
        cameo=_most_reported(r.cameo for r in ordered),
        quad_class=_most_reported(r.quad_class for r in ordered),
        acled_event_type=_most_reported(r.acled_event_type for r in ordered),
        acled_sub_event_type=_most_reported(r.acled_sub_event_type for r in ordered),
        actor1=_pick(ordered, lambda e: e.actor1, key=_actor_key, specificity=_actor_specificity),
        actor2=_pick(ordered, lambda e: e.actor2, key=_actor_key, specificity=_actor_specificity),
        date=when[0] if when else None,
        date_end=when[1] if when else None,
        date_precision=when[2] if when else None,
        date_text=when[3] if when else representative.date_text,
        location=_pick(
            ordered, lambda e: e.location, key=_place_key, specificity=_place_specificity
        ),
        fatalities=fatalities,
        fatalities_max=fatalities_max,
        attribution="; ".join(attributions) or None,
        confidence=max(r.confidence for r in ordered),
        report_count=len(ordered),
    )


def _actor_key(actor: Actor) -> str:
    return _norm(actor.name) or actor.code or _norm(actor.text)


def deduplicate(
    reports: Sequence[Event], config: DedupeConfig = DEFAULT_CONFIG
) -> list[tuple[Event, list[Event]]]:
    """Canonical events with their reports, for a whole set of report-level events."""
    return [(canonical_event(members), members) for members in cluster(reports, config)]
