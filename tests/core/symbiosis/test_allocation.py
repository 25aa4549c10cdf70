"""Network-wide allocation: capacities respected on random networks, the optimum equal to brute force on
small ones, never worse than the greedy baseline; a fixed cost per link makes it a MIP with a bound."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.core.symbiosis import Impact, allocate, check_allocation, greedy_nearest
from helix.core.symbiosis.allocation import Allocation
from helix.core.symbiosis.flows import FlowKind
from helix.core.symbiosis.proposals import Proposal

pytestmark = pytest.mark.unit

SETTINGS = settings(
    max_examples=int(os.environ.get("HELIX_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def proposal(
    h: str, w: str, quantity: float, unit_cost: float, km: float = 10.0, source: float = 1.0
) -> Proposal:
    impact = Impact(tonnes_diverted=quantity, money_saved_eur=-unit_cost * quantity)
    return Proposal(
        h, w, FlowKind.MATERIAL, 0.5, 0.5, quantity, "t", 1, 1, km, impact, unit_cost, source_per_unit=source
    )


@st.composite
def networks(draw, max_haves: int = 4, max_wants: int = 4, max_q: int = 6):
    n_h = draw(st.integers(1, max_haves))
    n_w = draw(st.integers(1, max_wants))
    haves = {f"h{i}": draw(st.integers(0, max_q)) for i in range(n_h)}
    wants = {f"w{j}": draw(st.integers(0, max_q)) for j in range(n_w)}
    proposals = []
    for h in haves:
        for w in wants:
            if draw(st.booleans()):
                cost = draw(st.integers(-20, 5))
                proposals.append(
                    proposal(h, w, min(haves[h], wants[w]), float(cost), km=float(draw(st.integers(1, 50))))
                )
    return proposals, {k: float(v) for k, v in haves.items()}, {k: float(v) for k, v in wants.items()}


def brute_force(proposals, haves, wants, fixed: float = 0.0) -> float:
    """The least cost over every integer allocation (integral capacities make the LP optimum integral)."""
    useful = [p for p in proposals if p.unit_cost_eur < 0]
    best = 0.0
    for amounts in itertools.product(*[range(int(p.quantity) + 1) for p in useful]):
        used_h: dict[str, float] = {}
        used_w: dict[str, float] = {}
        for p, x in zip(useful, amounts, strict=True):
            used_h[p.have] = used_h.get(p.have, 0) + x
            used_w[p.want] = used_w.get(p.want, 0) + x
        if any(v > haves[h] for h, v in used_h.items()) or any(v > wants[w] for w, v in used_w.items()):
            continue
        cost = sum(
            p.unit_cost_eur * x + (fixed if x > 0 else 0) for p, x in zip(useful, amounts, strict=True)
        )
        best = min(best, cost)
    return best


@SETTINGS
@given(networks(max_haves=6, max_wants=6, max_q=50))
def test_allocation_respects_capacities_on_random_networks(network) -> None:
    proposals, haves, wants = network
    optimal = allocate(proposals, haves, wants)
    greedy = greedy_nearest(proposals, haves, wants)
    assert check_allocation(optimal, proposals, haves, wants) == []
    assert check_allocation(greedy, proposals, haves, wants) == []
    assert optimal.optimal
    assert optimal.cost_eur <= greedy.cost_eur + 1e-6  # never worse than the baseline
    assert optimal.cost_eur <= 1e-9  # doing nothing costs nothing: an allocation never costs money
    assert optimal.cost_eur == pytest.approx(sum(a.cost_eur for a in optimal.assignments))


@SETTINGS
@given(networks(max_haves=3, max_wants=3, max_q=3))
def test_allocation_matches_brute_force_on_small_networks(network) -> None:
    proposals, haves, wants = network
    useful = [p for p in proposals if p.unit_cost_eur < 0]
    if len(useful) > 6:
        return
    assert allocate(proposals, haves, wants).cost_eur == pytest.approx(
        brute_force(proposals, haves, wants), abs=1e-6
    )


def test_a_have_is_split_over_several_receivers() -> None:
    proposals = [proposal("h", "near", 60, -10), proposal("h", "far", 100, -5)]
    result = allocate(proposals, {"h": 100}, {"near": 60, "far": 100})
    got = {a.want: a.quantity for a in result.assignments}
    assert got == pytest.approx({"near": 60, "far": 40})
    assert result.cost_eur == pytest.approx(-800)
    assert result.impact.tonnes_diverted == pytest.approx(100)


def test_the_optimum_beats_greedy_nearest_where_nearest_is_a_trap() -> None:
    # h1's nearest want is w1, but h2 can only use w1: greedy blocks h2, the optimum does not.
    proposals = [
        proposal("h1", "w1", 10, -10, km=5),
        proposal("h1", "w2", 10, -9, km=20),
        proposal("h2", "w1", 10, -10, km=8),
    ]
    haves, wants = {"h1": 10, "h2": 10}, {"w1": 10, "w2": 10}
    greedy = greedy_nearest(proposals, haves, wants)
    optimal = allocate(proposals, haves, wants)
    assert greedy.cost_eur == pytest.approx(-100)
    assert optimal.cost_eur == pytest.approx(-190)
    assert optimal.bound_eur == pytest.approx(-190)
    assert optimal.gap == 0


def test_exchanges_that_lose_money_are_not_made() -> None:
    result = allocate([proposal("h", "w", 10, 3.0)], {"h": 10}, {"w": 10})
    assert result.assignments == []
    assert result.cost_eur == 0


def test_heat_pump_edges_use_less_of_the_source_than_they_deliver() -> None:
    # one unit delivered uses 0.75 of the source (COP 4): 75 MWh of source serve a 100 MWh demand
    proposals = [proposal("src", "dem", 100, -10, source=0.75)]
    result = allocate(proposals, {"src": 75}, {"dem": 100})
    assert result.assignments[0].quantity == pytest.approx(100)
    assert check_allocation(result, proposals, {"src": 75}, {"dem": 100}) == []
    tight = allocate(proposals, {"src": 30}, {"dem": 100})
    assert tight.assignments[0].quantity == pytest.approx(40)


@SETTINGS
@given(networks(max_haves=3, max_wants=3, max_q=3), st.sampled_from([1.0, 5.0, 15.0]))
def test_fixed_cost_per_link_matches_brute_force(network, fixed: float) -> None:
    proposals, haves, wants = network
    useful = [p for p in proposals if p.unit_cost_eur < 0]
    if len(useful) > 5:
        return
    result = allocate(proposals, haves, wants, fixed_cost_per_link=fixed)
    assert result.optimal
    assert result.cost_eur == pytest.approx(brute_force(proposals, haves, wants, fixed), abs=1e-6)
    assert check_allocation(result, proposals, haves, wants) == []


def test_check_allocation_finds_violations() -> None:
    proposals = [proposal("h", "w", 10, -1)]
    bad = Allocation("x")
    from helix.core.symbiosis.allocation import Assignment

    bad.assignments = [Assignment("h", "w", 15, -15, Impact()), Assignment("h", "nowhere", 1, 0, Impact())]
    problems = check_allocation(bad, proposals, {"h": 10}, {"w": 10})
    assert any("outside 0..10" in p for p in problems)
    assert any("have h: 15 allocated, 10 offered" in p for p in problems)
    assert any("not a proposal" in p for p in problems)
