"""Unit: the in-memory directory index (helix.core.registry.directory)."""

import numpy as np
import pytest

from helix.core.registry.directory import DirectoryIndex, DirectoryRow, Search

pytestmark = pytest.mark.unit

ROWS = [
    DirectoryRow(
        1, "Heat Networks", "heat networks warmte 35.30", "company", ("limburg",), (("35.30", "35.3"),)
    ),
    DirectoryRow(
        2,
        "Acme heat",
        "acme heat coating 43.21",
        "company",
        ("antwerpen", "limburg"),
        (("43.21", "43.2"),),
        ("energy",),
        (7,),
        ("member",),
    ),
    DirectoryRow(
        3,
        "Zeta Lab",
        "zeta lab heat sensor",
        "knowledge_institution",
        (),
        (),
        ("energy", "materials"),
        (),
        ("interested", "member"),
    ),
    DirectoryRow(4, "Beta", "beta sensor 43.22", "company", ("limburg",), (("43.22", "43.2"),)),
]


def everyone(index):
    return np.ones(index.size, dtype=bool)


def test_every_word_must_occur_and_names_starting_with_the_query_come_first():
    index = DirectoryIndex(ROWS)
    assert index.search(everyone(index), Search(text="heat", terms=("heat",))) == [1, 2, 3]
    assert index.search(everyone(index), Search(text="Acme", terms=("acme",))) == [2]
    assert index.search(everyone(index), Search(text="heat sensor", terms=("heat", "sensor"))) == [3]
    assert index.search(everyone(index), Search()) == [2, 4, 1, 3]  # by name


def test_only_visible_rows_are_answered():
    index = DirectoryIndex(ROWS)
    visible = index.mask_of([2, 4, 99])
    assert index.search(visible, Search()) == [2, 4]
    assert index.facets(visible, Search())["kind"][0].count == 2


def test_a_sector_value_matches_its_code_its_children_and_by_parent():
    index = DirectoryIndex(ROWS)
    assert index.search(everyone(index), Search(sectors=("43",))) == [2, 4]  # division holds its classes
    assert index.search(everyone(index), Search(sectors=("43.2",))) == [2, 4]  # group, by the parent code
    assert index.search(everyone(index), Search(sectors=("43.21",))) == [2]
    assert index.search(everyone(index), Search(sectors=("4",))) == []


def test_each_facet_is_counted_with_the_others_applied_but_not_itself():
    index = DirectoryIndex(ROWS)
    facets = index.facets(everyone(index), Search(kinds=("company",), regions=("antwerpen",)))
    assert [(c.value, c.count) for c in facets["kind"]] == [("company", 1)]  # region applied
    assert [(c.value, c.count) for c in facets["region"]] == [("antwerpen", 1), ("limburg", 3)]  # kind only
    assert [(c.value, c.count) for c in facets["sector"]] == [("43", 1)]
    assert [(c.value, c.count) for c in facets["level"]] == [("member", 1)]
