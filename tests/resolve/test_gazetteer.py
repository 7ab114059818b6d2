"""The shipped gazetteer: names, aliases, hand-written sites and features."""

from __future__ import annotations

import pytest

from eventline.resolve.gazetteer import Gazetteer, get_gazetteer, normalize_name


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
