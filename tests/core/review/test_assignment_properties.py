"""Property tests of the reviewer assignment on random small calls (hypothesis): no conflict is ever
broken, each proposal has exactly k different reviewers, loads keep their caps; the total fit and then
the evenness of loads equal the brute-force optimum over every assignment (3-4 proposals x 3-4
reviewers, k = 1..2, some reviews already written and kept), with HiGHS (all pairs at once, or column
generation from one pair per proposal) and CP-SAT alike; the optimiser is never below greedy;
infeasible calls give problems, no assignment."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.core.review.assignment import AssignmentOutcome, ReviewAssignment, assign_reviewers

pytestmark = pytest.mark.unit

# HELIX_HYPOTHESIS_EXAMPLES=400 for a longer search
SETTINGS = settings(
    max_examples=int(os.environ.get("HELIX_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SOLVERS = [("highs", None), ("highs", 1), ("cpsat", None)]  # (solver, first_columns)


@st.composite
def calls(draw: st.DrawFn, max_proposals: int = 4, max_reviewers: int = 4, max_k: int = 2) -> dict:
    n = draw(st.integers(1, max_proposals))
    m = draw(st.integers(1, max_reviewers))
    k = draw(st.integers(1, min(max_k, m)))
    proposals = [f"P{i}" for i in range(n)]
    reviewers = [f"R{j}" for j in range(m)]
    tenths = draw(st.lists(st.integers(0, 10), min_size=n * m, max_size=n * m))
    fit = (np.array(tenths, dtype=float) / 10).reshape(n, m)
    conflicts = {
        (r, p) for p in proposals for r in reviewers if draw(st.integers(0, 9)) < 2
    }  # about one pair in five
    cap = draw(
        st.one_of(
            st.none(),
            st.integers(1, 4),
            st.fixed_dictionaries({r: st.integers(0, 4) for r in reviewers}),
        )
    )
    slack = draw(st.integers(0, 1))
    fixed: set[tuple[str, str]] = set()
    if draw(st.booleans()):  # reviews already written: a few free pairs, at most k per proposal
        for p in proposals:
            free = [r for r in reviewers if (r, p) not in conflicts]
            chosen = draw(st.lists(st.sampled_from(free), max_size=k, unique=True)) if free else []
            fixed |= {(r, p) for r in chosen}
    return {
        "proposals": proposals,
        "reviewers": reviewers,
        "fit": fit,
        "k": k,
        "conflicts": conflicts,
        "cap": cap,
        "slack": slack,
        "fixed": fixed,
    }


def brute_force(call: dict, caps: dict[str, int]) -> tuple[int, int] | None:
    """(total fit in 1e-4, -sum of squared loads) of the best assignment, None when there is none."""
    fit = np.rint(call["fit"] * 10_000).astype(int)
    fixed = call.get("fixed", set())
    options = [
        [
            tuple(sorted(kept + chosen))
            for chosen in itertools.combinations(
                [
                    j
                    for j, r in enumerate(call["reviewers"])
                    if (r, p) not in call["conflicts"] and (r, p) not in fixed
                ],
                call["k"] - len(kept),
            )
        ]
        for p in call["proposals"]
        for kept in [tuple(j for j, r in enumerate(call["reviewers"]) if (r, p) in fixed)]
    ]
    best = None
    for combo in itertools.product(*options):
        loads = [0] * len(call["reviewers"])
        for chosen in combo:
            for j in chosen:
                loads[j] += 1
        if any(load > caps[r] for load, r in zip(loads, call["reviewers"], strict=True)):
            continue
        value = (
            sum(int(fit[i, j]) for i, chosen in enumerate(combo) for j in chosen),
            -sum(load * load for load in loads),
        )
        best = value if best is None or value > best else best
    return best


def check_valid(call: dict, outcome: AssignmentOutcome, result: ReviewAssignment) -> None:
    """The rules any assignment must keep (a greedy one may leave proposals short: ``missing``)."""
    loads = dict.fromkeys(call["reviewers"], 0)
    for proposal in call["proposals"]:
        chosen = result.reviews[proposal]
        assert len(set(chosen)) == len(chosen)
        assert len(chosen) == call["k"] - result.missing.get(proposal, 0)
        for reviewer in chosen:
            assert (reviewer, proposal) not in call["conflicts"]
            loads[reviewer] += 1
        assert {r for r, p in call.get("fixed", ()) if p == proposal} <= set(chosen)
    assert result.loads == loads
    assert all(loads[r] <= outcome.caps[r] for r in loads)
    assert result.complete == (not result.missing)


@SETTINGS
@given(calls())
def test_the_assignment_equals_brute_force_and_keeps_every_rule(call):
    for solver, first_columns in SOLVERS:
        outcome = assign_reviewers(**call, solver=solver, first_columns=first_columns)
        best = brute_force(call, outcome.caps)
        assert outcome.greedy is not None
        check_valid(call, outcome, outcome.greedy)
        if best is None:
            assert outcome.assignment is None
            assert outcome.problems != ()
            assert {p.code for p in outcome.problems} <= {
                "too_few_reviewers",
                "capacity_too_small",
                "group_short_of_reviewers",
            }
            continue
        assert outcome.problems == ()
        result = outcome.assignment
        assert result is not None
        check_valid(call, outcome, result)
        assert result.complete
        assert (round(result.total_fit * 10_000), -result.squared_loads) == best
        assert (result.optimal, result.bound, result.gap) == (True, result.total_fit, 0.0)
        if outcome.greedy.complete:
            assert outcome.greedy.total_fit <= result.total_fit


@SETTINGS
@given(calls(max_proposals=14, max_reviewers=7, max_k=3))
def test_column_generation_full_lp_and_cpsat_agree_on_larger_calls(call):
    outcomes = [assign_reviewers(**call, solver=s, first_columns=f) for s, f in SOLVERS]
    results = [o.assignment for o in outcomes]
    if results[0] is None:
        assert all(r is None for r in results)
        assert len({tuple(p.code for p in o.problems) for o in outcomes}) == 1
        return
    assert all(r is not None for r in results)
    assert len({(r.total_fit, r.squared_loads, r.optimal) for r in results}) == 1
    for outcome, result in zip(outcomes, results, strict=True):
        check_valid(call, outcome, result)
        assert outcome.greedy is not None
        if outcome.greedy.complete:
            assert outcome.greedy.total_fit <= result.total_fit
