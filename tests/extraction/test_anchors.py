"""Tying times to frames, and telling the report's date from the event's."""

from __future__ import annotations

from datetime import date

import pytest

from eventline.extraction.anchors import dates_the_report


def _time_span(nlp, text: str, word: str):
    doc = nlp(text)
    token = next(t for t in doc if t.text == word)
    return doc[token.i : token.i + 1]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("The spokeswoman said on Tuesday that the strike hit a depot.", "Tuesday", True),
        ("Officials on Monday said rebels burned a village.", "Monday", True),
        (
            "Bombers struck a market in Konduga, Borno state, on Saturday, killing 12 people, "
            "emergency officials said.",
            "Saturday",
            False,
        ),
        # a verbless headline: the walk up the parse ends at its root
        ("Fresh clashes on Monday", "Monday", False),
    ],
)
def test_a_time_on_a_reporting_verb(nlp, text: str, word: str, expected: bool) -> None:
    assert dates_the_report(_time_span(nlp, text, word)) is expected


def test_each_sentence_keeps_its_own_times_and_places(nlp) -> None:
    from eventline.extraction.anchors import DocumentExpressions, tie_expressions
    from eventline.extraction.frames import FrameFinder
    from eventline.resolve.dates import expressions as dates
    from eventline.resolve.places import document as places

    doc = nlp("Rebels attacked a market in Gao on Monday. Troops shelled a school in Kharkiv on Friday.")
    times = dates.find_time_expressions(doc, date(2024, 3, 6))
    expressions = DocumentExpressions(doc, times, places.document_places(doc)[0])
    finder = FrameFinder()
    tied = []
    for sent in doc.sents:
        frames = finder.find(sent)
        anchors = tie_expressions(sent, frames, expressions)
        tied.append(
            (
                [span.text for pairs in anchors.times.values() for span, _ in pairs],
                [span.text for span, _ in anchors.sentence_places],
            )
        )
    assert tied == [(["Monday"], ["Gao"]), (["Friday"], ["Kharkiv"])]
    made = expressions._time_spans  # made once for the whole part, on first use
    assert made is not None and expressions.times_in(next(doc.sents)) and expressions._time_spans is made
