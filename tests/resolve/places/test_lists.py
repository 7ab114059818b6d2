"""Names listed before a head noun of districts: "Becker and Clay counties", "Grant county"."""

from __future__ import annotations

from eventline.resolve.places.gazetteer import GazEntry, get_gazetteer
from eventline.resolve.places.lists import district_heads, district_lists
from eventline.tokens import token_table


def listed(nlp, text: str) -> dict[str, list[GazEntry]]:
    tokens = token_table(nlp(text))
    return {
        tokens.span_text(start, end): candidates
        for start, end, candidates in district_lists(tokens, get_gazetteer())
    }


def test_head_words_come_from_the_data_file() -> None:
    heads = district_heads()
    assert heads["counties"].plural and heads["counties"].suffix == "County"
    assert not heads["parish"].plural and heads["parish"].suffix == "Parish"
    assert "admin1" in heads["oblasts"].kinds


def test_every_name_of_a_county_list_is_a_county(nlp) -> None:
    found = listed(
        nlp,
        "Snowplows pulled off roads in Becker, Clay, Mahnomen, Otter Tail and Wilkin counties "
        "late on Tuesday.",
    )
    assert found.keys() == {"Becker", "Clay", "Mahnomen", "Otter Tail", "Wilkin"}
    assert all(c.kind == "admin2" for candidates in found.values() for c in candidates)
    assert {c.id for c in found["Otter Tail"]} == {"admin2:US.MN.otter_tail_county"}


def test_names_with_connectors_and_possessives(nlp) -> None:
    found = listed(nlp, "Power failed in Lake of the Woods and Prince George's counties.")
    assert "Lake of the Woods" in found and "Prince George's" in found


def test_lower_case_singular_head_takes_one_name_with_the_head(nlp) -> None:
    found = listed(nlp, "A bridge in Grant county was shut after the flood.")
    assert list(found) == ["Grant county"]
    assert all(c.name == "Grant County" for c in found["Grant county"])


def test_state_names_before_counties_are_adjectives(nlp) -> None:
    assert listed(nlp, "Most Texas counties banned outdoor burning this week.") == {}


def test_words_before_a_name_end_the_list(nlp) -> None:
    found = listed(nlp, "Crews from Fargo and the Cass and Clay counties arrived.")
    assert found.keys() == {"Cass", "Clay"}
