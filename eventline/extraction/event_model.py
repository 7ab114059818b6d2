"""The learned event model: does a sentence report a political event, of which PLOVER
type(s), with which ACLED sub-event type and CAMEO QuadClass, each with a probability.

One sparse feature space is shared by every decision: TF-IDF over lower-cased word 1-2-grams
and character 2-5-grams inside word boundaries (robust to inflection, case and spelling
without a parse) plus the trigger lexicon's reading of the words
(eventline.extraction.lexicon_features). On it sit logistic regressions, trained with
sample weights (gold above silver, eventline.training.event_data):

- `event`: any political event reported (binary);
- one binary head per PLOVER type (a sentence may hold several events);
- `quad_class`: CAMEO QuadClass 0 (none) to 4 (multinomial);
- `acled_sub_event`: ACLED sub-event type or one of five types ACLED does not code
  (multinomial).
The two multinomial heads are fitted on the gold sets and verified silver only, each with
its own vocabulary scaled to its data.

Each binary head's probability is calibrated by Platt scaling fitted on out-of-fold scores
(eventline.training.event_training), so `confidence` means what it says; the model card
(docs/model-card.md) shows the reliability table. The shipped artifact and its SHA-256 are
written by scripts/train_event_model.py.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eventline.extraction import fast_features
from eventline.extraction.labels import MODELS_DIR, AcledLabels, plover_quad_classes

MODEL_PATH = MODELS_DIR / "event_model.pkl"
HASH_PATH = MODELS_DIR / "event_model.sha256"
# the encoder-backed model (eventline.extraction.context_vectors), which re-reads the sentences
# that hold a candidate event when ENCODER_VARIABLE is "1" (`eventline extract --encoder`)
CONTEXT_PATH = MODELS_DIR / "event_model_context.pkl"
CONTEXT_HASH_PATH = MODELS_DIR / "event_model_context.sha256"
ENCODER_VARIABLE = "EVENTLINE_ENCODER"
EVENT_HEAD = "event"
QUAD_HEAD = "quad_class"
ACLED_HEAD = "acled_sub_event"
TYPE_PREFIX = "plover:"

_lock = threading.Lock()
_shared: EventModel | None = None


@dataclass(frozen=True)
class Reading:
    """The model's answer for one sentence."""

    event: float  # probability that a political event is reported
    types: dict[str, float]  # PLOVER type -> probability that the sentence reports one
    quad_class: tuple[int, float] = (0, 0.0)
    acled_sub_event: tuple[str, float] | None = None
    acled_event: str | None = None

    def ranked_types(self) -> list[tuple[str, float]]:
        return sorted(self.types.items(), key=lambda item: (-item[1], item[0]))

    def top_type(self) -> tuple[str, float]:
        ranked = self.ranked_types()
        return ranked[0] if ranked else ("", 0.0)

    def present_types(self, threshold: float) -> list[tuple[str, float]]:
        """Types at or above `threshold`, most probable first (none: no event)."""
        return [(t, p) for t, p in self.ranked_types() if p >= threshold]


@dataclass
class EventModel:
    """Feature union plus one fitted estimator per head, and Platt parameters per binary head."""

    features: Any = None
    heads: dict[str, Any] = field(default_factory=dict)
    platt: dict[str, tuple[float, float]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    # the encoder-backed model that re-reads the sentences holding a candidate event (None:
    # this model reads them too); never saved with this model, it is an artifact of its own
    context: EventModel | None = None
    # the binary heads stacked for scoring (`_stacked_heads`), with the heads they come from
    _stack: tuple[dict[str, Any], tuple[list[str], Any, Any]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # ---- loading -------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None) -> EventModel:
        """The shipped model, loaded once per process and shared (a swap reaches all users).

        Raises FileNotFoundError naming the training script when the artifact is missing."""
        global _shared
        if path is not None:
            return cls._read(path)
        with _lock:
            if _shared is None:
                _shared = cls._read(MODEL_PATH)
            if not encoder_enabled():
                _shared.context = None
            elif _shared.context is None:
                _shared.context = cls._read(CONTEXT_PATH)
            return _shared

    @classmethod
    def _read(cls, path: Path) -> EventModel:
        if not path.is_file():
            raise FileNotFoundError(
                f"event model {path.name} is missing from eventline/data/models; "
                "rebuild it with: python scripts/train_event_model.py"
            )
        with path.open("rb") as handle:
            payload = pickle.load(handle)  # noqa: S301 - our own package data, hash pinned
        return cls(**payload)

    def save(self, path: Path = MODEL_PATH, hash_path: Path = HASH_PATH) -> str:
        """Write the artifact and its SHA-256; returns the hash."""
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"features": self.features, "heads": self.heads, "platt": self.platt, "info": self.info}
        data = pickle.dumps(payload, protocol=4)
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        hash_path.write_text(f"{digest}  {path.name}\n", encoding="utf-8")
        return digest

    def candidate_reader(self) -> EventModel:
        """The model that reads the sentences holding a candidate event: the encoder-backed
        one when it is on, else this one."""
        return self.context if self.context is not None else self

    # ---- scoring -------------------------------------------------------------------
    @property
    def types(self) -> list[str]:
        return sorted(h[len(TYPE_PREFIX) :] for h in self.heads if h.startswith(TYPE_PREFIX))

    def type_thresholds(self) -> dict[str, float]:
        """PLOVER type -> the probability at which that type is reported, chosen per type on
        out-of-fold readings (best F1); a type missing here uses `type_threshold` of the
        settings."""
        return dict(self.info.get("type_thresholds", {}))

    def decision_values(self, matrix: Any) -> dict[str, Any]:
        """Raw scores of every binary head (what Platt scaling is fitted on). The linear heads
        are scored together, as one product with their stacked weights: one sparse product
        instead of a validated call per head."""
        names, weights, intercepts = self._stacked_heads()
        scores = {}
        if names:
            product = np.asarray(matrix @ weights) + intercepts
            scores = {name: product[:, column] for column, name in enumerate(names)}
        for name, head in self.heads.items():
            if name not in (QUAD_HEAD, ACLED_HEAD) and name not in scores:
                scores[name] = head.decision_function(matrix)
        return scores

    def _stacked_heads(self) -> tuple[list[str], Any, Any]:
        """The binary linear heads' names, weights (features x heads) and intercepts, built
        once per set of heads (a swapped-in fold model gets its own)."""
        cached = self._stack
        if cached is not None and cached[0] is self.heads:
            return cached[1]
        linear = [
            (name, head)
            for name, head in self.heads.items()
            if name not in (QUAD_HEAD, ACLED_HEAD) and getattr(head, "coef_", np.empty((0, 0))).shape[0] == 1
        ]
        names = [name for name, _ in linear]
        weights = np.vstack([head.coef_ for _, head in linear]).T.copy() if linear else np.empty((0, 0))
        intercepts = np.array([float(np.ravel(head.intercept_)[0]) for _, head in linear])
        self._stack = (self.heads, (names, weights, intercepts))
        return self._stack[1]

    def probability(self, name: str, score: float) -> float:
        a, b = self.platt.get(name, (1.0, 0.0))
        return 1.0 / (1.0 + math.exp(-(a * score + b)))

    def read(self, texts: Sequence[str], *, labels: bool = False) -> list[Reading]:
        """One Reading per text (an empty text reads as no event). The QuadClass and ACLED
        heads, which read the text with features of their own, run only with `labels`."""
        if not texts:
            return []
        scores = self.decision_values(fast_features.transform(self.features, list(texts)))
        quads = self._multiclass(QUAD_HEAD, texts, labels)
        subs = self._multiclass(ACLED_HEAD, texts, labels)
        acled = AcledLabels.load()
        out = []
        for row, text in enumerate(texts):
            if not text.strip():
                out.append(Reading(event=0.0, types={}))
                continue
            types = {
                name[len(TYPE_PREFIX) :]: self.probability(name, float(values[row]))
                for name, values in scores.items()
                if name.startswith(TYPE_PREFIX)
            }
            event = (
                self.probability(EVENT_HEAD, float(scores[EVENT_HEAD][row]))
                if EVENT_HEAD in scores
                else 0.0
            )
            quad, sub = quads[row], subs[row]
            out.append(
                Reading(
                    event=event,
                    types=types,
                    quad_class=(int(quad[0]), quad[1]) if quad else (0, 0.0),
                    acled_sub_event=sub,
                    acled_event=acled.event_type_of_name(sub[0]) if sub else None,
                )
            )
        return out

    def _multiclass(self, name: str, texts: Sequence[str], wanted: bool) -> list[Any]:
        answer = self.head_probabilities(name, texts) if wanted else None
        if answer is None:
            return [None] * len(texts)
        classes, probabilities = answer
        best = probabilities.argmax(axis=1)
        return [(str(classes[b]), float(probabilities[i, b])) for i, b in enumerate(best)]

    def head_probabilities(self, name: str, texts: Sequence[str]) -> tuple[Any, Any] | None:
        """A multi-class head's classes and its probability table over `texts` (a row per
        text), or None when the model has no such head."""
        head = self.heads.get(name)
        if head is None:
            return None
        return head.classes_, _predict_proba(head, list(texts))

    def predict(self, texts: list[str]) -> list[dict[str, tuple[str, float]]]:
        """Each text's best label per scheme, as {scheme: (label, probability)}: "plover"
        (the most probable type), "event", "quad_class", "acled_sub_event", "acled_event"."""
        out = []
        for reading in self.read(texts, labels=True):
            row: dict[str, tuple[str, float]] = {
                "plover": reading.top_type(),
                "event": ("1" if reading.event >= 0.5 else "0", reading.event),
                "quad_class": (str(reading.quad_class[0]), reading.quad_class[1]),
            }
            if reading.acled_sub_event is not None:
                row["acled_sub_event"] = reading.acled_sub_event
                if reading.acled_event:
                    row["acled_event"] = (reading.acled_event, reading.acled_sub_event[1])
            out.append(row)
        return out

    @contextmanager
    def swapped(self, other: EventModel) -> Iterator[EventModel]:
        """Temporarily use `other`'s parts in this (shared) instance: the evaluation scores
        each text with the fold model that never saw it."""
        saved = (self.features, self.heads, self.platt, self.info, self.context)
        self.features, self.heads, self.platt, self.info, self.context = (
            other.features, other.heads, other.platt, other.info, other.context,
        )  # fmt: skip
        try:
            yield self
        finally:
            self.features, self.heads, self.platt, self.info, self.context = saved


def enable_encoder() -> None:
    """Turn the encoder-backed reading on for this process and every worker it starts (they
    read ENCODER_VARIABLE from the environment they inherit)."""
    os.environ[ENCODER_VARIABLE] = "1"


def encoder_enabled() -> bool:
    """Whether the encoder-backed model re-reads candidate sentences (ENCODER_VARIABLE "1")."""
    return os.environ.get(ENCODER_VARIABLE) == "1"


def _predict_proba(head: Any, texts: list[str]) -> Any:
    """`head.predict_proba(texts)`; a head that is features then a classifier gets its
    features from eventline.extraction.fast_features (the same matrix, at less cost)."""
    from sklearn.pipeline import Pipeline

    if type(head) is Pipeline and len(head.steps) == 2 and hasattr(head.steps[0][1], "transform"):
        return head.steps[-1][1].predict_proba(fast_features.transform(head.steps[0][1], texts))
    return head.predict_proba(texts)


def quad_of_type(event_type: str) -> int | None:
    return plover_quad_classes().get(event_type)
