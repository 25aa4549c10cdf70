"""Unit: the features of a tiny hand-made graph, computed by hand."""

import math

import numpy as np
import pytest

from helix.core.consortia import ParticipationGraph, Query, query_features
from helix.core.consortia.features import COLUMN

from .helpers import rows

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def graph() -> ParticipationGraph:
    return ParticipationGraph(rows())


def column(graph: ParticipationGraph, query: Query, name: str) -> dict[str, float]:
    values = query_features(graph, query).matrix[:, COLUMN[name]]
    return {o: round(float(values[i]), 6) for i, o in enumerate(graph.organisation_ids)}


def test_co_participation_counts_shared_projects_with_the_partners(graph):
    query = Query("q", ("LEIT",), ("A",))
    expected = {"A": 3, "B": 2, "C": 1, "D": 1, "E": 1, "F": 0, "G": 0, "H": 0}
    assert column(graph, query, "co_count") == {o: round(math.log1p(c), 6) for o, c in expected.items()}
    # Only the LEIT projects: E met A in SC1.
    part = {"A": 2, "B": 2, "C": 1, "D": 1, "E": 0, "F": 0, "G": 0, "H": 0}
    assert column(graph, query, "co_part") == {o: round(math.log1p(c), 6) for o, c in part.items()}


def test_adamic_adar_weights_small_projects_more(graph):
    values = column(graph, Query("q", ("LEIT",), ("A",)), "co_adamic_adar")
    assert values["E"] == round(math.log1p(1 / math.log(3)), 6)  # P3 has two members
    assert values["C"] == round(math.log1p(1 / math.log(4)), 6)  # P1 has three
    assert values["B"] == round(math.log1p(2 / math.log(4)), 6)


def test_two_hop_reaches_the_partners_of_partners(graph):
    # Resource from A (3 projects): B 2/3, C, D, E 1/3 each; P5 passes (C's 1/3 + H's 0) / 2 to H.
    values = column(graph, Query("q", ("LEIT",), ("A",)), "two_hop")
    assert values["H"] == round(math.log1p(1 / 6), 6)
    assert values["F"] == values["G"] == 0.0


def test_activity_in_the_programme_part_and_type_absent(graph):
    query = Query("q", ("LEIT",), ("A",))
    activity = {"A": 2, "B": 2, "C": 2, "D": 1, "E": 0, "F": 1, "G": 1, "H": 1}
    assert column(graph, query, "part_activity") == {o: round(math.log1p(c), 6) for o, c in activity.items()}
    # A is a university (HES): only F shares its type.
    absent = column(graph, query, "type_absent")
    assert {o for o, v in absent.items() if v == 0} == {"A", "F"}


def test_country_shared_is_the_share_of_partners_in_the_country(graph):
    values = column(graph, Query("q", ("LEIT",), ("A", "G")), "country_shared")
    assert values == {"A": 0.5, "B": 0.5, "C": 0.5, "D": 0.0, "E": 0.0, "F": 0.5, "G": 0.5, "H": 0.0}


def test_unknown_partners_add_no_co_participation(graph):
    matrix = query_features(graph, Query("q", ("LEIT",), ("nobody",))).matrix
    assert np.all(matrix[:, COLUMN["co_count"]] == 0)
    assert np.all(matrix[:, COLUMN["no_co"]] == 1)
