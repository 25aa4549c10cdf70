"""What is wrong with a roadmap, as coded problems: who, what, when, at which TRL and with which money.

:func:`validate` checks a :class:`~helix.core.roadmaps.model.Roadmap` and returns every
:class:`~helix.core.roadmaps.model.Problem` it finds, each with a stable dotted ``roadmap.*`` code the
Django edge translates, plain params (keys, participant ids, numbers, ISO dates), an English text, the
item it is about (``None`` for the roadmap as a whole) and a severity: ``error`` (the roadmap cannot be
adopted as it is) or ``warning`` (it can, but someone should look). Problems come sorted by the item's
place in the roadmap (roadmap-wide ones first), then by code, then in the order below.

The rules, by code:

- structure: ``duplicate_item``, ``duplicate_participant``, ``unknown_track`` (when the roadmap lists
  tracks), ``duration_negative``, ``milestone_with_duration`` (warning);
- who: ``owner_missing``, ``owner_not_participant``, ``contributor_not_participant``,
  ``effort_not_participant``; ``committed_without_role``, ``committed_without_items`` (warning);
- dependencies: ``dependency_unknown_item``, ``self_dependency``, ``duplicate_dependency`` (warning: the
  schedule reads the largest lag, so it does no harm, but one of the two is a mistake), ``cycle`` (params:
  the keys on the cycle in order, one problem per strongly connected group of items);
- dates: ``starts_before_dependency`` (the date an item states is earlier than a predecessor allows, by
  the baseline plan), ``actual_finish_before_start``, ``actual_in_future`` (with ``today``),
  ``percent_out_of_range``;
- TRL: ``trl_out_of_range`` (outside 1..9), ``trl_inverted`` (from above to), ``trl_falls`` (along a
  track in planned order, an item reaches a lower TRL than one before it already reached);
- the valley of death (TRL 4-7): ``valley_unowned`` (an item meeting it has no owner among the
  participants), ``valley_unfunded`` (warning: it has no funding secured, no call and no project; the
  roadmap may be adopted with the gap, which is what the cluster then looks for calls for),
  ``valley_gap`` (warning: a track has items below and above the valley but none in it);
- projects: ``project_starts_late`` (a project that implements an item starts after the item's planned
  finish) and, otherwise, ``project_ends_late`` (it ends after it); ``project_ends`` / ``project_starts``
  give a project's current dates by key (from the projects app) over those its link states;
- money: ``effort_not_positive``, ``budget_negative``, ``funding_negative``, ``funding_above_budget``
  (warning).

The date rules read the baseline plan (:func:`helix.core.roadmaps.schedule.plan` without progress), which
a cycle makes impossible: then the date, TRL-order and project rules are skipped (the cycle is the error
to fix first). Dates compare as days: a project ending on the day an item finishes is on time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from .model import (
    TRL_MAX,
    TRL_MIN,
    VALLEY_OF_DEATH,
    DependencyKind,
    Item,
    ItemKind,
    ParticipantId,
    Problem,
    Roadmap,
)
from .schedule import Constraints, CyclicRoadmap, Network, Plan, plan_from

WARNING = "warning"
ERROR = "error"


def validate(
    roadmap: Roadmap,
    today: date | None = None,
    project_ends: Mapping[str, date] | None = None,
    project_starts: Mapping[str, date] | None = None,
) -> list[Problem]:
    """Every problem of ``roadmap``, sorted (see the module docstring for the rules and the order)."""
    problems: list[Problem] = []
    items = _first_items(roadmap)
    participants = {p.id for p in roadmap.participants}
    problems += _structure(roadmap)
    problems += _people(roadmap, items.values(), participants)
    for it in items.values():
        problems += _item_rules(it, participants, today)
    problems += _dependencies(roadmap, items)
    problems += _valley_gaps(items.values())
    try:
        network = Network.of(roadmap, strict=False)
    except CyclicRoadmap:  # then every cycle is reported, one per group of items that go round
        problems += [CyclicRoadmap(cycle).problem() for cycle in _cycles(roadmap, items)]
    else:
        baseline = plan_from(
            roadmap.start, network, Constraints.of(roadmap, network, progress=False), paths_limit=0
        )
        problems += _starts_before_dependency(roadmap, items, network, baseline)
        problems += _trl_falls(items, baseline)
        problems += _project_dates(items.values(), baseline, project_ends or {}, project_starts or {})
    position = {key: i for i, key in enumerate(items)}
    return sorted(problems, key=lambda p: (-1 if p.item is None else position.get(p.item, -1), p.code))


def _first_items(roadmap: Roadmap) -> dict[str, Item]:
    """The items by key in roadmap order; of a duplicated key the first (the other is reported)."""
    items: dict[str, Item] = {}
    for it in roadmap.items:
        items.setdefault(it.key, it)
    return items


def _problem(
    code: str, params: dict[str, object], text: str, item: str | None, severity: str = ERROR
) -> Problem:
    return Problem(f"roadmap.{code}", params, text, item, severity)


# -- structure and people ----------------------------------------------------------------------------------


def _structure(roadmap: Roadmap) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for it in roadmap.items:
        if it.key in seen:
            problems.append(
                _problem(
                    "duplicate_item", {"key": it.key}, f"Two or more items have the key {it.key}.", it.key
                )
            )
        seen.add(it.key)
    ids: set[ParticipantId] = set()
    for p in roadmap.participants:
        if p.id in ids:
            problems.append(
                _problem(
                    "duplicate_participant",
                    {"participant": p.id},
                    f"{p.id} is listed twice among the participants.",
                    None,
                )
            )
        ids.add(p.id)
    tracks = {t.key for t in roadmap.tracks}
    if tracks:
        for it in _first_items(roadmap).values():
            if it.track is not None and it.track not in tracks:
                problems.append(
                    _problem(
                        "unknown_track",
                        {"track": it.track},
                        f"{it.key} is on the track {it.track}, which the roadmap does not list.",
                        it.key,
                    )
                )
    return problems


def _people(roadmap: Roadmap, items: Iterable[Item], participants: set[ParticipantId]) -> list[Problem]:
    problems: list[Problem] = []
    busy: set[ParticipantId] = set()
    for it in items:
        busy.update(it.participants)
    for p in roadmap.participants:
        if p.committed and not p.role.strip():
            problems.append(
                _problem(
                    "committed_without_role",
                    {"participant": p.id},
                    f"{p.name or p.id} has committed to the roadmap but has no role in it.",
                    None,
                )
            )
        if p.committed and p.id not in busy:
            problems.append(
                _problem(
                    "committed_without_items",
                    {"participant": p.id},
                    f"{p.name or p.id} has committed to the roadmap but has no item in it.",
                    None,
                    WARNING,
                )
            )
    return problems


def _funded(it: Item) -> bool:
    return it.funding_secured > 0 or bool(it.calls) or bool(it.projects)


def _meets_valley(trl: tuple[int, int] | None) -> bool:
    return trl is not None and trl[0] <= VALLEY_OF_DEATH[1] and trl[1] >= VALLEY_OF_DEATH[0]


def _item_rules(it: Item, participants: set[ParticipantId], today: date | None) -> list[Problem]:
    """The rules one item keeps on its own: owner, people, effort, money, duration, TRL, progress."""
    problems: list[Problem] = []
    k = it.key
    if it.owner is None:
        problems.append(_problem("owner_missing", {}, f"{k} has no owner.", k))
    elif it.owner not in participants:
        problems.append(
            _problem(
                "owner_not_participant",
                {"participant": it.owner},
                f"{k} is owned by {it.owner}, who is not a participant of the roadmap.",
                k,
            )
        )
    for pid in dict.fromkeys(it.contributors):
        if pid not in participants:
            problems.append(
                _problem(
                    "contributor_not_participant",
                    {"participant": pid},
                    f"{pid} contributes to {k} but is not a participant of the roadmap.",
                    k,
                )
            )
    for effort in it.efforts:
        if effort.participant not in participants:
            problems.append(
                _problem(
                    "effort_not_participant",
                    {"participant": effort.participant},
                    f"{effort.participant} has effort on {k} but is not a participant of the roadmap.",
                    k,
                )
            )
        if not effort.person_months > 0:
            problems.append(
                _problem(
                    "effort_not_positive",
                    {"participant": effort.participant, "person_months": effort.person_months},
                    f"The effort of {effort.participant} on {k} is {effort.person_months} person-months; "
                    "it must be above zero.",
                    k,
                )
            )
    if it.budget < 0:
        problems.append(
            _problem("budget_negative", {"budget": it.budget}, f"The budget of {k} is below zero.", k)
        )
    if it.funding_secured < 0:
        problems.append(
            _problem(
                "funding_negative",
                {"funding": it.funding_secured},
                f"The funding secured for {k} is below zero.",
                k,
            )
        )
    elif it.budget >= 0 and it.funding_secured > it.budget:
        problems.append(
            _problem(
                "funding_above_budget",
                {"funding": it.funding_secured, "budget": it.budget},
                f"The funding secured for {k} ({it.funding_secured}) is above its budget ({it.budget}).",
                k,
                WARNING,
            )
        )
    if it.duration_days < 0:
        problems.append(
            _problem(
                "duration_negative",
                {"duration": it.duration_days},
                f"{k} lasts {it.duration_days} days; a duration is never below zero.",
                k,
            )
        )
    elif it.kind is ItemKind.MILESTONE and it.duration_days > 0:
        problems.append(
            _problem(
                "milestone_with_duration",
                {"duration": it.duration_days},
                f"The milestone {k} lasts {it.duration_days} days; a milestone is a point in time.",
                k,
                WARNING,
            )
        )
    problems += _trl_rules(it)
    problems += _progress_rules(it, today)
    return problems


def _trl_rules(it: Item) -> list[Problem]:
    problems: list[Problem] = []
    k = it.key
    for name, value in (("trl_from", it.trl_from), ("trl_to", it.trl_to)):
        if value is not None and not TRL_MIN <= value <= TRL_MAX:
            problems.append(
                _problem(
                    "trl_out_of_range",
                    {"field": name, "trl": value, "min": TRL_MIN, "max": TRL_MAX},
                    f"The TRL of {k} ({name} = {value}) is outside {TRL_MIN} to {TRL_MAX}.",
                    k,
                )
            )
    if it.trl_from is not None and it.trl_to is not None and it.trl_from > it.trl_to:
        problems.append(
            _problem(
                "trl_inverted",
                {"trl_from": it.trl_from, "trl_to": it.trl_to},
                f"{k} goes from TRL {it.trl_from} down to TRL {it.trl_to}.",
                k,
            )
        )
    trl = it.trl_range
    if _meets_valley(trl):
        assert trl is not None
        valley = {"trl_from": trl[0], "trl_to": trl[1], "valley": list(VALLEY_OF_DEATH)}
        if it.owner is None:
            problems.append(
                _problem(
                    "valley_unowned",
                    valley,
                    f"{k} (TRL {trl[0]}-{trl[1]}) crosses the valley of death but no participant owns it.",
                    k,
                )
            )
        if not _funded(it):
            problems.append(
                _problem(
                    "valley_unfunded",
                    valley,
                    f"{k} (TRL {trl[0]}-{trl[1]}) crosses the valley of death with no funding secured, "
                    "no call and no project.",
                    k,
                    WARNING,
                )
            )
    return problems


def _progress_rules(it: Item, today: date | None) -> list[Problem]:
    problems: list[Problem] = []
    k = it.key
    if it.actual_start is not None and it.actual_finish is not None and it.actual_finish < it.actual_start:
        problems.append(
            _problem(
                "actual_finish_before_start",
                {"actual_start": it.actual_start.isoformat(), "actual_finish": it.actual_finish.isoformat()},
                f"{k} is recorded as finished on {it.actual_finish} before it started on {it.actual_start}.",
                k,
            )
        )
    if today is not None:
        for name, day in (("actual_start", it.actual_start), ("actual_finish", it.actual_finish)):
            if day is not None and day > today:
                problems.append(
                    _problem(
                        "actual_in_future",
                        {"field": name, "date": day.isoformat(), "today": today.isoformat()},
                        f"{k} has an {name.replace('_', ' ')} of {day}, after today ({today}).",
                        k,
                    )
                )
    if not 0 <= it.percent_complete <= 100:
        problems.append(
            _problem(
                "percent_out_of_range",
                {"percent": it.percent_complete},
                f"{k} is {it.percent_complete} % complete; a percentage is between 0 and 100.",
                k,
            )
        )
    return problems


# -- dependencies ------------------------------------------------------------------------------------------


def _dependencies(roadmap: Roadmap, items: Mapping[str, Item]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str, DependencyKind]] = set()
    for dep in roadmap.dependencies:
        p, s = dep.predecessor, dep.successor
        pair: dict[str, object] = {"predecessor": p, "successor": s, "kind": str(dep.kind)}
        missing = [key for key in dict.fromkeys((p, s)) if key not in items]
        if missing:
            problems.extend(
                _problem(
                    "dependency_unknown_item",
                    {**pair, "missing": key},
                    f"The dependency {p} → {s} names {key}, not an item of the roadmap.",
                    s if s in items else None,
                )
                for key in missing
            )
            continue
        if p == s:
            problems.append(_problem("self_dependency", pair, f"{s} depends on itself.", s))
            continue
        if (p, s, dep.kind) in seen:
            problems.append(
                _problem(
                    "duplicate_dependency",
                    pair,
                    f"The dependency {p} → {s} ({dep.kind}) is given more than once.",
                    s,
                    WARNING,
                )
            )
        seen.add((p, s, dep.kind))
    return problems


def _cycles(roadmap: Roadmap, items: Mapping[str, Item]) -> list[list[str]]:
    """One cycle per strongly connected group of two or more items (Tarjan's algorithm, iterative), each
    in dependency order from its item first in the roadmap; the groups in the order of those items."""
    index = {key: i for i, key in enumerate(items)}
    keys = list(items)
    succs: list[list[int]] = [[] for _ in keys]
    for dep in roadmap.dependencies:
        p, s = index.get(dep.predecessor), index.get(dep.successor)
        if p is not None and s is not None and p != s:
            succs[p].append(s)
    n = len(keys)
    order = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    groups: list[list[int]] = []
    counter = 0
    for root in range(n):
        if order[root] >= 0:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        order[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, next_edge = work[-1]
            if next_edge < len(succs[v]):
                work[-1] = (v, next_edge + 1)
                w = succs[v][next_edge]
                if order[w] < 0:
                    order[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], order[w])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == order[v]:
                group: list[int] = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    group.append(w)
                    if w == v:
                        break
                if len(group) > 1:
                    groups.append(group)
    cycles = [_cycle_in(set(group), succs) for group in groups]
    return sorted(([keys[i] for i in cycle] for cycle in cycles), key=lambda c: index[c[0]])


def _cycle_in(group: set[int], succs: Sequence[Sequence[int]]) -> list[int]:
    """A cycle inside a strongly connected ``group``: walk successors within it until one repeats."""
    seen: dict[int, int] = {}
    walk: list[int] = []
    v = min(group)
    while v not in seen:
        seen[v] = len(walk)
        walk.append(v)
        v = min(w for w in succs[v] if w in group)
    cycle = walk[seen[v] :]
    first = cycle.index(min(cycle))
    return cycle[first:] + cycle[:first]


# -- dates, TRL order and projects (on the baseline plan) --------------------------------------------------


def _starts_before_dependency(
    roadmap: Roadmap, items: Mapping[str, Item], network: Network, baseline: Plan
) -> list[Problem]:
    """Items whose stated start is earlier than a predecessor allows (the one demanding the latest start)."""
    problems: list[Problem] = []
    for it in items.values():
        if it.planned_start is None:
            continue
        i = network.index[it.key]
        stated = (it.planned_start - roadmap.start).days
        worst: tuple[int, str, int, bool] | None = None
        for p, lag, finish_to_start in network.preds[i]:
            pred = baseline.times[network.keys[p]]
            earliest = (pred.early_finish if finish_to_start else pred.early_start) + lag
            if earliest > stated and (worst is None or earliest > worst[0]):
                worst = (earliest, network.keys[p], lag, finish_to_start)
        if worst is None:
            continue
        earliest, pred_key, lag, finish_to_start = worst
        kind = DependencyKind.FINISH_TO_START if finish_to_start else DependencyKind.START_TO_START
        allowed = baseline.day(earliest)
        problems.append(
            _problem(
                "starts_before_dependency",
                {
                    "predecessor": pred_key,
                    "kind": str(kind),
                    "lag": lag,
                    "earliest": allowed.isoformat(),
                    "stated": it.planned_start.isoformat(),
                },
                f"{it.key} is planned to start on {it.planned_start}, but {pred_key} ({kind}, lag {lag}) "
                f"lets it start on {allowed} at the earliest.",
                it.key,
            )
        )
    return problems


def _trl_falls(items: Mapping[str, Item], baseline: Plan) -> list[Problem]:
    """Along each track in planned order (early start, early finish, roadmap order), an item whose TRL
    reaches (its upper end) lower than the highest an earlier item of the track reached."""
    problems: list[Problem] = []
    position = {key: i for i, key in enumerate(items)}
    tracks: dict[str, list[Item]] = {}
    for it in items.values():
        if it.track is not None and it.trl_range is not None:
            tracks.setdefault(it.track, []).append(it)
    for track, members in tracks.items():
        members.sort(
            key=lambda it: (baseline[it.key].early_start, baseline[it.key].early_finish, position[it.key])
        )
        best: Item | None = None
        for it in members:
            reached = it.trl_range
            assert reached is not None
            if best is not None:
                top = best.trl_range
                assert top is not None
                if reached[1] < top[1]:
                    problems.append(
                        _problem(
                            "trl_falls",
                            {
                                "track": track,
                                "before": best.key,
                                "before_trl": list(top),
                                "trl": list(reached),
                            },
                            f"On the track {track}, {it.key} reaches TRL {reached[1]} after {best.key} "
                            f"already reached TRL {top[1]}.",
                            it.key,
                        )
                    )
                    continue
            best = it
    return problems


def _valley_gaps(items: Iterable[Item]) -> list[Problem]:
    problems: list[Problem] = []
    tracks: dict[str, list[Item]] = {}
    for it in items:
        if it.track is not None and it.trl_range is not None:
            tracks.setdefault(it.track, []).append(it)
    low, high = VALLEY_OF_DEATH
    for track, members in tracks.items():
        ranges = [(it, it.trl_range) for it in members]
        below = [it.key for it, r in ranges if r is not None and r[1] < low]
        above = [it.key for it, r in ranges if r is not None and r[0] > high]
        inside = [it.key for it, r in ranges if _meets_valley(r)]
        if below and above and not inside:
            problems.append(
                _problem(
                    "valley_gap",
                    {"track": track, "below": below, "above": above, "valley": list(VALLEY_OF_DEATH)},
                    f"The track {track} has items below TRL {low} and above TRL {high} but none in the "
                    "valley of death between them.",
                    None,
                    WARNING,
                )
            )
    return problems


def _project_dates(
    items: Iterable[Item], baseline: Plan, ends: Mapping[str, date], starts: Mapping[str, date]
) -> list[Problem]:
    problems: list[Problem] = []
    for it in items:
        finish = baseline.day(baseline[it.key].early_finish)
        for link in it.projects:
            start = starts.get(link.key, link.start)
            end = ends.get(link.key, link.end)
            if start is not None and start > finish:
                problems.append(
                    _problem(
                        "project_starts_late",
                        {"project": link.key, "start": start.isoformat(), "finish": finish.isoformat()},
                        f"The project {link.key} starts on {start}, after {it.key} is due ({finish}).",
                        it.key,
                    )
                )
            elif end is not None and end > finish:
                problems.append(
                    _problem(
                        "project_ends_late",
                        {"project": link.key, "end": end.isoformat(), "finish": finish.isoformat()},
                        f"The project {link.key} ends on {end}, after {it.key} is due ({finish}).",
                        it.key,
                    )
                )
    return problems
