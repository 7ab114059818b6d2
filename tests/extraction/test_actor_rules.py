from __future__ import annotations

from eventline.extraction.actor_rules import _military, _placed
from eventline.model import Actor, Place


def test_a_bare_sector_takes_the_country_where_it_acted() -> None:
    protesters = Actor(text="protesters", sector="OPP", code="OPP", origin="agents.csv:1")
    placed = _placed(protesters, Place(text="Algiers", country="DZA"))
    assert placed is not None and (placed.country, placed.code) == ("DZA", "DZAOPP")
    assert placed.origin == "agents.csv:1"


def test_a_state_or_a_placeless_event_keeps_its_actor() -> None:
    police = Actor(text="Egyptian police", country="EGY", sector="COP", code="EGYCOP")
    assert _placed(police, Place(text="Gaza", country="PSE")) == police
    protesters = Actor(text="protesters", sector="OPP", code="OPP")
    assert _placed(protesters, None) == protesters
    assert _placed(protesters, Place(text="somewhere")) == protesters


def test_a_state_striking_from_afar_keeps_where_its_code_came_from() -> None:
    state = Actor(text="Russia", country="RUS", code="RUS", origin="countries.csv:3", char_start=0)
    military = _military(state)
    assert military is not None and military.code == "RUSMIL"
    assert (military.origin, military.char_start) == ("countries.csv:3", 0)


def test_an_ethnic_group_is_coded_by_where_the_event_happened() -> None:
    from eventline.extraction.actor_rules import _resident

    albanians = Actor(text="ethnic Albanians", country="ALB", code="ALB", origin="demonyms.csv:3")
    resident = _resident(albanians, Place(text="Serbia", country="SRB"))
    assert resident is not None and (resident.code, resident.origin) == ("SRB", "demonyms.csv:3")
    state = Actor(text="Albanian police", country="ALB", sector="COP", code="ALBCOP")
    assert _resident(state, Place(text="Serbia", country="SRB")) == state


def test_a_sector_takes_the_one_state_its_sentence_names() -> None:
    from eventline.extraction.actor_rules import _in_named_state

    judge = Actor(text="Judge Ana Ruiz", sector="JUD", code="JUD")
    coded = _in_named_state(judge, {"PER"})
    assert coded is not None and (coded.country, coded.code) == ("PER", "PERJUD")
    assert _in_named_state(judge, {"PER", "BOL"}) == judge  # two states: no guess
    assert _in_named_state(judge, set()) == judge
    watchdog = Actor(text="the watchdog", sector="NGO", code="NGO")
    assert _in_named_state(watchdog, {"PER"}) == watchdog  # an NGO belongs to no state



def test_an_attacks_other_side_names_no_state_for_its_opponent() -> None:
    from eventline.extraction.actor_rules import _in_context

    strikers = Actor(text="American warplanes", country="USA", sector="MIL", code="USAMIL")
    militants = Actor(text="militants", sector="UAF", code="UAF")
    _, target = _in_context(strikers, militants, None, [], "ASSAULT")
    assert target == militants
    officials = Actor(text="Chilean officials", country="CHL", sector="GOV", code="CHLGOV")
    judge = Actor(text="Judge Ana Ruiz", sector="JUD", code="JUD")
    source, _ = _in_context(judge, officials, None, [], "ACCUSE")
    assert source is not None and source.code == "CHLJUD"
