"""The roadmap's own dates, for outputs drawn without a computed plan.

The critical path (early and late dates, slack) is computed elsewhere; the views and exchange formats take
its dates as plain input. When none is given (an export of a draft, a test), :func:`own_starts` gives each
item the date the roadmap itself implies: its ``planned_start`` (a "start no earlier than"), pushed later by
its finish-to-start and start-to-start dependencies and their lags. That is one forward pass in
dependency order, linear in items and links; it is not the scheduler (no calendars, no levelling).
"""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta

from helix.core.roadmaps.model import DependencyKind, Item, Roadmap


def finish_of(item: Item, start: date) -> date:
    """The finish of ``item`` when it starts on ``start``: ``start + duration_days`` (the day after its
    last day of work; a milestone finishes on the day it starts)."""
    return start + timedelta(days=item.duration_days)


def own_starts(roadmap: Roadmap) -> dict[str, date]:
    """Each item's start as early as its planned start and its dependencies allow (a forward pass).

    Items caught in a dependency cycle (an invalid roadmap) keep their planned start, else the roadmap's
    start: the outputs stay drawable and validation reports the cycle. Links to unknown keys are ignored.
    """
    by_key = {it.key: it for it in roadmap.items}
    incoming: dict[str, int] = dict.fromkeys(by_key, 0)
    outgoing: dict[str, list[tuple[str, DependencyKind, int]]] = {k: [] for k in by_key}
    for dep in roadmap.dependencies:
        if dep.predecessor in by_key and dep.successor in by_key and dep.predecessor != dep.successor:
            outgoing[dep.predecessor].append((dep.successor, dep.kind, dep.lag_days))
            incoming[dep.successor] += 1
    starts = {k: it.planned_start or roadmap.start for k, it in by_key.items()}
    ready = deque(k for k in by_key if incoming[k] == 0)
    while ready:
        key = ready.popleft()
        item = by_key[key]
        for successor, kind, lag in outgoing[key]:
            anchor = finish_of(item, starts[key]) if kind is DependencyKind.FINISH_TO_START else starts[key]
            earliest = anchor + timedelta(days=lag)
            if earliest > starts[successor]:
                starts[successor] = earliest
            incoming[successor] -= 1
            if incoming[successor] == 0:
                ready.append(successor)
    return starts
