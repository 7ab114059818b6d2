"""Tying times to frames, and telling the report's date from the event's."""

from __future__ import annotations

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
