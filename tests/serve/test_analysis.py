"""Dyads, timelines and reciprocity as pure functions over hand-built events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from eventline.model import Actor, Event
from eventline.serve.analysis import (
    RANKS_FILE,
    actor_key,
    actor_matches,
    dyads,
    load_ranks,
    period_start,
    reciprocity,
    timeline,
)
from eventline.serve.params import PLOVER_EVENT_TYPES

ISRAEL = Actor(text="Israeli troops", name="Israel Defense Forces", country="ISR", code="ISRMIL")
HAMAS = Actor(text="Hamas fighters", name="Hamas", country="PSE", code="PSEREB")


def event(
    n: int,
    a1: Actor | None,
    a2: Actor | None,
    day: date | None,
    etype: str = "ASSAULT",
    mode: str | None = None,
    dead: int | None = None,
) -> Event:
    return Event(
        id=f"e{n}",
        doc_id="d",
        sentence="s",
        char_start=0,
        char_end=1,
        event_type=etype,
        mode=mode,
        actor1=a1,
        actor2=a2,
        date=day,
        fatalities=dead,
    )


def test_ranks_file_covers_every_plover_event_type() -> None:
    ranks = load_ranks(RANKS_FILE)
    assert set(PLOVER_EVENT_TYPES) <= set(ranks.by_type)
    assert ranks.rank(event(1, None, None, None, "ASSAULT", "aerial")) > ranks.rank(
        event(2, None, None, None, "ASSAULT", "firearms")
    )
    assert (
        ranks.rank(event(3, None, None, None, "ASSAULT", "unknown-mode"))
        == ranks.by_type["ASSAULT"]
    )
    assert ranks.rank(event(4, None, None, None, "THREATEN")) < ranks.rank(
        event(5, None, None, None, "ASSAULT")
    )


def test_ranks_file_is_user_editable(tmp_path: Path) -> None:
    custom = tmp_path / "ranks.csv"
    custom.write_text("# my ranks\nevent_type,mode,rank\nPROTEST,,90\nASSAULT,,10\n")
    ranks = load_ranks(custom)
    assert ranks.rank(event(1, None, None, None, "PROTEST")) == 90
    assert ranks.rank(event(2, None, None, None, "ASSAULT", "aerial")) == 10


def test_actor_matching() -> None:
    assert actor_matches(ISRAEL, "ISR") and actor_matches(ISRAEL, "isrmil")
    assert actor_matches(ISRAEL, "defense forces")
    assert not actor_matches(ISRAEL, "PSE")
    assert not actor_matches(None, "ISR") and not actor_matches(ISRAEL, "  ")
    assert actor_key(Actor(text="gunmen"), "code") == "gunmen"
    assert (
        actor_key(ISRAEL, "country") == "ISR"
        and actor_key(ISRAEL, "name") == "Israel Defense Forces"
    )


def test_dyads_count_directed_pairs() -> None:
    events = [
        event(1, ISRAEL, HAMAS, date(2024, 1, 1), dead=3),
        event(2, ISRAEL, HAMAS, date(2024, 1, 5)),
        event(3, HAMAS, ISRAEL, date(2024, 1, 2), "THREATEN"),
        event(4, HAMAS, None, date(2024, 1, 2)),
    ]
    rows = dyads(events)
    assert [(r["source"]["key"], r["target"]["key"], r["events"]) for r in rows] == [
        ("ISRMIL", "PSEREB", 2),
        ("PSEREB", "ISRMIL", 1),
    ]
    assert rows[0]["fatalities"] == 3
    assert (rows[0]["first"], rows[0]["last"]) == ("2024-01-01", "2024-01-05")
    assert rows[1]["event_types"] == {"THREATEN": 1}


def test_timeline_weeks_start_on_monday() -> None:
    assert period_start(date(2024, 1, 7), "week") == date(2024, 1, 1)  # a Sunday
    assert period_start(date(2024, 1, 8), "week") == date(2024, 1, 8)
    events = [
        event(1, ISRAEL, HAMAS, date(2024, 1, 1)),
        event(2, ISRAEL, HAMAS, date(2024, 1, 7), dead=2),
        event(3, HAMAS, ISRAEL, date(2024, 1, 8)),
        event(4, HAMAS, ISRAEL, None),
        event(5, None, ISRAEL, date(2024, 1, 9), "PROTEST"),
    ]
    result = timeline(events, "week", "country")
    assert result["undated"] == 1
    assert {
        "period": "2024-01-01",
        "side": "ISR",
        "event_type": "ASSAULT",
        "events": 2,
        "fatalities": 2,
    } in result["buckets"]
    assert {
        "period": "2024-01-08",
        "side": "unknown",
        "event_type": "PROTEST",
        "events": 1,
        "fatalities": 0,
    } in result["buckets"]
    assert result["sides"][0] == "ISR"
    daily = timeline(events, "day", "code")
    assert len(daily["buckets"]) == 4


def test_reciprocity_lags_and_escalation() -> None:
    events = [
        event(1, HAMAS, ISRAEL, date(2024, 1, 1), "ASSAULT", "firearms"),
        event(2, ISRAEL, HAMAS, date(2024, 1, 3), "ASSAULT", "aerial"),  # answers 1 harder
        event(3, HAMAS, ISRAEL, date(2024, 1, 4), "THREATEN"),  # answers 2 softer
        event(
            4, ISRAEL, HAMAS, date(2024, 1, 4), "ASSAULT", "aerial", dead=5
        ),  # answers 3, same day
        event(5, HAMAS, ISRAEL, date(2024, 3, 1), "ASSAULT", "firearms"),  # nothing answers it
    ]
    result = reciprocity(events, "PSE", "ISR", window_days=14)
    assert result["a_to_b_events"] == 3 and result["b_to_a_events"] == 2
    israel_answers = result["b_answers_a"]
    assert israel_answers["lags_days"] == [2, 0]
    assert israel_answers["unmatched"] == 1
    assert israel_answers["escalations"] == 2
    hamas_answers = result["a_answers_b"]
    # days are the finest grain, so a reply on the same day counts (lag 0)
    assert hamas_answers["lags_days"] == [1, 0]
    assert hamas_answers["de_escalations"] == 2 and hamas_answers["escalations"] == 0
    assert hamas_answers["median_lag_days"] == 0.5
    assert result["escalated_more"] == "b"


def test_reciprocity_window_and_equal_rank_uses_deaths() -> None:
    events = [
        event(1, ISRAEL, HAMAS, date(2024, 1, 1), "ASSAULT", "firearms", dead=1),
        event(2, HAMAS, ISRAEL, date(2024, 1, 2), "ASSAULT", "firearms", dead=4),
    ]
    result = reciprocity(events, "ISR", "PSE", window_days=7)
    pair = result["b_answers_a"]["pairs"][0]
    assert pair["change"] == "escalation" and pair["lag_days"] == 1
    assert result["escalated_more"] == "b"
    narrow = reciprocity(events, "ISR", "PSE", window_days=0)
    assert (
        narrow["b_answers_a"]["matched"] == 0 and narrow["b_answers_a"]["median_lag_days"] is None
    )


def test_reciprocity_ignores_undated_and_unrelated_events() -> None:
    other = Actor(text="police", country="EGY", code="EGYCOP")
    events = [event(1, ISRAEL, HAMAS, None), event(2, other, HAMAS, date(2024, 1, 1))]
    result = reciprocity(events, "ISR", "PSE")
    assert result["a_to_b_events"] == 0 and result["escalated_more"] == "neither"
