"""Date resolution: news-style relative dates against the publication date, and without it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventline.resolve.dates.expressions import (
    find_dateline,
    find_time_expressions,
    resolve_time_text,
)
from eventline.resolve.dates.periods import first_quarter_end
from eventline.resolve.dates.spans import _detected_spans, _detector

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


# ---------------------------------------------------------------- news wordings


@pytest.mark.parametrize(
    ("text", "timex"),
    [
        ("2 1/2 years", "P2Y6M"),
        ("five and a half hours", "PT5H30M"),
        ("a minute and a half", "PT1M30S"),
        ("two more weeks", "P2W"),
        ("an additional year", "P1Y"),
        ("eight trading days", "P8D"),
        ("recent weeks", "PXW"),
        ("the days ahead", "PXD"),
        ("coming months", "PXM"),
        ("recent years", "PAST_REF"),
        ("recent weeks and months", "PAST_REF"),
        ("day-long", "P1D"),
        ("a few days later", "PXD"),
        ("for almost three months now", "P3M"),
        ("the first two quarters of 2024", "2024-H1"),
        ("the week of Nov. 6", "2023-W45"),
        ("the full year", "2023"),
    ],
)
def test_news_spans_and_periods(text: str, timex: str) -> None:
    assert value(text).timex == timex


def test_a_count_before_a_year_ago_is_no_number_of_years() -> None:
    # "up from nine a year ago": nine of something, one year back
    assert value("nine a year ago").timex == "2022"


def test_a_holiday_week_under_way_is_this_year_s() -> None:
    # Easter 2024 fell on March 31; on the Thursday before, "Easter week" is that week
    assert resolve_time_text("Easter week", date(2024, 3, 28)).timex == "2024-W13"


def _values(nlp, text: str, anchor: date = ANCHOR) -> dict[str, str | None]:
    return {v.text: v.timex for v in find_time_expressions(nlp(text), anchor)}


def test_vague_references_and_spans_are_found_in_text(nlp) -> None:
    found = _values(
        nlp,
        "In the past, the ferry crossed daily. The port will stay shut for at least 20 more "
        "years, a loss in the near term. Fuel makes up more than a quarter of its costs.",
    )
    assert found.get("the past") == "PAST_REF"
    assert found.get("at least 20 more years") == "P20Y"
    assert found.get("the near term") == "FUTURE_REF"
    assert not any("quarter" in text for text in found)  # a share, not a period


def test_a_span_stays_apart_from_the_day_it_fell_on(nlp) -> None:
    found = _values(nlp, "The envoy spoke for more than four hours Monday in the capital.")
    assert found.get("more than four hours") == "PT4H"
    assert found.get("Monday") == "2023-11-20"


def test_a_bare_day_borrows_the_month_before_it(nlp) -> None:
    found = _values(nlp, "The talks will be held on Jan. 9 and 10 in Vienna.")
    assert found.get("Jan. 9") == "2024-01-09"
    assert found.get("10") == "2024-01-10"


def test_the_previous_weekday_counts_from_the_day_last_named(nlp) -> None:
    found = _values(nlp, "The index fell on Friday, down 3% from the previous Friday.")
    assert found.get("Friday") == "2023-11-17"
    assert found.get("the previous Friday") == "2023-11-10"


@pytest.mark.parametrize(
    ("sentence", "text", "timex"),
    [
        # a deadline ahead, whatever the verb's tense
        ("The ministry postponed until Friday any vote on the budget.", "Friday", "2023-11-24"),
        ("The court has given the parties until Friday to reply.", "Friday", "2023-11-24"),
        ("The convoy could reach the town as early as Friday.", "Friday", "2023-11-24"),
        ("The talks are to resume Friday in Doha.", "Friday", "2023-11-24"),
        # a limit in a sentence that looks back
        ("Until Monday, the police had not named a suspect.", "Monday", "2023-11-20"),
        ("The fund has fallen 4% this year through Oct. 6.", "Oct. 6", "2023-10-06"),
        # a participle clause takes the time of the clause it hangs on
        (
            "The shares have swung widely, rising to a high in May from a low in March.",
            "March",
            "2023-03",
        ),
        ("The rebels lose ground when the case is heard in February.", "February", "2024-02"),
    ],
)
def test_tense_from_the_words_around_the_date(nlp, sentence: str, text: str, timex: str) -> None:
    found = _values(nlp, sentence)
    key = next(k for k in found if k.endswith(text))
    assert found[key] == timex


REPORT = (
    "Acme Corp. said its fourth-quarter profit rose to $12 million from $9 million a year "
    "earlier. Sales in the latest period were $80 million. For the first nine months, "
    "profit rose 5% from a year earlier. For the year, shipments were flat."
)


def test_a_quarterly_report_compares_its_own_quarter(nlp) -> None:
    found = find_time_expressions(nlp(REPORT), ANCHOR)
    values = [(v.text, v.timex) for v in found]
    assert ("fourth-quarter", "2023-Q4") in values
    assert ("the latest period", "2023-Q4") in values
    year_earlier = [timex for text, timex in values if text == "a year earlier"]
    # the quarter a year before, then (a sentence about nine months) the year before
    assert year_earlier == ["2022-Q4", "2022"]
    assert ("the year", "2023") in values or ("For the year", "2023") in values


# ---------------------------------------------------------------- the fast detector

_WORDS = [
    "early", "Wednesday", "SINCE", "Oct.", "17", "the", "Past", "two", "weeks", "ago", "in",
    "Christmas", "Eve", "year-ago", "quarter", "day-long", "recent", "sale", "NOW", "2 1/2",
    "years", "a", "few", "More", "Than", "march", "May", "1990", "later", "this", "month",
]  # fmt: skip
# characters whose case folds differ between lower() and IGNORECASE, or change length
_ODD = ["\u0130", "\u0131", "\u017f", "\u212a", "\u00df", "\u1e9e", "\u03a3", "\u00c9"]


def _case_insensitive_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _detector(False).finditer(text)]


@given(
    st.lists(st.sampled_from(_WORDS + _ODD), max_size=14),
    st.lists(st.sampled_from([" ", "  ", ", ", "-", "\n", ""]), min_size=14, max_size=14),
)
def test_the_fast_detector_finds_what_the_case_insensitive_one_finds(words, gaps) -> None:
    text = "".join(word + gap for word, gap in zip(words, gaps, strict=False))
    for variant in (text, text.upper(), text.swapcase()):
        assert _detected_spans(variant) == _case_insensitive_spans(variant)


@pytest.mark.parametrize(
    "text",
    [
        REPORT,
        REPORT.upper(),
        "Early WEDNESDAY, almost Two Weeks After the raid, in the past",
        "\u017fince Monday",  # a long s, which IGNORECASE reads as "s"
        "\u0130zmir, last week",  # a capital I with a dot: lower() makes it two characters
        "\u212aiev said on Monday",  # the Kelvin sign, which lower() makes a "k"
    ],
)
def test_detected_spans_keep_the_offsets_of_the_text(text: str) -> None:
    spans = _detected_spans(text)
    assert spans == _case_insensitive_spans(text)
    assert spans, f"nothing found in {text!r}"


def test_a_quarter_is_named_before_an_offset_from_its_first_mention_on() -> None:
    first = first_quarter_end(REPORT)
    assert first is not None and REPORT[:first].endswith("fourth-quarter")
    assert first_quarter_end("Profit rose a year earlier.") is None
    for cut in range(len(REPORT) + 1):
        named = re.search(r"\bquarter", REPORT[:cut], re.IGNORECASE) is not None
        assert named == (cut >= first)
