"""Knowledge about receivers that is not the evaluation data (helix.core.symbiosis.receiver_priors)."""

from __future__ import annotations

import pytest

from helix.core.symbiosis.ewc import waste_list
from helix.core.symbiosis.receiver_priors import (
    RECEIVER_NAMES,
    RECEIVERS_BY_WASTE_FAMILY,
    SOURCE_INDUSTRIES,
    family_receivers,
    nace_section,
    source_industries,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("code", "section"),
    [("0150", "A"), ("0729", "B"), ("2410", "C"), ("35", "D"), ("3821", "E"), ("4211", "F"), ("99", "U")],
)
def test_a_nace_code_of_any_level_has_its_section(code: str, section: str) -> None:
    assert nace_section(code) == section


def test_an_unknown_division_has_no_section() -> None:
    assert [nace_section(c) for c in ("04", "2", "", "ab12")] == ["", "", "", ""]


def test_the_list_of_waste_names_the_source_industry_of_its_chapters() -> None:
    assert source_industries("100202") == ("241",)  # wastes from the iron and steel industry
    assert source_industries("020501") == ("105",)  # dairy
    assert source_industries("040109") == ("151",)  # leather
    assert source_industries("050799") == ("062", "352")
    assert source_industries("100101") == ("351",)


def test_chapters_organised_by_material_name_no_source_industry() -> None:
    assert [source_industries(c) for c in ("130205", "150101", "160103", "200101")] == [(), (), (), ()]


def test_the_longest_known_prefix_names_the_family() -> None:
    assert family_receivers("150101") == ("1712", "1711")  # the entry: paper packaging
    assert family_receivers("150110") == ("3832", "3511", "2351")  # the chapter: other packaging
    assert family_receivers("100202") == RECEIVERS_BY_WASTE_FAMILY["1002"]
    assert family_receivers("990101") == ()


def test_every_code_of_the_tables_is_in_the_list_of_waste() -> None:
    codes = waste_list()
    assert [c for c in list(SOURCE_INDUSTRIES) + list(RECEIVERS_BY_WASTE_FAMILY) if c not in codes] == []


def test_every_receiver_the_table_names_is_a_named_nace_class() -> None:
    named = {r for receivers in RECEIVERS_BY_WASTE_FAMILY.values() for r in receivers}
    assert named == set(RECEIVER_NAMES)
    assert all(len(r) == 4 and r.isdigit() and nace_section(r) for r in named)
