"""Which table each scheduled meeting takes. A participant with consecutive meetings stays at its table
where it can (fewer walks across the hall); a speed-dating host never leaves its own table."""

from __future__ import annotations

from collections.abc import Mapping

from .problem import InvalidProblem, Problem


def assign_tables(
    problem: Problem, assignment: Mapping[int, int], *, home: Mapping[int, int] | None = None
) -> dict[int, int]:
    """meeting -> table index (0 .. tables[slot]-1); online meetings (needs_table False) get none.

    ``home``: participant -> its own table (a host). Raises :class:`InvalidProblem` when a slot holds more
    table meetings than tables, or two hosts share a home table in one slot.
    """
    home = dict(home or {})
    by_slot: dict[int, list[int]] = {}
    for m, t in assignment.items():
        if problem.meetings[m].needs_table:
            by_slot.setdefault(t, []).append(m)
    out: dict[int, int] = {}
    last_table: dict[int, int] = {}  # participant -> table in the previous slot it met in
    for t in sorted(by_slot):
        meetings = sorted(by_slot[t])
        n_tables = problem.tables[t]
        if len(meetings) > n_tables:
            raise InvalidProblem(f"slot {t + 1}: {len(meetings)} meetings at {n_tables} tables")
        taken: dict[int, int] = {}
        rest: list[int] = []
        for m in meetings:  # hosts first: their table is theirs
            meeting = problem.meetings[m]
            pinned = [home[p] for p in (meeting.a, meeting.b) if p in home]
            if pinned:
                table = pinned[0]
                if not 0 <= table < n_tables:
                    raise InvalidProblem(f"slot {t + 1}: home table {table + 1} does not exist")
                if table in taken:
                    raise InvalidProblem(
                        f"slot {t + 1}: meetings {taken[table] + 1} and {m + 1} both need table {table + 1}"
                    )
                taken[table] = m
                out[m] = table
            else:
                rest.append(m)
        reserved = set(home.values())
        # then meetings whose participant sat at a table in the previous slot and can stay there
        waiting: list[int] = []
        for m in rest:
            meeting = problem.meetings[m]
            wish = [last_table[p] for p in (meeting.a, meeting.b) if p in last_table]
            stay = next((w for w in wish if w < n_tables and w not in taken and w not in reserved), None)
            if stay is None:
                waiting.append(m)
            else:
                taken[stay] = m
                out[m] = stay
        free = [x for x in range(n_tables) if x not in taken and x not in reserved] + [
            x for x in range(n_tables) if x not in taken and x in reserved
        ]
        for m, table in zip(waiting, free, strict=False):
            taken[table] = m
            out[m] = table
        for m in meetings:
            for p in (problem.meetings[m].a, problem.meetings[m].b):
                last_table[p] = out[m]
    return out
