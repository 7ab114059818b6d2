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
from datetime import date, timedelta
from functools import cache
from typing import Any

from eventline.resolve.dates.calendar import (
    Resolved,
    Tense,
    add_months,
    at_granularity,
    clean,
    day_value,
    duration_value,
    lexicon,
    month_range,
    month_value,
    parse_number,
    parse_year,
    quarter_of,
    quarter_value,
    season_near,
    shift,
    spoken_years,
    unit_of,
    week_timex,
    week_value,
    weekday_date,
    word_tables,
    year_for,
    year_value,
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
_DAY_WORDS = {
    "today": (0, ""),
    "tonight": (0, ""),
    "yesterday": (-1, ""),
    "tomorrow": (1, ""),
    "overnight": (-1, "TNI"),
    "last night": (-1, "TNI"),
    "the day before yesterday": (-2, ""),
    "day before yesterday": (-2, ""),
    "the day after tomorrow": (2, ""),
    "this morning": (0, "TMO"),
    "this afternoon": (0, "TAF"),
    "this evening": (0, "TEV"),
}


def _g(match: re.Match[str], name: str) -> str | None:
    """A named group, or None when the pattern that matched has no such group."""
    return match.groupdict().get(name)


def _part_suffix(part: str | None) -> str:
    if not part:
        return ""
    code = lexicon()["day_parts"].get(part, "")
    return "T" + code if code else ""


def _day_word(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    word, part = _g(match, "word"), _g(match, "part")
    offset, suffix = _DAY_WORDS.get(word, (0, ""))
    if part:
        suffix = _part_suffix(part)
    if anchor is None:
        return Resolved(None)
    day = anchor + timedelta(days=offset)
    resolved = day_value(day, suffix=suffix)
    if word == "overnight":  # the night running into the anchor day
        return Resolved(resolved.timex, day, anchor, "day")
    return resolved


def _offset(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    found = unit_of(_g(match, "unit"))
    if not found:
        return None
    unit = found[0]
    number = parse_number(_g(match, "num") or "a")
    direction = -1 if _g(match, "dir") not in ("later", "from now", "hence", "afterward") else 1
    small_unit = unit in ("day", "week", "fortnight", "hour", "minute", "second")
    as_duration = _g(match, "dir") in ("after", "before") or (
        small_unit and _g(match, "dir") != "ago"
    )
    if number is None:
        if not re.search(rf"\b(?:{word_tables()['VAGUE']})\b", _g(match, "num") or ""):
            return None  # words that are no count: "up from seven a year ago"
        if as_duration:
            return Resolved(duration_value(None, unit))  # "a few days later": PXD
        return Resolved("PAST_REF" if direction < 0 else "FUTURE_REF")
    timex = duration_value(number, unit, bool(_g(match, "half") or _g(match, "half2")))
    if anchor is None:
        return Resolved(timex if as_duration else None)
    hedged = bool(_g(match, "hedge"))
    if unit == "hour" and number < 24:
        resolved = day_value(anchor, hedged)
    else:
        resolved = at_granularity(shift(anchor, direction * number, unit), unit, hedged)
    if as_duration:
        # "two weeks after the strike": TimeML values the span as the duration it names;
        # the range still estimates the day, counted back from the anchor
        return Resolved(timex, resolved.start, resolved.end, resolved.precision, True)
    return resolved


def _relative_unit(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    rel, unit, pos = _g(match, "rel"), _g(match, "unit"), _g(match, "pos")
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(
        rel, 0
    )
    if unit in lexicon()["seasons"]:
        return season_near(unit, anchor, tense, rel) if anchor else Resolved(None)
    if anchor is None:
        return Resolved(None)
    if unit in ("week", "weekend"):
        week = week_value(anchor + timedelta(weeks=step))
        if unit == "weekend":
            saturday = week.start + timedelta(days=5)
            return Resolved(week.timex + "-WE", saturday, week.end, "day")
        resolved = week
    elif unit == "month":
        moved = add_months(anchor, step)
        resolved = month_value(moved.year, moved.month)
    elif unit == "quarter":
        moved = add_months(anchor, 3 * step)
        resolved = quarter_value(moved.year, quarter_of(moved))
    elif unit in ("decade", "century") and rel == "past":
        years = 10 if unit == "decade" else 100
        return Resolved(f"P{years}Y", shift(anchor, -1, unit), anchor, "day")
    elif unit == "decade":
        decade = anchor.year // 10 + step
        resolved = Resolved(
            str(decade), date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31), "year"
        )
    elif unit == "century":
        return Resolved(str(anchor.year // 100 + step))
    else:
        resolved = year_value(anchor.year + step)
    if pos in ("earlier", "so far") and step == 0:
        return Resolved(resolved.timex, resolved.start, anchor, resolved.precision)
    if pos == "later" and step == 0:
        return Resolved(resolved.timex, anchor, resolved.end, resolved.precision)
    return resolved


def _weekend(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    """'the weekend': the one just past in a past or unknown tense, the next one in the future."""
    if anchor is None:
        return Resolved(None)
    to_saturday = (6 - anchor.isoweekday()) % 7
    saturday = anchor + timedelta(days=to_saturday) if tense == "future" else anchor
    if tense != "future":
        saturday = anchor - timedelta(days=(anchor.isoweekday() - 6) % 7)
    return Resolved(week_timex(saturday) + "-WE", saturday, saturday + timedelta(days=1), "day")


def _weekday(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    weekday = word_tables()["weekday_of"][_g(match, "wd")]
    rel = _g(match, "rel")
    if anchor is None:
        return Resolved(f"XXXX-WXX-{weekday}")
    relation = {"past": "last", "coming": "next"}.get(rel, rel)
    # "Monday night" is valued as the day, as most news annotation does (TimeBank splits
    # about evenly between 2023-11-20 and 2023-11-20TNI, often leaving "night" outside the
    # expression); the part of day rarely matters for dating events
    return day_value(weekday_date(weekday, anchor, tense, relation))


def _week_of(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    """'the week of March 6': the ISO week holding that day."""
    day = normalize(_g(match, "rest"), anchor, tense, partial=False)
    if day is None or day.precision != "day" or day.start is None:
        return None
    return week_value(day.start)


def _month_day(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    month = word_tables()["month_of"][_g(match, "mon")]
    day = int(_g(match, "day"))
    year = parse_year(_g(match, "year"), anchor) if _g(match, "year") else None
    if not 1 <= day <= 31:
        return None
    if year is None:
        if anchor is None:
            return Resolved(f"XXXX-{month:02d}-{day:02d}")
        year = year_for(month, day, anchor, tense)
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return day_value(value, suffix=_part_suffix(_g(match, "part")))


def _month(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    month = word_tables()["month_of"][_g(match, "mon")]
    rel = _g(match, "rel")
    if _g(match, "year"):
        year = parse_year(_g(match, "year"), anchor)
        return month_value(year, month) if year else None
    if anchor is None:
        return Resolved(f"XXXX-{month:02d}")
    year_rel = _g(match, "yrel")
    if year_rel:
        return month_value(anchor.year + {"last": -1, "next": 1}.get(year_rel, 0), month)
    firsts = [date(y, month, 1) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if rel in ("last", "past", "previous"):
        chosen = max(f for f in firsts if month_range(f.year, f.month)[1] < anchor)
    elif rel in ("next", "coming"):
        chosen = min(f for f in firsts if f > anchor)
    elif rel == "this":
        chosen = date(anchor.year, month, 1)
    elif tense == "future":
        chosen = min(f for f in firsts if month_range(f.year, f.month)[1] >= anchor)
    elif tense != "present":
        chosen = max(f for f in firsts if f <= anchor)
    else:
        # present tense: the nearest such month, the earlier one on a tie
        def months_away(first: date) -> tuple[int, bool]:
            gap = (first.year - anchor.year) * 12 + first.month - anchor.month
            return abs(gap), gap > 0

        chosen = min(firsts, key=months_away)
    return month_value(chosen.year, chosen.month)


def _year(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    year = parse_year(_g(match, "year"), anchor)
    return year_value(year) if year and 1000 <= year <= 2999 else None


def _clock(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    word = _g(match, "word")
    if word:
        clock = lexicon()["day_parts"][word]
        clock = clock if ":" in clock else None
    else:
        hour = int(_g(match, "h"))
        minute = int(_g(match, "m") or 0)
        if _g(match, "ampm") == "pm" and hour < 12:
            hour += 12
        if _g(match, "ampm") == "am" and hour == 12:
            hour = 0
        if hour > 24 or minute > 59:
            return None
        clock = f"{hour:02d}:{minute:02d}"
    rest = _g(match, "rest")
    day = normalize(rest, anchor, tense) if rest else None
    if day is None or day.precision != "day" or day.start is None:
        if anchor is None:
            return Resolved(None)
        day = day_value(anchor)
    elif not clock:
        # "the night of Oct. 23" is valued as the day, like "Monday night"
        return day_value(day.start)
    timex = day.start.isoformat() + (f"T{clock}" if clock else _part_suffix(word))
    return Resolved(timex, day.start, day.start, "day")


def _duration(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    found = unit_of(_g(match, "unit"))
    if not found:
        return None
    unit, plural = found[0], _g(match, "unit") != found[0]
    words = (_g(match, "num") or "").strip()
    vague = bool(re.fullmatch(rf"(?:a\s+)?(?:{word_tables()['VAGUE']})(?:\s+of)?", words))
    if words and not vague:
        number = parse_number(words)
        if number is None or number >= 1000:  # "the 1988 quarter" is no 1,988-quarter span
            return None
    else:
        number = None if (vague or plural) else 1
    timex = duration_value(number, unit, bool(_g(match, "half") or _g(match, "half2")))
    rel = "coming" if _g(match, "ahead") else _g(match, "rel")
    if number is None and plural and rel in ("coming", "recent"):
        # "in recent weeks", "the days ahead" measure a stretch of some units (PXW); "in
        # recent years" and "in coming quarters" are as vague as "the past" and "the future"
        if unit in ("day", "week", "month"):
            return Resolved(timex)
        return Resolved("FUTURE_REF" if rel == "coming" else "PAST_REF")
    if anchor is None or number is None or unit in ("hour", "minute", "second"):
        return Resolved(timex)
    if rel in ("past", "last", "previous", "recent", "latest", "over the past", "over the last"):
        return Resolved(timex, shift(anchor, -number, unit), anchor, "day")
    if rel in ("next", "coming", "following"):
        return Resolved(timex, anchor, shift(anchor, number, unit), "day")
    return Resolved(timex)


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
def _rules() -> list[tuple[re.Pattern[str], Any]]:
    t = word_tables()
    num = (
        rf"(?:\d+(?:\s+\d+)?|(?:(?:{t['NUMWORD']})\s*)+(?:of)?|(?:a\s+)?(?:{t['VAGUE']})(?:\s+of)?)"
    )
    hedge = rf"(?:(?P<hedge>{t['HEDGE']})\s+)?"
    pos = r"(?:(?P<pos>early|late|mid|earlier|later|so far|end of|beginning of|start of|middle of|the end of|the beginning of|the start of|the middle of)\s+)?"
    year = r"(?P<year>\d{4}|'\d{2})"
    day_words = "|".join(sorted(map(re.escape, _DAY_WORDS), key=len, reverse=True))
    holidays = "|".join(sorted(map(re.escape, lexicon()["holidays"]), key=len, reverse=True))
    units = "week|weekend|month|year|quarter|decade|century|" + t["SEASON"]
    part = rf"(?:\s+(?P<part>{t['PART']})s?)?"
    table = [
        (
            rf"(?:(?:early|late)\s+)?(?P<word>{day_words}|today|yesterday|tomorrow)"
            rf"(?:\s+(?P<part>{t['PART']}))?",
            _day_word,
        ),
        (
            rf"{hedge}(?P<num>{num}\s+)?(?:(?P<half>1/2|and a half)\s+)?(?P<unit>{t['UNIT']}|\w+)"
            r"(?:\s+(?P<half2>and a half))?\s+(?P<dir>ago|earlier|before|after|later|back|previously|from now|hence|afterward)",
            _offset,
        ),
        (
            rf"{pos}(?:(?P<rel>this|last|next|past|previous|coming|current|following|same)\s+)"
            rf"(?:fiscal\s+|calendar\s+)?(?P<unit>{units})(?:\s+(?:so far|to date))?",
            _relative_unit,
        ),
        (r"(?:(?:early|late)\s+)?weekend", _weekend),
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
            _weekday,
        ),
        (
            rf"(?:(?:{t['WEEKDAY']})\s+)?(?:(?:early|late|mid)\s+)?(?P<mon>{t['MONTH']})\s+"
            rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+{year})?{part}",
            _month_day,
        ),
        (
            rf"(?:(?:{t['WEEKDAY']})\s+)?(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            rf"(?P<mon>{t['MONTH']})(?:\s+{year})?{part}",
            _month_day,
        ),
        (
            rf"{pos}(?:(?P<rel>last|this|next|past|coming|previous)\s+)?(?P<mon>{t['MONTH']})"
            rf"(?:\s+(?:of\s+)?{year}|\s+(?P<yrel>this|last|next)\s+year)?",
            _month,
        ),
        (
            rf"(?:(?:fiscal|calendar|the year|year|early|late|mid|end of|the end of|all of|most of)\s+)?{year}",
            _year,
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
            _duration,
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
