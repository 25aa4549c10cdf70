"""The B2B meeting scheduling problem as plain data, and its objective.

Slots are numbered 0 .. n_slots-1 through the day (morning slots first). A meeting between two
participants takes one slot at one table. A participant's *break* is a maximal run of idle slots between
two of its meetings; idle time before the first or after the last meeting is no break. The readers
(`dzn`) and the Django app build a :class:`Problem`; every solver returns a :class:`Result`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise


class Mode(enum.StrEnum):
    """What the optimiser is asked for."""

    #: every meeting must be held; minimise the total number of breaks (fairness bound d).
    ALL = "all"
    #: more requests than time: maximise the priority-weighted meetings held, then minimise breaks.
    MAX = "max"


class Status(enum.StrEnum):
    OPTIMAL = "optimal"  # proven optimal
    FEASIBLE = "feasible"  # a schedule, not proven optimal (see Result.bound)
    INFEASIBLE = "infeasible"  # proven: no schedule satisfies the hard constraints
    UNKNOWN = "unknown"  # no schedule found in the time given, no proof either


class InvalidProblem(ValueError):
    """The problem data contradicts itself; the message names the field and the row."""


@dataclass(frozen=True, slots=True)
class Meeting:
    """A meeting between participants ``a`` and ``b`` (0-based indices).

    ``slots``: the slots it may take (its session); None = any slot. ``fixed``: the organiser's slot.
    ``after``: meetings (0-based indices) that must be held in an earlier slot. ``priority``: weight in
    :attr:`Mode.MAX` (a meeting of priority 3 is worth three of priority 1).
    """

    a: int
    b: int
    slots: frozenset[int] | None = None
    fixed: int | None = None
    after: tuple[int, ...] = ()
    priority: int = 1
    #: False for an online meeting, which takes no table.
    needs_table: bool = True


@dataclass(frozen=True, slots=True)
class Problem:
    n_participants: int
    n_slots: int
    #: meetings that may run at once in each slot (the number of tables), one entry per slot.
    tables: tuple[int, ...]
    meetings: tuple[Meeting, ...]
    #: slots a participant cannot meet in, one set per participant.
    forbidden: tuple[frozenset[int], ...] = ()
    #: slots where the morning ends (for display and the session sets); breaks count across it.
    n_morning_slots: int | None = None
    name: str = ""
    #: most meetings a participant accepts to hold (None = no limit), one entry per participant.
    max_meetings: tuple[int | None, ...] = ()

    def __post_init__(self) -> None:
        if not self.forbidden:
            object.__setattr__(self, "forbidden", tuple(frozenset() for _ in range(self.n_participants)))
        if not self.max_meetings:
            object.__setattr__(self, "max_meetings", tuple(None for _ in range(self.n_participants)))
        validate(self)

    # -- derived data ------------------------------------------------------------------------------
    def allowed_slots(self, m: int) -> list[int]:
        """The slots meeting ``m`` may take: its session, neither participant forbidden, its fixed slot."""
        meeting = self.meetings[m]
        if meeting.fixed is not None:
            return [meeting.fixed]
        base = range(self.n_slots) if meeting.slots is None else sorted(meeting.slots)
        blocked = self.forbidden[meeting.a] | self.forbidden[meeting.b]
        return [t for t in base if t not in blocked and (self.tables[t] > 0 or not meeting.needs_table)]

    def meetings_of(self) -> list[list[int]]:
        """For each participant, the indices of its meetings."""
        out: list[list[int]] = [[] for _ in range(self.n_participants)]
        for i, meeting in enumerate(self.meetings):
            out[meeting.a].append(i)
            out[meeting.b].append(i)
        return out

    def with_meetings(self, meetings: Sequence[Meeting]) -> Problem:
        return Problem(
            self.n_participants,
            self.n_slots,
            self.tables,
            tuple(meetings),
            self.forbidden,
            self.n_morning_slots,
            self.name,
            self.max_meetings,
        )


def uniform_tables(n_slots: int, n_tables: int) -> tuple[int, ...]:
    return tuple(n_tables for _ in range(n_slots))


def validate(problem: Problem) -> None:
    """Raise :class:`InvalidProblem` naming the field and row of the first contradiction found."""
    n, s = problem.n_participants, problem.n_slots
    if n < 0 or s < 0:
        raise InvalidProblem("n_participants and n_slots must not be negative")
    if len(problem.tables) != s:
        raise InvalidProblem(f"tables: {len(problem.tables)} entries for {s} slots")
    if any(t < 0 for t in problem.tables):
        raise InvalidProblem("tables: a slot has a negative number of tables")
    if len(problem.forbidden) != n:
        raise InvalidProblem(f"forbidden: {len(problem.forbidden)} entries for {n} participants")
    for p, slots in enumerate(problem.forbidden):
        bad = [t for t in slots if not 0 <= t < s]
        if bad:
            raise InvalidProblem(f"forbidden, participant {p + 1}: slot {bad[0] + 1} is outside 1..{s}")
    if len(problem.max_meetings) != n:
        raise InvalidProblem(f"max_meetings: {len(problem.max_meetings)} entries for {n} participants")
    for p, limit in enumerate(problem.max_meetings):
        if limit is not None and limit < 0:
            raise InvalidProblem(f"max_meetings, participant {p + 1}: negative limit")
    seen: dict[tuple[int, int], int] = {}
    for i, m in enumerate(problem.meetings):
        row = f"meeting {i + 1}"
        if not (0 <= m.a < n and 0 <= m.b < n):
            raise InvalidProblem(f"{row}: participant outside 1..{n}")
        if m.a == m.b:
            raise InvalidProblem(f"{row}: participant {m.a + 1} cannot meet itself")
        if m.slots is not None and any(not 0 <= t < s for t in m.slots):
            raise InvalidProblem(f"{row}: session slot outside 1..{s}")
        if m.fixed is not None and not 0 <= m.fixed < s:
            raise InvalidProblem(f"{row}: fixed slot {m.fixed + 1} outside 1..{s}")
        if m.priority < 0:
            raise InvalidProblem(f"{row}: negative priority")
        for j in m.after:
            if not 0 <= j < len(problem.meetings) or j == i:
                raise InvalidProblem(f"{row}: precedence names meeting {j + 1}, which does not exist")
        key = (min(m.a, m.b), max(m.a, m.b))
        if key in seen:
            # Two requests for the same pair are legal (a second meeting), but say so in the data.
            pass
        seen[key] = i
    _check_precedence_cycles(problem)


def _check_precedence_cycles(problem: Problem) -> None:
    state = [0] * len(problem.meetings)  # 0 new, 1 on stack, 2 done
    for root in range(len(problem.meetings)):
        if state[root]:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, k = stack[-1]
            after = problem.meetings[node].after
            if k < len(after):
                stack[-1] = (node, k + 1)
                nxt = after[k]
                if state[nxt] == 1:
                    raise InvalidProblem(f"meeting {nxt + 1}: precedences form a cycle")
                if state[nxt] == 0:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()


# -- schedules and their objective -----------------------------------------------------------------------


def breaks_of(slots: Iterable[int]) -> int:
    """Breaks in one participant's day: maximal idle runs between two of its meetings."""
    used = sorted(set(slots))
    return sum(1 for x, y in pairwise(used) if y > x + 1)


def participant_breaks(problem: Problem, assignment: Mapping[int, int]) -> list[int]:
    """Breaks per participant for ``assignment`` (meeting index -> slot; unscheduled meetings absent)."""
    used: list[list[int]] = [[] for _ in range(problem.n_participants)]
    for m, t in assignment.items():
        meeting = problem.meetings[m]
        used[meeting.a].append(t)
        used[meeting.b].append(t)
    return [breaks_of(u) for u in used]


def fairness_spread(problem: Problem, assignment: Mapping[int, int]) -> int:
    """Largest minus smallest number of breaks among participants with at least one meeting."""
    breaks = participant_breaks(problem, assignment)
    busy = {p for m in assignment for p in (problem.meetings[m].a, problem.meetings[m].b)}
    values = [breaks[p] for p in busy]
    return max(values) - min(values) if values else 0


@dataclass(slots=True)
class Result:
    """A solver's answer: ``assignment`` maps meeting index -> slot (absent = not held)."""

    status: Status
    assignment: dict[int, int] = field(default_factory=dict)
    total_breaks: int | None = None
    #: proven lower bound on total breaks (Mode.ALL) — equal to total_breaks when optimal.
    bound: int | None = None
    #: Mode.MAX: priority-weighted meetings held, and its proven upper bound.
    weight_held: int | None = None
    weight_bound: int | None = None
    seconds: float = 0.0
    solver: str = ""
    #: re-scheduling: meetings whose slot differs from the previous schedule.
    moved: int | None = None
    log: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 = proven optimal)."""
        if self.weight_held is not None and self.weight_bound:
            return (self.weight_bound - self.weight_held) / self.weight_bound
        if self.total_breaks is None or self.bound is None:
            return None
        return 0.0 if self.total_breaks == 0 else (self.total_breaks - self.bound) / self.total_breaks
