"""Rules for days and the units of a calendar: "today", "Monday", "Oct. 27", "last week",
"two weeks ago", "in 2023", "for three months".

Handlers take a regular-expression match (patterns live in dates.rules), the anchor date
(maybe None) and the tense, and return a Resolved or None to let the next rule try.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from eventline.resolve.dates.calendar import (
    Resolved,
    Tense,
    add_months,
    at_granularity,
    day_value,
    days_of,
    duration_value,
    group,
    lexicon,
    month_range,
    month_value,
    parse_count,
    parse_year,
    quarter_of,
    quarter_value,
    required,
    season_near,
    shift,
    unit_of,
    week_timex,
    week_value,
    weekday_date,
    word_tables,
    year_for,
    year_value,
)

DAY_WORDS = {
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


def part_suffix(part: str | None) -> str:
    if not part:
        return ""
    code = lexicon()["day_parts"].get(part, "")
    return "T" + code if code else ""


def resolve_day_word(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    word, part = group(match, "word"), group(match, "part")
    offset, suffix = DAY_WORDS.get(word or "", (0, ""))
    if part:
        suffix = part_suffix(part)
    if anchor is None:
        return Resolved(None)
    day = anchor + timedelta(days=offset)
    resolved = day_value(day, suffix=suffix)
    if word == "overnight":  # the night running into the anchor day
        return Resolved(resolved.timex, day, anchor, "day")
    return resolved


def resolve_offset(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    found = unit_of(required(match, "unit"))
    if not found:
        return None
    unit = found[0]
    number = parse_count(group(match, "num") or "a")
    direction = -1 if group(match, "dir") not in ("later", "from now", "hence", "afterward") else 1
    small_unit = unit in ("day", "week", "fortnight", "hour", "minute", "second")
    as_duration = group(match, "dir") in ("after", "before") or (
        small_unit and group(match, "dir") != "ago"
    )
    if number is None:
        if not re.search(rf"\b(?:{word_tables()['VAGUE']})\b", group(match, "num") or ""):
            return None  # words that are no count: "up from seven a year ago"
        if as_duration:
            return Resolved(duration_value(None, unit))  # "a few days later": PXD
        return Resolved("PAST_REF" if direction < 0 else "FUTURE_REF")
    timex = duration_value(number, unit, bool(group(match, "half") or group(match, "half2")))
    if anchor is None:
        return Resolved(timex if as_duration else None)
    hedged = bool(group(match, "hedge"))
    if unit == "hour" and number < 24:
        resolved = day_value(anchor, hedged)
    else:
        resolved = at_granularity(shift(anchor, direction * number, unit), unit, hedged)
    if as_duration:
        # "two weeks after the strike": TimeML values the span as the duration it names;
        # the range still estimates the day, counted back from the anchor
        return Resolved(timex, resolved.start, resolved.end, resolved.precision, True)
    return resolved


def resolve_relative_unit(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    rel, unit, pos = group(match, "rel"), group(match, "unit"), group(match, "pos")
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(
        rel or "", 0
    )
    if unit is not None and unit in lexicon()["seasons"]:
        return season_near(unit, anchor, tense, rel) if anchor else Resolved(None)
    if anchor is None:
        return Resolved(None)
    if unit in ("week", "weekend"):
        week = week_value(anchor + timedelta(weeks=step))
        if unit == "weekend":
            monday, sunday = days_of(week)
            return Resolved(f"{week.timex}-WE", monday + timedelta(days=5), sunday, "day")
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


def resolve_weekend(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    """'the weekend': the one just past in a past or unknown tense, the next one in the future."""
    if anchor is None:
        return Resolved(None)
    to_saturday = (6 - anchor.isoweekday()) % 7
    saturday = anchor + timedelta(days=to_saturday) if tense == "future" else anchor
    if tense != "future":
        saturday = anchor - timedelta(days=(anchor.isoweekday() - 6) % 7)
    return Resolved(week_timex(saturday) + "-WE", saturday, saturday + timedelta(days=1), "day")


def resolve_weekday(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    weekday = word_tables()["weekday_of"][group(match, "wd")]
    rel = group(match, "rel")
    if anchor is None:
        return Resolved(f"XXXX-WXX-{weekday}")
    relation = {"past": "last", "coming": "next"}.get(rel, rel) if rel is not None else None
    # "Monday night" is valued as the day, as most news annotation does (TimeBank splits
    # about evenly between 2023-11-20 and 2023-11-20TNI, often leaving "night" outside the
    # expression); the part of day rarely matters for dating events
    return day_value(weekday_date(weekday, anchor, tense, relation))


def resolve_month_day(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    month = word_tables()["month_of"][group(match, "mon")]
    day = int(required(match, "day"))
    year_text = group(match, "year")
    year = parse_year(year_text, anchor) if year_text else None
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
    return day_value(value, suffix=part_suffix(group(match, "part")))


def resolve_month(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    month = word_tables()["month_of"][group(match, "mon")]
    rel = group(match, "rel")
    if group(match, "year"):
        year = parse_year(required(match, "year"), anchor)
        return month_value(year, month) if year else None
    if anchor is None:
        return Resolved(f"XXXX-{month:02d}")
    year_rel = group(match, "yrel")
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


def resolve_year(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    year = parse_year(required(match, "year"), anchor)
    return year_value(year) if year and 1000 <= year <= 2999 else None


def resolve_duration(match: re.Match[str], anchor: date | None, tense: Tense) -> Resolved | None:
    found = unit_of(required(match, "unit"))
    if not found:
        return None
    unit, plural = found[0], group(match, "unit") != found[0]
    words = (group(match, "num") or "").strip()
    vague = bool(re.fullmatch(rf"(?:a\s+)?(?:{word_tables()['VAGUE']})(?:\s+of)?", words))
    if words and not vague:
        number = parse_count(words)
        if number is None or number >= 1000:  # "the 1988 quarter" is no 1,988-quarter span
            return None
    else:
        number = None if (vague or plural) else 1
    timex = duration_value(number, unit, bool(group(match, "half") or group(match, "half2")))
    rel = "coming" if group(match, "ahead") else group(match, "rel")
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
