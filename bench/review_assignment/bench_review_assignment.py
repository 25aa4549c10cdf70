"""Reviewer assignment at the size of a large call: 2,000 proposals, 400 reviewers, 3 reviews each, with
conflicts of interest from a generated registry (bench/review_assignment/generate.py).

For each seed and each cap (the balanced ceil(n k / m), then one more): the conflicts found, the optimal
assignment (HiGHS, column generation: solve time, total fit, proven bound and gap, max/min load), the
greedy baseline on the same data (complete or not, total fit; the ratio of the fits when greedy is
complete, and the ratio of the mean fit per review given in any case). Then, on the first seed, the
same LP with every pair from the start (HiGHS, no column generation) and CP-SAT on the same model (at
500 x 100 in the full run: at 2,000 x 400 it holds 4 GB and proves nothing in a minute, see README.md).
Figures over seeds: mean with a 95% t-interval, and the worst case. --quick: 200 x 40, two seeds.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import Counter
from typing import Any

from bench.review_assignment.generate import generate_call
from helix.core.review.assignment import (
    AssignmentOutcome,
    ReviewAssignment,
    assign_reviewers,
    expertise_fit,
    find_conflicts,
)

K = 3
TARGET_SECONDS = 30.0  # the "tens of seconds at most"
FULL = {"proposals": 2000, "reviewers": 400, "seeds": [14, 15, 16, 17, 18], "cpsat": (500, 100)}
QUICK = {"proposals": 200, "reviewers": 40, "seeds": [14, 15], "cpsat": (200, 40)}
CPSAT_SECONDS = 60.0
# two-sided 95% Student t quantiles by degrees of freedom (no scipy in Helix)
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def interval(values: list[float]) -> dict[str, float]:
    mean = statistics.fmean(values)
    half = (
        T95[len(values) - 1] * statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    )
    return {
        "mean": mean,
        "ci95_low": mean - half,
        "ci95_high": mean + half,
        "min": min(values),
        "max": max(values),
    }


def _interval_text(figures: dict[str, float], spec: str) -> str:
    return (
        f"{figures['mean']:{spec}} [95% CI {figures['ci95_low']:{spec}}, {figures['ci95_high']:{spec}}; "
        f"max {figures['max']:{spec}}]"
    )


def _assignment_figures(result: ReviewAssignment) -> dict[str, Any]:
    given = sum(len(r) for r in result.reviews.values())
    return {
        "seconds": round(result.seconds, 3),
        "total_fit": result.total_fit,
        "fit_per_review": result.total_fit / given if given else 0.0,
        "bound": result.bound,
        "gap": result.gap,
        "optimal": result.optimal,
        "complete": result.complete,
        "proposals_short": len(result.missing),
        "max_load": result.max_load,
        "min_load": result.min_load,
        "squared_loads": result.squared_loads,
        "status": result.status,
    }


def _call(n: int, m: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    call = generate_call(n, m, seed=seed)
    fit = expertise_fit(call.proposals, call.reviewers, call.topics, call.expertise)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    conflicts = find_conflicts(
        call.reviewer_organisations,
        call.proposal_organisations,
        call.participations,
        call.declared,
        year=call.year,
    )
    conflict_seconds = time.perf_counter() - started
    reasons = Counter(c.code for reasons in conflicts.values() for c in reasons)
    return {
        "call": call,
        "fit": fit,
        "conflicts": conflicts,
        "figures": {
            "seed": seed,
            "generate_seconds": round(generated, 3),
            "conflict_seconds": round(conflict_seconds, 3),
            "conflict_pairs": len(conflicts),
            "conflict_share": len(conflicts) / (n * m),
            "conflict_reasons": dict(sorted(reasons.items())),
            "mean_fit": float(fit.mean()),
            "pairs_with_fit": float((fit > 0).mean()),
        },
    }


def _run(data: dict[str, Any], slack: int, **options: Any) -> AssignmentOutcome:
    call = data["call"]
    return assign_reviewers(
        call.proposals, call.reviewers, data["fit"], k=K, conflicts=data["conflicts"], slack=slack, **options
    )


def run(quick: bool = False) -> dict[str, Any]:
    size = QUICK if quick else FULL
    n, m = size["proposals"], size["reviewers"]
    print(f"reviewer assignment: {n} proposals x {m} reviewers x {K} reviews, seeds {size['seeds']}")
    print(
        f"{'seed':>4} {'slack':>5} {'conflicts':>9} {'seconds':>7} {'total fit':>9} {'bound':>9} {'gap':>5} "
        f"{'load':>5} {'greedy':>9} {'short':>5} {'vs greedy':>9} {'per review':>10}"
    )
    runs = []
    first: dict[str, Any] | None = None
    for seed in size["seeds"]:
        data = _call(n, m, seed)
        first = first or data
        for slack in (0, 1):
            outcome = _run(data, slack)
            row: dict[str, Any] = {**data["figures"], "slack": slack, "cap": max(outcome.caps.values())}
            if outcome.assignment is None:
                row["problems"] = [p.code for p in outcome.problems]
                runs.append(row)
                print(f"{seed:>4} {slack:>5}  infeasible: {sorted(set(row['problems']))}")
                continue
            assert outcome.greedy is not None
            best, greedy = _assignment_figures(outcome.assignment), _assignment_figures(outcome.greedy)
            row |= {
                "optimiser": best,
                "greedy": greedy,
                "fit_vs_greedy": outcome.fit_vs_greedy,
                "fit_per_review_vs_greedy": best["fit_per_review"] / greedy["fit_per_review"],
            }
            runs.append(row)
            ratio = "-" if outcome.fit_vs_greedy is None else f"{outcome.fit_vs_greedy:.4f}"
            print(
                f"{seed:>4} {slack:>5} {row['conflict_pairs']:>9} {best['seconds']:>7.2f} "
                f"{best['total_fit']:>9.2f} "
                f"{best['bound']:>9.2f} {best['gap']:>5.3f} {best['min_load']:>2}-{best['max_load']:<2} "
                f"{greedy['total_fit']:>9.2f} {greedy['proposals_short']:>5} {ratio:>9} "
                f"{row['fit_per_review_vs_greedy']:>10.4f}",
                flush=True,
            )

    summary: dict[str, Any] = {}
    for slack in (0, 1):
        rows = [r for r in runs if r["slack"] == slack and "optimiser" in r]
        if not rows:
            continue
        ratios = [r["fit_vs_greedy"] for r in rows if r["fit_vs_greedy"] is not None]
        summary[f"slack_{slack}"] = {
            "solve_seconds": interval([r["optimiser"]["seconds"] for r in rows]),
            "total_fit": interval([r["optimiser"]["total_fit"] for r in rows]),
            "max_gap": max(r["optimiser"]["gap"] for r in rows),
            "all_proven_optimal": all(r["optimiser"]["optimal"] for r in rows),
            "greedy_complete": f"{sum(r['greedy']['complete'] for r in rows)} of {len(rows)}",
            "fit_vs_greedy": interval(ratios) if ratios else None,
            "fit_per_review_vs_greedy": interval([r["fit_per_review_vs_greedy"] for r in rows]),
            "max_load": max(r["optimiser"]["max_load"] for r in rows),
            "min_load": min(r["optimiser"]["min_load"] for r in rows),
        }

    assert first is not None
    solvers: dict[str, Any] = {}
    outcome = _run(first, 0, first_columns=None)
    solvers["highs_all_pairs"] = {
        "size": [n, m],
        **(_assignment_figures(outcome.assignment) if outcome.assignment else {}),
    }
    cp_n, cp_m = size["cpsat"]
    small = first if (cp_n, cp_m) == (n, m) else _call(cp_n, cp_m, size["seeds"][0])
    for name, options in (
        ("highs_at_cpsat_size", {}),
        ("cpsat", {"solver": "cpsat", "workers": 2, "time_limit_s": CPSAT_SECONDS}),
    ):
        outcome = _run(small, 0, **options)
        solvers[name] = {
            "size": [cp_n, cp_m],
            **(_assignment_figures(outcome.assignment) if outcome.assignment else {}),
            "problems": [p.code for p in outcome.problems],
        }
    for name, figures in solvers.items():
        print(
            f"{name:>20} at {figures['size'][0]} x {figures['size'][1]}: {figures.get('seconds', '-')} s, "
            f"total fit {figures.get('total_fit', '-')}, gap {figures.get('gap', '-')}, "
            f"{figures.get('status', '')}"
        )

    worst = max(r["optimiser"]["seconds"] for r in runs if "optimiser" in r)
    for name, figures in summary.items():
        seconds, ratio = figures["solve_seconds"], figures["fit_vs_greedy"]
        ratio_text = "-" if ratio is None else _interval_text(ratio, ".4f")
        print(
            f"{name}: solve {_interval_text(seconds, '.2f')} s, fit vs greedy {ratio_text} "
            f"(greedy complete {figures['greedy_complete']}), max gap {figures['max_gap']:.1e}, "
            f"loads {figures['min_load']}-{figures['max_load']}"
        )
    print(f"slowest solve {worst:.2f} s (target {TARGET_SECONDS:.0f} s)")
    return {
        "sizes": {"proposals": n, "reviewers": m, "reviews_per_proposal": K},
        "seeds": size["seeds"],
        "runs": runs,
        "summary": summary,
        "solvers": solvers,
        "target_seconds": TARGET_SECONDS,
        "slowest_solve_seconds": worst,
        "target_met": worst <= TARGET_SECONDS,
    }


if __name__ == "__main__":
    import sys

    run(quick="--quick" in sys.argv)
