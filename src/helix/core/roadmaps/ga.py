"""A genetic algorithm for the levelling problem, compiled with numba: many schedules per second.

Each individual is a priority list of the activities. The serial schedule-generation scheme decodes it
(among the activities whose predecessors are placed, the earliest in the list goes next, at the
earliest period its predecessors and every resource allow), then forward-backward improvement
(double justification) tightens the schedule and its order becomes the individual's list (Lamarckian).
Children come from the two-point crossover of Hartmann (1998) on two tournament-chosen parents and a
few swaps of neighbours; the population keeps the best of parents and children, at most two per
makespan; a stalled population keeps its best and is sampled afresh around the LFT rule. In the
manner of Valls, Ballestín and Quintanilla (EJOR 185, 2008) and Debels and Vanhoucke (2007), whose GAs
with justification are among the best heuristics on PSPLIB.

numba compiles the inner loops to machine code (cached on disk after the first run) and releases the
GIL, so the search runs on its own core beside CP-SAT. Every function here takes plain numpy arrays;
:class:`GaProblem` builds them from a :class:`LevellingProblem`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .levelling_problem import LevellingProblem, Network

# One generation's children; the population kept between generations.
POPULATION = 40
# The probability that a child's neighbouring activities swap places, for each pair.
MUTATION = 0.05
# Generations without a better best before the population is sampled afresh (its best kept).
STALL_GENERATIONS = 60
# Rounds of forward-backward improvement per child (each stops early when it gains nothing).
FBI_ROUNDS = 2
# The makespan of a list whose schedule would run past the horizon (worse than any schedule).
OVERFLOW = 1 << 61


@dataclass(frozen=True)
class GaProblem:
    """The problem as arrays: durations, demands (n x R), capacities, the predecessor arcs in CSR form
    (``ptr``, ``idx``, ``delay``), the successors (``ptr``, ``idx``) with their delays in the time-reversed
    network (``bpdel``: the backward pass's predecessor arcs), releases, and the horizon a schedule
    may use."""

    dur: np.ndarray
    dem: np.ndarray
    cap: np.ndarray
    pptr: np.ndarray
    pidx: np.ndarray
    pdel: np.ndarray
    sptr: np.ndarray
    sidx: np.ndarray
    bpdel: np.ndarray  # backward delays on the successor arcs (the backward predecessors)
    rel: np.ndarray
    horizon: int

    @classmethod
    def of(cls, problem: LevellingProblem, net: Network, horizon: int | None = None) -> GaProblem:
        """The arrays of ``problem``; ``horizon`` caps the periods a schedule may use (lists whose
        schedule would go beyond count as worse than any other), by default the longest a serial
        schedule can be."""
        n = problem.n
        dur = np.array([a.duration for a in problem.activities], dtype=np.int64)
        r = len(problem.capacities)
        dem = np.array([a.demands for a in problem.activities], dtype=np.int64).reshape(n, r)
        cap = np.array(problem.capacities, dtype=np.int64)

        def csr(lists: tuple[tuple[tuple[int, int], ...], ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            ptr = np.zeros(n + 1, dtype=np.int64)
            for i, arcs in enumerate(lists):
                ptr[i + 1] = ptr[i] + len(arcs)
            idx = np.array([j for arcs in lists for j, _ in arcs], dtype=np.int64)
            delay = np.array([d for arcs in lists for _, d in arcs], dtype=np.int64)
            return ptr, idx, delay

        pptr, pidx, pdel = csr(net.preds)
        sptr, sidx, _ = csr(net.succs)  # the successors' delays: bpdel below is what is read
        # backward arc of i -> j (delay): j -> i with delay dur[j] - dur[i] + delay
        bpdel = np.array(
            [dur[j] - dur[i] + d for i, arcs in enumerate(net.succs) for j, d in arcs], dtype=np.int64
        )
        rel = np.array([problem.release_of(i) for i in range(n)], dtype=np.int64)
        extra = int(sum(max(0, d) for arcs in net.succs for _, d in arcs))
        longest = int(rel.max(initial=0)) + int(dur.sum()) + extra + 2
        limit = longest if horizon is None else max(1, min(longest, horizon))
        return cls(dur, dem, cap, pptr, pidx, pdel, sptr, sidx, bpdel, rel, limit)

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The arrays as the compiled functions take them (one tuple)."""
        return (
            self.dur,
            self.dem,
            self.cap,
            self.pptr,
            self.pidx,
            self.pdel,
            self.sptr,
            self.sidx,
            self.bpdel,
            self.rel,
        )


@njit(cache=True, nogil=True)
def _decode(rank, dur, dem, cap, pptr, pidx, pdel, sptr, sidx, rel, usage, starts, order, left, eligible):
    """Serial SGS: among eligible activities the smallest ``rank`` first. Fills ``starts`` and the
    scheduling ``order``; returns the makespan, or OVERFLOW when an activity would end beyond the
    horizon (the rows of ``usage``). ``usage`` (horizon x R) must be zero and is left zero."""
    n = dur.shape[0]
    nr = cap.shape[0]
    horizon = usage.shape[0]
    overflow = False
    ne = 0
    for i in range(n):
        left[i] = pptr[i + 1] - pptr[i]
        if left[i] == 0:
            eligible[ne] = i
            ne += 1
    ms = 0
    for k in range(n):
        best = 0
        for e in range(1, ne):
            if rank[eligible[e]] < rank[eligible[best]]:
                best = e
        i = eligible[best]
        ne -= 1
        eligible[best] = eligible[ne]
        t = rel[i]
        for e in range(pptr[i], pptr[i + 1]):
            v = starts[pidx[e]] + pdel[e]
            if v > t:
                t = v
        if t < 0:
            t = 0
        d = dur[i]
        if t + d > horizon:
            overflow = True
            break
        if d > 0:
            while True:
                if t + d > horizon:
                    overflow = True
                    break
                bad = -1
                for tt in range(t + d - 1, t - 1, -1):
                    for r in range(nr):
                        if usage[tt, r] + dem[i, r] > cap[r]:
                            bad = tt
                            break
                    if bad >= 0:
                        break
                if bad < 0:
                    break
                t = bad + 1
            if overflow:
                break
            for tt in range(t, t + d):
                for r in range(nr):
                    usage[tt, r] += dem[i, r]
        starts[i] = t
        order[k] = i
        if t + d > ms:
            ms = t + d
        for e in range(sptr[i], sptr[i + 1]):
            j = sidx[e]
            left[j] -= 1
            if left[j] == 0:
                eligible[ne] = j
                ne += 1
    for tt in range(ms):
        for r in range(nr):
            usage[tt, r] = 0
    return OVERFLOW if overflow else ms


@njit(cache=True, nogil=True)
def _schedule(rank, dur, dem, cap, pptr, pidx, pdel, sptr, sidx, bpdel, rel, rounds, ws, usage):
    """Decode ``rank`` then justify: backward (latest finish first), forward (earliest backward start
    first), while the makespan shrinks. Leaves the final schedule in ws[0] (starts) and its order in
    ws[1]; returns the makespan."""
    n = dur.shape[0]
    starts = ws[0]
    order = ws[1]
    left = ws[2]
    eligible = ws[3]
    key = ws[4]
    ms = _decode(rank, dur, dem, cap, pptr, pidx, pdel, sptr, sidx, rel, usage, starts, order, left, eligible)
    if ms >= OVERFLOW:
        return ms
    bstarts = np.empty(n, dtype=np.int64)
    border = np.empty(n, dtype=np.int64)
    fstarts = np.empty(n, dtype=np.int64)
    forder = np.empty(n, dtype=np.int64)
    zero = np.zeros(n, dtype=np.int64)
    for _ in range(rounds):
        # backward network: predecessors are the successors (delays bpdel), successors the predecessors
        for i in range(n):
            key[i] = -(starts[i] + dur[i]) * (n + 1) - i
        _decode(
            key, dur, dem, cap, sptr, sidx, bpdel, pptr, pidx, zero, usage, bstarts, border, left, eligible
        )
        for i in range(n):
            key[i] = -(bstarts[i] + dur[i]) * (n + 1) + i
        new = _decode(
            key, dur, dem, cap, pptr, pidx, pdel, sptr, sidx, rel, usage, fstarts, forder, left, eligible
        )
        if new >= OVERFLOW:
            break
        if new >= ms:
            if new == ms:
                for i in range(n):
                    starts[i] = fstarts[i]
                    order[i] = forder[i]
            break
        ms = new
        for i in range(n):
            starts[i] = fstarts[i]
            order[i] = forder[i]
    return ms


@njit(cache=True, nogil=True)
def _crossover(mother, father, q1, q2, child, taken):
    """Hartmann's two-point crossover on lists: positions < q1 from the mother, then the father's
    activities in his order up to q2, then the rest in the mother's order."""
    n = mother.shape[0]
    for i in range(n):
        taken[i] = 0
    k = 0
    for p in range(q1):
        child[k] = mother[p]
        taken[mother[p]] = 1
        k += 1
    for p in range(n):
        if k >= q2:
            break
        a = father[p]
        if taken[a] == 0:
            child[k] = a
            taken[a] = 1
            k += 1
    for p in range(n):
        a = mother[p]
        if taken[a] == 0:
            child[k] = a
            taken[a] = 1
            k += 1


@njit(cache=True, nogil=True)
def _workspace(state, n, nr, horizon):
    """Seed the random draws from ``state`` (and move the seed on) and allocate what _keep needs: the
    work rows, the resource usage per period and the ranks."""
    np.random.seed(state[3])
    state[3] += 1
    return (
        np.zeros((5, n), dtype=np.int64),
        np.zeros((horizon, nr), dtype=np.int64),
        np.empty(n, dtype=np.int64),
    )


@njit(cache=True, nogil=True)
def _keep(lst, pop, fit, p, state, best_starts, prob, rounds, ws, usage, rank):
    """Justify the schedule of the list ``lst`` and keep it as member ``p`` (its list as scheduled in
    ``pop[p]``, its makespan in ``fit[p]``; the list itself when it overflowed); a better best goes to
    ``best_starts`` and state[0]. Returns the makespan."""
    dur, dem, cap, pptr, pidx, pdel, sptr, sidx, bpdel, rel = prob
    n = dur.shape[0]
    for k in range(n):
        rank[lst[k]] = k
    ms = _schedule(rank, dur, dem, cap, pptr, pidx, pdel, sptr, sidx, bpdel, rel, rounds, ws, usage)
    state[1] += 1
    for k in range(n):
        pop[p, k] = lst[k] if ms >= OVERFLOW else ws[1, k]
    fit[p] = ms
    if ms < state[0]:
        state[0] = ms
        for i in range(n):
            best_starts[i] = ws[0, i]
    return ms


@njit(cache=True, nogil=True)
def _generations(
    pop,
    fit,
    state,
    best_starts,
    generations,
    prob,
    horizon,
    target,
    mutation,
    stall_limit,
    rounds,
    prio,
    spread,
):
    """Run ``generations`` generations on the population ``pop`` (lists, rows) with makespans ``fit``,
    in place. ``state``: [best makespan, schedules decoded, generations without a better best, seed].
    ``best_starts`` holds the best schedule; ``prob`` the problem's arrays (GaProblem.arrays)."""
    pop_size, n = pop.shape
    ws, usage, rank = _workspace(state, n, prob[2].shape[0], horizon)
    kids = np.empty((pop_size, n), dtype=np.int64)
    kfit = np.empty(pop_size, dtype=np.int64)
    taken = np.empty(n, dtype=np.int64)
    child = np.empty(n, dtype=np.int64)
    allpop = np.empty((2 * pop_size, n), dtype=np.int64)
    for _g in range(generations):
        if state[0] <= target:
            break
        for c in range(pop_size):
            a = np.random.randint(pop_size)
            b = np.random.randint(pop_size)
            mom = a if fit[a] <= fit[b] else b
            a = np.random.randint(pop_size)
            b = np.random.randint(pop_size)
            dad = a if fit[a] <= fit[b] else b
            q1 = np.random.randint(n)
            q2 = q1 + np.random.randint(n - q1 + 1)
            if np.random.random() < 0.5:
                _crossover(pop[mom], pop[dad], q1, q2, child, taken)
            else:
                _crossover(pop[dad], pop[mom], q1, q2, child, taken)
            for k in range(n - 1):
                if np.random.random() < mutation:
                    child[k], child[k + 1] = child[k + 1], child[k]
            before = state[0]
            _keep(child, kids, kfit, c, state, best_starts, prob, rounds, ws, usage, rank)
            if state[0] < before:
                state[2] = -1
        # survivors: the best of parents and children, at most two per makespan
        allfit = np.concatenate((fit, kfit))
        for j in range(pop_size):
            allpop[j] = pop[j]
            allpop[pop_size + j] = kids[j]
        idx = np.argsort(allfit, kind="mergesort")
        chosen = np.zeros(2 * pop_size, dtype=np.bool_)
        k = 0
        last = -1
        dup = 0
        for t in range(2 * pop_size):
            j = idx[t]
            f = allfit[j]
            if f == last:
                dup += 1
                if dup >= 2:
                    continue
            else:
                dup = 0
            last = f
            chosen[j] = True
            pop[k] = allpop[j]
            fit[k] = f
            k += 1
            if k == pop_size:
                break
        t = 0
        while k < pop_size:
            j = idx[t]
            t += 1
            if not chosen[j]:
                chosen[j] = True
                pop[k] = allpop[j]
                fit[k] = allfit[j]
                k += 1
        state[2] += 1
        if state[2] > stall_limit:  # restart: keep the best, sample the rest afresh
            state[2] = 0
            for p in range(1, pop_size):
                _sample(prio, spread, p, child)
                _keep(child, pop, fit, p, state, best_starts, prob, rounds, ws, usage, rank)


@njit(cache=True, nogil=True)
def _sample(prio, spread, k, out):
    """A list from the priority rule ``prio`` (smaller first) with uniform noise of a width that
    varies with ``k`` (from a twentieth to a third of the priorities' ``spread``): biased sampling."""
    n = prio.shape[0]
    width = spread * (0.05 + 0.3 * (k % 7) / 6.0)
    key = np.empty(n)
    for i in range(n):
        key[i] = prio[i] + np.random.random() * width
    order = np.argsort(key)
    for i in range(n):
        out[i] = order[i]


@njit(cache=True, nogil=True)
def _populate(init, pop, fit, state, best_starts, prob, horizon, rounds, prio, spread):
    """Fill ``pop`` with the lists in ``init``, then lists sampled around the priority rule."""
    pop_size, n = pop.shape
    ws, usage, rank = _workspace(state, n, prob[2].shape[0], horizon)
    child = np.empty(n, dtype=np.int64)
    m = init.shape[0]
    for p in range(pop_size):
        if p < m:
            for k in range(n):
                child[k] = init[p, k]
        else:
            _sample(prio, spread, p, child)
        _keep(child, pop, fit, p, state, best_starts, prob, rounds, ws, usage, rank)


class Ga:
    """A GA run that can be advanced in slices (so a caller can watch the clock, report progress and
    stop it)."""

    def __init__(
        self,
        problem: GaProblem,
        init: list[list[int]],
        *,
        seed: int = 0,
        population: int = POPULATION,
        target: int = 0,
        priority: list[float] | None = None,
    ) -> None:
        self.g = problem
        n = problem.dur.shape[0]
        self.n = n
        self.target = target
        self.pop = np.zeros((population, n), dtype=np.int64)
        self.fit = np.zeros(population, dtype=np.int64)
        self.state = np.array([1 << 60, 0, 0, seed], dtype=np.int64)
        self.best_starts = np.zeros(n, dtype=np.int64)
        self.prio = np.array(priority if priority is not None else range(n), dtype=np.float64)
        self.spread = float(max(1.0, self.prio.max(initial=0.0) - self.prio.min(initial=0.0)))
        lists = np.array(init, dtype=np.int64).reshape(len(init), n)
        _populate(
            lists,
            self.pop,
            self.fit,
            self.state,
            self.best_starts,
            problem.arrays,
            problem.horizon,
            FBI_ROUNDS,
            self.prio,
            self.spread,
        )

    @property
    def makespan(self) -> int:
        return int(self.state[0])

    @property
    def schedules(self) -> int:
        return int(self.state[1])

    def starts(self) -> list[int]:
        return [int(s) for s in self.best_starts]

    def run(self, generations: int) -> int:
        """Advance ``generations`` generations (fewer when the target is met); the best makespan."""
        g = self.g
        _generations(
            self.pop,
            self.fit,
            self.state,
            self.best_starts,
            generations,
            g.arrays,
            g.horizon,
            self.target,
            MUTATION,
            STALL_GENERATIONS,
            FBI_ROUNDS,
            self.prio,
            self.spread,
        )
        return self.makespan


def compile_all() -> None:
    """Compile (or load from numba's disk cache) every function of the search, on a tiny problem:
    seconds when nothing is cached, a fraction of one after."""
    from .levelling_problem import Activity, LevellingProblem, Precedence, network

    tiny = LevellingProblem(
        (Activity(2, (1,)), Activity(1, (1,)), Activity(1, (1,))), (1,), (Precedence(0, 2, "SS", 1),)
    )
    search = Ga(GaProblem.of(tiny, network(tiny)), [[0, 1, 2]], priority=[0.0, 1.0, 2.0])
    search.target = -1  # never met: the generations' code runs too
    search.run(1)
