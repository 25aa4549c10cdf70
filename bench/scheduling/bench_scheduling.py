"""B2B meeting scheduling: how fast the optimiser proves the published instances, and how many meetings
it holds on a large generated event against the greedy baseline and an upper bound.

Part 1 — the shared benchmark instances (Bofill et al., JAIR 74, 2022; ../shared/data/b2b), every
instance for fairness d = 0..3: status, total breaks, proven bound, seconds to the proof, the published
optimum where one is listed, and the greedy baseline's breaks (where greedy places every meeting).
Target: each proven optimal (or infeasible) in 30 s or less on this 2-core machine.

Part 2 — a generated brokerage day (bench/scheduling/generate.py): 1,000 participants, 10,000 requests,
24 slots, 300 tables, popular participants asked far more often than there are slots. Meetings held
(priority-weighted) by the optimiser vs the greedy baseline vs the b-matching LP upper bound, and time.
Target: within 120 s at >= 99% of the upper bound.
"""

from __future__ import annotations

import os
import time
from typing import Any

from bench.scheduling.generate import generate_event
from helix.core.scheduling import Mode, Status, check_schedule, greedy_schedule, read_dzn, solve_schedule
from helix.core.scheduling.maximise import upper_bound
from tests.helpers.shared_data import b2b_instances, published_optima

TARGET_SECONDS = 30.0
LARGE_TARGET_SECONDS = 120.0


def shared_instances(quick: bool) -> dict[str, Any]:
    paths = b2b_instances()
    if not paths:
        print("shared instances: skipped (../shared/data/b2b not found)")
        return {"skipped": "../shared/data/b2b not found"}
    optima = published_optima()
    rows = []
    cases = [(p, d) for p in paths for d in (0, 1, 2, 3)]
    if quick:
        cases = [(p, 2) for p in paths if p.name in ("forum-14.original.dzn", "tic-13crafc.original.dzn")]
    print(
        f"{'instance':28s} {'d':>2s} {'status':10s} {'breaks':>6s} {'bound':>5s} {'published':>9s} "
        f"{'greedy':>6s} {'seconds':>8s}"
    )
    for path, d in cases:
        problem = read_dzn(path)
        greedy = greedy_schedule(problem, Mode.ALL)
        # the baseline: greedy's breaks when it places every meeting (it knows no fairness bound)
        greedy_ok = len(greedy.assignment) == len(problem.meetings)
        result = solve_schedule(problem, Mode.ALL, d, time_limit=60.0)
        valid = (
            result.status is Status.INFEASIBLE or check_schedule(problem, result.assignment, fairness=d).ok
        )
        published = optima.get((problem.name, d), "-")
        published_text = "UNSAT" if published is None else str(published)
        expected = result.total_breaks if result.status is Status.OPTIMAL else None
        agrees = (
            published == "-"
            or (published is None and result.status is Status.INFEASIBLE)
            or published == expected
        )
        row = {
            "instance": problem.name,
            "d": d,
            "status": result.status.value,
            "total_breaks": result.total_breaks,
            "bound": result.bound,
            "published": published_text,
            "greedy_breaks": greedy.total_breaks if greedy_ok else None,
            "seconds": round(result.seconds, 2),
            "valid": valid,
            "agrees_with_published": agrees,
        }
        rows.append(row)
        breaks = "-" if result.total_breaks is None else result.total_breaks
        bound_text = "-" if result.bound is None else result.bound
        print(
            f"{problem.name:28s} {d:2d} {row['status']:10s} {breaks:>6} {bound_text:>5} {published_text:>9s} "
            f"{row['greedy_breaks'] if row['greedy_breaks'] is not None else 'n/a':>6} {result.seconds:8.2f}"
            f"{'' if valid and agrees else '  <-- WRONG'}",
            flush=True,
        )
    proven = [r for r in rows if r["status"] in ("optimal", "infeasible")]
    worst = max((r["seconds"] for r in rows), default=0.0)
    summary = {
        "cases": len(rows),
        "proven": len(proven),
        "all_valid": all(r["valid"] for r in rows),
        "all_agree": all(r["agrees_with_published"] for r in rows),
        "worst_seconds": worst,
        "within_target": len(proven) == len(rows) and all(r["seconds"] <= TARGET_SECONDS for r in rows),
    }
    print(
        f"proven {len(proven)}/{len(rows)}; slowest {worst:.1f} s (target {TARGET_SECONDS:.0f} s); "
        f"all valid {summary['all_valid']}; all agree with the published optima {summary['all_agree']}"
    )
    return {"rows": rows, "summary": summary}


def large_event(quick: bool) -> dict[str, Any]:
    size = (
        {"n_participants": 100, "n_requests": 1_000, "n_slots": 24, "n_tables": 30}
        if quick
        else {"n_participants": 1_000, "n_requests": 10_000, "n_slots": 24, "n_tables": 300}
    )
    problem = generate_event(**size)
    greedy = greedy_schedule(problem, Mode.MAX)
    started = time.perf_counter()
    bound = upper_bound(problem)
    bound_seconds = time.perf_counter() - started
    result = solve_schedule(problem, Mode.MAX, time_limit=20.0 if quick else LARGE_TARGET_SECONDS)
    report = check_schedule(problem, result.assignment, mode=Mode.MAX)
    total_weight = sum(m.priority for m in problem.meetings)
    out = {
        **size,
        "requests_weight": total_weight,
        "upper_bound": bound,
        "bound_seconds": round(bound_seconds, 2),
        "greedy_weight": greedy.weight_held,
        "greedy_meetings": len(greedy.assignment),
        "greedy_seconds": round(greedy.seconds, 2),
        "optimiser_weight": result.weight_held,
        "optimiser_meetings": len(result.assignment),
        "optimiser_seconds": round(result.seconds, 2),
        "optimiser": result.solver,
        "optimiser_breaks": result.total_breaks,
        "valid": report.ok,
        "optimiser_vs_bound": round((result.weight_held or 0) / bound, 4) if bound else None,
        "greedy_vs_bound": round((greedy.weight_held or 0) / bound, 4) if bound else None,
        "optimiser_vs_greedy": round((result.weight_held or 0) / (greedy.weight_held or 1), 4),
    }
    print(
        f"event {size['n_participants']} participants, {size['n_requests']} requests "
        f"(weight {total_weight}), {size['n_slots']} slots, {size['n_tables']} tables"
    )
    print(f"  upper bound (b-matching LP) {bound} in {bound_seconds:.1f} s")
    print(
        f"  greedy     {greedy.weight_held} ({out['greedy_vs_bound']:.2%} of bound) in {greedy.seconds:.2f} s"
    )
    print(
        f"  optimiser  {result.weight_held} ({out['optimiser_vs_bound']:.2%} of bound, "
        f"{out['optimiser_vs_greedy']:.3f} x greedy) in {result.seconds:.1f} s; valid {report.ok}; "
        f"{result.total_breaks} breaks"
    )
    return out


def run(quick: bool = False) -> dict[str, Any]:
    return {
        "shared_instances": shared_instances(quick),
        "large_event": large_event(quick),
        "machine_cores": len(os.sched_getaffinity(0)),
    }
