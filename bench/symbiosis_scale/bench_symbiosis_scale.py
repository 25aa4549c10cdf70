"""Symbiosis at regional scale: 10,000 flows over 2,000 sites (bench/symbiosis_scale/generate.py).

Figures: matching time (every have against every want of its kind within reach, hard rules, evidence,
distance, cost, impact; top 10 proposals per have), allocation time, and the allocation's net cost
(negative = money saved a year) from three methods in the same run:

* greedy nearest-match: the baseline (each have fills its nearest wants that save money);
* the linear programme (HiGHS): the proven optimum when exchanges carry no fixed cost;
* with a fixed cost per exchange link (contracts, set-up: EUR 5,000 a year), a mixed-integer programme
  (SCIP) with its proven bound, against greedy under the same fixed cost.

Ratios: greedy's savings as a share of the optimum's; the MIP's gap to its bound.
"""

from __future__ import annotations

import resource
import time
from typing import Any

from bench.symbiosis_scale.generate import generate_region
from helix.core.matching.embedding import HashingEncoder
from helix.core.symbiosis import Factors, allocate, check_allocation, greedy_nearest, match

FIXED_COST = 5_000.0


def run(quick: bool = False) -> dict[str, Any]:
    n_flows, n_sites = (2_000, 400) if quick else (10_000, 2_000)
    flows = generate_region(n_flows, n_sites)
    quantities = {f.id: f.per_year for f in flows}
    print(f"{n_flows} flows over {n_sites} sites")
    started = time.perf_counter()
    result = match(flows, factors=Factors(), encoder=HashingEncoder())
    match_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    proposals = result.proposals
    print(
        f"matching: {match_s:.1f} s, {result.pairs_considered:,} pairs considered, "
        f"{len(proposals):,} proposals, process peak RSS {peak / 2**20:.0f} MiB"
    )
    greedy = greedy_nearest(proposals, quantities, quantities)
    optimal = allocate(proposals, quantities, quantities)
    for allocation in (greedy, optimal):
        problems = check_allocation(allocation, proposals, quantities, quantities)
        assert not problems, problems[:3]
    share = greedy.cost_eur / optimal.cost_eur if optimal.cost_eur else 1.0
    print(f"{'method':20s} {'net cost EUR/yr':>16s} {'proven bound':>16s} {'links':>6s} {'seconds':>8s}")
    for a in (greedy, optimal):
        bound = f"{a.bound_eur:16,.0f}" if a.bound_eur is not None else f"{'-':>16s}"
        print(f"{a.method:20s} {a.cost_eur:16,.0f} {bound} {len(a.assignments):6d} {a.seconds:8.2f}")
    print(f"greedy saves {share:.1%} of what the proven optimum saves")
    impact = optimal.impact
    print(
        f"optimum's impact: {impact.tonnes_diverted:,.0f} t diverted, {impact.co2e_avoided_t:,.0f} t CO2e "
        f"avoided, EUR {impact.money_saved_eur:,.0f} saved, {impact.energy_mwh:,.0f} MWh heat a year"
    )
    greedy_fixed = greedy_nearest(proposals, quantities, quantities, fixed_cost_per_link=FIXED_COST)
    mip = allocate(
        proposals, quantities, quantities, fixed_cost_per_link=FIXED_COST, time_limit_s=30 if quick else 120
    )
    assert not check_allocation(mip, proposals, quantities, quantities)
    gap = mip.gap or 0.0
    bound = mip.bound_eur or 0.0
    print(
        f"with EUR {FIXED_COST:,.0f}/yr per link: greedy {greedy_fixed.cost_eur:,.0f}, "
        f"MIP {mip.cost_eur:,.0f} "
        f"({mip.status}, bound {bound:,.0f}, gap {gap:.3%}) in {mip.seconds:.1f} s; greedy saves "
        f"{greedy_fixed.cost_eur / mip.cost_eur if mip.cost_eur else 1.0:.1%} of the MIP's savings"
    )
    return {
        "flows": n_flows,
        "sites": n_sites,
        "match_seconds": round(match_s, 2),
        "pairs_considered": result.pairs_considered,
        "proposals": len(proposals),
        "match_peak_mib": round(peak / 2**20, 1),
        "greedy_cost_eur": round(greedy.cost_eur),
        "optimal_cost_eur": round(optimal.cost_eur),
        "optimal_bound_eur": optimal.bound_eur,
        "optimal_status": optimal.status,
        "allocation_seconds": round(optimal.seconds, 2),
        "greedy_share_of_optimum": round(share, 4),
        "impact": impact.as_dict(),
        "fixed_cost_eur": FIXED_COST,
        "greedy_fixed_cost_eur": round(greedy_fixed.cost_eur),
        "mip_cost_eur": round(mip.cost_eur),
        "mip_bound_eur": mip.bound_eur,
        "mip_gap": gap,
        "mip_status": mip.status,
        "mip_seconds": round(mip.seconds, 1),
    }
