"""Which part of a gold (source country, event, target country) triple a record misses.

Each gold record gets one outcome: all its triples found, no event at all, no event of the
gold type, or, for the event of the gold type that gets most of the triple right, what is
wrong with its source and with its target. A side is right (the predicted country is one of
the gold ones, or both name no actor), missing (gold names an actor, the event none), without
a country (the event's actor has none: a sector, a group, a name no dictionary knows),
wrong (another code) or spurious (the event names an actor where gold names none). Records
whose triples are all found may still hold extra triples from other events, which cost
precision; they are counted apart. Pure functions over the scorer's own values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

RIGHT = "right"
MISSING = "missing"
NO_COUNTRY = "no country"
WRONG = "wrong code"
SPURIOUS = "spurious"
SIDE_STATES = (MISSING, NO_COUNTRY, WRONG, SPURIOUS)

ALL_FOUND = "all triples found"
ALL_FOUND_EXTRA = "all found, extra triples"
NO_EVENT = "no event"
WRONG_TYPE = "wrong type"
SOURCE_ONLY = "source wrong, target right"
TARGET_ONLY = "target wrong, source right"
BOTH = "source and target wrong"
SOME_OF_SEVERAL = "one of several joint actors"
OUTCOMES = (
    ALL_FOUND,
    ALL_FOUND_EXTRA,
    NO_EVENT,
    WRONG_TYPE,
    SOURCE_ONLY,
    TARGET_ONLY,
    BOTH,
    SOME_OF_SEVERAL,
)

NO_ACTOR = "---"


def side_state(gold: set[str], predicted: str, has_country: bool | None) -> str:
    """How one side of the best event compares with the gold countries of that side
    (`gold` holds NO_ACTOR when the gold names no actor there; `has_country` is None when
    the event names no actor there)."""
    if predicted in gold:
        return RIGHT
    if has_country is None:
        return MISSING
    if gold == {NO_ACTOR}:
        return SPURIOUS
    return WRONG if has_country else NO_COUNTRY


def record_outcome(
    gold_triples: set[tuple[str, str, str]],
    predicted: Sequence[tuple[tuple[str, str, str], bool | None, bool | None]],
) -> tuple[str, str, str]:
    """(outcome, source state, target state) of one record. `predicted` holds each event's
    triple with whether its source and its target carry a country of their own (None: no
    actor)."""
    found = {triple for triple, _, _ in predicted}
    if gold_triples <= found:
        return (ALL_FOUND if found <= gold_triples else ALL_FOUND_EXTRA), RIGHT, RIGHT
    if not predicted:
        return NO_EVENT, "", ""
    gold_type = next(iter(gold_triples))[1]
    same_type = [p for p in predicted if p[0][1] == gold_type]
    if not same_type:
        return WRONG_TYPE, "", ""
    sources = {s for s, _, _ in gold_triples}
    targets = {t for _, _, t in gold_triples}
    states = [
        (side_state(sources, triple[0], source_has), side_state(targets, triple[2], target_has))
        for triple, source_has, target_has in same_type
    ]
    source, target = max(states, key=lambda pair: (pair[0] == RIGHT) + (pair[1] == RIGHT))
    if source == RIGHT and target == RIGHT:
        return SOME_OF_SEVERAL, source, target
    if target == RIGHT:
        return SOURCE_ONLY, source, target
    if source == RIGHT:
        return TARGET_ONLY, source, target
    return BOTH, source, target


def breakdown(outcomes: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """Counts per outcome, and per state of each side among the records with the right
    type whose triples are not all found."""
    by_outcome = Counter(outcome for outcome, _, _ in outcomes)
    wrong_sides = [o for o in outcomes if o[0] in (SOURCE_ONLY, TARGET_ONLY, BOTH)]
    sources = Counter(source for _, source, _ in wrong_sides if source != RIGHT)
    targets = Counter(target for _, _, target in wrong_sides if target != RIGHT)
    return {
        "records": len(outcomes),
        "outcomes": {name: by_outcome.get(name, 0) for name in OUTCOMES},
        "source": {state: sources.get(state, 0) for state in SIDE_STATES},
        "target": {state: targets.get(state, 0) for state in SIDE_STATES},
    }


def markdown(table: dict[str, Any]) -> str:
    """The breakdown as Markdown tables of counts and shares of all records."""
    total = table["records"] or 1

    def rows(counts: dict[str, int], label: Callable[[str], str]) -> list[str]:
        return [f"| {label(name)} | {n} | {n / total:.3f} |" for name, n in counts.items()]

    lines = [f"| outcome ({table['records']} records) | records | share |", "|---|---|---|"]
    lines += rows(table["outcomes"], str)
    lines += [
        "",
        "| side wrong, of the records with the gold type | records | share |",
        "|---|---|---|",
    ]
    lines += rows(table["source"], lambda state: f"source {state}")
    lines += rows(table["target"], lambda state: f"target {state}")
    return "\n".join(lines)
