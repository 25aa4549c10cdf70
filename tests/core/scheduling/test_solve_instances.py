"""Every shared benchmark instance, for d = 0..3: the solver's answer passes the independent checker and
its objective equals the published optimum (infeasible where the paper proves it). Instances without a
published value (the forbidden-slot, fixed-meeting and precedence variants) must be proven optimal or
infeasible by the solver itself, and their schedules pass the checker."""

from __future__ import annotations

import pytest

from helix.core.scheduling import Mode, Status, check_schedule, read_dzn, solve_schedule
from tests.helpers.shared_data import b2b_instances, published_optima

pytestmark = pytest.mark.unit

INSTANCES = b2b_instances()
OPTIMA = published_optima()
TIME_LIMIT = 120.0

if not INSTANCES:
    pytest.skip(
        "the shared B2B instances (../shared/data/b2b or $HELIX_SHARED_DATA) are not on this machine",
        allow_module_level=True,
    )


@pytest.mark.parametrize("d", [0, 1, 2, 3])
@pytest.mark.parametrize("path", INSTANCES, ids=[p.name.removesuffix(".dzn") for p in INSTANCES])
def test_instance_solved_to_published_optimum(path, d):
    problem = read_dzn(path)
    result = solve_schedule(problem, Mode.ALL, d, time_limit=TIME_LIMIT)
    assert result.status in (Status.OPTIMAL, Status.INFEASIBLE), (
        f"{problem.name} d={d}: not proven within {TIME_LIMIT} s ({result.status}, "
        f"breaks {result.total_breaks}, bound {result.bound})"
    )
    key = (problem.name, d)
    if result.status is Status.INFEASIBLE:
        assert key not in OPTIMA or OPTIMA[key] is None, (
            f"{key}: published optimum {OPTIMA.get(key)}, we say infeasible"
        )
        assert not result.assignment
        return
    report = check_schedule(problem, result.assignment, mode=Mode.ALL, fairness=d)
    assert report.ok, report.violations[:5]
    assert report.total_breaks == result.total_breaks == result.bound
    if key in OPTIMA:
        assert OPTIMA[key] is not None, (
            f"{key}: the paper proves infeasibility, we found {result.total_breaks}"
        )
        assert result.total_breaks == OPTIMA[key]
