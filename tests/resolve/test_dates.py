"""Date resolution: news-style relative dates against the publication date, and without it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventline.resolve.dates import (
    event_time,
    find_dateline,
    find_time_expressions,
    resolve_time_text,
)

# a Wednesday
ANCHOR = date(2023, 11, 22)


def value(text: str, anchor: date | None = ANCHOR, tense=None):
    resolved = resolve_time_text(text, anchor, tense)
    assert resolved is not None, f"{text!r} was not understood"
    return resolved


# ---------------------------------------------------------------- anchored


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("early Wednesday", date(2023, 11, 22)),  # the anchor's own weekday is the anchor
        ("Wednesday morning", date(2023, 11, 22)),
        ("Monday night", date(2023, 11, 20)),
        ("on Tuesday", date(2023, 11, 21)),
        ("late Thursday", date(2023, 11, 16)),
        ("Oct. 27", date(2023, 10, 27)),
        ("October 27", date(2023, 10, 27)),
        ("27 October", date(2023, 10, 27)),
        ("yesterday", date(2023, 11, 21)),
        ("today", date(2023, 11, 22)),
        ("two days ago", date(2023, 11, 20)),
        ("Nov. 30, 2022", date(2022, 11, 30)),
        ("Thanksgiving", date(2023, 11, 23)),  # within the few days of slack
        ("Christmas", date(2022, 12, 25)),  # a past reading when no tense says otherwise
    ],
)
def test_days(text: str, day: date) -> None:
    resolved = value(text)
    assert resolved.start == day
    assert resolved.precision == "day"
    assert resolved.text == text


def test_last_week_is_the_iso_week_before_the_anchor() -> None:
    resolved = value("last week")
    assert (resolved.start, resolved.end) == (date(2023, 11, 13), date(2023, 11, 19))
    assert resolved.precision == "week"
    assert resolved.timex == "2023-W46"


def test_this_week_and_next_week() -> None:
    assert value("this week").timex == "2023-W47"
    upcoming = value("next week")
    assert upcoming.start == date(2023, 11, 27) and upcoming.timex == "2023-W48"


@pytest.mark.parametrize(
    "text", ["almost two weeks ago", "about two weeks earlier", "nearly two weeks before"]
)
def test_almost_two_weeks_is_approximate(text: str) -> None:
    resolved = value(text)
    assert resolved.start == date(2023, 11, 8)
    assert resolved.approximate is True
    assert resolved.precision == "day"


def test_almost_two_weeks_after_counts_back_from_the_anchor() -> None:
    # "The latest strike came almost two weeks after warplanes hit ...": the hit is the earlier one
    resolved = value("almost two weeks after")
    assert resolved.start == date(2023, 11, 8) and resolved.approximate
    assert resolved.timex == "P2W"


def test_since_is_an_interval_up_to_the_anchor() -> None:
    resolved = value("since Oct. 17")
    assert (resolved.start, resolved.end) == (date(2023, 10, 17), ANCHOR)
    assert resolved.precision == "day"


@pytest.mark.parametrize(
    ("text", "timex", "start", "end", "precision"),
    [
        ("last month", "2023-10", date(2023, 10, 1), date(2023, 10, 31), "month"),
        ("earlier this month", "2023-11", date(2023, 11, 1), ANCHOR, "month"),
        ("this year", "2023", date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("last year", "2022", date(2022, 1, 1), date(2022, 12, 31), "year"),
        ("1994", "1994", date(1994, 1, 1), date(1994, 12, 31), "year"),
        ("the 1990s", "199", date(1990, 1, 1), date(1999, 12, 31), "year"),
        ("the third quarter", "2023-Q3", date(2023, 7, 1), date(2023, 9, 30), "month"),
        ("last summer", "2023-SU", date(2023, 6, 1), date(2023, 8, 31), "month"),
        ("last fall", "2022-FA", date(2022, 9, 1), date(2022, 11, 30), "month"),
        ("March 2021", "2021-03", date(2021, 3, 1), date(2021, 3, 31), "month"),
    ],
)
def test_granularity_is_kept(text, timex, start, end, precision) -> None:
    resolved = value(text)
    assert (resolved.timex, resolved.start, resolved.end, resolved.precision) == (
        timex,
        start,
        end,
        precision,
    )


def test_overnight_and_hours_earlier() -> None:
    overnight = value("overnight")
    assert overnight.start == date(2023, 11, 21) and overnight.end == ANCHOR
    earlier = value("barely more than 24 hours earlier")
    assert earlier.start == date(2023, 11, 21) and earlier.approximate


@pytest.mark.parametrize(
    ("text", "timex"),
    [
        ("two weeks", "P2W"),
        ("five-year", "P5Y"),
        ("several months", "PXM"),
        ("24 hours", "PT24H"),
        ("a decade", "P10Y"),
        ("daily", "P1D"),
        ("now", "PRESENT_REF"),
        ("recently", "PAST_REF"),
        ("the future", "FUTURE_REF"),
    ],
)
def test_durations_sets_and_references(text: str, timex: str) -> None:
    assert value(text).timex == timex


def test_the_past_three_years_is_a_duration_ending_at_the_anchor() -> None:
    resolved = value("the past three years")
    assert resolved.timex == "P3Y"
    assert (resolved.start, resolved.end) == (date(2020, 11, 22), ANCHOR)


def test_tense_moves_weekdays_and_dates_forward() -> None:
    assert value("on Friday", tense="past").start == date(2023, 11, 17)
    assert value("on Friday", tense="future").start == date(2023, 11, 24)
    assert value("Dec. 5", tense="future").start == date(2023, 12, 5)
    assert value("Dec. 5", tense="past").start == date(2022, 12, 5)


def test_unknown_words_are_not_resolved() -> None:
    assert resolve_time_text("the militia", ANCHOR) is None


@given(
    anchor=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    weekday=st.sampled_from(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    ),
)
def test_a_bare_weekday_is_the_latest_such_day_up_to_the_anchor(anchor: date, weekday: str) -> None:
    resolved = resolve_time_text(weekday, anchor, "past")
    assert resolved is not None and resolved.start is not None
    assert anchor - timedelta(days=6) <= resolved.start <= anchor
    assert resolved.start.strftime("%A") == weekday


@given(
    anchor=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)),
)
def test_a_past_month_day_is_never_far_in_the_future(anchor: date, day: date) -> None:
    resolved = resolve_time_text(day.strftime("%B %d").replace(" 0", " "), anchor, "past")
    assert resolved is not None and resolved.start is not None
    assert resolved.start <= anchor + timedelta(days=3)
    assert (resolved.start.month, resolved.start.day) == (day.month, day.day)


# ---------------------------------------------------------------- without an anchor


@pytest.mark.parametrize(
    ("text", "timex"),
    [
        ("Oct. 27", "XXXX-10-27"),
        ("on Tuesday", "XXXX-WXX-2"),
        ("Monday night", "XXXX-WXX-1"),
        ("last week", None),
        ("almost two weeks ago", None),
        ("since Oct. 17", "XXXX-10-17"),
        ("yesterday", None),
        ("the third quarter", "XXXX-Q3"),
    ],
)
def test_no_anchor_invents_no_year(text: str, timex: str | None) -> None:
    resolved = resolve_time_text(text, None)
    assert resolved is not None
    assert resolved.start is None and resolved.end is None and resolved.precision is None
    assert resolved.timex == timex
    assert resolved.text == text


def test_no_anchor_still_reads_explicit_years() -> None:
    resolved = value("Oct. 27, 2023", anchor=None)
    assert resolved.start == date(2023, 10, 27) and resolved.precision == "day"


# ---------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BAGHDAD, Nov 22 (Reuters) - Militants fired rockets.", None),  # no year: none invented
        ("WASHINGTON, Nov. 22, 2023 \u2014 The Pentagon said.", date(2023, 11, 22)),
        ("Nov 22, 2023 (AP) \u2014 Officials said.", date(2023, 11, 22)),
        ("22 November 2023 | Kyiv\nShelling continued.", date(2023, 11, 22)),
        ("KYIV, Ukraine, Wednesday, March 1, 2023 - Strikes hit.", date(2023, 3, 1)),
        ("The strike on Nov. 22, 2023 killed three people.", None),
        ("", None),
    ],
)
def test_find_dateline(text: str, expected: date | None) -> None:
    assert find_dateline(text) == expected


# ---------------------------------------------------------------- in parsed text

TEXT = (
    "Warplanes struck two depots near the border early Wednesday, officials said. "
    "Militants fired rockets at the base on Monday night, the ministry said Tuesday. "
    "The strikes followed others last week. "
    "The latest raid came almost two weeks after jets hit a warehouse. "
    "An earlier set of raids came on Oct. 27. "
    "There have been 40 attacks since Oct. 17."
)


@pytest.fixture(scope="module")
def parsed(nlp):
    return nlp(TEXT)


def test_find_time_expressions_offsets_and_values(parsed) -> None:
    found = find_time_expressions(parsed, ANCHOR)
    by_text = {v.text: v for v in found}
    for v in found:
        assert TEXT[v.char_start : v.char_end] == v.text
    assert by_text["early Wednesday"].start == ANCHOR
    assert by_text["Monday night"].start == date(2023, 11, 20)
    assert by_text["Tuesday"].start == date(2023, 11, 21)
    assert by_text["last week"].timex == "2023-W46"
    weeks = next(v for k, v in by_text.items() if "two weeks" in k)
    assert weeks.start == date(2023, 11, 8) and weeks.approximate
    assert by_text["Oct. 27"].start == date(2023, 10, 27)
    since = next(v for k, v in by_text.items() if "Oct. 17" in k)
    assert (since.start, since.end) == (date(2023, 10, 17), ANCHOR)


def test_find_time_expressions_without_anchor_keeps_text(parsed) -> None:
    found = find_time_expressions(parsed, None)
    assert {"early Wednesday", "Monday night", "last week", "Oct. 27"} <= {v.text for v in found}
    assert all(v.start is None for v in found)


def _sentence_and_token(doc, word: str):
    token = next(t for t in doc if t.text == word)
    return token.sent, token


def test_event_time_takes_the_attached_expression_not_the_reporting_date(parsed) -> None:
    expressions = find_time_expressions(parsed, ANCHOR)
    sent, fired = _sentence_and_token(parsed, "fired")
    chosen = event_time(sent, fired, ANCHOR, expressions)
    assert chosen is not None and chosen.start == date(2023, 11, 20)
    sent, struck = _sentence_and_token(parsed, "struck")
    chosen = event_time(sent, struck, ANCHOR, expressions)
    assert chosen is not None and chosen.start == ANCHOR
    # "The latest raid came almost two weeks after jets hit a warehouse": the hit is dated
    sent, hit = _sentence_and_token(parsed, "hit")
    chosen = event_time(sent, hit, ANCHOR, expressions)
    assert chosen is not None and chosen.start == date(2023, 11, 8)
    sent, came = _sentence_and_token(parsed, "came")
    assert event_time(sent, came, ANCHOR, expressions) is None


def test_event_time_is_none_when_the_sentence_has_no_date(nlp) -> None:
    doc = nlp("Gunmen attacked a checkpoint in the north, police said.")
    sent, attacked = _sentence_and_token(doc, "attacked")
    assert event_time(sent, attacked, ANCHOR, find_time_expressions(doc, ANCHOR)) is None


def test_event_time_without_anchor_keeps_the_words(parsed) -> None:
    expressions = find_time_expressions(parsed, None)
    sent, fired = _sentence_and_token(parsed, "fired")
    chosen = event_time(sent, fired, None, expressions)
    assert chosen is not None and chosen.text == "Monday night" and chosen.start is None
