"""Rules that turn one time expression's words into a TimeML value and a date range.

`normalize(text, anchor, tense)` is the whole interface. It handles what a general date
parser does not: references relative to the publication date ("Monday night", "last week",
"almost two weeks ago", "earlier this month"), granularity (a month stays 2023-10, a quarter
1989-Q3, a decade 199), durations (P2W), recurring sets (P1D) and the vague TimeML
references (PAST_REF, PRESENT_REF, FUTURE_REF). Words live in data/dates/lexicon.yaml.

Year choice for year-less dates follows news style: what a past-tense sentence names is the
most recent such day on or before the anchor (a few days of slack for time zones); a
future-tense sentence names the next one; a present-tense one ("the deadline is Jan. 14")
the nearest one; with no tense known the past reading wins.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from eventline.resolve.dates.calendar import (
    Resolved,
    Tense,
    clean,
    day_value,
    group,
    lexicon,
    required,
    spoken_years,
    week_value,
    word_tables,
)
from eventline.resolve.dates.days import (
    DAY_WORDS,
    part_suffix,
    resolve_day_word,
    resolve_duration,
    resolve_month,
    resolve_month_day,
    resolve_offset,
    resolve_relative_unit,
    resolve_weekday,
    resolve_weekend,
    resolve_year,
)
from eventline.resolve.dates.periods import (
    DECADE_WORDS,
    century,
    decade,
    first_months,
    half,
    holiday,
    quarter,
    quarter_of_year,
    reported_quarter,
    season,
    year_end,
)

# ---------------------------------------------------------------- rules
# Each rule is (pattern, handler); patterns are full matches on clean() text; handlers get the
# match, the anchor (maybe None) and the tense, and return a Resolved or None to pass.

_LEADING = re.compile(
    r"^(?:on|in|at|by|during|for|of|within|throughout|through|from|until|till|to|"
    r"as of|as early as|as late as|around|sometime|some time|the|this past|between)\s+"
)


def _week_of(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    """'the week of March 6': the ISO week holding that day."""
    day = normalize(required(match, "rest"), anchor, tense, partial=False)
    if day is None or day.precision != "day" or day.start is None:
        return None
    return week_value(day.start)


def _clock(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    word = group(match, "word")
    if word:
        clock = lexicon()["day_parts"][word]
        clock = clock if ":" in clock else None
    else:
        hour = int(required(match, "h"))
        minute = int(group(match, "m") or 0)
        if group(match, "ampm") == "pm" and hour < 12:
            hour += 12
        if group(match, "ampm") == "am" and hour == 12:
            hour = 0
        if hour > 24 or minute > 59:
            return None
        clock = f"{hour:02d}:{minute:02d}"
    rest = group(match, "rest")
    day = normalize(rest, anchor, tense) if rest else None
    if day is None or day.precision != "day" or day.start is None:
        if anchor is None:
            return Resolved(None)
        start = anchor
    elif not clock:
        # "the night of Oct. 23" is valued as the day, like "Monday night"
        return day_value(day.start)
    else:
        start = day.start
    timex = start.isoformat() + (f"T{clock}" if clock else part_suffix(word))
    return Resolved(timex, start, start, "day")


def _reference(norm: str, anchor: date | None) -> Resolved | None:
    tables = word_tables()
    for form in (norm, norm.removeprefix("the "), "the " + norm):
        if form in tables["ref_of"]:
            value = tables["ref_of"][form]
            if value == "PRESENT_REF" and anchor is not None:
                return Resolved(value, anchor, anchor, "day")
            return Resolved(value)
        if form in tables["set_of"]:
            return Resolved(tables["set_of"][form])
    return None


@cache
# one table of (pattern, handler) rows tried in order, longer than 80 lines on purpose: the
# order is part of the rules and reads top to bottom in one place
def _rules() -> list[tuple[re.Pattern[str], Any]]:
    t = word_tables()
    num = (
        rf"(?:\d+(?:\s+\d+)?|(?:(?:{t['NUMWORD']})\s*)+(?:of)?|(?:a\s+)?(?:{t['VAGUE']})(?:\s+of)?)"
    )
    hedge = rf"(?:(?P<hedge>{t['HEDGE']})\s+)?"
    pos = r"(?:(?P<pos>early|late|mid|earlier|later|so far|end of|beginning of|start of|middle of|the end of|the beginning of|the start of|the middle of)\s+)?"
    year = r"(?P<year>\d{4}|'\d{2})"
    day_words = "|".join(sorted(map(re.escape, DAY_WORDS), key=len, reverse=True))
    holidays = "|".join(sorted(map(re.escape, lexicon()["holidays"]), key=len, reverse=True))
    units = "week|weekend|month|year|quarter|decade|century|" + t["SEASON"]
    part = rf"(?:\s+(?P<part>{t['PART']})s?)?"
    table = [
        (
            rf"(?:(?:early|late)\s+)?(?P<word>{day_words}|today|yesterday|tomorrow)"
            rf"(?:\s+(?P<part>{t['PART']}))?",
            resolve_day_word,
        ),
        (
            rf"{hedge}(?P<num>{num}\s+)?(?:(?P<half>1/2|and a half)\s+)?(?P<unit>{t['UNIT']}|\w+)"
            r"(?:\s+(?P<half2>and a half))?\s+(?P<dir>ago|earlier|before|after|later|back|previously|from now|hence|afterward)",
            resolve_offset,
        ),
        (
            rf"{pos}(?:(?P<rel>this|last|next|past|previous|coming|current|following|same)\s+)"
            rf"(?:fiscal\s+|calendar\s+)?(?P<unit>{units})(?:\s+(?:so far|to date))?",
            resolve_relative_unit,
        ),
        (r"(?:(?:early|late)\s+)?weekend", resolve_weekend),
        (r"(?:the\s+)?week\s+of\s+(?P<rest>.+)", _week_of),
        (
            rf"(?:(?P<rel>last|this|next)\s+)?(?P<name>{holidays})(?:\s+(?P<week>week))?"
            rf"(?:\s+{year})?",
            holiday,
        ),
        (r"(?:the\s+)?(?:year end|end of the year|end of this year|year\s+s\s+end)", year_end),
        (
            rf"(?:(?:early|late|mid)\s+)?(?:(?P<rel>on|last|this|next|past|coming|since)\s+)?"
            rf"(?:(?:early|late)\s+)?(?P<wd>{t['WEEKDAY']}){part}",
            resolve_weekday,
        ),
        (
            rf"(?:(?:{t['WEEKDAY']})\s+)?(?:(?:early|late|mid)\s+)?(?P<mon>{t['MONTH']})\s+"
            rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+{year})?{part}",
            resolve_month_day,
        ),
        (
            rf"(?:(?:{t['WEEKDAY']})\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            rf"(?P<mon>{t['MONTH']})(?:\s+{year})?{part}",
            resolve_month_day,
        ),
        (
            rf"{pos}(?:(?P<rel>last|this|next|past|coming|previous)\s+)?(?P<mon>{t['MONTH']})"
            rf"(?:\s+(?:of\s+)?{year}|\s+(?P<yrel>this|last|next)\s+year)?",
            resolve_month,
        ),
        (
            rf"(?:(?:fiscal|calendar|the year|year|early|late|mid|end of|the end of|all of|most of)\s+)?{year}",
            resolve_year,
        ),
        (
            rf"(?:(?P<rel>this|last|next|coming|current|latest|most recent|same|comparable year ago|year ago|year earlier|last year|next year|this year)\s+)?"
            rf"(?:(?P<ord>{t['ORDINAL']}|q[1-4])\s+)?(?:fiscal\s+)?(?:quarter|period)"
            rf"(?:\s+of\s+(?:fiscal\s+)?{year})?",
            quarter,
        ),
        (rf"(?:fiscal\s+)?{year}\s+(?P<ord>{t['ORDINAL']}|q[1-4])\s+quarter", quarter),
        (rf"{year}\s+(?:quarter|period)", quarter_of_year),
        (
            rf"(?:the\s+)?first\s+(?P<num>{num})\s+months(?:\s+of\s+(?:the\s+year|{year}))?",
            first_months,
        ),
        (
            rf"(?:the\s+)?(?P<ord>first|second|1st|2nd|latter|last)\s+(?:half|two quarters)"
            rf"(?:\s+of\s+(?:fiscal\s+)?{year})?",
            half,
        ),
        (
            r"(?:(?:early|late|mid|the early|the late|the mid)\s+)?(?:the\s+)?"
            rf"(?P<dec>\d{{3}}0s|'?\d0s|{'|'.join(DECADE_WORDS)})",
            decade,
        ),
        (r"(?P<num>\d{1,2})(?:st|nd|rd|th) century", century),
        (
            rf"(?:(?:early|late|mid|the early|the late)\s+)?(?P<season>{t['SEASON']})(?:\s+(?:of\s+)?{year})?",
            season,
        ),
        (
            r"(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)|(?P<word>noon|midnight|midday|"
            r"morning|afternoon|evening|night))(?:\s+(?:[a-z]{2,3}t|gmt|utc|local time))?"
            r"(?:\s+(?:on\s+|of\s+)?(?P<rest>.+))?",
            _clock,
        ),
        (
            rf"(?:(?P<rel>past|last|next|coming|previous|first|final|recent|following|latest|"
            rf"over the past|over the last|another|more than|almost)\s+)?{hedge}(?P<num>{num}\s+)?"
            r"(?:(?P<half>1/2|and a half)\s+)?"
            r"(?:(?:more|additional|extra|full|straight|consecutive|trading|business)\s+)?"
            r"(?P<unit>\w+)(?:\s+(?P<half2>and a half))?"
            r"(?:\s+(?:long|old|period|span|stretch|run|high|low|(?P<ahead>ahead)))?",
            resolve_duration,
        ),
    ]
    return [(re.compile(pattern), handler) for pattern, handler in table]


# other wordings of expressions the rules know
_PHRASINGS = {
    "earlier in the year": "earlier this year",
    "later in the year": "later this year",
    "earlier in the month": "earlier this month",
    "later in the month": "later this month",
    "earlier in the week": "earlier this week",
    "later in the week": "later this week",
    "earlier in the day": "today",
    "later in the day": "today",
    "later today": "today",
    "earlier today": "today",
    # "sales for the full year": the year under way, not a one-year span
    "full year": "this year",
    "full fiscal year": "this year",
}


def normalize(
    text: str,
    anchor: date | None,
    tense: Tense = None,
    reported: tuple[int, int] | None = None,
    partial: bool = True,
) -> Resolved | None:
    """One expression's words -> its value, or None when no rule understands them.

    `reported` (year, quarter) says the sentence compares the results of that quarter, where
    "the quarter" is that quarter and "a year ago", "the year-earlier period" the same
    quarter one year before. With `partial`, words around an expression the rules know are
    dropped ("the early hours of Thursday morning").
    """
    norm = spoken_years(clean(text))
    previous = None
    while norm != previous:
        previous = norm
        norm = _LEADING.sub("", norm)
    since = re.fullmatch(r"(?:ever\s+)?since\s+(.+)", norm)
    if since:
        inner = normalize(since.group(1), anchor, "past")
        if inner is None or inner.start is None or anchor is None:
            return inner
        return Resolved(inner.timex, inner.start, anchor, inner.precision, inner.approximate)
    norm = _PHRASINGS.get(norm, norm).replace("fiscal ", "")
    if reported is not None:
        found = reported_quarter(norm, reported)
        if found is not None:
            return found
    resolved = _apply_rules(norm, anchor, tense)
    if resolved is not None:
        return resolved
    span_now = re.fullmatch(r"(.+\b(?:minutes|hours|days|weeks|months|years|decades))\s+now", norm)
    if span_now:  # "for almost five months now": the span, which runs up to the anchor
        resolved = _apply_rules(span_now.group(1), anchor, tense)
        if resolved is not None:
            return resolved
    # words around a known expression ("the early hours of Thursday morning", "last Oct. 23"):
    # the longest tail, then the longest head, that a rule understands
    if not partial:
        return None
    words = norm.split()
    cuts = [words[cut:] for cut in range(1, min(len(words), 7))]
    cuts += [words[:cut] for cut in range(len(words) - 1, max(0, len(words) - 4), -1)]
    for part in cuts:
        resolved = _apply_rules(" ".join(part), anchor, tense)
        # a bare unit left over ("that year" -> "year") is not the duration it would name alone
        bare_unit = (
            len(part) == 1 and re.match(r"P(?:\d|X|T)", resolved.timex or "") if resolved else False
        )
        if resolved is not None and not bare_unit:
            return resolved
    return None


def _apply_rules(norm: str, anchor: date | None, tense: Tense) -> Resolved | None:
    found = _reference(norm, anchor)
    if found:
        return found
    for pattern, handler in _rules():
        match = pattern.fullmatch(norm)
        if match:
            try:
                resolved = handler(match, anchor, tense)
            except (ValueError, KeyError, OverflowError):
                # a pattern that fits but names an impossible date ("Feb. 30"): try the next rule
                resolved = None
            if resolved is not None:
                return resolved
    return None
