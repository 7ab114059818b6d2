"""Finding place mentions: gazetteer names with evidence, datelines, demonyms, safeguards."""

from __future__ import annotations

from eventline.resolve.places.gazetteer import get_gazetteer
from eventline.resolve.places.mentions import find_place_spans


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


def test_a_hyphenated_brand_is_not_a_town(nlp) -> None:
    found = mention_texts(nlp, "Shoppers lined up outside the Wal-Mart store before dawn.")
    assert "Wal" not in found


def test_compass_word_opening_an_organisation_is_not_a_region(nlp) -> None:
    found = mention_texts(
        nlp, "Principal Candy Strader said East Bank Middle School will open today."
    )
    assert "East" not in found and "Bank" not in found


def test_tail_of_a_longer_town_name_is_not_a_place(nlp) -> None:
    # "Grove" is a town of its own, and "officials" after a name is evidence of a place
    found = mention_texts(nlp, "Residents and Meadow Grove officials met on Monday night.")
    assert "Grove" not in found


def test_bare_district_name_needs_evidence(nlp) -> None:
    # "Young" is a small Australian district as well as a surname
    found = mention_texts(nlp, "The fleet is replaced every 14 years, Young said on Monday.")
    assert "Young" not in found


def test_surname_of_a_person_is_not_propagated_as_a_place(nlp) -> None:
    text = (
        "Producer Andy Trapani grew up in Trapani, Sicily. "
        "Trapani said his first feature film opens in May."
    )
    spans = find_place_spans(nlp(text), get_gazetteer())
    starts = [span.start_char for span, _, _ in spans if span.text == "Trapani"]
    assert text.index("Trapani said") not in starts


def test_longer_town_name_in_an_organisation_beats_its_region(nlp) -> None:
    found = mention_texts(nlp, "Kansas City Police arrested two men after the chase.")
    assert "Kansas City" in found and "Kansas" not in found


def test_town_name_with_city_suffix_keeps_the_towns(nlp) -> None:
    spans = find_place_spans(
        nlp("Dublin City Council heard a first reading of the plan on Monday."), get_gazetteer()
    )
    dublin = [candidates for span, candidates, _ in spans if span.text.startswith("Dublin")]
    assert dublin and any(c.country == "USA" for c in dublin[0])


def test_demonym_opening_a_place_name_is_the_place(nlp) -> None:
    found = mention_texts(nlp, "Farmland will be flooded under British Columbia's new dam plan.")
    assert found.get("British Columbia") is False and "British" not in found


def test_newfoundland_alone_is_the_province(nlp) -> None:
    spans = find_place_spans(
        nlp("Prices fell in oil provinces such as Alberta and Newfoundland last year."),
        get_gazetteer(),
    )
    kinds = {span.text: {c.kind for c in candidates} for span, candidates, _ in spans}
    assert "admin1" in kinds.get("Newfoundland", set())


def test_legislators_home_after_a_party_letter_is_a_place(nlp) -> None:
    spans = find_place_spans(
        nlp("Delegate Carrie Webster, D-Kanawha, said the bill had failed."), get_gazetteer()
    )
    kinds = {span.text: {c.kind for c in candidates} for span, candidates, _ in spans}
    assert "admin2" in kinds.get("Kanawha", set())


def test_region_abbreviation_after_a_town_is_a_mention(nlp) -> None:
    found = mention_texts(
        nlp, "Last year she sold her home in Gatineau, Que., and moved to Ottawa."
    )
    assert "Gatineau" in found and "Que." in found
    found = mention_texts(nlp, "EDMONTON, Ky (WBKO) -- One of the biggest fairs opened.")
    assert "Ky" in found


def test_a_town_opening_its_own_institutions_name_is_a_place(nlp) -> None:
    # the model reads these as organisations or people; the town is still a place
    assert "Hamilton" in mention_texts(nlp, "He will appear in Hamilton Municipal Court on April 9.")
    found = mention_texts(nlp, "The men escaped from the Branchville Correctional Facility.")
    assert "Branchville" in found
    found = mention_texts(nlp, "McMinn County Sheriff Steve Frisbie said two men were held.")
    assert "McMinn County" in found
    found = mention_texts(nlp, "The plaintiff filed suit in Allegheny County Court on Monday.")
    assert "Allegheny County" in found


def test_institution_words_alone_or_after_a_street_name_are_not_places(nlp) -> None:
    found = mention_texts(nlp, "The trial was tainted because Superior Court Judge Rene Navarro erred.")
    assert "Superior" not in found
    text = "The road is closed at the corner of Elkview Drive and Elkview Court on Friday."
    assert "Elkview" not in mention_texts(nlp, text)
    # a county's own name is the county, not a town of its first word
    found = mention_texts(nlp, "Scott County Deputy Sgt. Bob Mulvey said the driver fled.")
    assert "Scott" not in found and "Scott County" in found


def test_datelines_after_a_headline_a_byline_date_or_a_garbled_dash(nlp) -> None:
    text = "Selectmen hire veteran lawyer. PORTLAND — The Board of Selectmen hired a lawyer."
    assert "PORTLAND" in mention_texts(nlp, text)
    text = "By Chad Klimack, Reporter March 29, 2009 PATASKALA -- City officials say it may not be."
    assert "PATASKALA" in mention_texts(nlp, text)
    # a Windows-1252 em dash read as Latin-1
    text = "Man hurt in crash. NEWARK \x97 It was classified as an accident."
    assert "NEWARK" in mention_texts(nlp, text)
