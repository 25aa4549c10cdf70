"""Speed-dating: host tables (cities presenting a project) and visitors (companies) rotating past them in
rounds. Each visitor meets the hosts it chose or was matched with, as many as the rounds allow, the
higher priorities first; hosts keep their own table all day."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from .problem import InvalidProblem, Meeting, Mode, Problem, Result
from .solve import solve_schedule
from .tables import assign_tables


@dataclass
class SpeedDatingPlan:
    problem: Problem
    result: Result
    home: dict[int, int]  # host participant -> table
    rounds: dict[tuple[int, int], int] = field(default_factory=dict)  # (visitor, host) -> round
    unmet: list[tuple[int, int]] = field(default_factory=list)
    tables: dict[int, int] = field(default_factory=dict)  # meeting -> table


def plan_speed_dating(
    n_hosts: int,
    n_visitors: int,
    wishes: Sequence[tuple[int, int, int]],
    n_rounds: int,
    *,
    unavailable: Mapping[int, Collection[int]] | None = None,
    time_limit: float = 30.0,
) -> SpeedDatingPlan:
    """Participants are numbered hosts 0..H-1, then visitors H..H+V-1. ``wishes``: (visitor, host,
    priority) with visitor and host in those ranges. ``unavailable``: participant -> rounds it misses."""
    if n_hosts < 1 or n_visitors < 0 or n_rounds < 1:
        raise InvalidProblem("a speed-dating session needs at least one host table and one round")
    n = n_hosts + n_visitors
    seen: set[tuple[int, int]] = set()
    meetings: list[Meeting] = []
    for row, (visitor, host, priority) in enumerate(wishes, start=1):
        if not 0 <= host < n_hosts:
            raise InvalidProblem(f"wish {row}: host {host} is not a host table (0..{n_hosts - 1})")
        if not n_hosts <= visitor < n:
            raise InvalidProblem(f"wish {row}: visitor {visitor} is not a visitor ({n_hosts}..{n - 1})")
        if (visitor, host) in seen:
            continue
        seen.add((visitor, host))
        meetings.append(Meeting(host, visitor, priority=max(1, priority)))
    forbidden = []
    for p in range(n):
        rounds = set((unavailable or {}).get(p, ()))
        bad = [r for r in rounds if not 0 <= r < n_rounds]
        if bad:
            raise InvalidProblem(f"participant {p}: round {bad[0]} is outside 0..{n_rounds - 1}")
        forbidden.append(frozenset(rounds))
    # one table per host; a visitor sits at the host's table, so tables never bind beyond the hosts
    problem = Problem(
        n,
        n_rounds,
        tuple(n_hosts for _ in range(n_rounds)),
        tuple(meetings),
        tuple(forbidden),
        None,
        "speed-dating",
    )
    result = solve_schedule(problem, Mode.MAX, None, time_limit=time_limit)
    home = {h: h for h in range(n_hosts)}
    plan = SpeedDatingPlan(problem, result, home)
    for m, meeting in enumerate(meetings):
        key = (meeting.b, meeting.a)
        if m in result.assignment:
            plan.rounds[key] = result.assignment[m]
        else:
            plan.unmet.append(key)
    plan.tables = assign_tables(problem, result.assignment, home=home)
    return plan
