"""Merging the mentions of one event within an article."""

from __future__ import annotations

from datetime import date

from eventline.extraction.discourse import Mention, fill_targets, merge
from eventline.model import Actor, Event, Place

USA = Actor("the United States", "United States", "USA", "MIL", "USAMIL")
KH = Actor("Kataib Hezbollah", "Kataib Hezbollah", "IRQ", "MLA", "IRQMLA", "IRN")
PROXIES = Actor("Iranian proxies", "Iran-backed militia", None, "MLA", "MLA", "IRN")
MILITANTS = Actor("Iran-backed militants", "Iran-backed militia", None, "MLA", "MLA", "IRN")
BAGHDAD = Place("south of Baghdad", "Baghdad", "IRQ", None, 33.3, 44.4, 2)
IRAQ = Place("Iraq", "Iraq", "IRQ", None, 33.0, 44.0, 3)


def event(n: int, **fields) -> Event:
    base = dict(id=f"e{n}", doc_id="d", sentence=f"s{n}", char_start=n, char_end=n + 1, event_type="ASSAULT")
    base.update(fields)
    return Event(**base)


def mentions(*events: Event) -> list[Mention]:
    return [Mention(event=e, order=i) for i, e in enumerate(events)]


def test_same_strike_told_twice_is_one_event_with_the_specific_fields() -> None:
    first = event(1, mode="aerial", actor1=USA, actor2=PROXIES, location=IRAQ, date=date(2023, 11, 22), date_precision="day", date_text="early Wednesday")
    second = event(2, actor1=USA, actor2=KH, location=BAGHDAD)
    (cluster,) = merge(mentions(first, second))
    merged = cluster.event
    assert merged.actor2 is KH  # a named group beats a description
    assert merged.location is BAGHDAD  # precision 2 beats a country
    assert merged.date == date(2023, 11, 22) and merged.report_count == 2


def test_different_days_stay_apart() -> None:
    a = event(1, actor1=USA, actor2=KH, date=date(2023, 11, 22), date_precision="day", date_text="Wednesday")
    b = event(2, actor1=USA, actor2=MILITANTS, date=date(2023, 11, 20), date_precision="day", date_text="Monday")
    assert len(merge(mentions(a, b))) == 2


def test_reversed_roles_stay_apart() -> None:
    attack = event(1, actor1=MILITANTS, actor2=USA, date=date(2023, 11, 20), date_precision="day", date_text="Monday")
    response = event(2, actor1=USA, actor2=MILITANTS, date=date(2023, 11, 20), date_precision="day", date_text="Monday")
    assert len(merge(mentions(attack, response))) == 2


def test_undated_mention_borrows_the_previous_time_when_it_matches_nothing() -> None:
    dated = event(1, actor1=USA, actor2=KH, date=date(2023, 11, 22), date_precision="day", date_text="Wednesday")
    other = event(2, mode="heavy-weapons", actor1=MILITANTS)
    clusters = merge(mentions(dated, other))
    assert len(clusters) == 2
    assert clusters[1].event.date == date(2023, 11, 22)


def test_missing_target_takes_the_opponent_of_the_article() -> None:
    events = [
        event(1, actor1=USA, actor2=KH),
        event(2, actor1=USA, actor2=MILITANTS),
        event(3, actor1=USA),
    ]
    fill_targets(events)
    assert events[2].actor2 is not None and events[2].actor2.affiliation == "IRN"
    assert events[2].confidence == events[0].confidence  # the type's probability, not the actor's



def test_one_event_told_many_times_is_one_cluster() -> None:
    told = [event(n, actor1=USA, actor2=KH, location=BAGHDAD, date=date(2023, 11, 22), date_precision="day") for n in range(3000)]
    (cluster,) = merge(mentions(*told))
    assert cluster.event.report_count == 3000


def test_a_story_given_a_day_takes_no_other_day_after_many_undated_mentions() -> None:
    # forty-nine undated tellings, then one with a day: a later telling of another day is apart
    head = event(0, actor1=USA, location=IRAQ)
    alike = [event(n, actor1=USA, location=IRAQ) for n in range(1, 50)]
    dated = event(50, actor1=USA, date=date(2023, 11, 20), date_precision="day", date_text="Monday")
    other_day = event(51, actor1=USA, date=date(2023, 11, 22), date_precision="day", date_text="Wednesday")
    clusters = merge(mentions(head, *alike, dated, other_day))
    assert [c.event.report_count for c in clusters] == [51, 1]


def test_only_the_latest_clusters_of_a_type_are_compared() -> None:
    from eventline.extraction.discourse import CLUSTER_WINDOW

    days = [date(2023, 1, 1).toordinal() + n for n in range(CLUSTER_WINDOW + 1)]
    told = [event(n, actor1=USA, date=date.fromordinal(d), date_precision="day") for n, d in enumerate(days)]
    again = event(999, actor1=USA, date=date.fromordinal(days[0]), date_precision="day")
    clusters = merge(mentions(*told, again))
    # the first day's event is out of reach: its second telling starts a cluster of its own
    assert len(clusters) == CLUSTER_WINDOW + 2
    recent = event(1000, actor1=USA, date=date.fromordinal(days[-1]), date_precision="day")
    assert len(merge(mentions(*told, recent))) == CLUSTER_WINDOW + 1


def test_one_sentence_telling_a_protest_twice_is_one_event() -> None:
    striker = Actor("Nadia Amari", "Nadia Amari", "TUN", "CVL", "TUNCVL")
    police = Actor("the Tunisian police", None, "TUN", "COP", "TUNCOP")
    strike = event(1, event_type="PROTEST", mode="hunger", actor1=striker, actor2=police)
    protest = event(1, event_type="PROTEST", mode="demo", actor1=None, actor2=police)
    (cluster,) = merge(mentions(strike, protest))
    assert cluster.event.actor1 is striker
    # two threats in one sentence by one speaker, one of them naming whom: one threat
    speaker = Actor("the Tunisian president", None, "TUN", "GOV", "TUNGOV")
    capital = Actor("Tunis", "Tunis", "TUN", "GOV", "TUNGOV")
    threat = event(2, event_type="THREATEN", actor1=speaker)
    curfew = event(2, event_type="THREATEN", mode="curfew", actor1=speaker, actor2=capital)
    (cluster,) = merge(mentions(threat, curfew))
    assert cluster.event.actor2 is capital


def test_attacks_in_one_sentence_stay_apart_without_an_attacker() -> None:
    first = event(3, mode="aerial", actor1=USA, actor2=KH)
    second = event(3, mode="ied", actor1=None, actor2=USA)
    assert len(merge(mentions(first, second))) == 2
