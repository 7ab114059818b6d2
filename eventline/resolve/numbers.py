"""The one reader of numbers written in digits or words: "3", "1,200", "1.5 million",
"twenty-one", "two hundred and five", "a dozen", "a couple of".

Both the count resolver (how many died) and the date resolver (how many days ago) read
numbers here, with one convention:
- case, hyphens, runs of spaces and a leading or trailing "." or "," do not matter;
- digits may carry thousands commas, a decimal part and a scale word ("1.5 million" is
  1,500,000); the fraction of a whole number is dropped ("2.5" is 2), and a figure of more
  than MAX_DIGITS digits is a serial or phone number, not a number of anything;
- in words, units and tens add up, a scale or a multiple multiplies what comes before it (one
  when nothing does: "hundred" 100), and "thousand" and "million" close a group ("two
  thousand five hundred" 2,500); "and" between words is skipped, as is a final "of";
- an article is one on its own ("a week ago") and nothing before a number word ("a hundred",
  "a dozen", "a couple"); anywhere else it ends the number ("seven a year": None);
- vague amounts ("few", "several", "dozens") are no number, and neither is a fraction in words
  ("two and a half") or a mix of digits and words other than digits and a scale: None. A stage
  that gives vague amounts a value (the count conventions in eventline/resolve/counts.py)
  does so before asking here.

Reads: a phrase. Writes: an int or None. Knowledge: eventline/data/numbers.yaml.
"""

from __future__ import annotations

import re

from eventline.data_files import read_yaml

_WORDS = read_yaml("numbers.yaml")
UNITS: dict[str, int] = _WORDS["units"]
TENS: dict[str, int] = _WORDS["tens"]
SCALES: dict[str, int] = _WORDS["scales"]
MULTIPLES: dict[str, int] = _WORDS["multiples"]
ARTICLE_UNITS: dict[str, int] = _WORDS["article_units"]
ARTICLES = frozenset(_WORDS["articles"])
# a word that adds its value to the group it is in, and one that multiplies the group
_ADDS = {**UNITS, **TENS, **ARTICLE_UNITS}
_MULTIPLIES = {**SCALES, **MULTIPLES}
# from this scale up, a scale word closes its group ("two thousand | five hundred")
_GROUP_CLOSING = 1000

# longer digit strings are serial numbers, phone numbers or noise, never a number of people
# or days (int() refuses strings of thousands of digits anyway)
MAX_DIGITS = 12
_FIGURE = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?: ("
    + "|".join(sorted(SCALES, key=len, reverse=True))
    + r"))?"
)


def parse_number(text: str) -> int | None:
    """The integer a number phrase states, by the module's convention; None when the phrase
    states no exact number."""
    cleaned = re.sub(r"\s+", " ", text.strip().lower().replace("-", " ")).strip(" .,")
    if not cleaned:
        return None
    figure = _FIGURE.fullmatch(cleaned)
    if figure:
        return _figure_value(figure)
    return _words_value(cleaned.split(" "))


def _figure_value(figure: re.Match[str]) -> int | None:
    whole = figure.group(1).replace(",", "")
    if len(whole) > MAX_DIGITS:
        return None
    scale = SCALES.get(figure.group(3) or "", 1)
    if figure.group(2):
        return int(float(f"{whole}.{figure.group(2)}") * scale)
    return int(whole) * scale


def _words_value(words: list[str]) -> int | None:
    words = [word for word in words if word != "and"]
    if len(words) > 1 and words[-1] == "of":
        words = words[:-1]
    if words and words[0] in ARTICLES:
        words = words[1:] or ["one"]
    if not words:
        return None
    total = group = 0
    for word in words:
        if word in _ADDS:
            group += _ADDS[word]
        elif word in _MULTIPLIES:
            group = (group or 1) * _MULTIPLIES[word]
            if _MULTIPLIES[word] >= _GROUP_CLOSING:
                total, group = total + group, 0
        else:
            return None
    return total + group
