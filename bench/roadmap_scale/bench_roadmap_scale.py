"""Roadmap scale: validation, the critical path and a three-month what-if slip on a generated roadmap.

Data: ``generate.generate_roadmap`` (seeded): 10,000 items (``--quick``: 1,000) on 10 tracks, 50
participants, about two dependencies per item, layered so there is no cycle (see generate.py).

Measured, each the median of a few runs (5; quick: 3) in this process:

- ``plan``: :func:`helix.core.roadmaps.schedule.plan`, the critical path method (Kahn's topological
  order, one forward and one backward pass, slack, critical paths);
- ``validate``: :func:`helix.core.roadmaps.validation.validate`, every rule (it plans the roadmap too);
- ``slip``: :func:`helix.core.roadmaps.whatif.slip` of the first item of the roadmap, finishing
  91 days late (two plans and their comparison);
- the same-run baseline: a naive critical path (Bellman-Ford style: sweep every dependency, raising
  early starts, until nothing moves; then the same backwards for late finishes), on the same roadmap,
  timed once. Its early and late dates must equal ``plan``'s (``naive_agrees``).

Times are printed in seconds and as ratios to the naive baseline, which compare across machines. The
target: the critical path of 10,000 items and ~20,000 dependencies in well under a second.

    python -m bench --only roadmap_scale [--quick]
    python -m bench.roadmap_scale.bench_roadmap_scale [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.roadmap_scale.generate import generate_roadmap
from helix.core.roadmaps.model import DependencyKind, Roadmap
from helix.core.roadmaps.schedule import plan
from helix.core.roadmaps.validation import validate
from helix.core.roadmaps.whatif import THREE_MONTHS, slip

FULL_ITEMS = 10_000
QUICK_ITEMS = 1_000
SEED = 20260101
TARGET_PLAN_SECONDS = 1.0


def naive_cpm(roadmap: Roadmap) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Early starts and late finishes by repeated relaxation over all dependencies (no topological order):
    the least and greatest fixpoints. Returns (early starts, late finishes, end, sweeps)."""
    duration = {it.key: max(0, it.duration_days) for it in roadmap.items}
    es = {
        it.key: max(0, (it.planned_start - roadmap.start).days) if it.planned_start else 0
        for it in roadmap.items
    }
    links = [
        (d.predecessor, d.successor, d.kind == DependencyKind.FINISH_TO_START, d.lag_days)
        for d in roadmap.dependencies
    ]
    sweeps = 0
    changed = True
    while changed:
        changed = False
        sweeps += 1
        for p, s, fs, lag in links:
            bound = es[p] + (duration[p] if fs else 0) + lag
            if bound > es[s]:
                es[s] = bound
                changed = True
    end = max((es[k] + duration[k] for k in es), default=0)
    lf = dict.fromkeys(es, end)
    changed = True
    while changed:
        changed = False
        sweeps += 1
        for p, s, fs, lag in links:
            late_start = lf[s] - duration[s]
            bound = late_start - lag if fs else late_start - lag + duration[p]
            if bound < lf[p]:
                lf[p] = bound
                changed = True
    return es, lf, end, sweeps


def _median_seconds(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(quick: bool = False, items: int | None = None) -> dict[str, Any]:
    size = items or (QUICK_ITEMS if quick else FULL_ITEMS)
    repeats = 3 if quick else 5
    started = time.perf_counter()
    roadmap = generate_roadmap(size, seed=SEED)
    generated = time.perf_counter() - started
    print(
        f"roadmap_scale: {len(roadmap.items):,} items, {len(roadmap.dependencies):,} dependencies, "
        f"{len(roadmap.tracks)} tracks, {len(roadmap.participants)} participants "
        f"(generated in {generated:.2f} s); "
        f"median of {repeats} runs",
        flush=True,
    )

    started = time.perf_counter()
    naive_es, naive_lf, naive_end, sweeps = naive_cpm(roadmap)
    naive = time.perf_counter() - started

    result = plan(roadmap)
    agrees = (
        naive_end == result.end
        and all(result[k].early_start == v for k, v in naive_es.items())
        and all(result[k].late_finish == v for k, v in naive_lf.items())
    )
    first = roadmap.items[0].key  # an early item: every later one may depend on it, through others
    impact = slip(roadmap, first, THREE_MONTHS)
    problems = validate(roadmap)

    seconds = {
        "naive_cpm": naive,
        "plan": _median_seconds(lambda: plan(roadmap), repeats),
        "validate": _median_seconds(lambda: validate(roadmap), repeats),
        "slip": _median_seconds(lambda: slip(roadmap, first, THREE_MONTHS), repeats),
    }
    ratios = {name: value / naive for name, value in seconds.items()}
    print(f"  naive critical path ({sweeps} sweeps over all dependencies): {naive:.3f} s = 1 (baseline)")
    for name, label in (
        ("plan", "critical path (plan)"),
        ("validate", "validation (every rule)"),
        ("slip", f"what-if: {first} finishes {THREE_MONTHS} days late"),
    ):
        print(f"  {label}: {seconds[name]:.3f} s = {ratios[name]:.3f} x naive")
    print(
        f"  plan: end day {result.end}, {len(result.critical)} critical items, {len(result.critical_paths)} "
        f"critical path(s); naive agrees: {agrees}; target plan < {TARGET_PLAN_SECONDS:.0f} s: "
        f"{seconds['plan'] < TARGET_PLAN_SECONDS}"
    )
    print(
        f"  slip: {len(impact.moves):,} items move, the end by {impact.end_shift} days, "
        f"{len(impact.participants)} participants"
    )
    codes = Counter(p.code for p in problems)
    print("  problems: " + ", ".join(f"{code} {count}" for code, count in sorted(codes.items())))
    return {
        "sizes": {
            "items": len(roadmap.items),
            "dependencies": len(roadmap.dependencies),
            "tracks": len(roadmap.tracks),
            "participants": len(roadmap.participants),
        },
        "seed": SEED,
        "repeats": repeats,
        "seconds": seconds,
        "ratios_to_naive": ratios,
        "naive_sweeps": sweeps,
        "naive_agrees": agrees,
        "target_plan_seconds": TARGET_PLAN_SECONDS,
        "plan_within_target": seconds["plan"] < TARGET_PLAN_SECONDS,
        "plan": {
            "end_days": result.end,
            "critical_items": len(result.critical),
            "critical_paths": len(result.critical_paths),
        },
        "slip": {
            "item": first,
            "days": THREE_MONTHS,
            "moved": len(impact.moves),
            "end_shift": impact.end_shift,
            "participants": len(impact.participants),
        },
        "problems": dict(sorted(codes.items())),
        "machine_cores": len(os.sched_getaffinity(0)),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--items", type=int, default=None)
    args = parser.parse_args()
    print(json.dumps(run(quick=args.quick, items=args.items), indent=2))
