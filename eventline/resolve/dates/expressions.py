"""Dates: find time expressions in a parsed text and resolve them against the publication
date. Which expression dates an event is decided in eventline.extraction.anchors.

The anchor is the publication date. Without it nothing relative is resolved and no year is
ever guessed: `start` stays None, the words stay in `text`, and the TimeML value keeps X's
where the information is missing (XXXX-10-27, XXXX-WXX-1).

Where expressions come from: eventline.resolve.dates.spans (spaCy's DATE and TIME entities,
plus patterns for what the small model misses). How they are resolved:
eventline.resolve.dates.rules (news-style relative dates, TimeML granularity), with
dateparser as the fallback for absolute dates the rules do not know; the tense that picks
the day before or after the anchor comes from eventline.resolve.dates.tense.
A text that reports quarterly results reads "the quarter" and "a year earlier" against the
quarter it reports on.

Reads: a parsed document and its anchor (publication date or dateline). Writes:
`TimeValue`s with character spans, TimeML values and day ranges. Knowledge:
eventline/data/dates/lexicon.yaml.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span

from eventline.model import TimeValue
from eventline.nlp import text_of
from eventline.resolve.dates.calendar import (
    Resolved,
    Tense,
    add_months,
    day_value,
    month_value,
    week_value,
    word_tables,
    year_value,
)
from eventline.resolve.dates.periods import first_quarter_end, reported_quarter_of
from eventline.resolve.dates.rules import normalize
from eventline.resolve.dates.spans import (
    MONTH,
    WEEKDAY,
    candidate_spans,
    coordinated_pieces,
    not_a_time,
    piece_words,
)
from eventline.resolve.dates.tense import governing_verb, tense_of

__all__ = ["find_dateline", "find_time_expressions", "resolve_time_text"]

_DATELINE_DATE = re.compile(
    rf"(?P<mon>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<mon2>{MONTH}),?\s+(?P<year2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
# "BAGHDAD, " / "WASHINGTON, D.C., " / "Monday, " before the date of a dateline
_DATELINE_LEAD = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'\- ]{1,40},\s+(?:[A-Z][A-Za-z.' ]{1,25},\s+)?)?"
    rf"(?:{WEEKDAY},?\s+)?",
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


# ---------------------------------------------------------------- resolving expressions


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
    reader = _Reader(doc)
    for start, end in candidate_spans(doc):
        if not_a_time(doc, start, end):
            continue
        # whole expression first; then its coordinated parts ("between 1994 and 1997");
        # then the whole again, letting the rules drop words they do not know
        resolved = _resolve_in_doc(reader, start, end, anchor, values, partial=False)
        if resolved is None:
            pieces = coordinated_pieces(text_of(doc)[start:end], start)
            words = piece_words(doc, pieces)
            parts = [
                (s, e, _resolve_in_doc(reader, s, e, anchor, values, text=w))
                for (s, e), w in zip(pieces, words, strict=True)
            ]
            known = [(s, e, r) for s, e, r in parts if r is not None]
            if len(parts) > 1 and len(known) == len(parts):
                values.extend(_time_value(text_of(doc)[s:e], r, s, e) for s, e, r in known)
                continue
            resolved = _resolve_in_doc(reader, start, end, anchor, values)
        if resolved is None:
            continue  # words no rule understands: the NER's guess was not a time
        values.append(_time_value(text_of(doc)[start:end], resolved, start, end))
    return values


class _Reader:
    """One document's text and what the readings of its expressions share: an expression is
    often read two or three times (whole, in parts, whole again), its tense is the same each
    time, and whether a quarter is named before it is one search per document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = text_of(doc)
        self.quarter_end = first_quarter_end(self.text)
        self._spans: dict[tuple[int, int], tuple[Tense, Span | None]] = {}

    def tense_and_span(self, start: int, end: int) -> tuple[Tense, Span | None]:
        """The tense around characters start:end and the tokens covering them (None if none)."""
        key = (start, end)
        known = self._spans.get(key)
        if known is None:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or not len(span):
                known = (None, None)
            else:
                known = (tense_of(governing_verb(span), span), span)
            self._spans[key] = known
        return known

    def sentence_text(self, span: Span) -> str:
        sentence = span.sent  # the slice of the text is Span.text without a walk over tokens
        return self.text[sentence.start_char : sentence.end_char]


def _resolve_in_doc(
    reader: _Reader,
    start: int,
    end: int,
    anchor: date | None,
    earlier: list[TimeValue],
    partial: bool = True,
    text: str | None = None,
) -> Resolved | None:
    """The value of the document's characters start:end (read as `text` when given)."""
    doc_text = reader.text
    text = doc_text[start:end] if text is None else text
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
        and not _YEAR_SPAN_FOLLOWS.match(doc_text, end)
        and not _YEAR_SPAN_BEFORE.search(doc_text, 0, start)
    ):
        # "for the year, volume was flat": the year under way, where "the year ended
        # Sept. 30" (a fiscal year), "the year before" and "throughout the year" are spans
        text = "this year"
    tense, span = reader.tense_and_span(start, end)
    reported = None
    # reported_quarter_of wants a quarter named in the text up to the expression: most texts
    # name none, and then neither the sentence nor that text need be built
    if anchor is not None and reader.quarter_end is not None and reader.quarter_end <= end:
        sentence = reader.sentence_text(span) if span is not None else None
        reported = reported_quarter_of(doc_text[:end], sentence, anchor, earlier)
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
    rf"night|week|month|year|{WEEKDAY})",
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
        precision=resolved.precision if resolved.start else None,
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
