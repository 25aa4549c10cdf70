"""Distances between sites: great circle from coordinates, stretched to an approximate road distance.

Helix has no road network (nothing may be fetched at run time), so the road distance is the
great-circle distance times a *circuity factor*. Ballou, Rahardja and Sakai (2002), "Selected country
circuity factors for road travel distance estimation", Transportation Research Part A 36(9), 843-848,
measured factors of about 1.2-1.4 for European countries; Helix uses 1.3 unless the cluster's staff
set another one (the impact factor ``road_circuity``).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
DEFAULT_CIRCUITY = 1.3


def check_coordinates(latitude: float, longitude: float) -> None:
    if not -90 <= latitude <= 90:
        raise ValueError(f"latitude {latitude} is outside -90..90")
    if not -180 <= longitude <= 180:
        raise ValueError(f"longitude {longitude} is outside -180..180")


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def road_km(lat1: float, lon1: float, lat2: float, lon2: float, circuity: float = DEFAULT_CIRCUITY) -> float:
    return circuity * great_circle_km(lat1, lon1, lat2, lon2)


def great_circle_matrix(
    lat_a: npt.NDArray[np.float64],
    lon_a: npt.NDArray[np.float64],
    lat_b: npt.NDArray[np.float64],
    lon_b: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Haversine distances (km) between every point of ``a`` (rows) and of ``b`` (columns)."""
    p1 = np.radians(lat_a)[:, None]
    p2 = np.radians(lat_b)[None, :]
    dl = np.radians(lon_b)[None, :] - np.radians(lon_a)[:, None]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return out
