"""An independent checker: every hard constraint verified from the problem data alone, and the
objective recomputed. It shares no code with the solvers (only the problem's data classes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from .problem import Mode, Problem


@dataclass
class CheckReport:
    violations: list[str] = field(default_factory=list)
    total_breaks: int = 0
    breaks: list[int] = field(default_factory=list)
    spread: int = 0
    held: int = 0
    weight_held: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations


def check_schedule(
    problem: Problem, assignment: Mapping[int, int], *, mode: Mode = Mode.ALL, fairness: int | None = None
) -> CheckReport:
    """Verify ``assignment`` (meeting index -> slot, 0-based) against every hard constraint."""
    report = CheckReport()
    v = report.violations
    n_m = len(problem.meetings)
    for m, t in assignment.items():
        if not 0 <= m < n_m:
            v.append(f"meeting {m + 1} does not exist (the instance has {n_m})")
        if not 0 <= t < problem.n_slots:
            v.append(f"meeting {m + 1}: slot {t + 1} outside 1..{problem.n_slots}")
    if v:
        return report
    if mode is Mode.ALL:
        for m in range(n_m):
            if m not in assignment:
                pair = f"{problem.meetings[m].a + 1}-{problem.meetings[m].b + 1}"
                v.append(f"meeting {m + 1} ({pair}) is not scheduled")
    # one meeting per participant per slot
    seen: dict[tuple[int, int], int] = {}
    per_slot: Counter[int] = Counter()
    for m, t in sorted(assignment.items()):
        meeting = problem.meetings[m]
        if meeting.needs_table:
            per_slot[t] += 1
        for p in (meeting.a, meeting.b):
            if (p, t) in seen:
                v.append(
                    f"participant {p + 1} has meetings {seen[p, t] + 1} and {m + 1} both in slot {t + 1}"
                )
            else:
                seen[p, t] = m
            if t in problem.forbidden[p]:
                v.append(f"meeting {m + 1}: participant {p + 1} is not available in slot {t + 1}")
        if meeting.slots is not None and t not in meeting.slots:
            v.append(f"meeting {m + 1}: slot {t + 1} is outside its session")
        if meeting.fixed is not None and t != meeting.fixed:
            v.append(f"meeting {m + 1}: fixed to slot {meeting.fixed + 1}, scheduled in slot {t + 1}")
        for before in meeting.after:
            if before in assignment and assignment[before] >= t:
                v.append(
                    f"meeting {before + 1} must come before meeting {m + 1} "
                    f"(slots {assignment[before] + 1} and {t + 1})"
                )
            elif before not in assignment and mode is Mode.MAX:
                v.append(
                    f"meeting {m + 1} is held but meeting {before + 1}, which must come before it, is not"
                )
    held_by: Counter[int] = Counter()
    for m in assignment:
        held_by[problem.meetings[m].a] += 1
        held_by[problem.meetings[m].b] += 1
    for p, limit in enumerate(problem.max_meetings):
        if limit is not None and held_by[p] > limit:
            v.append(f"participant {p + 1}: {held_by[p]} meetings, more than the {limit} it accepts")
    for t, count in sorted(per_slot.items()):
        if count > problem.tables[t]:
            v.append(f"slot {t + 1}: {count} meetings at {problem.tables[t]} tables")
    # objective, recomputed here on purpose (not imported from the solvers' module)
    slots_of: list[list[int]] = [[] for _ in range(problem.n_participants)]
    for m, t in assignment.items():
        slots_of[problem.meetings[m].a].append(t)
        slots_of[problem.meetings[m].b].append(t)
    breaks = []
    for used in slots_of:
        ordered = sorted(used)
        breaks.append(sum(1 for i in range(1, len(ordered)) if ordered[i] - ordered[i - 1] > 1))
    report.breaks = breaks
    report.total_breaks = sum(breaks)
    busy = [breaks[p] for p in range(problem.n_participants) if slots_of[p]]
    report.spread = max(busy) - min(busy) if busy else 0
    if fairness is not None and report.spread > fairness:
        v.append(f"fairness: breaks per participant range over {report.spread} > d = {fairness}")
    report.held = len(assignment)
    report.weight_held = sum(problem.meetings[m].priority for m in assignment)
    return report
