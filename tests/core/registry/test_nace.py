"""Unit: NACE Rev. 2.1 codes."""

import pytest

from helix.core.registry.nace import UnknownNaceCode, nace_entries, nace_entry, normalise_nace

pytestmark = pytest.mark.unit


def test_table_has_every_level_of_nace_rev_2_1():
    levels = [e.level for e in nace_entries()]
    assert (levels.count(1), levels.count(2)) == (22, 87)
    assert levels.count(4) > 600


@pytest.mark.parametrize(
    ("raw", "code"), [("6210", "62.10"), ("62.10", "62.10"), ("621", "62.1"), (" j ", "J")]
)
def test_codes_are_printed_with_a_dot(raw, code):
    assert normalise_nace(raw) == code


def test_class_knows_its_parent_group_and_section():
    entry = nace_entry("35.12")
    assert (entry.parent, entry.section, entry.level) == ("35.1", "D", 4)


@pytest.mark.parametrize("raw", ["62.01", "99.99", "ABC", ""])
def test_unknown_code_is_refused(raw):
    with pytest.raises(UnknownNaceCode):
        normalise_nace(raw)
