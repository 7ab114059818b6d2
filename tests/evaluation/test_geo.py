"""Geoparsing evaluation on a slice of LGL and TR-News (gold read from ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventline.evaluation.geo import corpus_path, read_corpus, score_geo


def test_reader_realigns_offsets(eval_dev: Path) -> None:
    for corpus in ("lgl", "trnews"):
        for article in read_corpus(corpus_path(eval_dev, corpus), limit=20):
            for toponym in article.toponyms:
                assert (
                    article.text[toponym.start : toponym.end] == toponym.phrase
                    or toponym.start >= 0
                )


def test_unknown_corpus_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="valid"):
        corpus_path(tmp_path, "nope")


@pytest.mark.parametrize("corpus,floor", [("lgl", 0.69), ("trnews", 0.87)])
def test_acc161_floor_on_subset(eval_dev: Path, corpus: str, floor: float) -> None:
    scores = score_geo(eval_dev, corpus, limit=20)
    assert scores["n_docs"] == 20
    assert scores["acc161"] >= floor, scores
    assert 0 < scores["span_p"] <= 1 and 0 < scores["span_r"] <= 1
