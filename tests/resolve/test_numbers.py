"""eventline.resolve.numbers: the one reader of numbers in digits and words."""

from __future__ import annotations

import pytest

from eventline.data_files import read_yaml
from eventline.resolve.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("1,200", 1200),
        ("1.5 million", 1_500_000),
        ("2.5", 2),  # the fraction of a whole number is dropped
        ("5 thousand", 5000),
        ("Twenty-One", 21),
        ("twenty four", 24),
        ("two hundred and five", 205),
        ("twelve hundred", 1200),
        ("two thousand five hundred", 2500),
        ("three dozen", 36),  # a multiple multiplies: not 3 + 12
        ("hundred", 100),
        ("a hundred", 100),
        ("an eleven", 11),
        ("a dozen", 12),
        ("a couple of", 2),
        ("a single", 1),
        ("a", 1),  # "a week ago"
        (" seven ", 7),
        ("zero", 0),
    ],
)
def test_numbers_in_digits_and_words(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "and",
        "few",
        "a few",
        "several",
        "dozens",  # vague: the count resolver gives these their values, not this reader
        "seven a",  # "up from seven a year ago": the article ends the number
        "two and a half",
        "2 1",
        "twenty 5",
        "no",
        "9" * 13,
        "9" * 5000,
        ",".join(["999"] * 2000),
    ],
)
def test_what_is_no_number(text: str) -> None:
    assert parse_number(text) is None


def test_every_date_number_word_has_a_value() -> None:
    # the date patterns accept these words as a count (dates/lexicon.yaml); each must read
    for word in read_yaml("dates/lexicon.yaml")["number_words"]:
        assert parse_number(str(word)) is not None, word
