"""Integration: the symbiosis map (helix.symbiosis.views.map_page) is drawn on an offline base map (Natural
Earth country outlines shipped with Helix), without tiles, with coordinates not localised, and its place
names never overlap, however crowded the sites."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from django.test import Client

from helix.core.symbiosis.labels import point_box
from helix.registry.models import Region
from helix.symbiosis import matching
from tests.symbiosis.helpers import flow, organisation, world

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_map_draws_sites_and_exchanges_without_tiles() -> None:
    w = world()
    matching.run_matching()
    c = Client()
    c.force_login(w.staff)
    page = c.get("/symbiosis/map/").content.decode()
    assert page.count("<circle") == 5
    assert page.count("<line") >= 3  # two proposals and the scale bar
    # nothing is fetched from elsewhere: no external address anywhere on the page, no images
    assert re.findall(r"(?:src|href)=\"(https?:)?//", page) == []
    assert "<img" not in page


def test_map_coordinates_are_not_localised() -> None:
    """A Dutch or French page writes 218,9 for 218.9; inside SVG that would break every position."""
    w = world()
    matching.run_matching()
    c = Client()
    c.force_login(w.staff)
    for language in ("nl", "fr", "de"):
        page = c.get("/symbiosis/map/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
        positions = re.findall(r'\b(?:cx|cy|x1|y1|x2|y2|x|y)="([^"]*)"', svg)
        assert positions
        assert all(re.fullmatch(r"-?\d+(\.\d+)?", p) for p in positions), positions[:5]


MAP_DIR = Path(__file__).resolve().parents[2] / "src" / "helix" / "static" / "helix" / "map"


def test_the_base_map_is_shipped_small_with_its_source_and_licence() -> None:
    data = MAP_DIR / "countries-nw-europe.geojson"
    assert data.stat().st_size < 200_000
    note = (MAP_DIR / "README.md").read_text()
    assert "Natural Earth" in note
    assert "public domain" in note
    assert "world-atlas" in note


def test_the_map_draws_countries_under_the_sites_without_anything_from_elsewhere() -> None:
    world()
    html = Client().get("/symbiosis/map/").content.decode()
    land = html.split('class="symbiosis-map__land"', 1)[1].split("</g>", 1)[0]
    assert "<title>Belgium</title>" in land
    assert '<path d="M' in land
    assert html.index("symbiosis-map__land") < html.index("<circle")  # drawn under the sites
    assert "http://" not in land
    assert "https://" not in land


def test_crowded_place_names_never_overlap_nor_cover_a_site() -> None:
    w = world()
    for i in range(24):  # two dozen companies within a kilometre or two, each in its own "place"
        org = organisation(
            f"Company {i}",
            "24.10",
            f"Industrial estate number {i}",
            51.10 + (i % 5) * 0.004,
            3.78 + (i // 5) * 0.006,
            Region.OOST_VLAANDEREN,
            w.cluster,
        )
        flow(org, direction="have", kind="water", title=f"Water {i}", quantity=10, unit="m3")
    client = Client()
    client.force_login(w.staff)
    response = client.get("/symbiosis/map/")
    labels = response.context["labels"]
    dots = response.context["dots"]
    assert len(labels) >= 5
    for a, b in itertools.combinations(labels, 2):
        assert not a.box.intersects(b.box), (a.text, b.text)
    for label in labels:
        for d in dots:
            assert not label.box.intersects(point_box(d["x"], d["y"], 5)), (label.text, d["title"])
    # sites at the same place are set apart: no two dots on the same pixel
    assert len({(round(d["x"]), round(d["y"])) for d in dots}) == len(dots)
