"""ACLED sub-event types from the event model, weighed against the trigger's.

Reads: events with the ACLED sub-event type their trigger (and weapon cue) gave, and their
evidence sentences. Writes: the classifier's ACLED type where it is confident enough for how
much the trigger's own type says, and the pair fits the event's PLOVER type
(eventline/data/acled_compatibility.csv). A generic trigger ("attacked" -> Armed clash or
Attack, "arrested" -> Other) says little, so the classifier's best answer replaces it; a
trigger's own specific type yields only to a fairly confident answer, and a type set by a
weapon cue ("missile", "drone", "tear gas") read from the sentence's syntax only to a
confident one. The classifier's five types outside ACLED (natural and man-made disasters,
organised crime, diplomatic events, attribution of responsibility) fit any PLOVER type when
the classifier is at least a little sure of them: they say the event is not political
violence of ACLED's kind, whatever its trigger.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

from eventline.data_files import read_csv
from eventline.model import Event

log = logging.getLogger(__name__)
GENERIC_SUB_TYPES = {"Armed clash", "Attack", "Other"}
# the classifier's answer replaces the rules' type at or above these probabilities; chosen on
# a coarse grid by 5-fold cross-validation on CASE 2021 (eventline/data/models/README.md),
# where lower thresholds for cue-set types cost more than they gain
MIN_PROBABILITY_GENERIC = 0.0
MIN_PROBABILITY_TRIGGER = 0.3
MIN_PROBABILITY_CUE = 0.5
# a type outside ACLED crosses PLOVER families ("attacked" -> organised crime), so even a
# generic trigger's type yields to one only above this
MIN_PROBABILITY_NOT_ACLED = 0.2
# what set an event's ACLED type (refine_acled_types)
CUE, TRIGGER, MODEL = "cue", "trigger", "model"
# the event type acled_labels.csv gives the classifier's types that ACLED does not code
NOT_ACLED = "Not ACLED"


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


def refine_acled_types(events: Sequence[Event], evidence: Sequence[str]) -> None:
    """Weigh the classifier's ACLED type against each event's; `evidence` says what set it:
    CUE (a weapon cue), TRIGGER (the trigger word) or MODEL (no trigger word: the event
    model's PLOVER type, whose usual ACLED type says no more than a generic trigger's)."""
    todo = [(e, kind) for e, kind in zip(events, evidence, strict=True) if e.acled_sub_event_type]
    if not todo:
        return
    classifier = _classifier()
    if classifier is None or "acled_sub_event" not in classifier.heads:
        return
    compatible = _compatible()
    # a sentence with several events (one per actor pair, or per trigger) is read once
    sentences = list(dict.fromkeys(e.sentence for e, _ in todo))
    predictions = dict(
        zip(sentences, classifier.predict(sentences), strict=True)
    )
    for event, kind in todo:
        prediction = predictions[event.sentence]
        sub_type, probability = prediction["acled_sub_event"]
        event_type = prediction.get("acled_event", (None, 0.0))[0]
        if probability < _threshold(event, kind) or sub_type == event.acled_sub_event_type:
            continue
        if event_type == NOT_ACLED:
            if probability < MIN_PROBABILITY_NOT_ACLED:
                continue
        elif (event.event_type, event_type) not in compatible:
            continue
        event.acled_event_type, event.acled_sub_event_type = event_type, sub_type


def _threshold(event: Event, kind: str) -> float:
    if kind == CUE:
        return MIN_PROBABILITY_CUE
    if kind == MODEL or event.acled_sub_event_type in GENERIC_SUB_TYPES:
        return MIN_PROBABILITY_GENERIC
    return MIN_PROBABILITY_TRIGGER
