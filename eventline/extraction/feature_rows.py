"""Rows of named features (one dict per token or candidate) as the matrix a fitted
scikit-learn `DictVectorizer` gives, and a binary logistic regression's probabilities on it.

The span tagger and the target ranker score a few dozen rows at a time, thousands of times per
corpus. Through scikit-learn, each call validates every value of every row and the fitted
estimator's input again, which costs more than the product itself. Here the matrix is built
straight from the vectoriser's vocabulary, exactly as its `transform` builds it (a string value
names the feature `name=value` with value 1, a feature it never saw is left out, columns in
order within a row), and scored with the estimator's own weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def feature_matrix(vectorizer: Any, rows: Sequence[dict[str, Any]]) -> Any:
    """`vectorizer.transform(rows)` for a fitted `DictVectorizer` (sparse output)."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    vocabulary = vectorizer.vocabulary_
    separator = vectorizer.separator
    column_of = vocabulary.get
    indices: list[int] = []
    values: list[Any] = []
    pointers = [0]
    for row in rows:
        for name, value in row.items():
            if value.__class__ is str:  # as the vectoriser reads a string value
                name, value = f"{name}{separator}{value}", 1
            column = column_of(name)
            if column is not None:
                indices.append(column)
                values.append(value)
        pointers.append(len(indices))
    matrix = csr_matrix(
        (np.asarray(values, dtype=vectorizer.dtype), np.asarray(indices, dtype=np.intc), np.asarray(pointers)),
        shape=(len(rows), len(vocabulary)),
    )
    matrix.sort_indices()
    return matrix


def positive_probabilities(model: Any, matrix: Any) -> Any:
    """`model.predict_proba(matrix)[:, 1]` for a fitted binary `LogisticRegression`: the
    logistic function of its decision value."""
    from scipy.special import expit  # type: ignore[import-untyped]

    scores = np.asarray(matrix @ model.coef_.T) + model.intercept_
    return expit(scores.ravel())
