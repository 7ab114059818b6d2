"""The one great-circle distance."""

from __future__ import annotations

from eventline.resolve.places.geometry import haversine_km


def test_gao_to_mopti_is_about_491_km() -> None:
    assert abs(haversine_km(16.2666, -0.04, 14.4843, -4.183) - 491) < 5


def test_a_point_is_no_distance_from_itself_and_order_does_not_matter() -> None:
    assert haversine_km(48.85, 2.35, 48.85, 2.35) == 0.0
    there, back = haversine_km(48.85, 2.35, 50.45, 30.52), haversine_km(50.45, 30.52, 48.85, 2.35)
    assert abs(there - back) < 1e-9 and 1990 < there < 2050  # Paris to Kyiv
