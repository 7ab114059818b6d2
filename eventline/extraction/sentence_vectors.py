"""Dense sentence vectors for the event model: the mean of a static token-embedding table.

The table and its tokenizer ship inside the `wordllama` wheel (MIT): a 32,000-token
vocabulary with 256-dimensional vectors distilled from a large language model's embedding
layer (weights/l2_supercat_256.safetensors, tokenizers/l2_supercat_tokenizer_config.json).
Nothing is fetched: both files are read from the installed package, and a missing file is an
error, never a download. The package itself is not imported (its import configures the root
logger and its loader looks for a download cache), only its data files are read.

A sentence's vector is the mean of its tokens' vectors, scaled to unit length: a few
thousand sentences a second on one core, so it runs on every sentence the model reads.
Every text is lower-cased first: the tokenizer is case-sensitive, and the same news arrives
as all-caps headlines and wire slugs, Title Case headlines and lower-cased posts. With the
lower-cased TF-IDF and lexicon features, the model then reads every casing of a sentence
alike (5-fold by document: PLOVER GSR type macro-F1 0.606 lower- or upper-cased against 0.613
as written before; the same figure in every casing since, docs/model-card.md).

`SentenceVectors` is a scikit-learn transformer with no fitted state: pickling it stores no
weights (the event model's artifact stays small), and the table is loaded once per process.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE = "wordllama"
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
DIMENSIONS = 256

# texts whose vectors are kept (1 KB each); past it the store starts afresh
KEPT_VECTORS = 20_000

_lock = threading.Lock()
_table: tuple[Any, np.ndarray] | None = None
_kept: dict[str, np.ndarray] = {}


def package_files() -> tuple[Path, Path]:
    """The shipped weights and tokenizer files; FileNotFoundError saying how to install them."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        weights, tokenizer = Path(location) / WEIGHTS, Path(location) / TOKENIZER
        if weights.is_file() and tokenizer.is_file():
            return weights, tokenizer
    raise FileNotFoundError(
        f"the event model's sentence vectors need the '{PACKAGE}' package with its bundled "
        f"{WEIGHTS.name}; install eventline's dependencies (pip install -e .)"
    )


def embedding_table() -> tuple[Any, np.ndarray]:
    """(tokenizer, vectors as shipped: float16, 16 MB), read from the package once per process."""
    global _table
    with _lock:
        if _table is None:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            weights, tokenizer_file = package_files()
            vectors = np.ascontiguousarray(load_file(str(weights))[TENSOR])
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            _table = (tokenizer, vectors)
        return _table


def encode(texts: Sequence[str]) -> np.ndarray:
    """One unit-length row per text (zeros for a text with no token). A text encoded before
    is not encoded again: the event model's heads read the sentences its main union read
    (`KEPT_VECTORS` texts are kept; a text's row does not depend on the others)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    new = list(dict.fromkeys(t for t in texts if t not in _kept))
    if len(_kept) + len(new) > KEPT_VECTORS:
        _kept.clear()
        new = list(dict.fromkeys(texts))
    if new:
        _kept.update(zip(new, _encoded(new), strict=True))
    for row, text in enumerate(texts):
        out[row] = _kept[text]
    return out


def _encoded(texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    tokenizer, vectors = embedding_table()
    prepared = [t.lower() for t in texts]
    encodings = tokenizer.encode_batch(prepared, add_special_tokens=False)
    for row, encoding in enumerate(encodings):
        ids = np.asarray(encoding.ids, dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < vectors.shape[0])]
        if ids.size:
            mean = vectors[ids].mean(axis=0, dtype=np.float32)  # summed in float32
            norm = float(np.linalg.norm(mean))
            if norm > 0.0:
                out[row] = mean / norm
    return out


class StatelessVectors:
    """A scikit-learn transformer with no fitted state: texts -> rows of `transform`.
    Subclasses say how a text becomes its vector; fitting learns nothing."""

    def fit(self, texts: Sequence[str], y: Any = None) -> StatelessVectors:
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def fit_transform(self, texts: Sequence[str], y: Any = None) -> np.ndarray:
        return self.transform(texts)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {}

    def set_params(self, **params: Any) -> StatelessVectors:
        return self


class SentenceVectors(StatelessVectors):
    """Texts -> dense static sentence vectors."""

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        return encode(list(texts))
