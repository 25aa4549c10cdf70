"""Property tests (hypothesis) for the dashboards' faster computations: each gives what the plain one it
replaced gave, on random ecosystems and graphs. Betweenness equals networkx's to the last bit, exact and
sampled; the Louvain communities are networkx's, in its order; members over time and growth per year
equal a scan of every membership on each day (histories out of date order and several steps on one day
included); activity per domain equals counting each domain on its own."""

from __future__ import annotations

import dataclasses
import os
import random
from datetime import date, timedelta
from decimal import Decimal

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.core.insights import Contact, Ecosystem, Membership, Period, Project, Step
from helix.core.insights.dashboards import (
    DomainActivity,
    YearGrowth,
    activity_per_domain,
    betweenness,
    communities,
    growth_per_year,
    members_on,
    members_series,
)
from helix.core.insights.ecosystem import COMMITTED, FUNNEL, LEFT
from helix.core.insights.indicators import STARTED

pytestmark = pytest.mark.unit

# HELIX_HYPOTHESIS_EXAMPLES=400 for a longer search
SETTINGS = settings(
    max_examples=int(os.environ.get("HELIX_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

DAYS = st.dates(date(2019, 6, 1), date(2026, 6, 30))
LEVELS = st.sampled_from([*FUNNEL, LEFT])
PROJECT_STATES = st.sampled_from(["idea", "approved", "running", "closed"])


# ---- betweenness --------------------------------------------------------------------------------------


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    """Up to 30 organisations (ids not 0..n, added in any order, some without ties) and their ties."""
    ids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=30, unique=True))
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(ids)
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
    for a, b in draw(st.lists(pairs, max_size=60)):
        graph.add_edge(a, b, weight=draw(st.sampled_from([1.0, 2.0, 3.0])))
    return graph


def bits(values: dict[int, float]) -> dict[int, str]:
    return {node: value.hex() for node, value in values.items()}  # NaN included: 'nan' == 'nan'


@SETTINGS
@given(graphs(), st.integers(0, 3))
def test_exact_betweenness_is_networkxs_to_the_last_bit(graph, seed):
    assert bits(betweenness(graph, None, seed)) == bits(nx.betweenness_centrality(graph, normalized=True))


@SETTINGS
@given(graphs(), st.data(), st.integers(0, 3))
def test_sampled_betweenness_is_networkxs_to_the_last_bit(graph, data, seed):
    sample = data.draw(st.integers(1, graph.number_of_nodes()))
    expected = nx.betweenness_centrality(graph, k=sample, seed=seed, normalized=True)
    assert bits(betweenness(graph, sample, seed)) == bits(expected)


def test_betweenness_of_a_path():
    # 1-2-3-4: 2 and 3 each lie on two of the three pairs of others
    graph = nx.path_graph([1, 2, 3, 4])
    assert betweenness(graph) == {1: 0.0, 2: 2 / 3, 3: 2 / 3, 4: 0.0}


@SETTINGS
@given(graphs(), st.integers(0, 5))
def test_the_communities_are_networkxs_louvain(graph, seed):
    assert communities(graph, seed) == nx.community.louvain_communities(graph, weight="weight", seed=seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_communities_of_a_larger_network_are_networkxs_louvain(seed):
    # a few hundred organisations: Louvain goes through several levels (communities of communities)
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(400, 600, seed=seed)
    for a, b in graph.edges:
        graph[a][b]["weight"] = float(rng.choice([1, 2, 3, 5]))
    assert communities(graph, seed) == nx.community.louvain_communities(graph, weight="weight", seed=seed)


# ---- members over time, growth per year -----------------------------------------------------------------


@st.composite
def memberships(draw: st.DrawFn) -> tuple[Membership, ...]:
    """Up to 12 memberships, each with up to five dated steps, not always in date order."""
    out = []
    for k in range(draw(st.integers(0, 12))):
        steps = draw(st.lists(st.tuples(DAYS, LEVELS), max_size=5))
        if draw(st.booleans()):
            steps.sort(key=lambda s: s[0])
        out.append(Membership(k + 1, k + 1, tuple(Step(on, state) for on, state in steps)))
    return tuple(out)


def growth_by_scanning(eco: Ecosystem, first: int, last: int) -> list[YearGrowth]:
    """growth_per_year as it was: every membership scanned for every year."""
    out = []
    for year in range(first, last + 1):
        start, end = date(year, 1, 1), date(year, 12, 31)
        before = members_on(eco, start - timedelta(days=1))
        after = members_on(eco, end)
        joined = left = 0
        for m in eco.memberships:
            was = m.committed_on(start - timedelta(days=1))
            came = any(s.state in COMMITTED and start <= s.on <= end for s in m.history)
            if came and not was:
                joined += 1
            if any(s.state == LEFT and start <= s.on <= end for s in m.history):
                left += 1
        growth = (Decimal(after - before) * 100 / before).quantize(Decimal("0.1")) if before else None
        out.append(YearGrowth(year, after, joined, left, growth))
    return out


@SETTINGS
@given(memberships(), DAYS, st.integers(0, 900), st.integers(2, 30))
def test_members_over_time_count_every_membership_on_each_day(ms, start, days, points):
    eco = Ecosystem("c", "BE", memberships=ms)
    series = members_series(eco, Period(start, start + timedelta(days=days)), points)
    assert series == [(day, members_on(eco, day)) for day, _ in series]


@SETTINGS
@given(memberships(), st.integers(2018, 2027), st.integers(0, 9))
def test_growth_per_year_is_a_scan_of_every_membership_each_year(ms, first, years):
    eco = Ecosystem("c", "BE", memberships=ms)
    assert growth_per_year(eco, first, first + years) == growth_by_scanning(eco, first, first + years)


def test_a_step_out_of_date_order_counts_from_the_later_step_before_it():
    # the state on a day is read up to the first later step: the 2024 letter of intent counts from
    # 2025-03-01, when the history has reached it
    eco = Ecosystem(
        "c",
        "BE",
        memberships=(
            Membership(1, 1, (Step(date(2025, 3, 1), "interested"), Step(date(2024, 1, 1), "member"))),
        ),
    )
    got = [members_on(eco, d) for d in (date(2024, 6, 1), date(2025, 2, 28), date(2025, 3, 1))]
    assert got == [0, 0, 1]
    assert members_series(eco, Period(date(2024, 6, 1), date(2025, 3, 1)), 2) == [
        (date(2024, 6, 1), 0),
        (date(2025, 3, 1), 1),
    ]


# ---- activity per domain ------------------------------------------------------------------------------


def activity_by_scanning(eco: Ecosystem, period: Period, domains: list[int]) -> list[DomainActivity]:
    """activity_per_domain as it was: every membership, project and contact scanned for each domain."""
    eve = period.start - timedelta(days=1)
    out = []
    for domain in domains:
        ms = [m for m in eco.memberships if domain in m.domains]
        orgs = {m.organisation_id for m in ms if m.committed_on(period.end)}
        new = sum(
            1
            for m in ms
            if not m.committed_on(eve) and any(s.state in COMMITTED and period.holds(s.on) for s in m.history)
        )
        projects = sum(
            1
            for p in eco.projects
            if domain in p.domains
            and (
                p.status_on(period.start) in STARTED
                or any(s.state in STARTED and period.holds(s.on) for s in p.history)
            )
        )
        contacts = sum(1 for c in eco.contacts if c.organisation_id in orgs and period.holds(c.on))
        out.append(DomainActivity(domain, len(orgs), new, projects, contacts))
    return out


@SETTINGS
@given(memberships(), st.data(), DAYS, st.integers(0, 700))
def test_activity_per_domain_counts_each_domain_as_a_scan_would(ms, data, start, days):
    domain_sets = st.frozensets(st.integers(1, 4), max_size=3)
    ms = tuple(dataclasses.replace(m, domains=data.draw(domain_sets)) for m in ms)
    projects = tuple(
        Project(
            100 + k,
            "flagship",
            tuple(
                Step(on, state)
                for on, state in sorted(data.draw(st.lists(st.tuples(DAYS, PROJECT_STATES), max_size=3)))
            ),
            domains=data.draw(domain_sets),
        )
        for k in range(data.draw(st.integers(0, 5)))
    )
    contacts = tuple(
        Contact(200 + k, data.draw(st.integers(1, 14)), data.draw(DAYS))
        for k in range(data.draw(st.integers(0, 20)))
    )
    eco = Ecosystem("c", "BE", memberships=ms, projects=projects, contacts=contacts)
    period = Period(start, start + timedelta(days=days))
    domains = data.draw(st.lists(st.integers(1, 5), max_size=5))  # one without members, repeats
    assert activity_per_domain(eco, period, domains) == activity_by_scanning(eco, period, domains)
