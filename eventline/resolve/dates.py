"""Dates: find time expressions in a parsed text, resolve them against the publication date,
and pick the one that dates a given event.

The anchor is the publication date. Without it nothing relative is resolved and no year is
ever guessed: `start` stays None, the words stay in `text`, and the TimeML value keeps X's
where the information is missing (XXXX-10-27, XXXX-WXX-1).

Where expressions come from: spaCy's DATE and TIME entities, plus patterns for what the
small model misses ("early Wednesday", "almost two weeks after", "since Oct. 17", "now").
How they are resolved: eventline.resolve.dates_rules (news-style relative dates, TimeML
granularity), with dateparser as the fallback for absolute dates the rules do not know; the
tense that picks the day before or after the anchor comes from eventline.resolve.dates_tense.
A text that reports quarterly results reads "the quarter" and "a year earlier" against the
quarter it reports on.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from eventline.model import TimeValue
from eventline.nlp import text_of
from eventline.resolve.dates_calendar import (
    Resolved,
    Tense,
    add_months,
    day_value,
    lexicon,
    month_value,
    week_value,
    word_tables,
    year_value,
)
from eventline.resolve.dates_periods import reported_quarter_of
from eventline.resolve.dates_rules import normalize
from eventline.resolve.dates_tense import governing_verb, tense_of

__all__ = ["event_time", "find_dateline", "find_time_expressions", "resolve_time_text"]

_FULL_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_MONTH = rf"(?:{_FULL_MONTHS}|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DATELINE_DATE = re.compile(
    rf"(?P<mon>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<mon2>{_MONTH}),?\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
# "BAGHDAD, " / "WASHINGTON, D.C., " / "Monday, " before the date of a dateline
_DATELINE_LEAD = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'\- ]{1,40},\s+(?:[A-Z][A-Za-z.' ]{1,25},\s+)?)?"
    rf"(?:{_WEEKDAY},?\s+)?",
    re.IGNORECASE,
)
_DATELINE_TAIL = re.compile(r"\s*(?:\([^)]{1,40}\)\s*)?(?:[-\u2013\u2014|:/]|$)")


def find_dateline(text: str) -> date | None:
    """The date of a dateline opening an article ("WASHINGTON, Nov. 22, 2023 —"), if it has a year."""
    for line in text.lstrip().splitlines()[:3]:
        line = line.strip()
        if not line:
            continue
        lead = _DATELINE_LEAD.match(line)
        found = _DATELINE_DATE.match(line, lead.end()) if lead else None
        if found is None:
            found = _DATELINE_DATE.match(line)
        if found is None or not _DATELINE_TAIL.match(line, found.end()):
            continue  # a headline above the dateline: look at the next line
        return _dateline_value(found)
    return None


def _dateline_value(found: re.Match[str]) -> date | None:
    if found.group("iso"):
        try:
            return date.fromisoformat(found.group("iso"))
        except ValueError:
            return None
    month_word = (found.group("mon") or found.group("mon2")).lower().rstrip(".")
    month = word_tables()["month_of"].get(month_word)
    day = int(found.group("day") or found.group("day2"))
    year = int(found.group("year") or found.group("year2"))
    try:
        return date(year, month, day) if month else None
    except ValueError:
        return None


# ---------------------------------------------------------------- finding expressions


@cache
def _detector() -> re.Pattern[str]:
    """Patterns for expressions the NER model tends to miss or cut short."""
    lex = lexicon()
    numbers = "|".join(sorted(map(str, lex["number_words"]), key=len, reverse=True))
    hedges = "|".join(sorted(map(re.escape, lex["hedges"]), key=len, reverse=True))
    parts = r"(?:\s+(?:morning|afternoon|evening|night))?"
    holidays = "|".join(
        re.escape(name).replace(r"\ ", r"(?:'s)?\s+")
        for name in sorted(lex["holidays"], key=len, reverse=True)
    )
    count = rf"(?:\d+|(?:{numbers})(?:[\s-]+(?:{numbers}))?|a few|several)"
    alternatives = [
        rf"(?:(?:early|late)\s+)?(?:(?:on|last|this|next|past|since|by|until)\s+)?"
        rf"(?:(?:early|late)\s+)?{_WEEKDAY}{parts}",
        rf"(?:since\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?",
        rf"(?:since\s+)?\d{{1,2}}\s+(?:{_FULL_MONTHS})(?:\s+\d{{4}})?",
        rf"(?:{_FULL_MONTHS}),?\s+\d{{4}}",
        r"(?:(?:earlier|later|early|late)\s+)?(?:this|last|next|past|previous|coming)\s+"
        r"(?:week|weekend|month|year|quarter|spring|summer|fall|autumn|winter)",
        rf"(?:(?:{hedges})\s+)?{count}\s+(?:hours?|days?|weeks?|months?|years?|decades?)\s+"
        r"(?:ago|earlier|later|before|after)",
        r"(?:today|yesterday|tomorrow|tonight|overnight|last night|this (?:morning|afternoon|evening))",
        r"(?:right now|now|currently|current|recently|(?:the )?(?:near |foreseeable )?future|daily|every day)",
        r"(?:the\s+)?(?:latest|year[- ](?:ago|earlier)|comparable|same)\s+(?:quarter|period)",
        r"(?:first|second|third|fourth)[- ]quarter|year[- ]end",
        r"(?:that|the same|that same|the following|the next|the previous|the prior)\s+"
        rf"(?:day|morning|afternoon|evening|night|week|month|year|{_WEEKDAY})",
        holidays,
        # spans of time the small model misses: "two more weeks", "2 1/2 years", "over a week"
        rf"(?:(?:{hedges})\s+)?(?!an?\s+quarter){count}(?:\s+1/2|\s+and\s+a\s+half)?\s+"
        r"(?:(?:more|additional|extra|full|straight|consecutive|trading|business)\s+)?"
        r"(?:minutes?|hours?|days?|weeks?|months?|quarters?|years?|decades?)(?:\s+and\s+a\s+half)?"
        r"(?!-)",
        r"(?:the\s+)?(?:recent|coming)\s+(?:days|weeks|months|years)",
        r"(?:the\s+)?(?:days|weeks|months|years)\s+ahead",
        # "in the past" alone (not "the past two years", which the model finds whole)
        r"(?<=\bin )the past(?![\s-]+(?:\d|\w+\s+(?:years?|months?|weeks?|days?|decades?)\b|"
        r"(?:years?|months?|weeks?|days?|decades?|centur|quarters?|several|few)))",
        r"the (?:near|short) term",
        r"(?:\w+-)?(?:hour|day|week|month|year|decade)s?-long",  # "a day-long meeting"
        r"recent(?=\s+[a-z])",  # "the recent sale": TimeML's vague past
        # a quarterly report's periods: "the 1989 period", "the corresponding period last year"
        r"(?:the\s+)?(?:(?:comparable|corresponding|same|year[- ](?:ago|earlier)|\d{4})\s+)+"
        r"(?:quarter|period)(?:\s+(?:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year))?",
    ]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def _candidate_spans(doc: Doc) -> list[tuple[int, int]]:
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    spans += [(m.start(), m.end()) for m in _detector().finditer(text_of(doc))]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        # overlapping spans, or ones only a space apart ("4 a.m. EDT" + "Thursday"), are one;
        # but a span of time stays apart from the day it fell on ("for four hours Friday")
        adjacent = merged and text_of(doc)[merged[-1][1] : start] == " "
        if adjacent and _ENDS_IN_UNIT.search(text_of(doc), 0, merged[-1][1]):
            adjacent = False
        if merged and (start < merged[-1][1] or adjacent):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [span for span in (_trim(text_of(doc), s, e) for s, e in merged) if span]


_ENDS_IN_UNIT = re.compile(r"\b(?:minutes|hours|days|weeks|months|years|decades)$", re.IGNORECASE)
_TRAILING_JUNK = re.compile(r"(?:\s+(?:and|or|to|through|until|till|of|the))+$|'s$", re.IGNORECASE)
# prepositions that only place the expression; "since", "until" and "by" carry meaning and stay
_LEADING_PREPOSITION = re.compile(r"(?:on|at(?!\s+(?:least|most)\b)|in|during)\s+", re.IGNORECASE)
# what joins two expressions inside one entity: "between 1994 and 1997", "1994, 1995 and 1997"
_JOINERS = re.compile(
    r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to|through|until|till|ended|ending)\s+"
    r"|\s*[-\u2013]\s*(?=\d)",
    re.IGNORECASE,
)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and not text[start].isalnum() and text[start] != "'":
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] != ".":
        end -= 1
    lead = _LEADING_PREPOSITION.match(text, start, end)
    if lead and lead.end() < end:
        start = lead.end()
    junk = _TRAILING_JUNK.search(text, start, end)
    if junk and junk.start() > start:
        end = junk.start()
    return (start, end) if end > start else None


def _pieces(text: str, start: int) -> list[tuple[int, int]]:
    """Offsets of the parts of a coordinated expression; one piece when nothing joins parts."""
    pieces, cursor = [], 0
    for joiner in _JOINERS.finditer(text):
        if joiner.start() > cursor:
            pieces.append((start + cursor, start + joiner.start()))
        cursor = joiner.end()
    if cursor < len(text):
        pieces.append((start + cursor, start + len(text)))
    # "June 30, 1990" is one date, not a day and a year
    merged: list[tuple[int, int]] = []
    for piece in pieces:
        is_year = re.fullmatch(r"\d{4}", text[piece[0] - start : piece[1] - start])
        if (
            merged
            and is_year
            and re.search(r"\b\d{1,2}(?:st|nd|rd|th)?$", text[: merged[-1][1] - start])
        ):
            merged[-1] = (merged[-1][0], piece[1])
            continue
        merged.append(piece)
    return merged


def resolve_time_text(text: str, anchor: date | None, tense: Tense = None) -> TimeValue | None:
    """One expression's words -> a TimeValue (no offsets), or None if nothing understands them.

    `tense` ("past", "present", "future") is the tense of the sentence around the words, when
    known; year-less dates and weekdays read as past without it.
    """
    resolved = normalize(text, anchor, tense) or _dateparser_value(text, anchor, tense)
    if resolved is None:
        return None
    return _time_value(text, resolved, None, None)


def find_time_expressions(doc: Doc, anchor: date | None) -> list[TimeValue]:
    """Every time expression in the parsed text, resolved against the anchor date."""
    values: list[TimeValue] = []
    for start, end in _candidate_spans(doc):
        if _not_a_time(doc, start, end):
            continue
        # whole expression first; then its coordinated parts ("between 1994 and 1997");
        # then the whole again, letting the rules drop words they do not know
        resolved = _resolve_in_doc(doc, start, end, anchor, values, partial=False)
        if resolved is None:
            pieces = _pieces(text_of(doc)[start:end], start)
            words = _piece_words(doc, pieces)
            parts = [
                (s, e, _resolve_in_doc(doc, s, e, anchor, values, text=w))
                for (s, e), w in zip(pieces, words, strict=True)
            ]
            if len(parts) > 1 and all(r is not None for _, _, r in parts):
                values.extend(_time_value(text_of(doc)[s:e], r, s, e) for s, e, r in parts)  # type: ignore[arg-type]
                continue
            resolved = _resolve_in_doc(doc, start, end, anchor, values)
        if resolved is None:
            continue  # words no rule understands: the NER's guess was not a time
        values.append(_time_value(text_of(doc)[start:end], resolved, start, end))
    return values


_BARE_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?")
_MONTH_BEFORE_DAY = re.compile(rf"\b({_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?$", re.IGNORECASE)


def _piece_words(doc: Doc, pieces: list[tuple[int, int]]) -> list[str]:
    """The words each piece is read as: a bare day after a month and day borrows the month
    ("April 24 and 25" -> "April 24", "April 25")."""
    words: list[str] = []
    for start, end in pieces:
        text = text_of(doc)[start:end]
        month = _MONTH_BEFORE_DAY.search(words[-1]) if words else None
        if month and _BARE_DAY.fullmatch(text):
            text = f"{month.group(1)} {text}"
        words.append(text)
    return words


# ages ("a 6-year-old boy", "52 years old") name no time; nor do adjectives of frequency
# before a noun ("quarterly dividend", "annual meeting")
_AGE = re.compile(r"(?:\w+[\s-])+(?:years?|months?|weeks?|days?)[\s-]old", re.IGNORECASE)
_FREQUENCY_ADJECTIVES = {"quarterly", "annual", "yearly", "monthly", "weekly", "biannual"}


def _not_a_time(doc: Doc, start: int, end: int) -> bool:
    text = text_of(doc)[start:end]
    if _AGE.fullmatch(text):
        return True
    # "they may 2 ...", "protesters march 10 miles": month names that are also verbs
    if re.match(r"(?:may|march)\b", text):
        return True
    # "more than a quarter of the market": a share, not a period
    if re.search(r"\ba\s+quarter$", text, re.IGNORECASE) and re.match(
        r"\s+of\b", text_of(doc)[end:]
    ):
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span) == 1 and span[0].lower_ in _FREQUENCY_ADJECTIVES:
        return span[0].dep_ == "amod"
    return False


def _resolve_in_doc(
    doc: Doc,
    start: int,
    end: int,
    anchor: date | None,
    earlier: list[TimeValue],
    partial: bool = True,
    text: str | None = None,
) -> Resolved | None:
    """The value of doc's characters start:end (read as `text` when given)."""
    text = text_of(doc)[start:end] if text is None else text
    anaphoric = resolve_anaphora(text, earlier)
    if anaphoric is not None:
        return anaphoric
    if _CLOCK_ONLY.fullmatch(text):
        # "At 10:35 a.m., ...": a bare clock time falls on the day last named, if any
        last_day = next((v for v in reversed(earlier) if v.start and v.precision == "day"), None)
        if last_day is not None:
            anchor = last_day.start
    if (
        _THE_YEAR.fullmatch(text)
        and not _YEAR_SPAN_FOLLOWS.match(text_of(doc), end)
        and not _YEAR_SPAN_BEFORE.search(text_of(doc), 0, start)
    ):
        # "for the year, volume was flat": the year under way, where "the year ended
        # Sept. 30" (a fiscal year), "the year before" and "throughout the year" are spans
        text = "this year"
    span = doc.char_span(start, end, alignment_mode="expand")
    tense = tense_of(governing_verb(span), span) if span is not None and len(span) else None
    sentence = span.sent.text if span is not None and len(span) else None
    reported = reported_quarter_of(text_of(doc)[:end], sentence, anchor, earlier)
    return normalize(text, anchor, tense, reported, partial) or _dateparser_value(
        text, anchor, tense
    )


_THE_YEAR = re.compile(r"the\s+(?:fiscal\s+|full\s+|calendar\s+)?year", re.IGNORECASE)
_YEAR_SPAN_FOLLOWS = re.compile(
    r"\s+(?:ended|ending|to|through|that|which|when|before|after|earlier|later|in which)\b",
    re.IGNORECASE,
)
_YEAR_SPAN_BEFORE = re.compile(r"\b(?:throughout|over|across|all|within)\s+$", re.IGNORECASE)
_CLOCK_ONLY = re.compile(
    r"(?:(?:about|around|at|approximately|shortly after|shortly before|just after|just before)\s+)?"
    r"\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\.?(?:\s+[A-Z]{2,4})?",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"(?:(?P<pos>earlier|later)\s+)?(?:on\s+|in\s+)?(?P<rel>that|the same|that same|the following|"
    r"the next|the previous|the prior|the preceding)\s+(?P<unit>day|morning|afternoon|evening|"
    rf"night|week|month|year|{_WEEKDAY})",
    re.IGNORECASE,
)


def resolve_anaphora(text: str, earlier: list[TimeValue]) -> Resolved | None:
    """'that day', 'the following year', 'the next morning': counted from the date last named.

    Returns Resolved(None) when the words are anaphoric but nothing earlier gives a date, so
    they are not mistaken for a duration; None when the words are not anaphoric.
    """
    match = _ANAPHORA.fullmatch(text.strip().rstrip("."))
    if match is None:
        return None
    unit = match.group("unit").lower()
    fine = unit not in ("week", "month", "year")
    wanted = {"day"} if fine else {"day", "week", "month", "year"}
    reference = next((v for v in reversed(earlier) if v.start and v.precision in wanted), None)
    if reference is None or reference.start is None:
        return Resolved(None)
    step = {
        "the following": 1,
        "the next": 1,
        "the previous": -1,
        "the prior": -1,
        "the preceding": -1,
    }
    offset = step.get(match.group("rel").lower(), 0)
    day = reference.start
    weekday = word_tables()["weekday_of"].get(unit)
    if weekday is not None:
        # "the previous Friday": the Friday before the day last named, "the following
        # Friday" the one after it, "that Friday" the one in its week
        if offset < 0:
            return day_value(day - timedelta(days=(day.isoweekday() - weekday - 1) % 7 + 1))
        if offset > 0:
            return day_value(day + timedelta(days=(weekday - day.isoweekday() - 1) % 7 + 1))
        return day_value(day + timedelta(days=weekday - day.isoweekday()))
    if fine:
        return day_value(day + timedelta(days=offset))
    if unit == "week":
        return week_value(day + timedelta(weeks=offset))
    if unit == "month":
        moved = add_months(day, offset)
        return month_value(moved.year, moved.month)
    return year_value(day.year + offset)


def _time_value(text: str, resolved: Resolved, start: int | None, end: int | None) -> TimeValue:
    return TimeValue(
        text=text,
        start=resolved.start,
        end=resolved.end,
        precision=resolved.precision if resolved.start else None,  # type: ignore[arg-type]
        timex=resolved.timex,
        char_start=start,
        char_end=end,
        approximate=resolved.approximate,
    )


_PERIOD_PRECISION = {"day": "day", "time": "day", "week": "week", "month": "month", "year": "year"}


@cache
def _date_parser(prefer: str, base: datetime | None) -> Any:
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "RETURN_TIME_AS_PERIOD": True}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser_value(text: str, anchor: date | None, tense: Tense) -> Resolved | None:
    """Absolute dates in forms the rules do not cover ('2023/11/22', '11.22.2023')."""
    # only forms with a full year or digit separators: bare numbers ("25") are not dates
    if not re.search(r"\b\d{4}\b|\d[/.-]\d", text):
        return None
    prefer = "future" if tense == "future" else "past"
    base = datetime(anchor.year, anchor.month, anchor.day) if anchor else None
    try:
        data = _date_parser(prefer, base).get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    precision = _PERIOD_PRECISION.get(data.period or "day", "day")
    if precision == "year":
        return year_value(day.year)
    if precision == "month":
        return month_value(day.year, day.month)
    if precision == "week":
        return week_value(day)
    return day_value(day)


# ---------------------------------------------------------------- the date of one event

# a participle or infinitive clause takes its time from the verb it hangs on
_SHARING_DEPS = {"advcl", "xcomp", "conj"}
_OFFSET_WORDS = re.compile(r"\b(?:ago|earlier|later|before|after)\b", re.IGNORECASE)


def _reporting_lemmas() -> set[str]:
    return set(lexicon()["reporting_verbs"])


def _anchor_token(sent: Span, value: TimeValue) -> Span | None:
    doc = sent.doc
    if value.char_start is None or value.char_end is None:
        return None
    if value.char_start < sent.start_char or value.char_end > sent.end_char:
        return None
    return doc.char_span(value.char_start, value.char_end, alignment_mode="expand")


def _said_next_to(span: Span) -> bool:
    """'said Tuesday', 'said on Tuesday', 'Tuesday said': dates the statement, not the event."""
    doc, reporting = span.doc, _reporting_lemmas()
    before = span.start - 1
    if before >= 0 and doc[before].lower_ in ("on", "late", "early"):
        before -= 1
    after = span.end
    return (
        before >= 0 and doc[before].lemma_.lower() in reporting and doc[before].pos_ == "VERB"
    ) or (after < len(doc) and doc[after].lemma_.lower() in reporting and doc[after].pos_ == "VERB")


def event_time(
    sent: Span, trigger: Token, anchor: date | None, expressions: list[TimeValue]
) -> TimeValue | None:
    """The expression in `sent` that dates the event whose trigger is given, if any.

    Preference: an expression attached (through prep/npadvmod/advmod/obl) to the trigger or to
    the verb that governs it; then the nearest one in the same clause. Expressions attached
    to a verb of saying ("officials said Tuesday") are skipped, as are durations, recurring
    sets and vague references, which date nothing.
    """
    reporting = _reporting_lemmas()
    event_heads = {trigger.i}
    # coordinated verbs share their modifiers: "fired on and killed three ... on Monday night"
    event_heads.update(c.i for c in trigger.children if c.dep_ == "conj")
    if trigger.dep_ == "conj" and trigger.pos_ in ("VERB", "AUX"):
        event_heads.add(trigger.head.i)
    if trigger.pos_ not in ("VERB", "AUX"):
        head = trigger.head
        for _ in range(3):
            event_heads.add(head.i)
            if head.pos_ in ("VERB", "AUX") or head.head.i == head.i:
                break
            head = head.head
    clause_root = _clause_root(trigger)
    scored: list[tuple[int, bool, int, TimeValue]] = []
    for value in expressions:
        if not _dates_something(value):
            continue
        span = _anchor_token(sent, value)
        if span is None or len(span) == 0:
            continue
        if trigger.i >= span.start and trigger.i < span.end:
            continue
        verb = governing_verb(span)
        attached_to = span.root.head.i if span.root.head.i != span.root.i else None
        if verb is not None and verb.lemma_.lower() in reporting and verb.i not in event_heads:
            continue
        if _said_next_to(span) and trigger.lemma_.lower() not in reporting:
            continue
        distance = min(abs(trigger.i - span.start), abs(trigger.i - (span.end - 1)))
        if attached_to in event_heads or (verb is not None and verb.i in event_heads):
            rank = 0
        elif verb is not None and _clause_root(verb).i == clause_root.i:
            rank = 1
        elif (
            verb is not None
            and _clause_root(verb).head.i in event_heads | {clause_root.i}
            and not _times_another_event(_clause_root(verb))
        ):
            rank = 2  # a clause hanging off the event: "the attack, which came on Tuesday"
        elif (
            verb is not None and clause_root.dep_ in _SHARING_DEPS and verb.i == clause_root.head.i
        ):
            rank = 2  # "struck early Wednesday, destroying two depots": the main verb's time
        else:
            continue  # another clause, another event
        # at the same rank an exact date beats an estimate ("24 hours earlier" vs "Monday night")
        estimate = value.approximate or _OFFSET_WORDS.search(value.text) is not None
        scored.append((rank, estimate, distance, value))
    if not scored:
        return None
    return min(scored, key=lambda item: item[:3])[3]


def _times_another_event(clause: Token) -> bool:
    """'... came two weeks after jets hit a depot': the subordinate clause dates the hit."""
    return any(
        c.dep_ == "mark" and c.lower_ in ("after", "before", "since", "until", "once")
        for c in clause.children
    )


def _dates_something(value: TimeValue) -> bool:
    timex = value.timex or ""
    if timex.endswith("_REF"):
        return False
    offset = _OFFSET_WORDS.search(value.text)
    if timex.startswith("P") and value.start is None and not offset:
        return False
    return bool(value.text.strip())


def _clause_root(token: Token) -> Token:
    """The nearest ancestor (or self) heading a clause: ROOT, ccomp, advcl, conj of a verb, relcl."""
    current = token
    for _ in range(12):
        if (
            current.dep_ in ("ROOT", "ccomp", "advcl", "relcl", "xcomp", "csubj")
            or current.head.i == current.i
        ):
            return current
        current = current.head
    return current
