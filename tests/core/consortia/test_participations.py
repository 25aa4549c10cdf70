"""Unit: participation rows, consortia and the sparse graph."""

import numpy as np
import pytest

from helix.core.consortia import ParticipationGraph, consortia, organisation_type_of_kind
from helix.core.consortia.participations import gather

from .helpers import rows

pytestmark = pytest.mark.unit


def test_helix_kinds_map_to_cordis_types():
    assert [
        organisation_type_of_kind(k) for k in ("company", "knowledge institution", "government", "other")
    ] == [
        "PRC",
        "HES",
        "PUB",
        "OTH",
    ]
    assert organisation_type_of_kind("knowledge_institution", research_centre=True) == "REC"
    assert organisation_type_of_kind("unheard of") == "OTH"


def test_consortia_put_coordinators_first_and_count_an_organisation_once():
    data = [*rows(), rows()[1]]  # B listed twice in P1
    groups = consortia(data)
    assert [g.project_id for g in groups] == ["P1", "P2", "P3", "P4", "P5"]
    assert [m.organisation_id for m in groups[0].members] == ["A", "B", "C"]
    assert [m.organisation_id for m in groups[4].members] == ["C", "H"]


def test_graph_indexes_organisations_by_id_with_degrees():
    graph = ParticipationGraph(rows())
    assert graph.organisation_ids == ["A", "B", "C", "D", "E", "F", "G", "H"]
    assert graph.degree.tolist() == [3, 2, 2, 1, 1, 1, 1, 1]
    assert sorted(graph.project_ids[j] for j in graph.projects_of(graph.index["C"])) == ["P1", "P5"]
    assert graph.coordinations.tolist() == [3, 0, 1, 0, 0, 1, 0, 0]
    assert graph.last_year == 2016
    assert graph.org_last_year[graph.index["H"]] == 2015
    assert graph.types[graph.org_type[graph.index["E"]]] == "PUB"


def test_gather_concatenates_csr_rows():
    indptr = np.array([0, 2, 2, 5])
    values = np.array([10, 11, 20, 21, 22])
    got, origin = gather(indptr, values, np.array([2, 0, 1]))
    assert got.tolist() == [20, 21, 22, 10, 11]
    assert origin.tolist() == [0, 0, 0, 1, 1]
