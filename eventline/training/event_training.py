"""Fitting the event model, k-fold by document, with Platt calibration on out-of-fold scores.

    folds = cross_fit(examples)          # one model per fold + out-of-fold readings
    model = fit_final(examples, folds)   # every example; calibrated on all out-of-fold scores

Every split keeps a document's sentences together (`fold_of` hashes the example's group), so
no figure is scored by a model that saw another sentence of the same article. Fitting is
deterministic: sorted inputs, fixed seeds, single-threaded BLAS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from eventline.extraction.event_model import (
    ACLED_HEAD,
    EVENT_HEAD,
    QUAD_HEAD,
    TYPE_PREFIX,
    EventModel,
    Reading,
)
from eventline.extraction.lexicon_features import LexiconAnalyzer
from eventline.extraction.sentence_vectors import SentenceVectors
from eventline.training.event_data import PLOVER_TYPES, Example

FOLDS = 5
SEED = 13


@dataclass(frozen=True)
class Settings:
    """Regularisation and feature sizes, chosen by the k-fold figures (docs/model-card.md)."""

    c_binary: float = 8.0
    c_multiclass: float = 10.0
    word_features: int = 40_000
    char_features: int = 60_000
    lexicon_weight: float = 1.0
    # weight of the dense sentence vectors (eventline.extraction.sentence_vectors) beside
    # the unit-length TF-IDF blocks, for the binary heads and for the multiclass heads; 0
    # leaves them out
    dense_weight: float = 0.5
    multiclass_dense_weight: float = 0.5
    # weight of the contextual encoder's vectors (eventline.extraction.context_vectors), for
    # the binary heads and for the multiclass heads; 0 leaves them out (the cheap model)
    encoder_weight: float = 0.0
    multiclass_encoder_weight: float = 0.0
    # a PLOVER type is reported when its calibrated probability reaches this; per-type
    # thresholds (EventModel.type_thresholds) are chosen on out-of-fold readings from answers
    # of at least this weight, for types with at least this many positives
    type_threshold: float = 0.4
    threshold_min_weight: float = 0.5
    threshold_min_positives: int = 30
    # the multiclass heads learn from the gold sets only (silver QuadClass lowered the
    # ConfliBERT figure from about 0.86 to 0.78, 5-fold)
    multiclass_min_weight: float = 1.0
    multiclass_lexicon_weight: float = 0.5


SETTINGS = Settings()
# the encoder-backed model that re-reads the sentences holding a candidate event
# (eventline.extraction.context_vectors; docs/model-card.md gives the figures of each weight)
CONTEXT_SETTINGS = Settings(encoder_weight=1.0, multiclass_encoder_weight=1.0)


def with_overrides(settings: Settings, pairs: Sequence[str]) -> Settings:
    """`settings` with NAME=VALUE overrides (a trial run of the training script); ValueError
    names an unknown setting or a value of the wrong kind."""
    from dataclasses import fields, replace

    kinds = {f.name: type(getattr(settings, f.name)) for f in fields(settings)}
    changes: dict[str, Any] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in kinds or not value:
            raise ValueError(f"unknown setting {pair!r}; known: {', '.join(sorted(kinds))}")
        try:
            changes[name] = kinds[name](value)
        except ValueError as exc:
            raise ValueError(f"setting {name} needs a {kinds[name].__name__}, not {value!r}") from exc
    return replace(settings, **changes)


def fold_of(group: str, folds: int = FOLDS) -> int:
    """The fold of a document, from its id without the source prefix ("case:", "gsr:"): a
    one-sentence document's id is its text, so a sentence found in two sets is held out from
    both at once."""
    document = group.split(":", 1)[1] if ":" in group else group
    return int(hashlib.sha1(document.encode("utf-8")).hexdigest(), 16) % folds


def build_features(
    settings: Settings = SETTINGS,
    size: int | None = None,
    lexicon_weight: float | None = None,
    dense_weight: float | None = None,
    encoder_weight: float | None = None,
) -> Any:
    """The TF-IDF + lexicon feature union; for `size` training texts the vocabulary is scaled
    to the data (a small gold set gains nothing from rare n-grams of other corpora)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    word_cap = settings.word_features if size is None else min(settings.word_features, 8 * size)
    char_cap = settings.char_features if size is None else min(settings.char_features, 12 * size)
    words = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2 if size is None else 1, sublinear_tf=True, lowercase=True,
        max_features=word_cap, dtype=np.float32,
    )  # fmt: skip
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5) if size is None else (3, 5), min_df=2,
        sublinear_tf=True, lowercase=True, max_features=char_cap, dtype=np.float32,
    )  # fmt: skip
    # lexicon readings: counts scaled to unit length, no idf (a rare reading is no more telling)
    lexicon = TfidfVectorizer(
        analyzer=LexiconAnalyzer(), sublinear_tf=True, use_idf=False, dtype=np.float32
    )
    weight = settings.lexicon_weight if lexicon_weight is None else lexicon_weight
    parts: list[tuple[str, Any]] = [("words", words), ("chars", chars), ("lexicon", lexicon)]
    weights = {"words": 1.0, "chars": 1.0, "lexicon": weight}
    dense = settings.dense_weight if dense_weight is None else dense_weight
    if dense > 0:
        parts.append(("dense", SentenceVectors()))
        weights["dense"] = dense
    encoder = settings.encoder_weight if encoder_weight is None else encoder_weight
    if encoder > 0:
        from eventline.extraction.context_vectors import ContextVectors

        parts.append(("encoder", ContextVectors()))
        weights["encoder"] = encoder
    return FeatureUnion(parts, transformer_weights=weights)


def head_rows(examples: Sequence[Example], head: str) -> tuple[list[int], list[Any], list[float]]:
    """Rows with an answer for `head`, their labels and weights."""
    rows, labels, weights = [], [], []
    for index, example in enumerate(examples):
        answer: tuple[Any, float] | None
        if head == EVENT_HEAD:
            answer = example.event
        elif head == QUAD_HEAD:
            answer = example.quad_class
        elif head == ACLED_HEAD:
            answer = example.acled_sub_event
        else:
            answer = example.plover.get(head[len(TYPE_PREFIX) :])
        if answer is not None:
            rows.append(index)
            labels.append(answer[0])
            weights.append(answer[1])
    return rows, labels, weights


BINARY_HEADS = (EVENT_HEAD, *(TYPE_PREFIX + t for t in PLOVER_TYPES))
MULTICLASS_HEADS = (QUAD_HEAD, ACLED_HEAD)


def fit(examples: Sequence[Example], settings: Settings = SETTINGS) -> EventModel:
    """An uncalibrated model on `examples` (Platt parameters are set by the callers)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    texts = [e.text for e in examples]
    with threadpool_limits(1):
        features = build_features(settings)
        matrix = features.fit_transform(texts)
        heads: dict[str, Any] = {}
        for head in BINARY_HEADS:
            rows, labels, weights = head_rows(examples, head)
            if len(set(labels)) < 2:
                continue
            estimator = LogisticRegression(
                C=settings.c_binary, solver="liblinear", max_iter=2000, random_state=SEED
            )
            estimator.fit(matrix[rows], labels, sample_weight=np.asarray(weights))
            estimator.coef_ = estimator.coef_.astype(np.float32)
            heads[head] = estimator
        for head in MULTICLASS_HEADS:
            estimator = _multiclass_head(examples, head, settings)
            if estimator is not None:
                heads[head] = estimator
    _slim(features)
    info = {"settings": settings.__dict__, "training_size": len(examples)}
    return EventModel(features=features, heads=heads, info=info)


def _multiclass_head(examples: Sequence[Example], head: str, settings: Settings) -> Any:
    """A multinomial head with its own features, fitted on gold and verified silver only: the
    small gold sets' classes would drown in weak labels and other corpora's vocabulary."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    rows, labels, weights = head_rows(examples, head)
    kept = [i for i, w in enumerate(weights) if w >= settings.multiclass_min_weight]
    if len({labels[i] for i in kept}) < 2:
        return None
    features = build_features(
        settings, len(kept), settings.multiclass_lexicon_weight, settings.multiclass_dense_weight,
        settings.multiclass_encoder_weight,
    )  # fmt: skip
    estimator = Pipeline(
        [
            ("features", features),
            (
                "model",
                LogisticRegression(
                    C=settings.c_multiclass, max_iter=3000, class_weight="balanced",
                    random_state=SEED,
                ),
            ),
        ]
    )  # fmt: skip
    estimator.fit(
        [examples[rows[i]].text for i in kept],
        [labels[i] for i in kept],
        model__sample_weight=np.asarray([weights[i] for i in kept]),
    )
    model = estimator.named_steps["model"]
    model.coef_ = model.coef_.astype(np.float32)
    _slim(features)
    return estimator


def _slim(features: Any) -> None:
    """Drop what prediction does not need (every pruned n-gram, most of the pickle's size)."""
    for _, vectorizer in features.transformer_list:
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_


def platt(scores: Sequence[float], labels: Sequence[int], weights: Sequence[float]) -> tuple[float, float]:
    """Platt scaling: (a, b) such that 1 / (1 + exp(-(a s + b))) fits the labels."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    model.fit(np.asarray(scores, dtype=float).reshape(-1, 1), labels, sample_weight=np.asarray(weights))
    return float(model.coef_[0][0]), float(model.intercept_[0])


@dataclass
class CrossFit:
    """Fold models (calibrated without their own fold), each example's fold and its
    out-of-fold reading."""

    models: list[EventModel]
    folds: list[int]
    scores: dict[str, np.ndarray]  # head -> out-of-fold raw score per example
    readings: list[Reading]

    def type_thresholds(self) -> list[dict[str, float]]:
        """Each example's per-type thresholds: those of the fold model that never saw it."""
        return [self.models[fold].type_thresholds() for fold in self.folds]

    def read_held_out(self, rows: Sequence[int], texts: Sequence[str]) -> list[Reading]:
        """`texts[k]`, a changed text of example `rows[k]`, read by the fold model that never
        saw that example: out-of-fold readings of changed text, aligned with `rows`."""
        readings: list[Reading | None] = [None] * len(rows)
        for fold, model in enumerate(self.models):
            mine = [k for k, row in enumerate(rows) if self.folds[row] == fold]
            read = model.read([texts[k] for k in mine], labels=True)
            for k, reading in zip(mine, read, strict=True):
                readings[k] = reading
        return [r for r in readings if r is not None]

    def casing_figures(self, examples: Sequence[Example], threshold: float) -> dict[str, dict[str, float]]:
        """The headline figures with the held-out labelled sentences lower-cased and
        upper-cased (event_figures.case_figures), each type at its fold's threshold;
        TimeBank's unlabelled sentences are left out."""
        from eventline.training import event_figures

        rows = [i for i, e in enumerate(examples) if e.origin != "timebank"]
        chosen = [examples[i] for i in rows]
        thresholds = self.type_thresholds()
        return event_figures.case_figures(
            chosen,
            lambda casing: self.read_held_out(rows, [casing(e.text) for e in chosen]),
            threshold,
            [thresholds[i] for i in rows],
        )


def cross_fit(
    examples: Sequence[Example], settings: Settings = SETTINGS, folds: int = FOLDS, share: float = 1.0
) -> CrossFit:
    """Fold models, each fitted, calibrated and thresholded without its fold; `share` < 1
    trains on that share of the documents only (a learning curve), and every held-out
    document is still read."""
    from threadpoolctl import threadpool_limits

    assignment = [fold_of(e.group, folds) for e in examples]
    trained = [share >= 1.0 or share_of(e.group) < share for e in examples]
    models: list[EventModel] = []
    scores = {head: np.zeros(len(examples)) for head in BINARY_HEADS}
    readings: list[Reading | None] = [None] * len(examples)
    for fold in range(folds):
        inside = [e for e, f, t in zip(examples, assignment, trained, strict=True) if f != fold and t]
        held = [i for i, f in enumerate(assignment) if f == fold]
        model = fit(inside, settings)
        with threadpool_limits(1):
            matrix = model.features.transform([examples[i].text for i in held])
            for head, values in model.decision_values(matrix).items():
                scores[head][held] = values
        models.append(model)
    for fold, model in enumerate(models):
        use = [f != fold and t for f, t in zip(assignment, trained, strict=True)]
        model.platt = calibrate(examples, scores, use)
        held = [i for i, f in enumerate(assignment) if f == fold]
        texts = [examples[i].text for i in held]
        for i, reading in zip(held, model.read(texts, labels=True), strict=True):
            readings[i] = reading
    done = [r for r in readings if r is not None]
    for fold, model in enumerate(models):
        # chosen on the other folds' out-of-fold readings: a fold's figures never see its own
        use = [f != fold and t for f, t in zip(assignment, trained, strict=True)]
        model.info["type_thresholds"] = choose_thresholds(examples, done, use, settings)
    return CrossFit(models, assignment, scores, done)


def share_of(group: str) -> float:
    """A document's place in [0, 1), independent of its fold: the learning curve trains on
    the documents below a share."""
    document = group.split(":", 1)[1] if ":" in group else group
    return int(hashlib.sha1(f"share:{document}".encode()).hexdigest(), 16) % 10_000 / 10_000


THRESHOLD_GRID = tuple(round(0.05 * step, 2) for step in range(2, 19))  # 0.10 ... 0.90


def choose_thresholds(
    examples: Sequence[Example], readings: Sequence[Reading], use: Sequence[bool], settings: Settings
) -> dict[str, float]:
    """Per PLOVER type, the probability threshold with the best F1 over the answers of weight
    >= `threshold_min_weight` (gold and verified silver) among the rows in `use`; a type with
    too few positives keeps the global threshold. Each answer counts once (weights set the
    heads' fit; here an answer is a judgment to get right)."""
    out: dict[str, float] = {}
    for etype in PLOVER_TYPES:
        probabilities, labels = [], []
        for example, reading, chosen in zip(examples, readings, use, strict=True):
            answer = example.plover.get(etype)
            if chosen and answer is not None and answer[1] >= settings.threshold_min_weight:
                probabilities.append(reading.types.get(etype, 0.0))
                labels.append(answer[0])
        p, y = np.asarray(probabilities), np.asarray(labels, dtype=bool)
        if int(y.sum()) < settings.threshold_min_positives:
            continue
        best = max(THRESHOLD_GRID, key=lambda t: (_f1(p >= t, y), -abs(t - settings.type_threshold)))
        out[etype] = best
    return out


def _f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    tp = int((predicted & gold).sum())
    return 2 * tp / (int(predicted.sum()) + int(gold.sum())) if tp else 0.0


def calibrate(
    examples: Sequence[Example], scores: dict[str, np.ndarray], use: Sequence[bool]
) -> dict[str, tuple[float, float]]:
    """Platt parameters per binary head from out-of-fold scores of the rows in `use`."""
    out = {}
    for head, values in scores.items():
        rows, labels, weights = head_rows(examples, head)
        chosen = [(values[r], y, w) for r, y, w in zip(rows, labels, weights, strict=True) if use[r]]
        if chosen:
            s, y, w = zip(*chosen, strict=True)
            out[head] = platt(s, y, w)
    return out


def fit_final(examples: Sequence[Example], crossed: CrossFit, settings: Settings = SETTINGS) -> EventModel:
    model = fit(examples, settings)
    model.platt = calibrate(examples, crossed.scores, [True] * len(examples))
    everything = [True] * len(examples)
    model.info["type_thresholds"] = choose_thresholds(examples, crossed.readings, everything, settings)
    return model
