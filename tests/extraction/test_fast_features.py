"""The event model's features at scoring time equal scikit-learn's own, entry for entry."""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from eventline.extraction import fast_features
from eventline.extraction.event_model import EventModel

TEXTS = [
    "Government forces shelled rebel positions near the town on Monday.",
    "POLICE ARREST 12 IN NAIROBI",
    "a",
    "",
    "   ",
    "Über-Straße İstanbul ß ﬁ naïve",
    "tabs\tand\nline breaks  and\u00a0no-break spaces",
    "The killing of three protesters angered the town. The killing went on.",
]


def _same(a, b) -> None:
    assert a.shape == b.shape
    assert abs(a - b).max() == 0


def test_the_shipped_union_gives_the_same_matrix() -> None:
    union = EventModel.load().features
    _same(fast_features.transform(union, TEXTS), union.transform(TEXTS))
    _same(fast_features.transform(union, TEXTS[:1]), union.transform(TEXTS[:1]))  # words now cached


def test_a_small_union_with_weights_and_a_dropped_part() -> None:
    corpus = ["rebels attacked the town", "talks in the capital", "the army shelled a village", "a quiet day"]
    union = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)),
            ("words", TfidfVectorizer()),
            ("unused", "drop"),
        ],
        transformer_weights={"chars": 0.5},
    ).fit(corpus)
    texts = [*corpus, "unseen words entirely", "x"]
    _same(fast_features.transform(union, texts), union.transform(texts))


def test_the_word_cache_is_bounded(monkeypatch) -> None:
    union = FeatureUnion([("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)))]).fit(TEXTS)
    monkeypatch.setattr(fast_features, "WORD_CACHE_SIZE", 3)
    many = [" ".join(f"word{i}x{j}" for j in range(5)) for i in range(20)]
    fast_features.transform(union, many)
    assert len(fast_features._word_columns[union.transformer_list[0][1]]) <= 3 + 5
    assert np.allclose(fast_features.transform(union, many).toarray(), union.transform(many).toarray())


def test_the_heads_unions_share_the_analysis_and_give_the_same_matrices() -> None:
    model = EventModel.load()
    for name in ("quad_class", "acled_sub_event"):
        union = model.heads[name].steps[0][1]
        fast_features.transform(model.features, TEXTS)  # the main union analyses the texts first
        _same(fast_features.transform(union, TEXTS), union.transform(TEXTS))


def test_the_analysis_cache_is_bounded(monkeypatch) -> None:
    union = FeatureUnion([("words", TfidfVectorizer(ngram_range=(1, 2)))]).fit(TEXTS)
    monkeypatch.setattr(fast_features, "ANALYSED_CACHE_SIZE", 3)
    many = [f"sentence number {i} here" for i in range(20)]
    _same(fast_features.transform(union, many), union.transform(many))
    key = fast_features._shared_analysis(union.transformer_list[0][1])
    assert key is not None and len(fast_features._analysed[key]) <= 3 + 1
