"""Where a text's time expressions lie: spaCy's DATE and TIME entities plus patterns for what
the small model misses ("early Wednesday", "almost two weeks after", "since Oct. 17", "now"),
merged and trimmed to their words, split where they coordinate two expressions ("between 1994
and 1997"), and without what only looks like a time (ages, "a quarter of", "they may 2").

eventline.resolve.dates.expressions resolves what is found here.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc

from eventline.nlp import text_of
from eventline.resolve.dates.calendar import lexicon

__all__ = [
    "FULL_MONTHS",
    "MONTH",
    "WEEKDAY",
    "candidate_spans",
    "coordinated_pieces",
    "not_a_time",
    "piece_words",
]

FULL_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
MONTH = rf"(?:{FULL_MONTHS}|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?)"
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"


@cache
def _detector_alternatives() -> str:
    """Patterns for expressions the NER model tends to miss or cut short, in lower case, as
    one alternation; each begins with a word character (see _detector)."""
    lex = lexicon()
    numbers = "|".join(sorted((str(n).lower() for n in lex["number_words"]), key=len, reverse=True))
    hedges = "|".join(sorted((re.escape(h.lower()) for h in lex["hedges"]), key=len, reverse=True))
    parts = r"(?:\s+(?:morning|afternoon|evening|night))?"
    holidays = "|".join(
        re.escape(name.lower()).replace(r"\ ", r"(?:'s)?\s+")
        for name in sorted(lex["holidays"], key=len, reverse=True)
    )
    count = rf"(?:\d+|(?:{numbers})(?:[\s-]+(?:{numbers}))?|a few|several)"
    alternatives = [
        rf"(?:(?:early|late)\s+)?(?:(?:on|last|this|next|past|since|by|until)\s+)?"
        rf"(?:(?:early|late)\s+)?{WEEKDAY}{parts}",
        rf"(?:since\s+)?{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?",
        rf"(?:since\s+)?\d{{1,2}}\s+(?:{FULL_MONTHS})(?:\s+\d{{4}})?",
        rf"(?:{FULL_MONTHS}),?\s+\d{{4}}",
        r"(?:(?:earlier|later|early|late)\s+)?(?:this|last|next|past|previous|coming)\s+"
        r"(?:week|weekend|month|year|quarter|spring|summer|fall|autumn|winter)",
        rf"(?:(?:{hedges})\s+)?{count}\s+(?:hours?|days?|weeks?|months?|years?|decades?)\s+"
        r"(?:ago|earlier|later|before|after)",
        r"(?:today|yesterday|tomorrow|tonight|overnight|last night|this (?:morning|afternoon|evening))",
        r"(?:right now|now|currently|current|recently|(?:the )?(?:near |foreseeable )?future|daily|every day)",
        r"(?:the\s+)?(?:latest|year[- ](?:ago|earlier)|comparable|same)\s+(?:quarter|period)",
        r"(?:first|second|third|fourth)[- ]quarter|year[- ]end",
        r"(?:that|the same|that same|the following|the next|the previous|the prior)\s+"
        rf"(?:day|morning|afternoon|evening|night|week|month|year|{WEEKDAY})",
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
    return "|".join(alternatives)


@cache
def _detector(fast: bool) -> re.Pattern[str]:
    """The patterns as one regex: case-insensitive, or the fast form for lower-cased text.

    The fast form matches case-sensitively, which lets the regex engine reject most
    alternatives on their first letter, and its look-ahead for a word character stops the
    engine from trying every alternative at the end of each word: a match can only begin
    with a word character. Together they make it three to four times faster.
    """
    if fast:
        return re.compile(r"\b(?=\w)(?:" + _detector_alternatives() + r")\b")
    return re.compile(r"\b(?:" + _detector_alternatives() + r")\b", re.IGNORECASE)


# Characters that IGNORECASE matches to an ASCII letter although lower() does not give that
# letter (dotless i, long s), or that lower() turns into two characters (dotted capital I).
_FOLDS_APART = re.compile("[\u0130\u0131\u017f]")


def _detected_spans(text: str) -> list[tuple[int, int]]:
    """Where the patterns match `text`, ignoring case.

    The fast form on the lower-cased text finds the same matches at the same offsets as the
    case-insensitive one wherever lowering keeps every character one character and no
    character folds onto an ASCII letter only under IGNORECASE; elsewhere the slow form runs.
    """
    lowered = text.lower()
    if len(lowered) == len(text) and not _FOLDS_APART.search(text):
        return [m.span() for m in _detector(True).finditer(lowered)]
    return [m.span() for m in _detector(False).finditer(text)]


def candidate_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character offsets of what may be time expressions, in text order, trimmed to words."""
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    spans += _detected_spans(text_of(doc))
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


def coordinated_pieces(text: str, start: int) -> list[tuple[int, int]]:
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


_BARE_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?")
_MONTH_BEFORE_DAY = re.compile(rf"\b({MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?$", re.IGNORECASE)


def piece_words(doc: Doc, pieces: list[tuple[int, int]]) -> list[str]:
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
_VERB_MONTH = re.compile(r"(?:may|march)\b")
_A_QUARTER = re.compile(r"\ba\s+quarter$", re.IGNORECASE)
_OF_FOLLOWS = re.compile(r"\s+of\b")


def not_a_time(doc: Doc, start: int, end: int) -> bool:
    """Whether the candidate at characters start:end only looks like a time."""
    text = text_of(doc)[start:end]
    if _AGE.fullmatch(text):
        return True
    # "they may 2 ...", "protesters march 10 miles": month names that are also verbs
    if _VERB_MONTH.match(text):
        return True
    # "more than a quarter of the market": a share, not a period
    if _A_QUARTER.search(text) and _OF_FOLLOWS.match(text_of(doc), end):
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span) == 1 and span[0].lower_ in _FREQUENCY_ADJECTIVES:
        return span[0].dep_ == "amod"
    return False
