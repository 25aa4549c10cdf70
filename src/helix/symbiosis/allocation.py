"""Allocation runs: the region's haves allocated to its wants at least total cost by a solver
(helix.core.symbiosis.allocate by default), compared with greedy nearest-match; the run keeps the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helix.core.symbiosis import Allocation, allocate, greedy_nearest
from helix.jobs.progress import Progress, no_progress
from helix.pagecache import data_changed_on_commit
from helix.registry.permissions import may
from helix.symbiosis.convert import allocation_dict
from helix.symbiosis.matching import compute_proposals, region_label
from helix.symbiosis.models import AllocationRun, Synergy, SynergyState
from helix.symbiosis.validation import in_range, number_range_text

# A solver: (proposals, supplies, demands, fixed_cost_per_link=, time_limit_s=) -> Allocation, as
# helix.core.symbiosis.allocate; tests pass a fake one.
Solver = Callable[..., Allocation]


def run_allocation(
    run_id: int, progress: Progress = no_progress, solve: Solver | None = None
) -> dict[str, Any]:
    """Allocate a region with ``solve`` (the optimal solver by default); the run keeps the result. A failed
    solve raises, earlier runs stay as they were."""
    solve = solve or allocate
    run = AllocationRun.objects.get(pk=run_id)
    proposals, flows = compute_proposals(run.region or None, progress)
    # A pair its parties dropped is not proposed to them again by the network either.
    dropped = {
        (str(h), str(w))
        for h, w in Synergy.objects.filter(state=SynergyState.DROPPED).values_list("have_id", "want_id")
    }
    proposals = [p for p in proposals if (p.have, p.want) not in dropped]
    quantities = {f.id: f.per_year for f in flows}
    progress(0, 1, _("solving the allocation"))
    greedy = greedy_nearest(proposals, quantities, quantities, fixed_cost_per_link=run.fixed_cost_per_link)
    optimal = solve(
        proposals, quantities, quantities, fixed_cost_per_link=run.fixed_cost_per_link, time_limit_s=120
    )
    result = {
        "region": run.region,
        "flows": len(flows),
        "proposals": len(proposals),
        "optimal": allocation_dict(optimal),
        "greedy": allocation_dict(greedy),
        "greedy_share": (greedy.cost_eur / optimal.cost_eur) if optimal.cost_eur else 1.0,
    }
    AllocationRun.objects.filter(pk=run.pk).update(result=result)
    data_changed_on_commit()
    return result


def allocate_now(
    user: Any,
    region: str = "",
    fixed_cost_per_link: float = 0.0,
    progress: Progress = no_progress,
    solve: Solver | None = None,
) -> AllocationRun:
    """Staff allocate a region in this process (the CLI) with ``solve`` (:func:`run_allocation`); a
    failed solve leaves no run behind."""
    if not may(user, "start", AllocationRun):
        raise PermissionDenied(_("Only cluster staff run the allocation."))
    with transaction.atomic():
        run = AllocationRun.objects.create(
            region=region, fixed_cost_per_link=fixed_cost_per_link, created_by=user
        )
        run_allocation(run.pk, progress, solve)
    run.refresh_from_db()
    return run


def start_allocation(user: Any, region: str = "", fixed_cost_per_link: float = 0.0) -> AllocationRun:
    from helix.jobs.services import create_job
    from helix.symbiosis.tasks import allocate_region

    if not may(user, "start", AllocationRun):
        raise PermissionDenied
    if not in_range(fixed_cost_per_link):
        raise ValidationError({"fixed_cost_per_link": number_range_text(0)})
    if fixed_cost_per_link < 0:
        raise ValidationError({"fixed_cost_per_link": _("Cannot be negative.")})
    job = create_job(
        "symbiosis-allocate",
        _("Symbiosis allocation %(region)s") % {"region": region_label(region)},
        user,
    )
    run = AllocationRun.objects.create(
        region=region, fixed_cost_per_link=fixed_cost_per_link, job=job, created_by=user
    )
    transaction.on_commit(lambda: allocate_region.enqueue(run.pk))
    return run
