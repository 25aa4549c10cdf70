"""Unit: the year split never lets a query year into learning; hidden-partner cases are well formed."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helix.core.consortia import Participation, hidden_partner_cases, learn, split_by_year

pytestmark = pytest.mark.unit

participation = st.builds(
    Participation,
    project_id=st.sampled_from([f"p{i}" for i in range(12)]),
    organisation_id=st.sampled_from([f"o{i}" for i in range(15)]),
    role=st.sampled_from(["coordinator", "participant", "partner"]),
    organisation_type=st.sampled_from(["PRC", "HES", "REC", "PUB", "OTH"]),
    country=st.sampled_from(["BE", "NL", "DE"]),
    programme_parts=st.just(("LEIT",)),
    start_year=st.integers(2010, 2020),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(participation, max_size=60), st.integers(2010, 2015), st.integers(1, 5))
def test_learning_rows_never_include_the_query_year_or_later(data, first, gap):
    query_year = first + gap
    split = split_by_year(data, first, query_year)
    assert all(first <= r.start_year < query_year for r in split.learn)
    assert sorted(split.learn, key=repr) == sorted(
        (r for r in data if first <= r.start_year < query_year), key=repr
    )
    assert all(c.start_year == query_year for c in split.query)
    learned_ids = {r.organisation_id for r in split.learn}
    if split.learn:
        assert set(learn(split.learn).graph.organisation_ids) == learned_ids


@settings(max_examples=100, deadline=None)
@given(st.lists(participation, max_size=60), st.integers(0, 10))
def test_a_case_hides_one_non_coordinator_and_asks_with_the_others(data, seed):
    split = split_by_year(data, 2010, 2018)
    cases = hidden_partner_cases(split.query, seed)
    assert cases == hidden_partner_cases(split.query, seed)  # seeded: the same again
    by_project = {c.project_id: c for c in split.query}
    for case in cases:
        group = by_project[case.query.query_id]
        members = {m.organisation_id: m for m in group.members}
        assert not members[case.hidden].is_coordinator
        assert case.hidden not in case.query.partners
        assert set(case.query.partners) | {case.hidden} == set(members)
        assert case.query.programme_parts == group.programme_parts
    eligible = [
        g for g in split.query if len(g.members) >= 2 and any(not m.is_coordinator for m in g.members)
    ]
    assert len(cases) == len(eligible)


def test_the_query_year_must_follow_the_first_year():
    with pytest.raises(ValueError, match="must come after"):
        split_by_year([], 2017, 2017)
