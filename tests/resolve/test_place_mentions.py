"""Finding place mentions: gazetteer names with evidence, datelines, demonyms, safeguards."""

from __future__ import annotations

from eventline.resolve.gazetteer import get_gazetteer
from eventline.resolve.place_mentions import find_place_spans


def mention_texts(nlp, text: str) -> dict[str, bool]:
    """Mention text -> whether it is a demonym."""
    spans = find_place_spans(nlp(text), get_gazetteer())
    return {span.text: demonym for span, _, demonym in spans}


def test_upper_case_dateline_town_is_a_place(nlp) -> None:
    found = mention_texts(nlp, "WINONA -- The body of a man was found behind a house on Friday.")
    assert "WINONA" in found


def test_town_after_a_locative_preposition_is_a_place(nlp) -> None:
    found = mention_texts(nlp, "The council will meet next week in Chicopee to discuss taxes.")
    assert "Chicopee" in found


def test_town_with_a_following_state_is_a_place(nlp) -> None:
    found = mention_texts(nlp, "A couple from Melville, Sask. found their cat after two weeks.")
    assert "Melville" in found


def test_street_names_and_common_words_are_not_places(nlp) -> None:
    found = mention_texts(nlp, "He lives at 12 Lone Oak Road and will move in March.")
    assert "Lone" not in found and "March" not in found


def test_surname_inside_a_person_name_is_not_a_place(nlp) -> None:
    found = mention_texts(nlp, "Officer John Brown said the driver was not hurt.")
    assert "Brown" not in found


def test_demonyms_and_plurals_are_marked(nlp) -> None:
    found = mention_texts(nlp, "Sri Lankan troops and Palestinians met Texan volunteers.")
    assert found.get("Sri Lankan") is True
    assert found.get("Palestinians") is True
    assert found.get("Texan") is True


def test_names_in_a_list_of_counties_are_counties(nlp) -> None:
    spans = find_place_spans(
        nlp("Collapses also were reported in Harvey, Harper and Kingman counties on Sunday."),
        get_gazetteer(),
    )
    kinds = {span.text: {c.kind for c in candidates} for span, candidates, _ in spans}
    assert {"Harper", "Kingman"} <= kinds.keys()
    assert kinds["Kingman"] == {"admin2"}


def test_town_after_a_street_address_is_a_place(nlp) -> None:
    found = mention_texts(
        nlp, "Raquel Henry, 19, of 1935 Orchard St., Alexandria, was arrested on Friday."
    )
    assert "Alexandria" in found


def test_town_named_in_an_organisation_keeps_its_towns(nlp) -> None:
    spans = find_place_spans(nlp("Paris Police Department officers arrived."), get_gazetteer())
    paris = [candidates for span, candidates, _ in spans if span.text == "Paris"]
    assert paris and any(c.kind in ("city", "capital") for c in paris[0])
