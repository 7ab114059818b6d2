"""PLOVER gold-standard records: one news sentence each, coded with a PLOVER event type,
source/target actors (text + country code), sometimes a location and a death count.

The records use an older PLOVER vocabulary (DISAPPROVE, DEMAND, FIGHT, INVESTIGATE); gold and
predicted types are both mapped to the current one (eventline/data/models/plover_versions.csv).
Scored: event type accuracy and macro-F1; (source country, event, target country) triples
with set-level P/R/F1 per sentence, and which part of them each record misses
(eventline/evaluation/triple_failures.py); actor text overlap; location and deaths where given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventline.evaluation import metrics, triple_failures
from eventline.extraction.labels import current_plover_event
from eventline.model import Event, Result

FILE_NAME = "plover_gsr/PLOVER_GSR_CAMEO.json"
NO_EVENT = "NONE"
NO_ACTOR = "---"


@dataclass
class GoldActor:
    text: str
    code: str  # ISO alpha-3 country, or IGO / NGO / ...

    @property
    def country(self) -> str:
        return self.code[:3].upper() if self.code else NO_ACTOR


@dataclass
class PloverRecord:
    id: str
    text: str
    event: str
    sources: list[GoldActor] = field(default_factory=list)
    targets: list[GoldActor] = field(default_factory=list)
    location: str | None = None
    dead: int | None = None

    def triples(self) -> set[tuple[str, str, str]]:
        sources = [a.country for a in self.sources] or [NO_ACTOR]
        targets = [a.country for a in self.targets] or [NO_ACTOR]
        return {(s, self.event, t) for s in sources for t in targets}


def load(data_dir: Path, limit: int | None = None) -> list[PloverRecord]:
    """The coded sentences (the leading documentation record is skipped)."""
    raw = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
    records = [_record(item) for item in raw if item.get("text") and item.get("event")]
    return metrics.spread(records, limit)


def _record(item: dict) -> PloverRecord:
    place = item.get("eventLoc")
    location: dict[str, Any] = place if isinstance(place, dict) else {}
    return PloverRecord(
        id=item["id"],
        text=" ".join(item["text"].split()),
        event=current_plover_event(item["event"]),
        sources=_actors(item.get("source")),
        targets=_actors(item.get("target")),
        location=(location.get("name") or "").strip() or None,
        dead=_int_or_none(item.get("dead")),
    )


def _actors(value: object) -> list[GoldActor]:
    """Actors of one role; a few records hold a bare string there instead of a list."""
    if not isinstance(value, list):
        return []
    return [
        GoldActor(text=" ".join(str(a.get("actorText", "")).split()), code=str(a.get("code", "")))
        for a in value
        if isinstance(a, dict)
    ]


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        return None


def main_event(result: Result) -> Event | None:
    """The event a single-event gold sentence is compared with (metrics.main_event_of)."""
    return metrics.main_event_of(result.events)


def actor_country(actor: object) -> str:
    if actor is None:
        return NO_ACTOR
    country = getattr(actor, "country", None) or (getattr(actor, "code", None) or "")[:3]
    return country.upper() if country else NO_ACTOR


def predicted_triples(result: Result) -> set[tuple[str, str, str]]:
    return {triple for triple, _, _ in _event_triples(result)}


def _event_triples(
    result: Result,
) -> list[tuple[tuple[str, str, str], bool | None, bool | None]]:
    """Each event's triple, with whether its source and its target have a country (None:
    the event names no actor there)."""
    return [
        (
            (actor_country(e.actor1), current_plover_event(e.event_type), actor_country(e.actor2)),
            None if e.actor1 is None else bool(e.actor1.country),
            None if e.actor2 is None else bool(e.actor2.country),
        )
        for e in result.events
    ]


def score(records: Sequence[PloverRecord], results: Sequence[Result]) -> dict:
    """All PLOVER GSR figures for pipeline results aligned with `records`."""
    gold_types: list[str] = []
    predicted_types: list[str] = []
    triples = metrics.PRF()
    source_overlap: list[float] = []
    target_overlap: list[float] = []
    location_hits: list[bool] = []
    death_hits: list[bool] = []
    outcomes: list[tuple[str, str, str]] = []
    for record, result in zip(records, results, strict=True):
        events = _event_triples(result)
        outcomes.append(triple_failures.record_outcome(record.triples(), events))
        event = main_event(result)
        predicted = current_plover_event(event.event_type) if event else NO_EVENT
        gold_types.append(record.event)
        predicted_types.append(predicted)
        triples.add(metrics.set_prf(record.triples(), {triple for triple, _, _ in events}))
        if record.sources:
            source_overlap.append(_best_overlap(record.sources, event.actor1 if event else None))
        if record.targets:
            target_overlap.append(_best_overlap(record.targets, event.actor2 if event else None))
        if record.location:
            location_hits.append(_same_place(record.location, event))
        if record.dead is not None:
            death_hits.append(event is not None and event.fatalities == record.dead)
    labels = sorted(set(gold_types))
    return {
        "n": len(gold_types),
        "event_type_accuracy": round(metrics.accuracy(gold_types, predicted_types), 4),
        "event_type_macro_f1": round(metrics.macro_f1(gold_types, predicted_types, labels), 4),
        **triples.as_dict("triple_"),
        "triple_failures": triple_failures.breakdown(outcomes),
        "source_text_overlap": _mean(source_overlap),
        "target_text_overlap": _mean(target_overlap),
        "location_accuracy": _mean(location_hits),
        "location_n": len(location_hits),
        "deaths_accuracy": _mean(death_hits),
        "deaths_n": len(death_hits),
        "confusions": metrics.confusions(gold_types, predicted_types, [r.text for r in records]),
    }


def _best_overlap(gold: Sequence[GoldActor], predicted: object) -> float:
    text = getattr(predicted, "text", "") or ""
    return max(metrics.token_overlap(a.text, text) for a in gold)


def _same_place(gold_name: str, event: Event | None) -> bool:
    if event is None or event.location is None:
        return False
    gold = gold_name.lower()
    names = [event.location.name or "", event.location.text or ""]
    return any(n and (gold in n.lower() or n.lower() in gold) for n in names)


def _mean(values: Sequence[float | bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None
