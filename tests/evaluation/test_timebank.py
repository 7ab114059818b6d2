"""TimeBank evaluation: the loader reads TimeML faithfully, and the resolver stays above a floor."""

from __future__ import annotations

from datetime import date

import pytest

from eventline.evaluation.timebank import align, load_timebank, read_tml, score_timebank
from eventline.model import TimeValue

pytestmark = pytest.mark.gold


def test_loader_reads_creation_dates_and_gold_offsets(eval_dev) -> None:
    documents = load_timebank(eval_dev / "timebank")
    assert len(documents) > 200
    for document in documents[:40]:
        assert isinstance(document.creation_date, date)
        for timex in document.timexes:
            # offsets point at the words the annotators marked
            assert document.text[timex.char_start : timex.char_end] == timex.text
            assert timex.value


def test_the_creation_time_is_not_a_gold_expression(eval_dev) -> None:
    first = sorted((eval_dev / "timebank").rglob("*.tml"))[0]
    document = read_tml(first)
    assert all(t.text.strip() != "" for t in document.timexes)
    assert document.doc_id in first.stem or first.stem in document.doc_id


def test_align_matches_by_overlap() -> None:
    from eventline.evaluation.timebank import GoldTimex

    gold = [
        GoldTimex(10, 20, "last month", "2023-10", "DATE"),
        GoldTimex(40, 45, "today", "2023-11-22", "DATE"),
    ]
    predicted = [
        TimeValue("month", timex="2023-10", char_start=15, char_end=20),
        TimeValue("junk", timex="P1D", char_start=60, char_end=64),
    ]
    alignments, hits = align(gold, predicted)
    assert hits == 1
    assert alignments[0].correct and alignments[1].predicted is None


def test_score_on_a_subset_stays_above_the_floor(eval_dev) -> None:
    scores = score_timebank(eval_dev / "timebank", limit=15)
    assert scores["n_docs"] == 15
    assert scores["n_gold"] > 50
    for key in ("span_p", "span_r", "span_f1", "value_accuracy"):
        assert 0.0 <= scores[key] <= 1.0
    # measured on these 15 documents: span F1 0.94, value accuracy 0.80 (51 of 64)
    assert scores["span_f1"] >= FLOOR_SPAN_F1
    assert scores["value_accuracy"] >= FLOOR_VALUE_ACCURACY


FLOOR_SPAN_F1 = 0.88
FLOOR_VALUE_ACCURACY = 0.72
