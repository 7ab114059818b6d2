"""The shipped gazetteer: names, aliases, hand-written sites and features."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from eventline.resolve.places.gazetteer import Gazetteer, get_gazetteer, midpoint, normalize_name


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def test_normalize_name_folds_case_accents_dots_and_article() -> None:
    assert normalize_name("the U.S.") == "us"
    assert normalize_name("Al-Anbār") == "al anbar"
    assert normalize_name("Ta’izz") == normalize_name("Ta'izz") == "taizz"


def test_singleton_is_loaded_once(gaz: Gazetteer) -> None:
    assert get_gazetteer() is gaz
    assert len(gaz) > 200_000


def test_air_base_from_airport_data(gaz: Gazetteer) -> None:
    [base] = [c for c in gaz.candidates("Al Asad Air Base") if c.kind == "airbase"]
    assert base.country == "IRQ" and base.admin1 == "Anbar"
    assert base.lat == pytest.approx(33.7856, abs=0.01) and base.lon == pytest.approx(
        42.4412, abs=0.01
    )
    assert base.id == "icao:ORAA"
    assert base in gaz.candidates("Ain al-Asad")


def test_conflict_site_and_feature_files(gaz: Gazetteer) -> None:
    [tanf] = gaz.candidates("al-Tanf")
    assert tanf.id == "eventline:at-tanf" and tanf.country == "SYR"
    assert any(c.kind == "region" and c.country == "PSE" for c in gaz.candidates("Gaza"))
    assert any(c.kind == "river" for c in gaz.candidates("Euphrates"))


def test_aliases_and_abbreviations(gaz: Gazetteer) -> None:
    assert any(c.kind == "country" and c.country == "GBR" for c in gaz.candidates("Britain"))
    assert any(c.kind == "country" and c.country == "USA" for c in gaz.candidates("U.S."))
    [kentucky] = gaz.candidates("Ky.")
    assert kentucky.kind == "admin1" and kentucky.name == "Kentucky"


def test_regions_and_districts_have_plausible_points(gaz: Gazetteer) -> None:
    [texas] = [c for c in gaz.candidates("Texas") if c.kind == "admin1"]
    assert 28 < texas.lat < 34 and -102 < texas.lon < -95
    [anbar] = [c for c in gaz.candidates("Anbar") if c.kind == "admin1"]
    assert anbar.country == "IRQ" and 32 < anbar.lat < 35 and 40 < anbar.lon < 44
    [county] = gaz.candidates("Rapides Parish")
    assert county.kind == "admin2" and county.admin1 == "Louisiana"


def test_importance_orders_country_over_same_named_town(gaz: Gazetteer) -> None:
    ranked = sorted(gaz.candidates("Georgia"), key=lambda c: -c.importance)
    assert ranked[0].kind in ("country", "admin1")
    assert max(gaz.candidates("Mexico"), key=lambda c: c.importance).kind == "country"


def test_unknown_name_has_no_candidates(gaz: Gazetteer) -> None:
    assert gaz.candidates("Qwxzvillebergtown") == []
    assert gaz.country("IRQ") is not None and gaz.country("IRQ").name == "Iraq"


def test_demonyms_name_their_country_or_region(gaz: Gazetteer) -> None:
    assert gaz.demonym("Syrian").country == "SYR"
    assert gaz.demonym("Israelis").country == "ISR"
    texas = gaz.demonym("Texan")
    assert texas.kind == "admin1" and texas.name == "Texas"
    assert gaz.demonym("Paris") is None


def test_undecomposed_letters_and_common_words(gaz: Gazetteer) -> None:
    assert normalize_name("Aydın") == "aydin"
    assert gaz.is_common_word("March") and not gaz.is_common_word("Baghdad")


def test_large_region_point_is_the_centre_of_its_extent(gaz: Gazetteer) -> None:
    # a thinly settled region's point lies mid-map, not among its southern towns
    [queensland] = [c for c in gaz.candidates("Queensland") if c.kind == "admin1"]
    assert -23 < queensland.lat < -17 and 142 < queensland.lon < 148


def test_town_points_of_a_region_lie_in_its_country(gaz: Gazetteer) -> None:
    country = gaz.points("USA")
    texas = gaz.points("USA", "Texas")
    assert len(country) > len(texas) > 100
    assert set(texas) <= set(country)
    assert all(25 < lat < 37 and -107 < lon < -93 for lat, lon in texas)
    assert gaz.points(None) == [] and gaz.points("USA", "No Such Region") == []


def test_names_that_alone_mean_the_region(gaz: Gazetteer) -> None:
    assert gaz.names_region("Quebec", "CAN") and gaz.names_region("QUEBEC", "CAN")
    assert not gaz.names_region("Quebec City", "CAN")
    # news mostly means the city by "New York" alone (the UN, Wall Street): not listed
    assert not gaz.names_region("New York", "USA")
    assert not gaz.names_region("Baghdad", "IRQ")


def test_airport_short_names_drop_the_city_that_opens_them() -> None:
    from eventline.resolve.places.gazetteer import airport_short_names

    towns = {"London", "Toronto", "Ottawa"}
    names = airport_short_names("London Heathrow Airport", towns.__contains__)
    assert "Heathrow Airport" in names and "Heathrow" in names
    names = airport_short_names("Toronto Pearson International Airport", towns.__contains__)
    assert {"Pearson International Airport", "Pearson Airport", "Pearson"} <= set(names)
    names = airport_short_names(
        "Ottawa / Macdonald-Cartier International Airport", towns.__contains__
    )
    assert "Macdonald-Cartier International Airport" in names and "Macdonald-Cartier" in names
    # no town opens the name: no bare name ("Kennedy")
    names = airport_short_names("John F Kennedy International Airport", towns.__contains__)
    assert names == ["John F Kennedy Airport"]
    assert airport_short_names("Simpson Field", towns.__contains__) == []
    # what is left after the town says what the airport is, not which one
    towns |= {"Martin", "Lansdowne"}
    assert airport_short_names("Martin State Airport", towns.__contains__) == []
    assert "House" not in airport_short_names("Lansdowne House Airport", towns.__contains__)


def test_airports_are_found_by_their_short_names(gaz: Gazetteer) -> None:
    assert any(c.kind == "airport" and c.country == "GBR" for c in gaz.candidates("Heathrow"))
    assert any(c.kind == "airport" for c in gaz.candidates("Pearson International Airport"))
    # a bare name that a sizeable town bears stays the town's ("Logan", Utah)
    assert not any(c.kind == "airport" for c in gaz.candidates("Logan"))


def test_midpoint_takes_the_short_way_round() -> None:
    assert midpoint((10.0, 20.0), (20.0, 40.0)) == (15.0, 30.0)
    lat, lon = midpoint((64.0, 178.0), (66.0, -176.0))  # across the antimeridian
    assert lat == 65.0 and lon == pytest.approx(-179.0)


def test_region_points_move_a_region_halfway(tmp_path: Path) -> None:
    built = tmp_path / "gazetteer.tsv.gz"
    with gzip.open(built, "wt", encoding="utf-8") as out:
        out.write("id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tkeys\n")
        out.write("admin1:XX.01\tNorthland\tadmin1\tXXX\tNorthland\t50.0\t-80.0\t10\tnorthland\n")
        out.write("geonames:1\tNorthland\tcity\tXXX\tNorthland\t40.0\t-70.0\t900\tnorthland\n")
    points = tmp_path / "region_points.csv"
    points.write_text(
        "region_id,name,lat,lon\nadmin1:XX.01,Northland,52.0,-84.0\ngeonames:1,Northland,0,0\n",
        encoding="utf-8",
    )
    gaz = Gazetteer()
    gaz._load_built(built)
    gaz._load_region_points(points)
    by_kind = {entry.kind: entry for entry in gaz.candidates("Northland")}
    assert (by_kind["admin1"].lat, by_kind["admin1"].lon) == (51.0, -82.0)
    assert (by_kind["city"].lat, by_kind["city"].lon) == (40.0, -70.0)  # towns never move
