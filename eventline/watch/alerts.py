"""Alert rules evaluated over the whole store; each alert a record with a stable id.

An alert's id comes from its rule and what it is about (a window, a dyad's resumption
day, a claim), not from the evidence: events found later for the same window, or event
ids that change when reports merge, never fire it again. The store keeps each id once
(`add_alerts`), so evaluating after every cycle, or again after a restart, fires every
alert exactly once.

Windows of `window_days` days are counted from Monday 1970-01-05, so 1-day windows are
days and 7-day windows are weeks from Monday to Sunday.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from eventline.model import Claim, stable_id
from eventline.store.sql import SQLStore
from eventline.store.watch_state import now_iso
from eventline.watch.rules import Rule

WINDOW_ORIGIN = date(1970, 1, 5)  # a Monday
MAX_EVIDENCE = 200  # event ids one alert lists at most

Fact = dict[str, Any]


def evaluate(rules: Iterable[Rule], store: SQLStore) -> list[dict[str, Any]]:
    """Every alert the rules find in the store now (stored ones included)."""
    rules = list(rules)
    facts = store.event_facts()
    for fact in facts:
        fact["day"] = date.fromisoformat(fact["date"][:10])
    claims = store.claims() if any(rule.when == "claims" for rule in rules) else []
    fired_at = now_iso()
    alerts: list[dict[str, Any]] = []
    for rule in rules:
        matching = [fact for fact in facts if matches(rule, fact)]
        if rule.when == "fatalities":
            found = _fatalities(rule, matching)
        elif rule.when == "dyad_resumes":
            found = _dyad_resumes(rule, matching)
        elif rule.when == "spike":
            found = _spikes(rule, matching)
        else:
            found = _claims(rule, matching, claims)
        for alert in found:
            alerts.append(_record(rule, fired_at, alert))
    return alerts


def matches(rule: Rule, fact: Fact) -> bool:
    if rule.event_type and fact["event_type"] != rule.event_type:
        return False
    countries = (fact["country"], fact["actor1_country"], fact["actor2_country"])
    if rule.country and rule.country not in countries:
        return False
    return not rule.actor or _involves(fact, rule.actor)


def _involves(fact: Fact, actor: str) -> bool:
    wanted = actor.lower()
    for side in ("actor1", "actor2"):
        if (fact[f"{side}_code"] or "").lower() == wanted:
            return True
        if any(wanted in (fact[f"{side}_{part}"] or "").lower() for part in ("name", "text")):
            return True
    return False


def window_of(day: date, days: int) -> tuple[int, date, date]:
    number = (day - WINDOW_ORIGIN).days // days
    start = WINDOW_ORIGIN + timedelta(days=number * days)
    return number, start, start + timedelta(days=days - 1)


def _record(rule: Rule, fired_at: str, found: dict[str, Any]) -> dict[str, Any]:
    subject = found.pop("subject")
    event_ids = sorted(found.pop("event_ids"))[:MAX_EVIDENCE]
    return {
        "kind": "alert",
        "id": stable_id(rule.name, rule.when, subject, prefix="a"),
        "rule": rule.name,
        "when": rule.when,
        "fired_at": fired_at,
        "summary": found.pop("summary"),
        "event_ids": event_ids,
        **rule.filters(),
        **found,
    }


def _period(start: date, end: date) -> str:
    return f"on {start}" if start == end else f"from {start} to {end}"


def _where(rule: Rule) -> str:
    parts = [
        f"in {rule.country}" if rule.country else "",
        f"involving {rule.actor}" if rule.actor else "",
    ]
    return " ".join(part for part in parts if part)


def _fatalities(rule: Rule, facts: list[Fact]) -> list[dict[str, Any]]:
    windows: dict[int, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact["fatalities"]:
            windows[window_of(fact["day"], rule.window_days)[0]].append(fact)
    found = []
    for _number, members in sorted(windows.items()):
        deaths = sum(fact["fatalities"] for fact in members)
        if deaths < rule.at_least:
            continue
        _, start, end = window_of(members[0]["day"], rule.window_days)
        kind = f"{rule.event_type} " if rule.event_type else ""
        summary = (
            f"{rule.name}: {deaths} people killed {_period(start, end)} in {len(members)} "
            f"{kind}event{'s' if len(members) != 1 else ''} {_where(rule)}".rstrip()
            + f" (at least {rule.at_least:g})."
        )
        found.append(_found(f"{start}", summary, members, start, end, deaths, rule.at_least))
    return found


def _found(
    subject: str,
    summary: str,
    members: list[Fact],
    start: date,
    end: date,
    value: float,
    threshold: float,
) -> dict[str, Any]:
    return {
        "subject": subject,
        "summary": summary.replace("  ", " "),
        "event_ids": [fact["id"] for fact in members],
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "value": value,
        "threshold": threshold,
    }


def _actor_key(fact: Fact, side: str) -> str | None:
    return fact[f"{side}_code"] or fact[f"{side}_name"] or fact[f"{side}_text"]


def _dyad_resumes(rule: Rule, facts: list[Fact]) -> list[dict[str, Any]]:
    dyads: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        one, other = _actor_key(fact, "actor1"), _actor_key(fact, "actor2")
        if one and other and one.lower() != other.lower():
            dyads[(min(one, other), max(one, other))].append(fact)
    found = []
    for (one, other), members in sorted(dyads.items()):
        days = sorted({fact["day"] for fact in members})
        for before, day in zip(days, days[1:], strict=False):
            quiet = (day - before).days - 1
            if quiet < rule.quiet_days:
                continue
            evidence = [fact for fact in members if fact["day"] == day]
            summary = (
                f"{rule.name}: {one} and {other} meet again on {day} after {quiet} quiet days "
                f"(last event {before})."
            )
            record = _found(
                f"{one}|{other}|{day}", summary, evidence, day, day, quiet, rule.quiet_days
            )
            record["dyad"] = [one, other]
            found.append(record)
    return found


def _spikes(rule: Rule, facts: list[Fact]) -> list[dict[str, Any]]:
    windows: dict[int, list[Fact]] = defaultdict(list)
    for fact in facts:
        windows[window_of(fact["day"], rule.window_days)[0]].append(fact)
    if not windows:
        return []
    first = min(windows)
    span = max(1, rule.baseline_days // rule.window_days)
    found = []
    for number, members in sorted(windows.items()):
        earlier = [len(windows.get(n, ())) for n in range(max(first, number - span), number)]
        if not earlier:
            continue  # no history before the first window
        median = statistics.median(earlier)
        if len(members) < rule.factor * max(median, 1):
            continue
        _, start, end = window_of(members[0]["day"], rule.window_days)
        summary = (
            f"{rule.name}: {len(members)} events {_period(start, end)} {_where(rule)}, against a "
            f"median of {median:g} per {rule.window_days} days in the {len(earlier) * rule.window_days} "
            f"days before (factor {rule.factor:g})."
        )
        found.append(
            _found(
                f"{start}", summary, members, start, end, len(members), rule.factor * max(median, 1)
            )
        )
    return found


def _claims(rule: Rule, facts: list[Fact], claims: list[Claim]) -> list[dict[str, Any]]:
    found = []
    for claim in claims:
        if claim.count is None or claim.period_start is None:
            continue
        end = claim.period_end or claim.period_start
        counted = [
            fact
            for fact in facts
            if claim.period_start <= fact["day"] <= end
            and (claim.event_type is None or fact["event_type"] == claim.event_type)
            and all(_claim_actor(fact, actor) for actor in (claim.actor1, claim.actor2) if actor)
        ]
        n = len(counted)
        if not (claim.count > rule.factor * n or n > rule.factor * claim.count):
            continue
        what = f"{claim.event_type} events" if claim.event_type else "events"
        summary = (
            f"{rule.name}: a report claims {claim.count} {what} {_period(claim.period_start, end)} "
            f'("{claim.sentence[:160]}"); the store holds {n}.'
        )
        record = _found(
            f"claim|{claim.id}", summary, counted, claim.period_start, end, n, claim.count
        )
        record["claim_id"] = claim.id
        found.append(record)
    return found


def _claim_actor(fact: Fact, actor: Any) -> bool:
    """Whether the event involves the claim's actor (by code, else country, else name)."""
    for side in ("actor1", "actor2"):
        if actor.code and fact[f"{side}_code"] == actor.code:
            return True
        if not actor.code and actor.country and fact[f"{side}_country"] == actor.country:
            return True
        name = (actor.name or actor.text or "").lower()
        if (
            not actor.code
            and not actor.country
            and name
            and name in (fact[f"{side}_name"] or fact[f"{side}_text"] or "").lower()
        ):
            return True
    return False
