"""Drawing a base map offline: a projection fitted to the sites, country outlines as SVG paths.

The projection is equirectangular, the longitudes scaled by the cosine of the middle latitude: at the
scale of a region (a few hundred kilometres) it keeps shapes and distances within a few per cent, and
it needs no library. Outlines come as GeoJSON geometries in longitude and latitude (the base map file
shipped with Helix); a ring is projected, points that fall on the same pixel are dropped, and rings
wholly outside the drawing are left out, so a path stays short whatever the source's detail.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Projection:
    min_lon: float
    max_lat: float
    k: float  # cos(middle latitude)
    scale: float  # pixels per degree of latitude
    pad: float
    width: float
    height: float

    @classmethod
    def fit(
        cls,
        points: Sequence[tuple[float, float]],
        width: float = 900,
        height: float = 620,
        pad: float = 30,
        min_span_km: float = 40.0,
        default: tuple[float, float] = (50.8, 4.4),
    ) -> Projection:
        """The projection showing every (latitude, longitude) of ``points`` inside the drawing, centred,
        over at least ``min_span_km`` (a single site still shows its surroundings)."""
        lats = [p[0] for p in points] or [default[0]]
        lons = [p[1] for p in points] or [default[1]]
        lat0 = (min(lats) + max(lats)) / 2
        k = math.cos(math.radians(lat0))
        min_span = min_span_km / KM_PER_DEGREE
        span_x = max((max(lons) - min(lons)) * k, min_span)
        span_y = max(max(lats) - min(lats), min_span)
        scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        # centre the points: the spare room is shared on both sides
        mid_lon = (min(lons) + max(lons)) / 2
        mid_lat = (min(lats) + max(lats)) / 2
        min_lon = mid_lon - (width / 2) / (k * scale)
        max_lat = mid_lat + (height / 2) / scale
        return cls(min_lon, max_lat, k, scale, pad, width, height)

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.min_lon) * self.k * self.scale, (self.max_lat - lat) * self.scale

    @property
    def pixels_per_km(self) -> float:
        return self.scale / KM_PER_DEGREE


def _rings(geometry: dict[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coordinates
    elif kind == "MultiPolygon":
        for polygon in coordinates:
            yield from polygon
    elif kind == "LineString":
        yield coordinates
    elif kind == "MultiLineString":
        yield from coordinates


def geometry_path(geometry: dict[str, Any], projection: Projection, margin: float = 50.0) -> str:
    """The SVG path data of a GeoJSON (Multi)Polygon or (Multi)LineString: one sub-path per ring,
    closed for polygons, rings outside the drawing (beyond ``margin`` pixels) left out."""
    closed = geometry.get("type") in ("Polygon", "MultiPolygon")
    parts: list[str] = []
    for ring in _rings(geometry):
        points: list[tuple[int, int]] = []
        for lon, lat, *_rest in ring:
            x, y = projection.xy(lat, lon)
            pixel = (round(x), round(y))
            if not points or points[-1] != pixel:
                points.append(pixel)
        if len(points) < 2:
            continue
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if (
            max(xs) < -margin
            or min(xs) > projection.width + margin
            or max(ys) < -margin
            or min(ys) > projection.height + margin
        ):
            continue
        head, *tail = points
        path = f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in tail)
        parts.append(path + ("Z" if closed else ""))
    return "".join(parts)


def spread(points: Sequence[tuple[float, float]], radius: float) -> list[tuple[float, float]]:
    """Points drawn at the same pixel moved apart on a small circle of ``radius`` pixels, in order, so
    that each stays visible and clickable; single points stay where they are."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(points):
        groups.setdefault((round(x), round(y)), []).append(i)
    out = list(points)
    for members in groups.values():
        if len(members) < 2:
            continue
        x, y = points[members[0]]
        r = radius * max(1.0, len(members) / 6)
        for n, i in enumerate(members):
            angle = 2 * math.pi * n / len(members) - math.pi / 2
            out[i] = (x + r * math.cos(angle), y + r * math.sin(angle))
    return out


__all__ = ["KM_PER_DEGREE", "Projection", "geometry_path", "spread"]
