"""Counts: number words, claim counts, deaths and injuries in sentences."""

from __future__ import annotations

import pytest

from eventline.model import Count
from eventline.resolve.counts import fatalities, injuries, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("three", 3), ("a dozen", 12), ("dozens", 12), ("1,200", 1200), ("66", 66),
        ("twenty-one", 21), ("several", 10), ("a few", 3), ("hundreds", 100),
        ("one hundred and five", 105), ("1.5 million", 1_500_000), ("two thousand", 2000),
        ("options", None), ("", None), ("no", None),
    ],
)  # fmt: skip
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


def sentence(nlp, text: str):
    return nlp(text)[:]


@pytest.mark.parametrize(
    ("text", "best", "maximum"),
    [
        ("An American military gunship fired on and killed three Iran-backed militants.", 3, 3),
        ("Officials said the strikes killed at least six people and possibly seven.", 6, 7),
        ("At least 10 people were killed in the attack.", 10, None),
        ("Up to 20 people were dead after the raid.", 20, 20),
        ("The blast killed dozens and wounded more than 100.", 12, None),
        ("Rebels killed 3 soldiers and 2 civilians in the attack on Tuesday.", 5, 5),
        ("Between 5 and 10 people were killed.", 5, 10),
        ("The death toll rose to 12 on Sunday, officials said.", 12, 12),
        ("Three soldiers were wounded and two killed.", 2, 2),
        ("There were no casualties.", 0, 0),
        ("No one was killed in the attack.", 0, 0),
        ("The military could not provide a casualty assessment.", None, None),
        ("There were no immediate reports of casualties.", None, None),
        ("Gunmen wounded five villagers.", None, None),
        ("The United States struck two facilities south of Baghdad.", None, None),
        ("There have been 66 strikes on American troops since Oct. 17.", None, None),
    ],
)
def test_fatalities(nlp, text: str, best: int | None, maximum: int | None) -> None:
    count = fatalities(sentence(nlp, text))
    assert isinstance(count, Count)
    assert (count.best, count.maximum) == (best, maximum)


def test_injuries_are_not_deaths(nlp) -> None:
    doc = sentence(nlp, "The blast killed dozens and wounded more than 100.")
    assert (injuries(doc).best, injuries(doc).maximum) == (100, None)
    assert injuries(sentence(nlp, "Gunmen wounded five villagers.")).best == 5


def test_negation_about_another_event_is_not_zero(nlp) -> None:
    doc = nlp(
        "The administration had previously conducted airstrikes that officials said were meant "
        "to deter Iran, but officials had said that before last week, they had caused no known "
        "casualties."
    )
    trigger = next(t for t in doc if t.text == "airstrikes")
    assert fatalities(doc[:], trigger).best is None
    strike = nlp("The strike hit the depot and caused no casualties.")
    hit = next(t for t in strike if t.text == "hit")
    assert fatalities(strike[:], hit) == Count(0, 0, "caused no casualties")


def test_digit_strings_too_long_for_a_count_are_no_number() -> None:
    # int() refuses strings over 4,300 digits; a count is never that long anyway
    assert parse_number("9" * 5000) is None
    assert parse_number(",".join(["999"] * 2000)) is None
    assert parse_number("9" * 13) is None
    assert parse_number("1,200,000") == 1_200_000
