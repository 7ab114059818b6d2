"""Calendar arithmetic and the word lists behind the date rules (data/dates/lexicon.yaml).

Values follow TimeML: a day 2023-11-22, an ISO week 2023-W46, a month 2023-11, a quarter
2023-Q3, a season 2023-FA, a decade 199. `Resolved` carries the value and the inclusive range
of days it covers, with the precision of that range.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, Literal

from eventline.data_files import read_yaml
from eventline.model import DatePrecision
from eventline.resolve import numbers

Tense = Literal["past", "present", "future"] | None
LEXICON_FILE = "dates/lexicon.yaml"
# a year-less date may lie this many days after the anchor and still be read as past
FUTURE_SLACK_DAYS = 3
# a number of days, weeks or years ago longer than this is no date
MAX_COUNT_DIGITS = 4


@dataclass(frozen=True)
class Resolved:
    """A normalised expression: TimeML value plus the inclusive day range it covers."""

    timex: str | None
    start: date | None = None
    end: date | None = None
    precision: DatePrecision | None = None
    approximate: bool = False


def lexicon() -> dict[str, Any]:
    """The date words (eventline/data/dates/lexicon.yaml), read once."""
    return read_yaml(LEXICON_FILE)


def _alternation(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def group(match: re.Match[str], name: str) -> str | None:
    """A named group, or None when the pattern that matched has no such group."""
    return match.groupdict().get(name)


def required(match: re.Match[str], name: str) -> str:
    """A named group a rule cannot do without: KeyError, which tells the rule table that the
    rule does not apply, when the pattern that matched left it empty."""
    value = match.groupdict().get(name)
    if value is None:
        raise KeyError(name)
    return value


def days_of(value: Resolved) -> tuple[date, date]:
    """First and last day of a value built from known days (week_value, season_value)."""
    if value.start is None or value.end is None:
        raise ValueError(f"{value.timex} covers no known days")
    return value.start, value.end


@cache
def word_tables() -> dict[str, Any]:
    lex = lexicon()
    month_of = {w: int(n) for n, ws in lex["months"].items() for w in ws}
    weekday_of = {w: int(n) for n, ws in lex["weekdays"].items() for w in ws}
    ref_of = {w: ref for ref, ws in lex["references"].items() for w in ws}
    set_of = {w: value for value, ws in lex["sets"].items() for w in ws}
    return {
        "month_of": month_of,
        "weekday_of": weekday_of,
        "ref_of": ref_of,
        "set_of": set_of,
        "MONTH": _alternation(list(month_of)),
        "WEEKDAY": _alternation(list(weekday_of)),
        "NUMWORD": _alternation([str(word) for word in lex["number_words"]]),
        "VAGUE": _alternation(lex["vague_numbers"]),
        "HEDGE": _alternation(lex["hedges"]),
        "UNIT": _alternation(list(lex["units"])),
        "SEASON": _alternation(list(lex["seasons"])),
        "PART": _alternation(list(lex["day_parts"])),
        "ORDINAL": _alternation(list(lex["ordinals"])),
    }


# clean()'s steps, in order: (pattern, replacement)
_CLEANING = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\b([ap])\.\s?m\.?", r"\1m"),
        (r"'s\b|(?<=s)'(?=\s|$)", ""),  # "last year's", "two weeks'"
        (r"(?<=[a-z])\.", " "),
        (r"(?<=[a-z])-(?=[a-z0-9])|(?<=[0-9])-(?=[a-z])", " "),
        (r"[,;!?\"()]|(?<!\d):|:(?!\d)|\.$|(?<!\d)\.(?!\d)", " "),
        (r"\s+", " "),
    )
)


def clean(text: str) -> str:
    """Lower case, plain spaces, no abbreviation dots or hyphens: 'Oct. 27,' -> 'oct 27'."""
    out = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    for pattern, replacement in _CLEANING:
        out = pattern.sub(replacement, out)
    return out.strip()


# ---------------------------------------------------------------- calendar helpers


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_range(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.isoweekday() - 1)
    return monday, monday + timedelta(days=6)


def week_timex(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def day_value(day: date, approximate: bool = False, suffix: str = "") -> Resolved:
    return Resolved(day.isoformat() + suffix, day, day, "day", approximate)


def month_value(year: int, month: int) -> Resolved:
    first, last = month_range(year, month)
    return Resolved(f"{year:04d}-{month:02d}", first, last, "month")


def year_value(year: int) -> Resolved:
    return Resolved(f"{year:04d}", date(year, 1, 1), date(year, 12, 31), "year")


def week_value(day: date) -> Resolved:
    first, last = week_range(day)
    return Resolved(week_timex(day), first, last, "week")


def quarter_value(year: int, quarter: int) -> Resolved:
    first = date(year, 3 * quarter - 2, 1)
    return Resolved(f"{year:04d}-Q{quarter}", first, month_range(year, 3 * quarter)[1], "month")


def pick_in_time(candidates: list[date], anchor: date, tense: Tense) -> date:
    """The candidate a news sentence most likely means, given the anchor and tense.

    Past tense: the latest one not after the anchor (plus slack). Future: the next one.
    Present tense ("the deadline is Jan. 14"): the one closest to the anchor, the past one on
    a tie. Unknown tense reads as past, the usual case in news.
    """
    slack = timedelta(days=FUTURE_SLACK_DAYS)
    if tense == "present":
        return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor))
    if tense == "future":
        upcoming = [c for c in candidates if c >= anchor - slack]
        return min(upcoming) if upcoming else max(candidates)
    past = [c for c in candidates if c <= anchor + slack]
    return max(past) if past else min(candidates)


def year_for(month: int, day: int, anchor: date, tense: Tense) -> int:
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        last = calendar.monthrange(year, month)[1]
        candidates.append(date(year, month, min(day, last)))
    return pick_in_time(candidates, anchor, tense).year


def weekday_date(weekday: int, anchor: date, tense: Tense, relation: str | None) -> date:
    """'Tuesday' said on Wednesday 2023-11-22 is 2023-11-21; the anchor's own weekday is the anchor."""
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if relation == "last":
        return anchor - timedelta(days=back or 7)
    if relation == "next":
        return anchor + timedelta(days=ahead or 7)
    if relation == "this":
        return week_range(anchor)[0] + timedelta(days=weekday - 1)
    if tense == "future":
        return anchor + timedelta(days=ahead)
    return anchor - timedelta(days=back)


def parse_count(words: str) -> int | None:
    """A number of days, weeks or years: '24', 'twenty four', 'a', 'a couple of', as
    eventline.resolve.numbers reads it; None for vague words ('few', 'several') and for
    figures of more than MAX_COUNT_DIGITS digits."""
    number = numbers.parse_number(words)
    return number if number is not None and number < 10**MAX_COUNT_DIGITS else None


def parse_year(text: str, anchor: date | None) -> int | None:
    """'1994' -> 1994; "'94" -> 1994 (the century that puts it at or before the anchor)."""
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    short = re.fullmatch(r"'(\d{2})", text)
    if short:
        base = anchor.year if anchor else 2000
        year = base - base % 100 + int(short.group(1))
        return year - 100 if year > base + 5 else year
    return None


def unit_of(word: str) -> tuple[str, dict[str, Any]] | None:
    units = lexicon()["units"]
    for form in (word, word[:-1] if word.endswith("s") else word, word[:-3] + "y"):
        if form in units:
            return form, units[form]
    return None


def duration_value(number: int | None, unit: str, half: bool = False) -> str:
    """P2W, PT5H; with `half`, the extra half unit in the next smaller one (P2Y6M, PT5H30M)."""
    info = lexicon()["units"][unit]
    amount = "X" if number is None else str(number * info.get("factor", 1))
    extra = info.get("half", "") if half and number is not None else ""
    return ("PT" if info.get("time") else "P") + amount + info["letter"] + extra


def shift(anchor: date, number: int, unit: str) -> date:
    """anchor moved by number units (negative: back); hours round to whole days."""
    if unit in ("hour", "minute", "second"):
        return anchor + timedelta(days=int(number / 24)) if unit == "hour" else anchor
    if unit in ("day",):
        return anchor + timedelta(days=number)
    if unit in ("week", "fortnight"):
        return anchor + timedelta(weeks=number * (2 if unit == "fortnight" else 1))
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}[unit]
    return add_months(anchor, number * months)


def at_granularity(day: date, unit: str, approximate: bool) -> Resolved:
    """A day reached by an offset, stated at the unit's own granularity (TimeML style)."""
    if unit in ("day", "hour", "minute", "second"):
        return day_value(day, approximate)
    if unit in ("week", "fortnight"):
        # the value names the week; the day is the best single-day estimate
        return Resolved(week_timex(day), day, day, "day", True)
    if unit == "month":
        return month_value(day.year, day.month)
    if unit == "quarter":
        return quarter_value(day.year, (day.month - 1) // 3 + 1)
    if unit == "decade":
        return Resolved(
            str(day.year // 10),
            date(day.year // 10 * 10, 1, 1),
            date(day.year // 10 * 10 + 9, 12, 31),
            "year",
            True,
        )
    return year_value(day.year)


def season_value(code: str, months: list[int], year: int) -> Resolved:
    first_month, last_month = months[0], months[-1]
    end_year = year + 1 if last_month < first_month else year
    first = date(year, first_month, 1)
    last = month_range(end_year, last_month)[1]
    return Resolved(f"{year:04d}-{code}", first, last, "month")


def season_near(name: str, anchor: date, tense: Tense, relation: str | None) -> Resolved:
    info = lexicon()["seasons"][name]
    options = [
        (season, *days_of(season))
        for season in (
            season_value(info["code"], info["months"], y)
            for y in range(anchor.year - 2, anchor.year + 2)
        )
    ]
    if relation in ("this", "current"):
        return [o for o, start, _ in options if start.year == anchor.year][-1]
    if relation in ("last", "past", "previous"):
        return [o for o, _, end in options if end < anchor][-1]
    if relation in ("next", "coming") or tense == "future":
        return [o for o, _, end in options if end >= anchor][0]
    return [o for o, start, _ in options if start <= anchor][-1]


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def previous_quarter(anchor: date) -> tuple[int, int]:
    year, quarter = anchor.year, quarter_of(anchor) - 1
    return (year - 1, 4) if quarter == 0 else (year, quarter)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holiday_date(name: str, year: int) -> date | None:
    rule = lexicon()["holidays"].get(name)
    if rule is None:
        return None
    if "easter" in rule:
        return easter_sunday(year) + timedelta(days=rule["easter"])
    if "day" in rule:
        return date(year, rule["month"], rule["day"])
    first, last = month_range(year, rule["month"])
    if rule["nth"] > 0:
        day = first + timedelta(days=(rule["weekday"] - first.isoweekday()) % 7)
        day += timedelta(weeks=rule["nth"] - 1)
    else:
        day = last - timedelta(days=(last.isoweekday() - rule["weekday"]) % 7)
    return day + timedelta(days=rule.get("plus_days", 0))


# the number words of a spoken year ("nineteen ninety four"), from eventline/data/numbers.yaml
_SPOKEN_TENS = {
    **{word: value for word, value in numbers.UNITS.items() if 10 <= value <= 19},
    **numbers.TENS,
}
_SPOKEN_UNITS = {word: value for word, value in numbers.UNITS.items() if 1 <= value <= 9}
_SPOKEN_YEAR = re.compile(
    r"\b(?P<century>eighteen|nineteen|twenty)\s+(?P<tens>" + "|".join(_SPOKEN_TENS) + r")"
    r"(?:\s+(?P<unit>" + "|".join(_SPOKEN_UNITS) + r"))?\b"
    r"|\b(?:the\s+year\s+)?two\s+thousand(?:\s+and)?(?:\s+(?P<small>"
    + "|".join([*_SPOKEN_TENS, *_SPOKEN_UNITS])
    + r"))?\b"
)


def spoken_years(text: str) -> str:
    """'nineteen ninety six' -> '1996', 'the year two thousand' -> '2000' (clean()ed text)."""

    def digits(match: re.Match[str]) -> str:
        if match.group("century"):
            century = _SPOKEN_TENS[match.group("century")]  # eighteen, nineteen or twenty
            tens = _SPOKEN_TENS[match.group("tens")]
            unit = _SPOKEN_UNITS.get(match.group("unit") or "", 0)
            return str(century * 100 + tens + unit)
        small = match.group("small")
        return str(
            2000 + (_SPOKEN_TENS.get(small) or _SPOKEN_UNITS.get(small) or 0 if small else 0)
        )

    return _SPOKEN_YEAR.sub(digits, text)
