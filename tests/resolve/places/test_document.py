"""Place mentions, relative phrases, disambiguation and the event's place."""

from __future__ import annotations

import pytest

from eventline.model import Place
from eventline.resolve.places.document import document_places, is_demonym_place


def places_of(nlp, text: str) -> dict[str, Place]:
    mentions, _ = document_places(nlp(text))
    return {place.text: place for _, _, place in mentions}


def test_direction_of_city_is_near_with_city_point(nlp) -> None:
    places = places_of(nlp, "A rocket hit a checkpoint 20 km south of Baghdad on Monday.")
    place = places["20 km south of Baghdad"]
    assert place.name == "Baghdad" and place.precision == 2 and place.country == "IRQ"
    assert place.lat == pytest.approx(33.3, abs=0.2) and place.lon == pytest.approx(44.4, abs=0.2)


def test_eastern_country_is_a_region_in_its_east(nlp) -> None:
    places = places_of(nlp, "Fighting continued in eastern Syria overnight.")
    place = places["eastern Syria"]
    assert place.precision == 3 and place.country == "SYR"
    assert place.lon > 38.5


def test_near_and_outskirts_phrases(nlp) -> None:
    places = places_of(nlp, "Shelling was reported near Kharkiv and on the outskirts of Kherson.")
    assert places["near Kharkiv"].precision == 2
    assert places["on the outskirts of Kherson"].name == "Kherson"


def test_air_base_is_resolved_from_airport_data(nlp) -> None:
    places = places_of(nlp, "Militants fired rockets at Al Asad Air Base on Tuesday.")
    base = places["Al Asad Air Base"]
    assert base.country == "IRQ" and base.precision == 1
    assert base.lat == pytest.approx(33.79, abs=0.05) and base.lon == pytest.approx(42.44, abs=0.05)


def test_site_missed_by_the_model_is_found_by_the_gazetteer(nlp) -> None:
    places = places_of(nlp, "A drone struck the garrison at At Tanf late on Sunday.")
    assert any(p.geonameid == "eventline:at-tanf" for p in places.values())


def test_us_town_with_state_versus_french_context(nlp) -> None:
    texas = places_of(nlp, "The mayor of Paris, Texas, said the storm damaged roofs.")
    assert texas["Paris"].country == "USA" and texas["Paris"].admin1 == "Texas"
    france = places_of(nlp, "Police in Paris said the suspect fled from Lyon in France.")
    assert france["Paris"].country == "FRA"


def test_document_context_picks_the_local_namesake(nlp) -> None:
    text = (
        "Hall County deputies arrested two men in Gainesville, Georgia. "
        "The Gainesville police chief said more arrests were expected in Georgia."
    )
    places = places_of(nlp, text)
    assert places["Gainesville"].admin1 == "Georgia"


def test_demonym_is_a_marked_country_mention(nlp) -> None:
    places = places_of(nlp, "Iraqi officials said American troops left the base.")
    assert places["Iraqi"].country == "IRQ" and is_demonym_place(places["Iraqi"])
    assert places["American"].country == "USA" and places["American"].precision == 3


def test_later_bare_name_keeps_the_state_given_once(nlp) -> None:
    text = "Police in Paris, Texas, arrested a man. Paris officials said he was released."
    mentions, _ = document_places(nlp(text))
    parises = [p for _, _, p in mentions if p.name == "Paris"]
    assert len(parises) == 2 and all(p.admin1 == "Texas" for p in parises)


def test_local_state_beats_the_famous_country(nlp) -> None:
    text = (
        "Gwinnett County commissioners met in Lawrenceville on Tuesday. "
        "The plan would make Georgia the first state to fund the program, officials said."
    )
    places = places_of(nlp, text)
    assert places["Georgia"].country == "USA"


def test_town_and_its_county_vouch_for_each_other(nlp) -> None:
    # neither name says its state, but only one Paris lies inside a Henry County
    places = places_of(
        nlp, "Paris and Henry County are rich in history. The Henry County class toured Paris."
    )
    paris = places["Paris"]
    assert paris.country == "USA" and paris.admin1 == "Tennessee"
    assert places["Henry County"].admin1 == "Tennessee"


def test_variant_spelling_of_a_small_town_loses_to_the_real_name(nlp) -> None:
    places = places_of(nlp, "The senator flew back to Washington on Monday.")
    assert places["Washington"].name == "Washington"


def test_small_town_before_a_province_abbreviation(nlp) -> None:
    # Churchill, Manitoba has fewer than a thousand people; the province says which one
    places = places_of(
        nlp, "When Lucy was born in Churchill, Man., she was flown to a hospital in Winnipeg."
    )
    assert places["Churchill"].country == "CAN" and places["Churchill"].admin1 == "Manitoba"


def test_region_beats_a_namesake_town_in_a_local_paper(nlp) -> None:
    places = places_of(
        nlp,
        "Farmers in Amarillo, Lubbock and Abilene watched oil prices climb "
        "as tension rose in the Middle East.",
    )
    assert places["Middle East"].country is None


def test_quebec_alone_is_the_province_and_with_city_the_city(nlp) -> None:
    places = places_of(nlp, "She moved from Quebec to Ontario. Quebec City was too expensive.")
    assert places["Quebec"].precision == 3 and places["Quebec"].country == "CAN"
    assert places["Quebec City"].precision == 1 and places["Quebec City"].country == "CAN"


def test_major_city_of_a_named_country_beats_a_local_namesake(nlp) -> None:
    # Moscow, Pennsylvania lies near Scranton; the named country says which Moscow is meant
    text = (
        "Officials in Scranton, Wilkes-Barre and Hazleton said a sister-city delegation from "
        "Moscow would visit. Russia sent ten people; they will also see Allentown."
    )
    places = places_of(nlp, text)
    assert places["Moscow"].country == "RUS"


def test_world_region_beats_a_hamlet_of_its_name(nlp) -> None:
    text = "Officials in Baltimore and Annapolis, Maryland, discussed the Middle East on Monday."
    assert places_of(nlp, text)["Middle East"].country is None


def test_continent_adjective_is_a_demonym_of_the_continent(nlp) -> None:
    mentions, _ = document_places(nlp("Asian markets fell on Monday."))
    assert [(p.name, is_demonym_place(p)) for _, _, p in mentions] == [("Asia", True)]


def test_names_in_a_list_of_counties_resolve_to_the_counties_of_the_state(nlp) -> None:
    text = (
        "The Minnesota Department of Transportation closed roads in Becker, Clay, Grant, "
        "Otter Tail and Wilkin counties as drifting snow cut visibility on Wednesday."
    )
    places = places_of(nlp, text)
    for name in ("Becker", "Clay", "Grant", "Otter Tail", "Wilkin"):
        assert places[name].name == f"{name} County"
        assert places[name].admin1 == "Minnesota" and places[name].precision == 2


def test_two_texas_counties_and_two_louisiana_parishes(nlp) -> None:
    texas = places_of(
        nlp, "Volunteer firefighters in Eastland and Callahan counties in Texas ran short of water."
    )
    assert texas["Eastland"].geonameid == "admin2:US.TX.eastland_county"
    assert texas["Callahan"].geonameid == "admin2:US.TX.callahan_county"
    louisiana = places_of(
        nlp, "Levee crews worked through the night in Caddo and Bossier parishes."
    )
    assert louisiana["Caddo"].name == "Caddo Parish" and louisiana["Caddo"].precision == 2
    assert louisiana["Bossier"].name == "Bossier Parish"


def test_people_named_before_another_word_than_the_head_stay_as_they_were(nlp) -> None:
    places = places_of(nlp, "Clay and Grant said the counties would split the cost of repairs.")
    assert not any(p.name in ("Clay County", "Grant County") for p in places.values())


def test_words_beside_a_name_make_it_the_region(nlp) -> None:
    text = (
        "New York Gov. Kathy Hochul visited Albany. Later she flew to New York, "
        "where she met donors."
    )
    mentions, _ = document_places(nlp(text))
    by_start = {start: place for start, _, place in mentions}
    governor = by_start[text.index("New York")]
    city = by_start[text.index("New York,")]
    assert governor.precision == 3 and governor.lat == pytest.approx(43, abs=1.5)
    assert city.precision == 1 and city.lat == pytest.approx(40.7, abs=0.2)


def test_a_region_after_a_list_of_towns_narrows_each(nlp) -> None:
    places = places_of(
        nlp, "The firm has depots in Nashville and Cordova, Tennessee, and Albany, Georgia."
    )
    assert places["Nashville"].admin1 == "Tennessee" and places["Cordova"].admin1 == "Tennessee"
    assert places["Albany"].admin1 == "Georgia"


def test_names_listed_with_regions_are_regions(nlp) -> None:
    places = places_of(nlp, "Wolves now roam the borders of Montana and Wyoming, rangers said.")
    assert places["Wyoming"].precision == 3 and places["Wyoming"].geonameid.startswith("admin1:")
    # a list that is not all regions of one country is left to the usual choice
    places = places_of(nlp, "Jordan and Syria closed the crossing on Monday.")
    assert places["Jordan"].country == "JOR" and places["Syria"].country == "SYR"


def test_a_country_beats_a_foreign_town_spelled_like_it(nlp) -> None:
    # GeoNames lists "Iraq" among the spellings of Arak, a city of Iran
    places = places_of(nlp, "Fighting spread to Syria, Iraq and Iran.")
    assert places["Iraq"].country == "IRQ" and places["Iraq"].precision == 3


def test_a_town_unknown_in_the_region_after_it_is_placed_in_the_region(nlp) -> None:
    places = places_of(
        nlp, "The car skidded two miles south of Holliday, Missouri, and hit a tree."
    )
    [place] = [p for text, p in places.items() if "Holliday" in text]
    assert place.admin1 == "Missouri" and place.precision == 3


def test_words_that_speak_of_a_town_pick_the_town(nlp) -> None:
    # "Quebec" alone is the province (region_names.csv); "the city of Quebec" is the city
    assert places_of(nlp, "Protesters marched in Quebec on Friday.")["Quebec"].precision == 3
    city = places_of(nlp, "Protesters marched in the city of Quebec on Friday.")["Quebec"]
    assert city.precision == 1 and city.country == "CAN"


def test_a_well_known_town_keeps_its_place_whatever_follows_the_comma(nlp) -> None:
    places = places_of(nlp, "Reporting by Philip Issa in Beirut, Vladimir Isachenkov in Moscow.")
    assert places["Beirut"].country == "LBN" and places["Beirut"].precision == 1


def test_a_country_before_a_comma_is_not_narrowed_by_the_next_name(nlp) -> None:
    places = places_of(nlp, "It reported on his dealings in Russia, U.S. officials said.")
    assert places["Russia"].country == "RUS" and places["Russia"].precision == 3
    places = places_of(nlp, "She backed Florida Senator Marco Rubio in the primary.")
    assert places["Florida"].precision == 3 and places["Florida"].admin1 == "Florida"


def test_a_demonym_that_opens_a_region_name_gives_the_region(nlp) -> None:
    places = places_of(nlp, "Peacekeepers have a poor record in Sub-Saharan Africa, it said.")
    assert list(places) == ["Sub-Saharan Africa"]
    assert (
        places_of(nlp, "A South East Asian city-state.")["South East Asian"].name
        == "Southeast Asia"
    )


def test_a_local_papers_phone_numbers_settle_its_namesakes(nlp) -> None:
    story = "A man was stabbed at a bar, London police said."
    assert places_of(nlp, story)["London"].country == "GBR"
    local = places_of(nlp, story + " Anyone with information may call 519-661-5670.")
    assert local["London"].country == "CAN" and local["London"].admin1 == "Ontario"


def test_the_sources_home_region_settles_a_bare_namesake(nlp) -> None:
    doc = nlp("The council in Springfield voted on Tuesday to replace the sirens.")
    chosen = {}
    for home in ((), (("USA", "Ohio"),), (("USA", "Massachusetts"),)):
        mentions, _ = document_places(doc, source_home=frozenset(home))
        chosen[home] = mentions[0][2].admin1
    assert chosen[(("USA", "Ohio"),)] == "Ohio"
    assert chosen[(("USA", "Massachusetts"),)] == "Massachusetts"
    assert chosen[()] not in ("Ohio", "Massachusetts")


def test_the_sources_home_does_not_outweigh_a_famous_city_or_a_country(nlp) -> None:
    # a local paper also reports from afar: Paris, France, and China stay where they are
    text = "The president flew to Paris, then on to China for talks."
    home = frozenset({("USA", "Kentucky"), ("USA", "Texas")})
    mentions, _ = document_places(nlp(text), source_home=home)
    countries = {place.text: place.country for _, _, place in mentions}
    assert countries == {"Paris": "FRA", "China": "CHN"}
