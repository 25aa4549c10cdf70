"""Unit: the recommender ranks, never suggests a partner, breaks ties by id, explains with codes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.consortia import (
    DEFAULT_BLEND,
    LearnOptions,
    Participation,
    ParticipationGraph,
    Query,
    Reason,
    Recommender,
    coparticipation_baseline,
    learn,
    popularity_baseline,
)
from helix.core.consortia.recommend import fit_conditional_logit, top_indices

from .helpers import rows

pytestmark = pytest.mark.unit

CODES = {
    "co_participated",
    "partners_of_partners",
    "active_in_programme_part",
    "fills_type_gap",
    "country",
    "often_participates",
}


def ranked(scorer, graph, query, top=20):  # type: ignore[no-untyped-def]
    return [graph.organisation_ids[i] for i in top_indices(scorer.scores(query), top)]


def test_coparticipation_baseline_orders_by_shared_projects_over_log_size():
    graph = ParticipationGraph(rows())
    query = Query("q", ("LEIT",), ("A",))
    # B: 2/log 4; E: 1/log 3 (a pair); C, D: 1/log 4 (tied: by id); F, G, H: 0 (tied: by id).
    assert ranked(coparticipation_baseline(graph), graph, query) == ["B", "E", "C", "D", "F", "G", "H"]


def test_popularity_baseline_orders_by_projects_then_id():
    graph = ParticipationGraph(rows())
    assert ranked(popularity_baseline(graph), graph, Query("q", (), ("B",))) == [
        "A",
        "C",
        "D",
        "E",
        "F",
        "G",
        "H",
    ]


def test_the_blend_puts_co_participants_first_then_partners_of_partners_then_strangers():
    graph = ParticipationGraph(rows())
    found = ranked(Recommender(graph, DEFAULT_BLEND), graph, Query("q", ("LEIT",), ("A",)))
    # H met C (a co-participant of A); G and F never met anyone near A; F coordinates all it does.
    assert found == ["B", "C", "D", "E", "H", "G", "F"]


def test_ties_break_by_organisation_id_and_repeat():
    # "y2" and "y1" play the same part in every project: equal scores, "y1" first.
    twins = {
        "P1": (
            "LEIT",
            2016,
            [
                ("x", "coordinator", "HES", "BE"),
                ("y2", "participant", "PRC", "NL"),
                ("y1", "participant", "PRC", "NL"),
            ],
        ),
        "P2": ("LEIT", 2016, [("z", "coordinator", "REC", "DE")]),
    }
    recommender = Recommender(ParticipationGraph(rows(twins)), DEFAULT_BLEND)
    query = Query("q", ("LEIT",), ("x",))
    first = recommender.recommend(query, 3, explain=False)
    assert [s.organisation_id for s in first] == ["y1", "y2", "z"]
    assert first[0].score == first[1].score
    assert recommender.recommend(query, 3, explain=False) == first


def test_reasons_are_coded_with_their_parameters():
    recommender = Recommender(ParticipationGraph(rows()), DEFAULT_BLEND)
    best = recommender.recommend(Query("q", ("LEIT",), ("A",)), 1)[0]
    assert best.organisation_id == "B"
    assert best.reasons[0] == Reason(
        "co_participated", {"partner": "A", "projects": 2}, "took part in 2 project(s) with the partner A"
    )
    assert {r.code for r in best.reasons} <= CODES
    assert (
        Reason("active_in_programme_part", {"programme_part": "LEIT", "projects": 2}, "2 project(s) in LEIT")
        in best.reasons
    )


def test_a_type_gap_is_explained_with_the_type_and_the_gap():
    recommender = Recommender(ParticipationGraph(rows()), DEFAULT_BLEND)
    suggestions = recommender.recommend(Query("q", ("LEIT",), ("A", "B")), 7)
    gaps = {
        s.organisation_id: dict(r.params)
        for s in suggestions
        for r in s.reasons
        if r.code == "fills_type_gap"
    }
    # LEIT members: 5 PRC, 3 HES, 2 REC of 10; all members (+1 smoothing, 17): PRC 6, HES 5, REC 3, PUB 2,
    # OTH 1. A LEIT share is (count + 5 x overall share) / 15; a consortium of three holds 3 x share,
    # minus what A (HES) and B (PRC) already bring. The university F fills no gap.
    rec, prc, pub = (2 + 15 / 17) / 15 * 3, (5 + 30 / 17) / 15 * 3 - 1, (10 / 17) / 15 * 3
    assert gaps == {
        "C": {"organisation_type": "REC", "gap": round(rec, 2)},
        "D": {"organisation_type": "PRC", "gap": round(prc, 2)},
        "E": {"organisation_type": "PUB", "gap": round(pub, 2)},
        "G": {"organisation_type": "PRC", "gap": round(prc, 2)},
        "H": {"organisation_type": "PRC", "gap": round(prc, 2)},
    }


organisation = st.sampled_from([f"o{i}" for i in range(10)])
project = st.tuples(
    st.sampled_from(["LEIT", "SC1"]),
    st.integers(2015, 2017),
    st.lists(
        st.tuples(
            organisation,
            st.sampled_from(["coordinator", "participant"]),
            st.sampled_from(["PRC", "HES", "REC"]),
            st.sampled_from(["BE", "NL"]),
        ),
        min_size=1,
        max_size=5,
    ),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(project, min_size=1, max_size=12),
    st.lists(organisation, min_size=1, max_size=4),
    st.integers(1, 12),
)
def test_the_ranking_never_returns_a_partner_nor_a_duplicate(projects, partners, top):
    data = rows({f"P{i}": p for i, p in enumerate(projects)})
    recommender = learn(data, LearnOptions(min_cases=1, hard_negatives=3, random_negatives=2))
    found = [s.organisation_id for s in recommender.recommend(Query("q", ("LEIT",), tuple(partners)), top)]
    assert not set(found) & set(partners)
    assert (
        len(found)
        == len(set(found))
        == min(top, len(set(recommender.graph.organisation_ids) - set(partners)))
    )
    scores = [
        s.score for s in recommender.recommend(Query("q", ("LEIT",), tuple(partners)), top, explain=False)
    ]
    assert scores == sorted(scores, reverse=True)


def test_too_few_cases_fall_back_to_the_hand_set_blend():
    recommender = learn(rows())
    assert recommender.model.note == "hand-set blend: 1 cases to learn from, 50 needed"
    assert np.array_equal(recommender.model.weights, DEFAULT_BLEND.weights)


def test_learning_puts_the_feature_that_marks_the_answer_first():
    # 200 groups of 5 candidates; the answer (first row) has the highest first feature; the second is noise.
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(1000, 2))
    matrix[::5, 0] += 2.0
    starts = np.arange(0, 1000, 5)
    model = fit_conditional_logit(matrix, starts, l2=0.1)
    assert model.weights[0] > 1.0 > abs(model.weights[1]) * 5


def test_fitted_weights_are_a_minimum_of_the_penalised_loss():
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(300, 3))
    matrix[::6, :2] += [1.0, -0.5]
    starts = np.arange(0, 300, 6)
    model = fit_conditional_logit(matrix, starts, l2=1.0)
    x = (matrix - model.mean) / model.scale

    def loss(w):  # type: ignore[no-untyped-def]
        s = x @ w
        groups = np.split(s, starts[1:])
        return -sum(g[0] - np.log(np.exp(g).sum()) for g in groups) + 0.5 * w @ w

    best = loss(model.weights)
    for step in np.eye(3) * 1e-3:
        assert best <= loss(model.weights + step)
        assert best <= loss(model.weights - step)


def test_learning_on_enough_cases_is_noted():
    rng = np.random.default_rng(2)
    data: list[Participation] = []
    for p in range(300):
        year = 2016 if p < 150 else 2017
        members = rng.choice(40, size=4, replace=False)
        for k, m in enumerate(members):
            data.append(
                Participation(
                    f"p{p}",
                    f"o{m:02d}",
                    "coordinator" if k == 0 else "participant",
                    "PRC",
                    "BE",
                    ("LEIT",),
                    year,
                )
            )
    recommender = learn(data, LearnOptions(min_cases=10))
    assert recommender.model.note.startswith("learned from ")
    assert recommender.model.note.endswith("hidden partners of 2017 (holdout)")
