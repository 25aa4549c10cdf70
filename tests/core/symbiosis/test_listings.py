"""Needs and offers of the market that are resource flows, in four languages, with the figures they state;
offers that sell the means (heat pumps, studies) and research needs are not (issue 12)."""

from __future__ import annotations

import pytest

from helix.core.symbiosis import Direction, FlowKind
from helix.core.symbiosis.listings import ListingResource, number, read_listing

pytestmark = pytest.mark.unit


def test_a_city_heat_need_in_dutch_is_a_wanted_heat_flow_with_its_figures() -> None:
    read = read_listing(
        "need",
        "partner",
        "Restwarmte uit de haven voor een warmtenet",
        "De stad zoekt restwarmte op 70 °C, ongeveer 20 GWh per jaar. Een haalbaarheidsstudie staat gepland.",
    )
    assert read == ListingResource(
        FlowKind.HEAT, Direction.WANT, supply_temperature_c=70.0, quantity=20.0, unit="GWh", period="year"
    )


@pytest.mark.parametrize(
    ("side", "category", "title", "description", "kind", "direction"),
    [
        (
            "offer",
            "infrastructure",
            "Abwärme aus dem Rechenzentrum",
            "1,2 MW bei 35 °C",
            FlowKind.HEAT,
            Direction.HAVE,
        ),
        (
            "offer",
            "infrastructure",
            "Chaleur fatale disponible",
            "Four : 2,5 MW à 120°C",
            FlowKind.HEAT,
            Direction.HAVE,
        ),
        (
            "offer",
            "infrastructure",
            "By-product gypsum",
            "12.000 t per year",
            FlowKind.MATERIAL,
            Direction.HAVE,
        ),
        ("need", "solution", "Proceswater gezocht", "200 m3 per dag", FlowKind.WATER, Direction.WANT),
        ("need", "solution", "Captured CO2 for our greenhouses", "", FlowKind.CO2, Direction.WANT),
    ],
)
def test_resource_words_in_four_languages(
    side: str, category: str, title: str, description: str, kind: FlowKind, direction: Direction
) -> None:
    read = read_listing(side, category, title, description)
    assert read is not None
    assert (read.kind, read.direction) == (kind, direction)


def test_figures_are_read_as_the_listing_writes_them() -> None:
    heat = read_listing("offer", "infrastructure", "Chaleur fatale disponible", "Four : 2,5 MW à 120°C")
    assert heat is not None
    assert (heat.power_mw, heat.supply_temperature_c) == (2.5, 120.0)
    gypsum = read_listing("offer", "infrastructure", "By-product gypsum", "12.000 t per year")
    assert gypsum is not None
    assert (gypsum.quantity, gypsum.unit) == (12_000.0, "t")
    assert (number("12.000"), number("12,000"), number("1,5"), number("2.75")) == (
        12000.0,
        12000.0,
        1.5,
        2.75,
    )


@pytest.mark.parametrize(
    ("side", "category", "title", "description"),
    [
        (
            "offer",
            "solution",
            "Warmtepompen voor bedrijven",
            "Wij leveren warmtepompen die restwarmte benutten.",
        ),
        ("offer", "infrastructure", "Heat pump rental", "Heat pumps to use waste heat, no figures."),
        (
            "need",
            "research",
            "Cartographie de la chaleur fatale",
            "Une étude du potentiel de chaleur fatale.",
        ),
        ("need", "solution", "Software for our heat network", "Planning software for district heating."),
        ("offer", "infrastructure", "Test hall for batteries", "A climate chamber for battery tests."),
    ],
)
def test_the_means_and_the_studies_are_not_resource_flows(
    side: str, category: str, title: str, description: str
) -> None:
    assert read_listing(side, category, title, description) is None
