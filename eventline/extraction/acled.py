"""ACLED types and CAMEO QuadClass of events from the event model's heads, kept consistent with
each event's PLOVER type.

Reads: events with their PLOVER type and the ACLED sub-event type their trigger (and weapon
cue) gave, and their evidence sentences. Writes, for each event:

- the ACLED sub-event type: the most probable answer of the model's ACLED head among the
  types that fit the event's PLOVER type (eventline/data/acled_compatibility.csv), where it
  is probable enough for how much the trigger's own type says. A generic trigger
  ("attacked" -> Armed clash or Attack, "arrested" -> Other) or no trigger at all says
  little, so the best fitting answer replaces it; a trigger's own specific type yields only
  to a fairly probable answer, and a type set by a weapon cue ("missile", "drone", "tear
  gas") only to a probable one. The head's five types outside ACLED (natural and man-made
  disasters, organised crime, diplomatic events, attribution of responsibility) fit any
  PLOVER type when they are probable enough: they say the event is not political violence
  of ACLED's kind, whatever its trigger. An event whose trigger gave no ACLED type takes
  one of those five only.
- the QuadClass: the more probable, by the model's QuadClass head, of the two classes of its
  PLOVER type's family (cooperation 1-2, conflict 3-4): PLOVER types cut across CAMEO's
  verbal / material line ("reneged on the accord" is REJECT, and material conflict for CAMEO
  coders), so the head says which side, and the type says which family.

The QuadClass head also learned, from hand-coded sentences, what reports no CAMEO event at all
(class 0). An event whose sentence it reads as class 0 (at NO_EVENT_QUAD or more) while the
event's own type probability stays under NO_EVENT_SHARE times that type's threshold is
dropped (`refine_labels` returns the events it keeps): two readings of "nothing happened"
against one weak reading of an event.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eventline.data_files import read_csv
from eventline.extraction.labels import AcledLabels
from eventline.model import Event

log = logging.getLogger(__name__)
GENERIC_SUB_TYPES = {"Armed clash", "Attack", "Other"}
# the head's answer replaces the trigger's type at or above these probabilities (of the best
# answer that fits the event's PLOVER type). Chosen on CASE 2021 (out of fold), where the
# trigger's bar 0.3 -> 0.15 and the bar for types outside ACLED 0.2 -> 0.1 raised weighted F1
# 0.490 -> 0.523; a bar of 0 for every trigger fell to 0.465, so the trigger's own type says
# something the head does not. Picking the head's overall best answer and refusing it when it
# does not fit the PLOVER type (as before) scored 0.508 with the same bars.
MIN_PROBABILITY_GENERIC = 0.0
MIN_PROBABILITY_TRIGGER = 0.15
MIN_PROBABILITY_CUE = 0.5
# a type outside ACLED crosses PLOVER families ("attacked" -> organised crime), so even a
# generic trigger's type yields to one only above this
MIN_PROBABILITY_NOT_ACLED = 0.1
# what set an event's ACLED type (refine_labels)
CUE, TRIGGER, MODEL = "cue", "trigger", "model"
# an event is dropped when the QuadClass head gives its sentence class 0 at NO_EVENT_QUAD or
# more and the event's type probability is under NO_EVENT_SHARE times its type's threshold.
# Full dev sets, out of fold, with the triggerless bar at 1.5 times (decision.py): ConfliBERT
# QuadClass accuracy 0.722 -> 0.738, class-0 sentences given an event 0.579 -> 0.492, PLOVER
# GSR macro-F1 0.647 -> 0.646, CASE 2021 weighted F1 0.532 -> 0.527 (one snippet), VOA
# unchanged. 0.6 / 3 times reached QuadClass 0.757 (class 0 given one 0.379) but cost the
# held-out VOA quotes 0.003-0.005 type macro-F1 (docs/accuracy-notes.md, "The event decision")
NO_EVENT_QUAD, NO_EVENT_SHARE = 0.5, 2.0
# the event type acled_labels.csv gives the head's types that ACLED does not code
NOT_ACLED = "Not ACLED"
ACLED_HEAD, QUAD_HEAD = "acled_sub_event", "quad_class"
FAMILIES = ({1, 2}, {3, 4})


@dataclass(frozen=True)
class Answers:
    """The model's two label heads for one sentence: every label with its probability."""

    sub_types: dict[str, float]
    quad_classes: dict[int, float]


@lru_cache(maxsize=1)
def _compatible() -> frozenset[tuple[str, str]]:
    rows = read_csv("acled_compatibility.csv")
    return frozenset((r["plover_event"], r["acled_event_type"]) for r in rows)


def _classifier():  # noqa: ANN202 - EventModel, imported lazily (scikit-learn is heavy)
    try:
        from eventline.extraction.event_model import EventModel

        return EventModel.load()
    except Exception as exc:  # a missing or unreadable model leaves the rule-based types
        log.warning("event model unavailable (%s); ACLED types come from the rules only", exc)
        return None


def answers_for(model: Any, sentences: Sequence[str]) -> list[Answers]:
    """Each sentence's full answer of the ACLED and QuadClass heads (empty where a head is
    missing)."""
    tables: dict[str, list[dict[Any, float]]] = {}
    for name in (ACLED_HEAD, QUAD_HEAD):
        answer = model.head_probabilities(name, sentences)
        if answer is None:
            tables[name] = [{} for _ in sentences]
            continue
        classes, probabilities = answer
        labels = [str(c) if name == ACLED_HEAD else int(c) for c in classes]
        tables[name] = [dict(zip(labels, map(float, row), strict=True)) for row in probabilities]
    return [
        Answers(sub, quad) for sub, quad in zip(tables[ACLED_HEAD], tables[QUAD_HEAD], strict=True)
    ]


def refine_labels(events: Sequence[Event], evidence: Sequence[str], drop_weak: bool = True) -> list[Event]:
    """Set each event's ACLED types and QuadClass from the model's heads (see the module's
    docstring); `evidence` says what set its ACLED type: CUE (a weapon cue), TRIGGER (the
    trigger word) or MODEL (no trigger word: the event model's PLOVER type). Returns the
    events to keep: with `drop_weak`, all but those the QuadClass head reads no event in
    (`reads_no_event`); without it (a user's verb patterns decide what is an event), all."""
    if not events:
        return []
    shared = _classifier()
    if shared is None:
        return list(events)
    model = shared.candidate_reader()  # the encoder-backed model's heads, when it is on
    # a sentence with several events (one per actor pair, or per trigger) is read once
    sentences = list(dict.fromkeys(e.sentence for e in events))
    read = dict(zip(sentences, answers_for(model, sentences), strict=True))
    labels = AcledLabels.load()
    thresholds = model.type_thresholds()
    kept = []
    for event, kind in zip(events, evidence, strict=True):
        answers = read[event.sentence]
        _set_acled(event, kind, answers.sub_types, labels)
        event.quad_class = quad_in_family(event.quad_class, answers.quad_classes)
        if not (drop_weak and reads_no_event(event, answers, thresholds.get(event.event_type))):
            kept.append(event)
    return kept


def reads_no_event(event: Event, answers: Answers, threshold: float | None) -> bool:
    """Whether the QuadClass head reads no event in the event's sentence (class 0 at
    NO_EVENT_QUAD or more) while the event's type is weak (under NO_EVENT_SHARE times its
    threshold; a type without a threshold is never dropped)."""
    return answers.quad_classes.get(0, 0.0) >= NO_EVENT_QUAD and _weak(event.confidence, threshold)


def _weak(probability: float, threshold: float | None) -> bool:
    """An event type's probability under NO_EVENT_SHARE times its threshold (a type without
    a threshold is never weak)."""
    return threshold is not None and probability < NO_EVENT_SHARE * threshold


def no_event_probabilities(model: Any, sentences: Sequence[str]) -> list[float]:
    """The QuadClass head's probability of class 0 (no event) for each sentence (0 without
    the head)."""
    answer = model.head_probabilities(QUAD_HEAD, sentences) if sentences else None
    if answer is None:
        return [0.0] * len(sentences)
    classes, probabilities = answer
    labels = [int(c) for c in classes]
    if 0 not in labels:
        return [0.0] * len(sentences)
    column = labels.index(0)
    return [float(row[column]) for row in probabilities]


def drops_every_event(types: dict[str, float], no_event: float, thresholds: dict[str, float]) -> bool:
    """Whether `reads_no_event` would drop every event of a sentence the model reads so: an
    event's confidence is the probability of its type, so when the QuadClass head reads no
    event and no type reaches NO_EVENT_SHARE times its threshold, none is kept."""
    return no_event >= NO_EVENT_QUAD and all(_weak(p, thresholds.get(t)) for t, p in types.items())


def quad_in_family(own: int | None, quad_classes: dict[int, float]) -> int | None:
    """The more probable class of the family of `own` (the PLOVER type's QuadClass)."""
    family = next((f for f in FAMILIES if own in f), None)
    if family is None or not quad_classes:
        return own
    return max(sorted(family), key=lambda q: quad_classes.get(q, 0.0))


def _set_acled(event: Event, kind: str, sub_types: dict[str, float], labels: AcledLabels) -> None:
    fitting = {s: p for s, p in sub_types.items() if _fits(event, labels.event_type_of_name(s), p)}
    if not fitting:
        return
    best = max(fitting, key=lambda s: (fitting[s], s))
    if best == event.acled_sub_event_type or fitting[best] < _threshold(event, kind):
        return
    event.acled_event_type, event.acled_sub_event_type = labels.event_type_of_name(best), best


def _fits(event: Event, acled_type: str | None, probability: float) -> bool:
    if acled_type == NOT_ACLED:
        return probability >= MIN_PROBABILITY_NOT_ACLED
    if not event.acled_sub_event_type:
        return False
    return (event.event_type, acled_type) in _compatible()


def _threshold(event: Event, kind: str) -> float:
    if kind == CUE:
        return MIN_PROBABILITY_CUE
    if kind == MODEL or not event.acled_sub_event_type or event.acled_sub_event_type in GENERIC_SUB_TYPES:
        return MIN_PROBABILITY_GENERIC
    return MIN_PROBABILITY_TRIGGER
