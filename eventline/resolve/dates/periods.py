"""Rules for calendar periods: quarters, halves, decades, centuries, seasons and holidays.

Handlers take a regular-expression match (patterns live in dates.rules), the anchor date
(maybe None) and the tense, and return a Resolved or None to let the next rule try.
"""

from __future__ import annotations

import re
from datetime import date

from eventline.model import TimeValue
from eventline.resolve.dates.calendar import (
    Resolved,
    Tense,
    add_months,
    day_value,
    days_of,
    group,
    holiday_date,
    lexicon,
    month_range,
    parse_count,
    parse_year,
    pick_in_time,
    previous_quarter,
    quarter_of,
    quarter_value,
    required,
    season_near,
    season_value,
    week_value,
)


def holiday(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    name, rel, year = group(match, "name") or "", group(match, "rel"), group(match, "year")
    if year:
        day = holiday_date(name, int(year))
    elif anchor is None:
        return Resolved(None)
    else:
        options = [holiday_date(name, y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
        tense_of_relation: dict[str, Tense] = {"last": "past", "next": "future"}
        choice = tense_of_relation.get(rel or "", tense)
        day = pick_in_time([d for d in options if d is not None], anchor, choice)
        if group(match, "week") and rel is None:
            # "as Easter week began": the holiday's week under way at the anchor
            weeks = [week_value(d) for d in options if d is not None]
            current = [start for start, end in map(days_of, weeks) if start <= anchor <= end]
            day = current[0] if current else day
    if day is None:
        return None
    if group(match, "week"):
        return week_value(day)
    return day_value(day)


def year_end(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    """'by year end': valued as the year (TimeML), dated to its last month."""
    if anchor is None:
        return Resolved(None)
    return Resolved(
        f"{anchor.year:04d}", date(anchor.year, 12, 1), date(anchor.year, 12, 31), "month"
    )


def quarter(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    ordinal, rel = group(match, "ord"), group(match, "rel")
    year_text = group(match, "year")
    year = parse_year(year_text, anchor) if year_text else None
    if ordinal:
        quarter = int(ordinal[1]) if ordinal.startswith("q") else lexicon()["ordinals"][ordinal]
        if year is None:
            if anchor is None:
                return Resolved(f"XXXX-Q{quarter}")
            year = anchor.year + {"last year": -1, "next year": 1, "this year": 0}.get(rel or "", 0)
            if rel in ("year ago", "year earlier") or (
                rel is None and quarter > quarter_of(anchor) and tense == "past"
            ):
                year -= 1
        return quarter_value(year, quarter)
    if anchor is None:
        return Resolved(None)
    if rel in ("this", "current", "the current"):
        return quarter_value(anchor.year, quarter_of(anchor))
    if rel in ("next", "coming"):
        moved = add_months(anchor, 3)
        return quarter_value(moved.year, quarter_of(moved))
    year, quarter = previous_quarter(anchor)
    if rel in ("year ago", "year earlier", "last year", "comparable year ago"):
        year -= 1
    return quarter_value(year, quarter)


def quarter_of_year(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    """'the 1988 quarter' in a quarterly report: the reported quarter, in that year."""
    year = parse_year(required(match, "year"), anchor)
    if year is None or anchor is None:
        return None
    return quarter_value(year, previous_quarter(anchor)[1])


def first_months(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    number = parse_count(group(match, "num") or "")
    if number is None or not 1 <= number <= 12:
        return None
    year_text = group(match, "year")
    year = parse_year(year_text, anchor) if year_text else None
    if year is None and anchor is not None:
        year = anchor.year if anchor.month > number else anchor.year - 1
    if year is None:
        return Resolved(f"P{number}M")
    return Resolved(f"P{number}M", date(year, 1, 1), month_range(year, number)[1], "month")


def half(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    half = 1 if group(match, "ord") in ("first", "1st") else 2
    year_text = group(match, "year")
    year = parse_year(year_text, anchor) if year_text else None
    if year is None:
        if anchor is None:
            return Resolved(f"XXXX-H{half}")
        year = anchor.year
        if tense == "past" and half == 2 and anchor.month <= 6:
            year -= 1
    first = date(year, 1 if half == 1 else 7, 1)
    return Resolved(
        f"{year:04d}-H{half}",
        first,
        date(year, 6 if half == 1 else 12, 30 if half == 1 else 31),
        "month",
    )


DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def decade(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    text = required(match, "dec")
    if text in DECADE_WORDS:
        decade = 190 + DECADE_WORDS[text]
    elif text.startswith("'") or len(text) == 3:
        year = parse_year("'" + text.strip("'")[:2], anchor)
        if year is None:
            return None
        decade = year // 10
    else:
        decade = int(text[:3])
    return Resolved(str(decade), date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31), "year")


def century(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    number = int(required(match, "num"))
    return Resolved(f"{number - 1:02d}")


def season(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    name, year = required(match, "season"), group(match, "year")
    info = lexicon()["seasons"][name]
    if year:
        return season_value(info["code"], info["months"], int(year))
    if anchor is None:
        return Resolved(f"XXXX-{info['code']}")
    return season_near(name, anchor, tense, None)


# in a quarterly report: the reported quarter, and the same quarter a year before
_SAME_QUARTER = re.compile(
    r"(?:that\s+)?(?:latest\s+|most recent\s+|reporting\s+)?(?:quarter|period)"
)
_YEAR_AGO_QUARTER = re.compile(
    r"(?:(?:the\s+)?(?:comparable|corresponding|same|prior|previous)\s+)?(?:a\s+)?year\s+"
    r"(?:ago|earlier|before)(?:\s+(?:period|quarter|level|results|figure|figures))?"
    r"|(?:(?:comparable|corresponding|same)\s+)?(?:quarter|period)\s+(?:a\s+year\s+(?:ago|earlier)|"
    r"last\s+year|of\s+last\s+year)"
)


def reported_quarter(norm: str, reported: tuple[int, int]) -> Resolved | None:
    """'the quarter', 'the latest period' -> the reported quarter; 'a year ago', 'the
    year-earlier period' -> that quarter one year before; None for other words."""
    year, quarter = reported
    if _YEAR_AGO_QUARTER.fullmatch(norm):
        return quarter_value(year - 1, quarter)
    named_year = re.fullmatch(r"(\d{4})\s+(?:quarter|period)", norm)
    if named_year:  # "the 1988 period": the reported quarter, in that year
        return quarter_value(int(named_year.group(1)), quarter)
    if _SAME_QUARTER.fullmatch(norm):
        return quarter_value(year, quarter)
    return None


_QUARTER_MENTION = re.compile(r"\bquarter", re.IGNORECASE)
_QUARTER_WORDS = re.compile(r"\bquarter|\bperiod\b|\bthree months\b", re.IGNORECASE)
# a sentence about a longer stretch compares it, not a quarter, with "a year earlier"
_LONGER_PERIOD = re.compile(
    r"\b(?:nine|six) months\b|\bfirst half\b|\bfull year\b|\bfiscal\b"
    r"|\bthe year\b(?![-\s](?:ago|earlier|before))",
    re.IGNORECASE,
)
# a quarter the text names as its own: "third-quarter profit", "its fiscal fourth quarter"
_NAMED_QUARTER = re.compile(r"\b(?:first|second|third|fourth|q[1-4])\b", re.IGNORECASE)
_RELATIVE_QUARTER = re.compile(r"\d{4}|year|ago|earlier|last|next|previous|prior", re.IGNORECASE)


def reported_quarter_of(
    text: str, sentence: str | None, anchor: date | None, earlier: list[TimeValue]
) -> tuple[int, int] | None:
    """The (year, quarter) whose results `sentence` reports, if it reports quarterly results;
    `text` is the text up to the expression, `earlier` the expressions found in it.

    A text that talks about quarters compares quarterly results, unless the sentence itself
    is about a longer stretch ("the first nine months ... a year earlier"). The quarter is the
    first one the text names as its own, as a report leads with it ("its fourth quarter ended
    Sept. 30"; later ones are often outlooks), else the one before the publication date.
    """
    if anchor is None or _QUARTER_MENTION.search(text) is None:
        return None
    if sentence and not _QUARTER_WORDS.search(sentence) and _LONGER_PERIOD.search(sentence):
        return None
    for value in earlier:
        found = re.fullmatch(r"(\d{4})-Q([1-4])", value.timex or "")
        own = _NAMED_QUARTER.search(value.text) and not _RELATIVE_QUARTER.search(value.text)
        if found and own:
            return int(found.group(1)), int(found.group(2))
    return previous_quarter(anchor)


def first_quarter_end(text: str) -> int | None:
    """Where the first word beginning "quarter" in `text` ends, if any: reported_quarter_of
    sees a quarter in the text up to an expression exactly when that text reaches this far."""
    found = _QUARTER_MENTION.search(text)
    return found.end() if found else None
