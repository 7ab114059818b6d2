"""Conflict analysis over coded events: dyads, timelines and tit-for-tat reciprocity.

Every function here is pure: it takes a list of `Event`s (already filtered by the store) and
returns plain dicts ready for JSON. The API and any notebook can call them alike.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from eventline.data_files import data_path, read_csv
from eventline.model import Actor, Event

RANKS_FILE = data_path("escalation_ranks.csv")
ActorKey = Literal["code", "country", "name"]
Interval = Literal["day", "week"]
# An event type with no row in the ranks file sits in the middle: neither mild nor severe.
UNKNOWN_RANK = 50


# ---- severity ranks ----------------------------------------------------------------------
@dataclass(frozen=True)
class SeverityRanks:
    """Severity of PLOVER event types and modes, read from a user-editable CSV."""

    by_type: dict[str, int]
    by_mode: dict[tuple[str, str], int]

    def rank(self, event: Event) -> int:
        event_type = (event.event_type or "").upper()
        if event.mode:
            mode_rank = self.by_mode.get((event_type, event.mode.lower()))
            if mode_rank is not None:
                return mode_rank
        return self.by_type.get(event_type, UNKNOWN_RANK)


def load_ranks(path: Path = RANKS_FILE) -> SeverityRanks:
    """Read a ranks CSV (columns event_type, mode, rank; lines starting with # are notes)."""
    by_type: dict[str, int] = {}
    by_mode: dict[tuple[str, str], int] = {}
    for row in read_csv(path):
        event_type = row["event_type"].strip().upper()
        mode = (row.get("mode") or "").strip().lower()
        rank = int(row["rank"])
        if mode:
            by_mode[(event_type, mode)] = rank
        else:
            by_type[event_type] = rank
    return SeverityRanks(by_type=by_type, by_mode=by_mode)


@lru_cache(maxsize=1)
def default_ranks() -> SeverityRanks:
    return load_ranks()


# ---- actor matching ----------------------------------------------------------------------
def actor_key(actor: Actor | None, by: ActorKey = "code") -> str | None:
    """The label an actor is grouped under; falls back to coarser fields when one is missing."""
    if actor is None:
        return None
    candidates: tuple[str | None, ...]
    if by == "country":
        candidates = (actor.country, actor.code, actor.name, actor.text)
    elif by == "name":
        candidates = (actor.name, actor.text, actor.code, actor.country)
    else:
        candidates = (actor.code, actor.country, actor.name, actor.text)
    return next((value for value in candidates if value), None)


def actor_matches(actor: Actor | None, query: str) -> bool:
    """Whether an actor answers to a query: a code or code prefix (USA matches USAMIL), a
    country code, or a case-insensitive part of its name or text."""
    if actor is None or not query.strip():
        return False
    needle = query.strip().lower()
    if actor.code and actor.code.lower().startswith(needle):
        return True
    if actor.country and actor.country.lower() == needle:
        return True
    return any(needle in value.lower() for value in (actor.name, actor.text) if value)


def _summary(event: Event) -> dict[str, Any]:
    """The few fields a table row needs, so answers stay small."""
    return {
        "id": event.id,
        "date": event.date.isoformat() if event.date else None,
        "event_type": event.event_type,
        "mode": event.mode,
        "actor1": actor_key(event.actor1, "name"),
        "actor2": actor_key(event.actor2, "name"),
        "fatalities": event.fatalities,
    }


# ---- dyads -------------------------------------------------------------------------------
def dyads(events: Iterable[Event], by: ActorKey = "code") -> list[dict[str, Any]]:
    """Directed actor pairs (source -> target) with event counts, most active first.

    Events lacking either actor are left out: a dyad needs both sides.
    """
    groups: dict[tuple[str, str], list[Event]] = defaultdict(list)
    labels: dict[str, Actor] = {}
    for event in events:
        source, target = actor_key(event.actor1, by), actor_key(event.actor2, by)
        # a key is None whenever its actor is, so both actors are known past this test
        if source is None or target is None or event.actor1 is None or event.actor2 is None:
            continue
        groups[(source, target)].append(event)
        labels.setdefault(source, event.actor1)
        labels.setdefault(target, event.actor2)
    rows: list[dict[str, Any]] = []
    for (source, target), members in groups.items():
        dated = sorted(e.date for e in members if e.date is not None)
        rows.append(
            {
                "source": _side_label(source, labels[source]),
                "target": _side_label(target, labels[target]),
                "events": len(members),
                "fatalities": sum(e.fatalities or 0 for e in members),
                "first": dated[0].isoformat() if dated else None,
                "last": dated[-1].isoformat() if dated else None,
                "event_types": dict(Counter(e.event_type for e in members).most_common()),
            }
        )
    rows.sort(key=lambda row: (-row["events"], row["source"]["key"], row["target"]["key"]))
    return rows


def _side_label(key: str, actor: Actor) -> dict[str, Any]:
    return {"key": key, "name": actor.name or actor.text, "country": actor.country}


# ---- timeline ----------------------------------------------------------------------------
def period_start(day: date, interval: Interval) -> date:
    """The first day of the bucket holding `day` (weeks start on Monday, as in ISO 8601)."""
    return day - timedelta(days=day.weekday()) if interval == "week" else day


def timeline(
    events: Iterable[Event], interval: Interval = "week", side: ActorKey = "country"
) -> dict[str, Any]:
    """Event counts per period, split by the acting side (actor1) and PLOVER event type.

    Undated events cannot be placed on a timeline; they are counted in `undated`.
    """
    cells: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    undated = 0
    for event in events:
        if event.date is None:
            undated += 1
            continue
        acting_side = actor_key(event.actor1, side) or "unknown"
        cell = cells[(period_start(event.date, interval), acting_side, event.event_type)]
        cell[0] += 1
        cell[1] += event.fatalities or 0
    buckets: list[dict[str, Any]] = [
        {
            "period": start.isoformat(),
            "side": acting_side,
            "event_type": event_type,
            "events": count,
            "fatalities": deaths,
        }
        for (start, acting_side, event_type), (count, deaths) in sorted(cells.items())
    ]
    side_totals: Counter[str] = Counter()
    for bucket in buckets:
        side_totals[bucket["side"]] += bucket["events"]
    return {
        "interval": interval,
        "side_by": side,
        "buckets": buckets,
        "sides": [name for name, _ in side_totals.most_common()],
        "event_types": sorted({bucket["event_type"] for bucket in buckets}),
        "undated": undated,
    }


# ---- reciprocity -------------------------------------------------------------------------
def _directed(events: Iterable[Event], source: str, target: str) -> list[Event]:
    chosen = [
        e
        for e in events
        if e.date is not None
        and actor_matches(e.actor1, source)
        and actor_matches(e.actor2, target)
    ]
    chosen.sort(key=lambda e: (e.date, e.id))
    return chosen


def _change(action: Event, response: Event, ranks: SeverityRanks) -> str:
    """Did the response go further than the action? Severity rank first, then deaths."""
    action_rank, response_rank = ranks.rank(action), ranks.rank(response)
    if response_rank != action_rank:
        return "escalation" if response_rank > action_rank else "de-escalation"
    action_dead, response_dead = action.fatalities or 0, response.fatalities or 0
    if response_dead != action_dead:
        return "escalation" if response_dead > action_dead else "de-escalation"
    return "same"


def _day(event: Event) -> date:
    """The day of an event the reciprocity figures compare (only dated events reach them)."""
    if event.date is None:
        raise ValueError(f"event {event.id} has no date")
    return event.date


def _responses(
    actions: Sequence[Event], replies: Sequence[Event], window_days: int, ranks: SeverityRanks
) -> dict[str, Any]:
    """Match each action to the first reply on or after its day, within the window."""
    reply_days = [_day(e) for e in replies]
    pairs: list[dict[str, Any]] = []
    unmatched = 0
    for action in actions:
        index = bisect_left(reply_days, _day(action))
        # a reply on the same day is a response only if it is not the action itself
        while index < len(replies) and replies[index].id == action.id:
            index += 1
        if index == len(replies):
            unmatched += 1
            continue
        reply = replies[index]
        lag = (_day(reply) - _day(action)).days
        if lag > window_days:
            unmatched += 1
            continue
        pairs.append(
            {
                "action": _summary(action),
                "response": _summary(reply),
                "lag_days": lag,
                "action_rank": ranks.rank(action),
                "response_rank": ranks.rank(reply),
                "change": _change(action, reply, ranks),
            }
        )
    lags = [pair["lag_days"] for pair in pairs]
    changes = Counter(pair["change"] for pair in pairs)
    return {
        "actions": len(actions),
        "matched": len(pairs),
        "unmatched": unmatched,
        "lags_days": lags,
        "median_lag_days": statistics.median(lags) if lags else None,
        "escalations": changes["escalation"],
        "same_level": changes["same"],
        "de_escalations": changes["de-escalation"],
        "pairs": pairs,
    }


def reciprocity(
    events: Sequence[Event],
    a: str,
    b: str,
    window_days: int = 14,
    ranks: SeverityRanks | None = None,
) -> dict[str, Any]:
    """Tit-for-tat between two sides: how fast, and how hard, each answers the other.

    `b_answers_a` matches every A -> B event to the next B -> A event within `window_days`
    (and `a_answers_b` the other way round). A response escalates when its severity rank
    (see data/escalation_ranks.csv) is higher than the action's, or, at equal rank, when
    it killed more people. `escalated_more` names the side whose responses escalated more
    often, or "neither".
    """
    ranks = ranks or default_ranks()
    a_to_b = _directed(events, a, b)
    b_to_a = _directed(events, b, a)
    b_answers_a = _responses(a_to_b, b_to_a, window_days, ranks)
    a_answers_b = _responses(b_to_a, a_to_b, window_days, ranks)
    if b_answers_a["escalations"] > a_answers_b["escalations"]:
        escalated_more = "b"
    elif a_answers_b["escalations"] > b_answers_a["escalations"]:
        escalated_more = "a"
    else:
        escalated_more = "neither"
    return {
        "a": a,
        "b": b,
        "window_days": window_days,
        "a_to_b_events": len(a_to_b),
        "b_to_a_events": len(b_to_a),
        "b_answers_a": b_answers_a,
        "a_answers_b": a_answers_b,
        "escalated_more": escalated_more,
    }
