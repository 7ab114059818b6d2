"""The event model's feature union at scoring time: the same matrix scikit-learn's
`FeatureUnion.transform` gives, at less cost per sentence.

The character n-grams (`analyzer="char_wb"`) are the dearest part of the union: scikit-learn
cuts every word of every sentence into its 2- to 5-grams and looks each up, in Python. A
`char_wb` n-gram never crosses a word (each word is padded with one space on each side and
cut alone), so a sentence's counts are the sum of its words' counts: the columns of each
word are found once and kept (`WORD_CACHE_SIZE` words per vectoriser), and the TF-IDF
weighting is the vectoriser's own. Every other part, and any union this module does not
recognise, is transformed by scikit-learn itself.

The pipeline scores the same sentence with three unions (the event model's, then its
QuadClass and ACLED heads', each with its own vocabulary), whose word and lexicon parts cut a
text into the same tokens. A text's analysis (its word n-grams as scikit-learn's analyser
gives them, or the trigger lexicon's feature tokens) is kept per kind of analyser
(`ANALYSED_CACHE_SIZE` texts), so the later unions only look its tokens up in their own
vocabularies.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

# words whose n-gram columns are kept per vectoriser; past it the cache starts afresh, so
# memory stays bounded whatever the input (news uses far fewer distinct words)
WORD_CACHE_SIZE = 200_000
# texts whose analysis is kept per kind of analyser (bounded as the word cache is)
ANALYSED_CACHE_SIZE = 20_000

_lock = threading.Lock()
_word_columns: weakref.WeakKeyDictionary[Any, dict[str, list[int]]] = weakref.WeakKeyDictionary()
_analysed: dict[tuple[Any, ...], dict[str, tuple[str, ...]]] = {}


def transform(union: Any, texts: Sequence[str]) -> Any:
    """`union.transform(texts)`, with the `char_wb` TF-IDF parts counted word by word."""
    from scipy import sparse  # type: ignore[import-untyped]
    from sklearn.pipeline import FeatureUnion

    if type(union) is not FeatureUnion or union.n_jobs not in (None, 1):
        return union.transform(texts)
    weights = union.transformer_weights or {}
    parts = []
    for name, transformer in union.transformer_list:
        if transformer == "drop":
            continue
        if transformer == "passthrough":
            return union.transform(texts)
        shared = _shared_analysis(transformer)
        if _plain_char_wb(transformer):
            matrix = _char_tfidf(transformer, texts)
        elif shared is not None:
            matrix = _analysed_tfidf(transformer, texts, shared)
        else:
            matrix = transformer.transform(texts)
        weight = weights.get(name)
        parts.append(matrix if weight is None else matrix * weight)
    if not any(sparse.issparse(part) for part in parts):
        return np.hstack(parts)
    return sparse.hstack(parts).tocsr()


def _plain_char_wb(transformer: Any) -> bool:
    """A fitted TF-IDF vectoriser of `char_wb` n-grams with scikit-learn's own preprocessing."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return (
        type(transformer) is TfidfVectorizer
        and transformer.analyzer == "char_wb"
        and transformer.input == "content"
        and transformer.lowercase
        and transformer.preprocessor is None
        and transformer.strip_accents is None
        and not transformer.binary
        and hasattr(transformer, "vocabulary_")
        and hasattr(transformer, "_tfidf")
    )


def _fitted_tfidf(transformer: Any) -> bool:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return (
        type(transformer) is TfidfVectorizer
        and transformer.input == "content"
        and not transformer.binary
        and hasattr(transformer, "vocabulary_")
        and hasattr(transformer, "_tfidf")
    )


def _shared_analysis(transformer: Any) -> tuple[Any, ...] | None:
    """What a fitted TF-IDF vectoriser's analysis of a text depends on, when another union's
    vectoriser may share it: plain word n-grams (token pattern, n-gram range) or the trigger
    lexicon's tokens (the lexicon in use); None for any other vectoriser."""
    from eventline.extraction.lexicon import get_lexicon
    from eventline.extraction.lexicon_features import LexiconAnalyzer

    if not _fitted_tfidf(transformer):
        return None
    if type(transformer.analyzer) is LexiconAnalyzer:
        return ("lexicon", id(get_lexicon()))
    plain = (
        transformer.analyzer == "word"
        and transformer.lowercase
        and transformer.preprocessor is None
        and transformer.tokenizer is None
        and transformer.stop_words is None
        and transformer.strip_accents is None
    )
    return ("word", transformer.token_pattern, tuple(transformer.ngram_range)) if plain else None


def _analysed_tfidf(vectorizer: Any, texts: Sequence[str], key: tuple[Any, ...]) -> Any:
    """The vectoriser's TF-IDF matrix of `texts`, from each text's kept analysis."""
    analyse = vectorizer.build_analyzer()
    with _lock:
        kept = _analysed.setdefault(key, {})
    vocabulary = vectorizer.vocabulary_
    rows = []
    for text in texts:
        tokens = kept.get(text)
        if tokens is None:
            if len(kept) > ANALYSED_CACHE_SIZE:
                kept.clear()
            tokens = kept[text] = tuple(analyse(text))
        rows.append([vocabulary[token] for token in tokens if token in vocabulary])
    return vectorizer._tfidf.transform(_count_matrix(rows, len(vocabulary), vectorizer.dtype), copy=False)


def _count_matrix(rows: Sequence[list[int]], width: int, dtype: Any) -> Any:
    """Rows of column numbers (a column once per occurrence) as a sparse matrix of counts,
    columns sorted within a row, as scikit-learn's vectorisers count them."""
    from scipy import sparse

    indices: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    pointers = [0]
    for columns in rows:
        unique, times = np.unique(np.asarray(columns, dtype=np.int64), return_counts=True)
        indices.append(unique)
        counts.append(times)
        pointers.append(pointers[-1] + len(unique))
    return sparse.csr_matrix(
        (
            np.concatenate(counts) if counts else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
            np.asarray(pointers, dtype=np.int64),
        ),
        shape=(len(rows), width),
        dtype=dtype,
    )


def _char_tfidf(vectorizer: Any, texts: Sequence[str]) -> Any:
    """The vectoriser's TF-IDF matrix of `texts`, its counts summed from cached word columns."""
    with _lock:
        cache = _word_columns.setdefault(vectorizer, {})
    vocabulary = vectorizer.vocabulary_
    low, high = vectorizer.ngram_range
    rows = []
    for text in texts:
        if len(cache) > WORD_CACHE_SIZE:
            cache.clear()
        columns: list[int] = []
        for word in text.lower().split():
            found = cache.get(word)
            if found is None:
                found = cache[word] = _columns(word, vocabulary, low, high)
            columns.extend(found)
        rows.append(columns)
    return vectorizer._tfidf.transform(_count_matrix(rows, len(vocabulary), vectorizer.dtype), copy=False)


def _columns(word: str, vocabulary: dict[str, int], low: int, high: int) -> list[int]:
    """The vocabulary columns of a word's n-grams, as scikit-learn's `char_wb` analyser cuts
    them (a word no longer than n, padded, gives one n-gram, itself, and no longer ones)."""
    padded = " " + word + " "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if size <= n:
            grams.append(padded)
            break
        grams.extend([padded[i : i + n] for i in range(size - n + 1)])
    column_of = vocabulary.get
    return [column for column in map(column_of, grams) if column is not None]
