"""ACLED sub-event types from the trained sentence classifier where the trigger says little.

Reads: events whose ACLED sub-event type came from a generic trigger ("attacked" -> Armed
clash or Attack, "arrested" -> Other) and the evidence sentence. Writes: the classifier's ACLED
type when it is confident and fits the event's PLOVER type (eventline/data/acled_compatibility.csv).
Types set by a weapon cue ("missile", "drone", "tear gas") or by a specific trigger are kept:
the rules read the sentence's syntax, the classifier only its words.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Sequence
from functools import lru_cache

from eventline.extraction.lexicon import DATA_DIR
from eventline.model import Event

log = logging.getLogger(__name__)
GENERIC_SUB_TYPES = {"Armed clash", "Attack", "Other"}
# below this probability the classifier's answer is not used (5-fold figures in
# eventline/data/models/README.md: answers above it are right far more often than not)
MIN_PROBABILITY = 0.5


@lru_cache(maxsize=1)
def _compatible() -> frozenset[tuple[str, str]]:
    lines = [
        line
        for line in (DATA_DIR / "acled_compatibility.csv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return frozenset((r["plover_event"], r["acled_event_type"]) for r in csv.DictReader(lines))


def _classifier():  # noqa: ANN202 - SentenceClassifier, imported lazily (scikit-learn is heavy)
    try:
        from eventline.extraction.classifier import SentenceClassifier

        return SentenceClassifier.load()
    except Exception as exc:  # a missing or unreadable model leaves the rule-based types
        log.warning("sentence classifier unavailable (%s); ACLED types come from the rules only", exc)
        return None


def refine_acled_types(events: Sequence[Event], specific: Sequence[bool]) -> None:
    """Set the classifier's ACLED type on events whose type is generic (`specific` False)."""
    todo = [e for e, keep in zip(events, specific, strict=True) if not keep and e.acled_sub_event_type in GENERIC_SUB_TYPES]
    if not todo:
        return
    classifier = _classifier()
    if classifier is None or "acled_sub_event" not in classifier.schemes:
        return
    compatible = _compatible()
    for event, prediction in zip(todo, classifier.predict([e.sentence for e in todo]), strict=True):
        sub_type, probability = prediction["acled_sub_event"]
        event_type = prediction.get("acled_event", (None, 0.0))[0]
        if probability < MIN_PROBABILITY or (event.event_type, event_type) not in compatible:
            continue
        event.acled_event_type, event.acled_sub_event_type = event_type, sub_type
