"""Distances on the Earth's surface: the one great-circle formula every stage uses (place
choice, the geoparsing score, discourse and dedupe)."""

from __future__ import annotations

import math

# the mean Earth radius in km; a sphere is within 0.5% of the ellipsoid, far below the
# tolerances the distances are compared with (2 km at the finest)
EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
