"""Alert rules over a store of hand-made events: what fires, with which evidence, once."""

from __future__ import annotations

from datetime import date

from eventline.model import Actor, Claim, Document, Event, Place, Result, stable_id
from eventline.store import open_store
from eventline.watch.alerts import evaluate, window_of
from eventline.watch.rules import Rule

PLACES = {
    "IRQ": Place(text="Erbil", name="Erbil", country="IRQ", lat=36.19, lon=44.01, precision=1),
    "SYR": Place(text="Homs", name="Homs", country="SYR", lat=34.73, lon=36.71, precision=1),
    "NGA": Place(text="Kano", name="Kano", country="NGA", lat=12.0, lon=8.52, precision=1),
    "MLI": Place(text="Gao", name="Gao", country="MLI", lat=16.27, lon=-0.04, precision=1),
    "SOM": Place(text="Baidoa", name="Baidoa", country="SOM", lat=3.11, lon=43.65, precision=1),
}
US = Actor(text="U.S. forces", name="United States military", country="USA", code="USAMIL")
IR = Actor(text="Iran-backed militia", name="Iran-backed militia", country="IRQ", code="IRQREB")


def result(number: int, day: date, country: str, *, deaths=None, event_type="ASSAULT", a1=None, a2=None, claims=()):
    doc_id = f"d{number}"
    sentence = f"Report {number}: an attack in {PLACES[country].name} on {day}."
    event = Event(
        id=stable_id(doc_id, "e", prefix="r"), doc_id=doc_id, sentence=sentence, char_start=0,
        char_end=len(sentence), event_type=event_type, date=day, date_precision="day",
        location=PLACES[country], fatalities=deaths, actor1=a1, actor2=a2, trigger="attack",
    )  # fmt: skip
    document = Document(id=doc_id, text=sentence, published=day)
    return Result(document, events=[event], claims=list(claims))


def alerts_of(store, rule):
    return [alert for alert in evaluate([rule], store) if alert["rule"] == rule.name]


def test_fatalities_sum_over_a_window_with_filters(tmp_path):
    with open_store(str(tmp_path / "a.db")) as store:
        store.add_results([
            result(1, date(2024, 3, 4), "IRQ", deaths=3),
            result(2, date(2024, 3, 4), "SYR", deaths=4),
            result(3, date(2024, 3, 6), "IRQ", deaths=2),
        ])  # fmt: skip
        day = Rule("deadly-day", "fatalities", window_days=1, at_least=5)
        fired = alerts_of(store, day)
        assert [(a["window_start"], a["value"]) for a in fired] == [("2024-03-04", 7)]
        assert len(fired[0]["event_ids"]) == 2 and "7 people killed on 2024-03-04" in fired[0]["summary"]
        iraq = Rule("iraq-week", "fatalities", window_days=7, at_least=5, country="IRQ")
        [week] = alerts_of(store, iraq)
        assert (week["window_start"], week["window_end"], week["value"]) == ("2024-03-04", "2024-03-10", 5)
        assert week["country"] == "IRQ" and week["actor"] is None and week["type"] is None
        assert alerts_of(store, Rule("x", "fatalities", window_days=1, at_least=5, event_type="PROTEST")) == []


def test_each_alert_fires_once_even_when_more_evidence_comes(tmp_path):
    rule = Rule("deadly-day", "fatalities", window_days=1, at_least=5)
    with open_store(str(tmp_path / "a.db")) as store:
        store.add_results([result(1, date(2024, 3, 4), "IRQ", deaths=6)])
        first = store.add_alerts(evaluate([rule], store))
        assert len(first) == 1
        assert store.add_alerts(evaluate([rule], store)) == []
        store.add_results([result(2, date(2024, 3, 4), "SYR", deaths=2)])
        assert store.add_alerts(evaluate([rule], store)) == []
        assert [a["id"] for a in store.alerts()] == [first[0]["id"]]


def test_a_dyad_resumes_after_a_quiet_spell(tmp_path):
    days = [date(2024, 3, 1), date(2024, 3, 4), date(2024, 3, 22)]
    with open_store(str(tmp_path / "a.db")) as store:
        store.add_results([result(n, day, "IRQ", a1=US, a2=IR) for n, day in enumerate(days)])
        store.add_results([result(9, date(2024, 3, 10), "SYR", a1=US)])  # no second actor
        [alert] = alerts_of(store, Rule("dyad-resumes", "dyad_resumes", quiet_days=14))
        assert alert["dyad"] == ["IRQREB", "USAMIL"] and alert["window_start"] == "2024-03-22"
        assert alert["value"] == 17 and "after 17 quiet days (last event 2024-03-04)" in alert["summary"]
        assert alerts_of(store, Rule("long", "dyad_resumes", quiet_days=18)) == []


def test_a_spike_is_measured_against_the_median_of_earlier_windows(tmp_path):
    countries = list(PLACES)
    quiet = [result(n, date(2024, 2, 5 + 7 * n), countries[n % 5]) for n in range(4)]  # 1 a week
    burst = [result(10 + n, date(2024, 3, 4 + n), countries[n]) for n in range(5)]  # 5 in a week
    with open_store(str(tmp_path / "a.db")) as store:
        store.add_results(quiet + burst)
        rule = Rule("escalation", "spike", window_days=7, baseline_days=28, factor=3)
        [alert] = alerts_of(store, rule)
        assert (alert["window_start"], alert["value"], alert["threshold"]) == ("2024-03-04", 5, 3.0)
        assert len(alert["event_ids"]) == 5
        assert alerts_of(store, Rule("big", "spike", window_days=7, baseline_days=28, factor=6)) == []


def test_a_claim_far_from_the_stored_count_fires(tmp_path):
    sentence = "U.S. forces have carried out 66 strikes since March 1."
    claim = Claim(
        id="c1", doc_id="d0", sentence=sentence, char_start=0, char_end=len(sentence), count=66,
        event_type="ASSAULT", actor1=US, period_start=date(2024, 3, 1), period_end=date(2024, 3, 31),
    )  # fmt: skip
    with open_store(str(tmp_path / "a.db")) as store:
        store.add_results([result(0, date(2024, 3, 5), "IRQ", a1=US, claims=[claim])])
        store.add_results([result(1, date(2024, 3, 8), "SYR", a1=US), result(2, date(2024, 3, 9), "NGA")])
        [alert] = alerts_of(store, Rule("claims-disagree", "claims", factor=2))
        assert alert["claim_id"] == "c1" and alert["value"] == 2 and alert["threshold"] == 66
        assert "claims 66 ASSAULT events" in alert["summary"] and "the store holds 2" in alert["summary"]
        assert alerts_of(store, Rule("lenient", "claims", factor=40)) == []


def test_windows_start_on_mondays():
    assert window_of(date(2024, 3, 6), 7)[1:] == (date(2024, 3, 4), date(2024, 3, 10))
    assert window_of(date(2024, 3, 6), 1)[1:] == (date(2024, 3, 6), date(2024, 3, 6))
