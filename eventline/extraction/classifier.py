"""A small trained sentence classifier: PLOVER event type, ACLED sub-event type and CAMEO
QuadClass for one sentence, each with a probability.

It complements the rule-based trigger lexicon: the extractor can ask it when a trigger is
ambiguous or when no trigger fires, and weigh its answer by the probability. The model is
TF-IDF over word 1-2-grams and character 3-5-grams (robust to inflection without needing a
parse) plus the trigger lexicon's own reading of the words (`LexiconAnalyzer`: which PLOVER
event, ACLED type, QuadClass and weapon cue each word names), feeding a class-balanced
logistic regression per scheme, so probabilities come for free. The lexicon features carry
what the hand-made lexicon knows to label sets of a few hundred sentences, which alone
cannot teach that "shelled" and "bombarded" are the same event. The shipped artifact is
rebuilt by scripts/train_classifier.py; see eventline/data/models/README.md for its data
and cross-validated figures.
"""

from __future__ import annotations

import csv
import pickle
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventline.data_files import data_path

MODELS_DIR = data_path("models")
MODEL_PATH = MODELS_DIR / "sentence_classifier.pkl"
ACLED_LABELS_PATH = MODELS_DIR / "acled_labels.csv"
PLOVER_QUAD_PATH = MODELS_DIR / "plover_quad_class.csv"
PLOVER_VERSIONS_PATH = MODELS_DIR / "plover_versions.csv"

# Schemes the classifier predicts. "acled_sub_event" labels are ACLED sub-event type names
# ("Armed clash"); "acled_event" is derived from it; "quad_class" labels are "0".."4".
SCHEMES = ("plover", "acled_sub_event", "quad_class")
DERIVED_SCHEMES = ("acled_event",)

_lock = threading.Lock()
_shared: SentenceClassifier | None = None


@dataclass(frozen=True)
class LabelledText:
    """One training example: a sentence or snippet, the scheme it is labelled in, the label."""

    text: str
    scheme: str
    label: str
    origin: str = ""  # the corpus it came from, for the model card


class AcledLabels:
    """ACLED sub-event types with their short codes (as used by CASE 2021) and event types."""

    def __init__(self, rows: Sequence[dict[str, str]]) -> None:
        self._name_by_code = {r["code"]: r["sub_event_type"] for r in rows}
        self._group_by_code = {r["code"]: r["event_type"] for r in rows}
        self._code_by_key = {}
        for r in rows:
            self._code_by_key[_key(r["code"])] = r["code"]
            self._code_by_key[_key(r["sub_event_type"])] = r["code"]

    @classmethod
    def load(cls, path: Path = ACLED_LABELS_PATH) -> AcledLabels:
        return _acled_labels(str(path))

    @property
    def codes(self) -> list[str]:
        return list(self._name_by_code)

    def code_for(self, name_or_code: str | None) -> str | None:
        """The short code for a sub-event type name or code, in any case; None if unknown."""
        return self._code_by_key.get(_key(name_or_code or ""))

    def name_of(self, code: str) -> str:
        return self._name_by_code.get(code, code)

    def group_of(self, code: str) -> str:
        """The ACLED event type of a code; codes outside the table are their own group."""
        return self._group_by_code.get(code, code)

    def event_type_of_name(self, sub_event_type: str) -> str | None:
        code = self.code_for(sub_event_type)
        return self._group_by_code.get(code) if code else None


@lru_cache(maxsize=4)
def _acled_labels(path: str) -> AcledLabels:
    with open(path, encoding="utf-8", newline="") as handle:
        return AcledLabels(list(csv.DictReader(handle)))


@lru_cache(maxsize=4)
def plover_quad_classes(path: str = str(PLOVER_QUAD_PATH)) -> dict[str, int]:
    """PLOVER event type -> CAMEO QuadClass (1 verbal coop ... 4 material conflict)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["plover_event"]: int(row["quad_class"]) for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def _plover_versions() -> dict[str, str]:
    with PLOVER_VERSIONS_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["older_event"]: row["current_event"] for row in csv.DictReader(handle)}


def current_plover_event(event: str) -> str:
    """An event type in the current PLOVER vocabulary (older names such as DISAPPROVE or
    FIGHT, still used by some gold data, are mapped to their successors)."""
    name = event.strip().upper()
    return _plover_versions().get(name, name)


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@dataclass(frozen=True)
class SchemeSettings:
    """How one scheme's model is fitted: regularisation and the weight of lexicon features."""

    c: float = 10.0
    lexicon_weight: float = 1.0


# chosen by 5-fold cross-validation on the dev gold sets (scripts/train_classifier.py prints
# the figures): the PLOVER set is small and its types follow the lexicon closely, so the
# lexicon's reading weighs more there than for the ACLED types, whose weapon words matter more
SETTINGS: dict[str, SchemeSettings] = {
    "plover": SchemeSettings(c=10.0, lexicon_weight=2.0),
    "acled_sub_event": SchemeSettings(c=10.0, lexicon_weight=0.5),
    "quad_class": SchemeSettings(c=10.0, lexicon_weight=0.5),
}

_WORD = re.compile(r"[a-z][a-z'-]*")
# inflection endings tried when looking a word up in the lexicon, with what replaces them
_ENDINGS = (
    ("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""),
    ("ing", ""), ("ing", "e"),
)  # fmt: skip


def lemma_candidates(word: str) -> list[str]:
    """The word and the bases it may be an inflection of ("shelled" -> shell, "raids" -> raid),
    without a parse: the lexicon decides which of them is a real trigger."""
    out = [word]
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)] + replacement
            out.append(stem)
            if ending in ("ed", "ing") and len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "shelled" -> shell, "bombing" -> bomb
    return list(dict.fromkeys(out))


class LexiconAnalyzer:
    """Text -> the trigger lexicon's labels for its words, as feature tokens.

    A word the lexicon knows as a trigger yields its PLOVER event, mode, ACLED event and
    sub-event type, QuadClass and CAMEO root; a weapon cue yields its ACLED sub-event type and
    mode; multiword triggers ("call for", "hunger strike") count as one. Stateless, so the
    pickled model reads the lexicon as it is when it runs.
    """

    def __call__(self, text: str) -> list[str]:
        from eventline.extraction.lexicon import get_lexicon

        lexicon = get_lexicon()
        words = _WORD.findall(text.lower())
        features: list[str] = []
        for i, word in enumerate(words):
            candidates, opens_multiword, own = _reading(lexicon, word)
            if opens_multiword:
                multi = self._multiword(lexicon, candidates, words, i + 1)
                if multi is not None:
                    features += [*_type_features(multi), f"multi={multi.event_type}"]
            features += own
        return features

    @staticmethod
    def _multiword(lexicon: Any, candidates: Sequence[str], words: list[str], following: int) -> Any:
        """The longest multiword trigger whose first word is one of `candidates` (its first
        word may be inflected) and whose other words start at `following`."""
        for n in range(lexicon.max_multi, 1, -1):
            tail = tuple(words[following : following + n - 1])
            if len(tail) < n - 1:
                continue
            for candidate in candidates:
                entry = lexicon.multi.get((candidate, *tail))
                if entry is not None:
                    return entry
        return None


# news vocabulary is small: a word's reading is computed once per process, not per sentence
@lru_cache(maxsize=1 << 16)
def _reading(lexicon: Any, word: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """A word's bases, whether one of them opens a multiword trigger, and the features its
    bases give on their own: the first trigger among them, and the first weapon cue."""
    candidates = tuple(lemma_candidates(word))
    own: list[str] = []
    for candidate in candidates:
        hit = lexicon.single.get((candidate, "VERB")) or lexicon.single.get((candidate, "NOUN"))
        if hit is not None:
            own += _type_features(hit)
            break
    cue = next((lexicon.cues[c] for c in candidates if c in lexicon.cues), None)
    if cue is not None:
        own += [f"cue={cue.acled_sub_event_type}", f"cue_mode={cue.mode}"]
    opens_multiword = any(c in lexicon.multi_starts for c in candidates)
    return candidates, opens_multiword, tuple(own)


def _type_features(entry: Any) -> list[str]:
    return [
        f"event={entry.event_type}",
        f"event_mode={entry.event_type}/{entry.mode}",
        f"acled={entry.acled_event_type}",
        f"sub={entry.acled_sub_event_type}",
        f"quad={entry.quad_class}",
        f"cameo={entry.cameo[:2]}",
    ]


def build_estimator(c: float = 10.0, size: int = 2000, lexicon_weight: float = 1.0) -> Any:
    """A fresh, untrained text classifier (scikit-learn pipeline) for `size` training texts.

    The vocabulary grows with the data (small sets gain nothing from rare n-grams, and the
    shipped file stays small)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    parts: list[tuple[str, Any]] = [
        (
            "words",
            TfidfVectorizer(
                ngram_range=(1, 2),
                min_df=1,
                sublinear_tf=True,
                lowercase=True,
                max_features=min(8_000, 8 * size),
            ),
        ),
        (
            "chars",
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(3, 5),
                min_df=2,
                sublinear_tf=True,
                lowercase=True,
                max_features=min(12_000, 12 * size),
            ),
        ),
    ]
    weights = {"words": 1.0, "chars": 1.0}
    if lexicon_weight > 0:
        # counts scaled to unit length, no idf: a rare lexicon label is not more telling
        lexicon = TfidfVectorizer(analyzer=LexiconAnalyzer(), sublinear_tf=True, use_idf=False)
        parts.append(("lexicon", lexicon))
        weights["lexicon"] = lexicon_weight
    features = FeatureUnion(parts, transformer_weights=weights)
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    return Pipeline([("features", features), ("model", model)])


def _slimmed(estimator: Any) -> Any:
    """Drop what prediction does not need: the vectorizers keep every pruned n-gram in
    `stop_words_` (most of the pickle's size otherwise)."""
    for _, vectorizer in estimator.named_steps["features"].transformer_list:
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_
    # single precision halves the coefficients; probabilities do not change visibly
    model = estimator.named_steps["model"]
    model.coef_ = model.coef_.astype("float32")
    return estimator


@dataclass
class SentenceClassifier:
    """One trained model per scheme, plus facts about how they were built."""

    models: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> SentenceClassifier:
        """The shipped model, loaded once per process and shared (so a swap reaches all users).

        Raises FileNotFoundError naming the rebuild script when the artifact is missing.
        """
        global _shared
        if path is not None:
            return cls._read(path)
        with _lock:
            if _shared is None:
                _shared = cls._read(MODEL_PATH)
            return _shared

    @classmethod
    def _read(cls, path: Path) -> SentenceClassifier:
        if not path.is_file():
            raise FileNotFoundError(
                f"classifier model {path.name} is missing from eventline/data/models; "
                "rebuild it with: python scripts/train_classifier.py"
            )
        with path.open("rb") as handle:
            payload = pickle.load(handle)  # noqa: S301 - our own package data
        return cls(models=payload["models"], info=payload.get("info", {}))

    @classmethod
    def train(cls, examples: Sequence[LabelledText], c: float | None = None) -> SentenceClassifier:
        """Fit one model per scheme found in `examples` (settings from SETTINGS, or `c` for all)."""
        by_scheme: dict[str, tuple[list[str], list[str]]] = {}
        for example in examples:
            texts, labels = by_scheme.setdefault(example.scheme, ([], []))
            texts.append(example.text)
            labels.append(example.label)
        models = {}
        used: dict[str, dict[str, float]] = {}
        for scheme, (texts, labels) in by_scheme.items():
            if len(set(labels)) < 2:
                continue
            settings = SETTINGS.get(scheme, SchemeSettings())
            if c is not None:
                settings = replace(settings, c=c)
            estimator = build_estimator(settings.c, len(texts), settings.lexicon_weight)
            estimator.fit(texts, labels)
            models[scheme] = _slimmed(estimator)
            used[scheme] = asdict(settings)
        sizes = {scheme: len(texts) for scheme, (texts, _) in by_scheme.items()}
        return cls(models=models, info={"training_sizes": sizes, "settings": used})

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            pickle.dump({"models": self.models, "info": self.info}, handle, protocol=4)

    @property
    def schemes(self) -> list[str]:
        return list(self.models)

    def labels(self, scheme: str) -> list[str]:
        return [str(label) for label in self.models[scheme].classes_]

    def predict(
        self, texts: list[str], schemes: Sequence[str] | None = None
    ) -> list[dict[str, tuple[str, float]]]:
        """For each text: {scheme: (label, probability)} for every scheme the model knows (or
        only those in `schemes`)."""
        if not texts:
            return []
        out: list[dict[str, tuple[str, float]]] = [{} for _ in texts]
        for scheme, estimator in self.models.items():
            if schemes is not None and scheme not in schemes:
                continue
            probabilities = estimator.predict_proba(texts)
            classes = estimator.classes_
            for row, distribution in zip(out, probabilities, strict=True):
                best = int(distribution.argmax())
                row[scheme] = (str(classes[best]), float(distribution[best]))
        if any("acled_sub_event" in row for row in out):
            labels = AcledLabels.load()
            for row in out:
                name, probability = row["acled_sub_event"]
                group = labels.event_type_of_name(name)
                if group:
                    row["acled_event"] = (group, probability)
        return out

    @contextmanager
    def swapped(self, other: SentenceClassifier) -> Iterator[SentenceClassifier]:
        """Temporarily use `other`'s models in this (shared) instance.

        The evaluation uses this to score with models that never saw the scored texts
        (k-fold), while the extractor keeps the instance it loaded once.
        """
        saved_models, saved_info = self.models, self.info
        self.models, self.info = dict(other.models), dict(other.info)
        try:
            yield self
        finally:
            self.models, self.info = saved_models, saved_info
