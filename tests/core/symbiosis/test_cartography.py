"""The map's drawing (helix.core.symbiosis.cartography): sites at one place set apart, a projection that
keeps every site in the drawing, and base-map paths drawn only where they are in view."""

from __future__ import annotations

import pytest

from helix.core.symbiosis.cartography import Projection, geometry_path, spread

pytestmark = pytest.mark.unit


def test_sites_at_the_same_place_are_set_apart() -> None:
    moved = spread([(100.0, 100.0), (100.2, 99.9), (100.0, 100.0), (300.0, 300.0)], 10)
    assert moved[3] == (300.0, 300.0)
    assert len({(round(x), round(y)) for x, y in moved[:3]}) == 3
    assert all(abs(x - 100) <= 10.5 and abs(y - 100) <= 10.5 for x, y in moved[:3])


def test_the_projection_keeps_every_site_in_the_drawing() -> None:
    sites = [(51.05, 3.72), (49.61, 6.13), (50.85, 4.35), (52.37, 4.90)]
    projection = Projection.fit(sites, 900, 620, 40)
    for lat, lon in sites:
        x, y = projection.xy(lat, lon)
        assert 40 - 1e-6 <= x <= 860 + 1e-6
        assert 40 - 1e-6 <= y <= 580 + 1e-6
    # a single site still shows its surroundings (at least 40 km across)
    alone = Projection.fit([(51.05, 3.72)], 900, 620, 40)
    assert (620 - 80) / alone.pixels_per_km >= 40 - 1e-6


def test_paths_are_drawn_in_view_and_rings_far_away_are_left_out() -> None:
    projection = Projection.fit([(51.05, 3.72), (50.85, 4.35)], 900, 620, 40)
    near = {
        "type": "Polygon",
        "coordinates": [[[3.5, 50.9], [4.5, 50.9], [4.5, 51.2], [3.5, 51.2], [3.5, 50.9]]],
    }
    far = {"type": "Polygon", "coordinates": [[[20.0, 60.0], [21.0, 60.0], [21.0, 61.0], [20.0, 60.0]]]}
    path = geometry_path(near, projection)
    assert path.startswith("M")
    assert path.endswith("Z")
    assert path.count("M") == 1
    assert geometry_path(far, projection) == ""
