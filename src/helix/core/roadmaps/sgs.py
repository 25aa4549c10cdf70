"""Levelling heuristics: the serial schedule-generation scheme (SGS) and its improvements.

The serial SGS takes one activity at a time, always the most urgent one whose predecessors are all
placed, and starts it at the earliest period where its predecessors allow it and every resource has
room for its whole duration. With the latest-finish-time (LFT) priority rule this is the levelling
heuristic project-planning tools use (:func:`serial_lft`): fast, deterministic, usually within 10-20%
of the optimum on hard instances.

:func:`improve` does better within a time budget: forward-backward improvement (double justification:
shift every activity as late as possible, then as early as possible, in the order of the other pass,
which never lengthens the schedule and often shortens it) on the LFT schedule and on schedules drawn
from randomly perturbed LFT priorities (a fixed seed, so the same input gives the same schedules). The
best schedule found is the starting solution (and horizon) of the CP-SAT search in :mod:`.levelling`.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Sequence

from .levelling_problem import InvalidLevellingProblem, LevellingProblem, Network, infeasibility, network

Arc = tuple[int, int]


class _Sgs:
    """The serial SGS on a fixed network, forward (the problem) or backward (time reversed)."""

    def __init__(
        self,
        problem: LevellingProblem,
        preds: Sequence[Sequence[Arc]],
        succs: Sequence[Sequence[Arc]],
        release: Sequence[int],
    ) -> None:
        self.n = problem.n
        self.dur = [a.duration for a in problem.activities]
        self.caps = list(problem.capacities)
        # per activity: (resource, the usage above which it does not fit) for each resource it uses
        self.req = [
            [(r, cap - q) for r, (q, cap) in enumerate(zip(a.demands, problem.capacities, strict=True)) if q]
            for a in problem.activities
        ]
        self.preds = preds
        self.succs = succs
        self.release = release

    def run(self, key: Sequence[float]) -> list[int]:
        """Schedule in priority order (smallest ``key`` first among the eligible activities)."""
        n, dur, req, preds, succs = self.n, self.dur, self.req, self.preds, self.succs
        usage: list[list[int]] = [[] for _ in self.caps]
        starts = [0] * n
        left = [len(p) for p in preds]
        heap = [(key[i], i) for i in range(n) if left[i] == 0]
        heapq.heapify(heap)
        while heap:
            _, i = heapq.heappop(heap)
            t = self.release[i]
            for p, delay in preds[i]:
                t = max(t, starts[p] + delay)
            t = max(t, 0)
            d = dur[i]
            if d and req[i]:
                while True:
                    end = t + d
                    bad = -1
                    for r, limit in req[i]:
                        u = usage[r]
                        if len(u) < end:
                            u.extend([0] * (end - len(u) + 32))
                        for tt in range(end - 1, t - 1, -1):
                            if u[tt] > limit:
                                bad = max(bad, tt)
                                break
                    if bad < 0:
                        break
                    t = bad + 1
                for r, limit in req[i]:
                    q = self.caps[r] - limit
                    u = usage[r]
                    for tt in range(t, t + d):
                        u[tt] += q
            starts[i] = t
            for j, _ in succs[i]:
                left[j] -= 1
                if left[j] == 0:
                    heapq.heappush(heap, (key[j], j))
        return starts


def _checked_network(problem: LevellingProblem) -> Network:
    problem_error = infeasibility(problem)
    if problem_error is not None:
        raise problem_error
    return network(problem)


def latest_finish(problem: LevellingProblem, net: Network) -> list[int]:
    """Each activity's latest finish in the precedence-only schedule of length ``critical_path``."""
    cp = net.critical_path
    return [cp - t + a.duration for t, a in zip(net.tail, problem.activities, strict=True)]


def serial_lft(problem: LevellingProblem) -> list[int]:
    """The serial SGS with the latest-finish-time priority rule (ties: lower index first).

    Deterministic; raises :class:`InvalidLevellingProblem` when no schedule exists."""
    net = _checked_network(problem)
    lft = latest_finish(problem, net)
    release = [problem.release_of(i) for i in range(problem.n)]
    key = [lft[i] + i / (problem.n + 1) for i in range(problem.n)]
    return _Sgs(problem, net.preds, net.succs, release).run(key)


class Justifier:
    """Forward-backward improvement (double justification) of serial-SGS schedules."""

    def __init__(self, problem: LevellingProblem, net: Network) -> None:
        self.problem = problem
        dur = [a.duration for a in problem.activities]
        n = problem.n
        release = [problem.release_of(i) for i in range(n)]
        self.forward = _Sgs(problem, net.preds, net.succs, release)
        # time reversed: start'[i] = T - finish[i]; an arc i -> j with delay becomes j -> i with delay
        # dur[j] - dur[i] + delay (a finish-to-finish lag). Releases are dropped backward: the backward
        # schedule only orders the next forward pass, which respects them.
        bpreds: list[list[Arc]] = [[] for _ in range(n)]
        bsuccs: list[list[Arc]] = [[] for _ in range(n)]
        for i in range(n):
            for j, delay in net.succs[i]:
                bpreds[i].append((j, dur[j] - dur[i] + delay))
                bsuccs[j].append((i, dur[j] - dur[i] + delay))
        self.backward = _Sgs(problem, bpreds, bsuccs, [0] * n)
        self.dur = dur

    def makespan(self, starts: Sequence[int]) -> int:
        return max((s + d for s, d in zip(starts, self.dur, strict=True)), default=0)

    def improve(self, starts: list[int], rounds: int = 10) -> list[int]:
        """Alternate backward and forward passes while the makespan shrinks (at most ``rounds``)."""
        n, dur = len(starts), self.dur
        best, best_ms = starts, self.makespan(starts)
        for _ in range(rounds):
            # backward: latest finish first (ties: later start first)
            back = self.backward.run([-(best[i] + dur[i]) - best[i] / (best_ms + 1) for i in range(n)])
            horizon = max((s + d for s, d in zip(back, dur, strict=True)), default=0)
            finish_order = [horizon - back[i] for i in range(n)]  # finish times in forward time
            # forward: earliest start in the backward schedule first
            fwd = self.forward.run([finish_order[i] - dur[i] + i / (n + 1) for i in range(n)])
            ms = self.makespan(fwd)
            if ms >= best_ms:
                break
            best, best_ms = fwd, ms
        return best


def improve(
    problem: LevellingProblem,
    time_limit: float,
    *,
    seed: int = 0,
    max_passes: int = 2000,
    target: int | None = None,
) -> list[int]:
    """The best schedule of: serial LFT, then justified LFT, then justified schedules from randomly
    perturbed LFT priorities, until ``time_limit`` seconds, ``max_passes`` samples, or a schedule of
    makespan ``target`` (a lower bound) is found. Deterministic for a given seed and pass count."""
    started = time.perf_counter()
    net = _checked_network(problem)
    n = problem.n
    just = Justifier(problem, net)
    lft = latest_finish(problem, net)
    best = just.improve(serial_lft(problem))
    best_ms = just.makespan(best)
    if n < 2:
        return best
    rng = random.Random(seed)  # noqa: S311 (seeded search, not security)
    spread = max(1, max(lft) - min(lft))
    for k in range(max_passes):
        if (target is not None and best_ms <= target) or time.perf_counter() - started > time_limit:
            break
        # noise from none to a third of the LFT range: keeps the LFT rule's sense, varies its ties
        width = spread * (0.05 + 0.3 * (k % 7) / 6)
        key = [lft[i] + rng.uniform(0, width) for i in range(n)]
        candidate = just.improve(just.forward.run(key))
        ms = just.makespan(candidate)
        if ms < best_ms:
            best, best_ms = candidate, ms
    return best


__all__ = ["InvalidLevellingProblem", "Justifier", "improve", "latest_finish", "serial_lft"]
