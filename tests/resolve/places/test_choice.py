"""Choosing one gazetteer entry per mention."""

from __future__ import annotations

from eventline.resolve.places.choice import (
    PlaceMention,
    _prefer_feature_over_hamlet,
    _prefer_region_named_alone,
    _related_keys,
)
from eventline.resolve.places.gazetteer import GazEntry, get_gazetteer


def test_repeated_name_with_a_suffix_does_not_vouch_for_itself() -> None:
    assert _related_keys("dublin", "dublin city")
    assert _related_keys("dublin city", "dublin")
    assert not _related_keys("new york", "new london")


def _mention(key: str, candidates: list[GazEntry]) -> PlaceMention:
    return PlaceMention(0, len(key), 0, len(key), candidates, key=key)


def test_region_named_alone_drops_its_namesake_cities() -> None:
    province = GazEntry("admin1:CA.10", "Quebec", "admin1", "CAN", None, 52.0, -72.0, 1500)
    city = GazEntry("g:1", "Quebec", "city", "CAN", "Quebec", 46.8, -71.2, 530_000)
    elsewhere = GazEntry("g:2", "Quebec", "city", "GBR", "England", 54.8, -1.7, 900)
    mention = _mention("quebec", [province, city, elsewhere])
    _prefer_region_named_alone(mention, get_gazetteer(), "Quebec")
    assert mention.candidates == [province, elsewhere]
    # a region the convention does not list keeps its big city
    oblast = GazEntry("admin1:UA.07", "Kharkiv", "admin1", "UKR", None, 49.5, 36.5, 300)
    kharkiv = GazEntry("g:3", "Kharkiv", "city", "UKR", "Kharkiv", 50.0, 36.2, 1_400_000)
    mention = _mention("kharkiv", [oblast, kharkiv])
    _prefer_region_named_alone(mention, get_gazetteer(), "Kharkiv")
    assert mention.candidates == [oblast, kharkiv]
    # unless words beside it speak of the region
    mention = _mention("kharkiv", [oblast, kharkiv])
    _prefer_region_named_alone(mention, get_gazetteer(), "Kharkiv governor")
    assert mention.candidates == [oblast]


def test_world_feature_drops_hamlets_but_not_cities() -> None:
    region = GazEntry("eventline:middle-east", "Middle East", "region", None, None, 29.0, 42.0)
    hamlet = GazEntry("g:4", "Middle East", "city", "USA", "Maryland", 39.3, -76.6, 1872)
    mention = _mention("middle east", [region, hamlet])
    _prefer_feature_over_hamlet(mention)
    assert mention.candidates == [region]
    town = GazEntry("g:5", "Atlantic", "city", "USA", "Iowa", 41.4, -95.0, 70_000)
    ocean = GazEntry("eventline:atlantic", "Atlantic Ocean", "sea", None, None, 30.0, -40.0)
    mention = _mention("atlantic", [ocean, town])
    _prefer_feature_over_hamlet(mention)
    assert mention.candidates == [ocean, town]
