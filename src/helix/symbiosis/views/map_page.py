"""The offline map of the flows a user may see: an SVG drawn on the server, no tile server."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from helix.core.symbiosis.cartography import Projection, geometry_path, spread
from helix.core.symbiosis.labels import Box, LabelRequest, place_labels, point_box
from helix.registry.models import Region
from helix.symbiosis import synergy_workflow, visibility
from helix.symbiosis.models import (
    Direction,
    Kind,
    SynergyState,
)
from helix.symbiosis.views import APP
from helix.symbiosis.views.flows import filtered_flows

KIND_COLOURS = {
    "material": "#8a5a00",
    "heat": "#c0392b",
    "water": "#1f6fb2",
    "co2": "#555555",
    "infrastructure": "#6a3d9a",
    "logistics": "#2e7d32",
    "personnel": "#00838f",
}


MAP_WIDTH, MAP_HEIGHT = 900, 620
DOT_RADIUS = 5
MAP_FONT_SIZE = 13  # in the drawing's units: about 13 px at 1366 px wide, scaled down on a phone
BASE_MAP = Path(__file__).resolve().parents[2] / "static" / "helix" / "map" / "countries-nw-europe.geojson"


@functools.lru_cache(maxsize=1)
def _base_map() -> list[dict[str, Any]]:
    """The country outlines shipped with Helix (Natural Earth, public domain: static/helix/map/README.md)."""
    try:
        return list(json.loads(BASE_MAP.read_text(encoding="utf-8"))["features"])
    except (OSError, ValueError, KeyError):
        return []  # the sites are still drawn, on the plain background


@functools.lru_cache(maxsize=64)
def _country_paths(projection: Projection) -> tuple[tuple[str, str], ...]:
    """(name, SVG path) of each country in view; kept per projection (a map is often drawn again)."""
    out = []
    for feature in _base_map():
        d = geometry_path(feature["geometry"], projection)
        if d:
            out.append((feature["properties"].get("name", ""), d))
    return tuple(out)


def map_view(request: HttpRequest) -> HttpResponse:
    """Sites and proposed exchanges as an SVG drawn here on an offline base map (country outlines from
    Natural Earth): no tiles, no online service. Sites at the same place are set apart; place names are
    placed so that none overlaps another or a site (helix.core.symbiosis.labels)."""
    flows = list(filtered_flows(request)[:2000])
    shown = {f.pk: visibility.flow_public_dict(request.user, f) for f in flows}
    located = [d for d in shown.values() if d["latitude"] is not None]
    projection = Projection.fit([(d["latitude"], d["longitude"]) for d in located], MAP_WIDTH, MAP_HEIGHT, 40)
    drawn = spread([projection.xy(d["latitude"], d["longitude"]) for d in located], DOT_RADIUS * 2.2)
    dots = []
    at: dict[int, tuple[float, float]] = {}
    for d, (x, y) in zip(located, drawn, strict=True):
        at[d["id"]] = (x, y)
        dots.append(
            {
                **d,
                "x": round(x, 1),
                "y": round(y, 1),
                "colour": KIND_COLOURS.get(d["kind"], "#333"),
                "kind_label": Kind(d["kind"]).label if d["kind"] in Kind.values else d["kind"],
            }
        )
    lines = []
    synergies = synergy_workflow.visible_synergies(request.user).filter(have_id__in=at, want_id__in=at)
    synergies = synergies.exclude(state=SynergyState.DROPPED).order_by("-score")[:800]
    for s in synergies:
        a, b = shown[s.have_id], shown[s.want_id]
        (x1, y1), (x2, y2) = at[s.have_id], at[s.want_id]
        lines.append(
            {
                "pk": s.pk,
                "x1": round(x1, 1),
                "y1": round(y1, 1),
                "x2": round(x2, 1),
                "y2": round(y2, 1),
                "state": s.state,
                "title": f"{a['title']} → {b['title']} ({s.road_km:.0f} km)",
                "width": 1 + min(4.0, s.score * 4),
            }
        )
    # Place names beside the sites (once per place, never for a withheld site), the busiest first; a
    # name that fits nowhere is left out (its sites keep their tooltips).
    places: dict[str, list[tuple[float, float]]] = {}
    for d in dots:
        if d["city"]:
            places.setdefault(d["city"], []).append((d["x"], d["y"]))
    km = _scale_km(projection.pixels_per_km)
    bar = round(km * projection.pixels_per_km, 1)
    scale_box = Box(20, MAP_HEIGHT - 38, 40 + bar, MAP_HEIGHT - 10)
    requests = [
        LabelRequest(name, name, *_centre(pts), priority=len(pts)) for name, pts in places.items()
    ]
    labels = place_labels(
        requests,
        Box(0, 0, MAP_WIDTH, MAP_HEIGHT),
        obstacles=[*(point_box(d["x"], d["y"], DOT_RADIUS + 1) for d in dots), scale_box],
        font_size=MAP_FONT_SIZE,
    )
    return render(
        request,
        "symbiosis/map.html",
        {
            "dots": dots,
            "labels": labels,
            "countries": _country_paths(projection),
            "lines": lines,
            "bar": bar,
            "bar_km": km,
            "width": MAP_WIDTH,
            "height": MAP_HEIGHT,
            "font_size": MAP_FONT_SIZE,
            "app": APP,
            "colours": KIND_COLOURS,
            "kinds": Kind.choices,
            "directions": Direction.choices,
            "regions": Region.choices,
            "filters": request.GET,
        },
    )


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(x for x, _y in points) / len(points), sum(y for _x, y in points) / len(points)


def _scale_km(pixels_per_km: float) -> int:
    """A round length for the scale bar, about 60 to 150 pixels long."""
    for km in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if km * pixels_per_km >= 60:
            return km
    return 1000
