"""The SAT model (PySAT, CaDiCaL) of the B2B scheduling problem in :attr:`Mode.ALL`.

Variables: ``x[m, t]`` meeting m in slot t; ``u[p, t]`` participant p meets in slot t (= OR of its x);
``before[p, t]`` p has met in some slot <= t; ``e[p, t]`` a break of p ends at t (u[t], not u[t-1],
before[t-1]). All are defined exactly (both directions), so the breaks of a participant are the number of
true ``e[p, ·]``. Two implied constraints carry most of the speed: each participant uses exactly as many
slots as it has meetings (a cardinality constraint the solver would otherwise have to rediscover), and
the fairness bound is posted on per-participant counters.

The objective ``sum e`` is searched from below: the solver proves "at most k breaks" unsatisfiable for
k = 0, 1, ... and the first satisfiable k is optimal — the lower bounds are cheap, and each one is a
proof. The published MaxSAT approach (Bofill et al., JAIR 74, 2022) shares the idea of a SAT model with
implied cardinality constraints; see docs/decisions/0004-b2b-scheduling.md for the measurements.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from .problem import Problem, Result, Status, participant_breaks

Progress = Callable[[str, float], None]
SOLVER = "cadical195"


@dataclass
class Encoding:
    clauses: list[list[int]] = field(default_factory=list)
    x: dict[tuple[int, int], int] = field(default_factory=dict)
    ends: list[int] = field(default_factory=list)  # every e[p, t]
    ends_of: dict[int, list[int]] = field(default_factory=dict)
    pool: IDPool = field(default_factory=IDPool)
    infeasible: str = ""  # a reason found while encoding (a meeting with no slot, a limit exceeded)


def _card(lits: list[int], bound: int, pool: IDPool, kind: str) -> list[list[int]]:
    if kind == "atmost" and bound >= len(lits):
        return []
    enc = EncType.pairwise if bound == 1 and len(lits) <= 6 else EncType.seqcounter
    if kind == "atmost":
        return list(CardEnc.atmost(lits, bound, vpool=pool, encoding=enc).clauses)
    return list(CardEnc.equals(lits, bound, vpool=pool, encoding=EncType.seqcounter).clauses)


def encode(problem: Problem, fairness: int | None) -> Encoding:
    enc = Encoding()
    pool, out = enc.pool, enc.clauses
    by_slot: dict[int, list[int]] = {t: [] for t in range(problem.n_slots)}
    by_part_slot: dict[tuple[int, int], list[int]] = {}
    allowed = [problem.allowed_slots(m) for m in range(len(problem.meetings))]
    for m, meeting in enumerate(problem.meetings):
        if not allowed[m]:
            enc.infeasible = f"meeting {m + 1} has no slot both participants can take"
        row = []
        for t in allowed[m]:
            v = pool.id(("x", m, t))
            enc.x[m, t] = v
            row.append(v)
            if meeting.needs_table:
                by_slot[t].append(v)
            by_part_slot.setdefault((meeting.a, t), []).append(v)
            by_part_slot.setdefault((meeting.b, t), []).append(v)
        out.append(row)
        out.extend(_card(row, 1, pool, "atmost"))
    for t, lits in by_slot.items():
        out.extend(_card(lits, problem.tables[t], pool, "atmost"))
    for m, meeting in enumerate(problem.meetings):
        for before in meeting.after:
            for t in allowed[m]:
                out.append([-enc.x[m, t]] + [enc.x[before, s] for s in allowed[before] if s < t])
    meetings_of = problem.meetings_of()
    for p, limit in enumerate(problem.max_meetings):
        if limit is not None and len(meetings_of[p]) > limit:
            enc.infeasible = f"participant {p + 1} has {len(meetings_of[p])} meetings, more than its {limit}"
    for p in range(problem.n_participants):
        if not meetings_of[p]:
            continue
        u: list[int | None] = []
        for t in range(problem.n_slots):
            lits = by_part_slot.get((p, t), [])
            if not lits:
                u.append(None)
                continue
            var = pool.id(("u", p, t))
            u.append(var)
            out.extend(_card(lits, 1, pool, "atmost"))
            out.append([-var, *lits])
            out.extend([-v, var] for v in lits)
        used = [v for v in u if v is not None]
        if len(used) < len(meetings_of[p]):
            enc.infeasible = (
                f"participant {p + 1} has {len(meetings_of[p])} meetings "
                f"but only {len(used)} slots to hold them in"
            )
            continue
        out.extend(_card(used, len(meetings_of[p]), pool, "equals"))
        seen: list[int] = []  # seen[t]: p has met in some slot <= t
        ends: list[int] = []
        for t in range(problem.n_slots):
            b = pool.id(("before", p, t))
            reasons = []
            ut = u[t]
            if ut is not None:
                out.append([-ut, b])
                reasons.append(ut)
            if t:
                out.append([-seen[t - 1], b])
                reasons.append(seen[t - 1])
            out.append([-b, *reasons])
            seen.append(b)
            if t and ut is not None:
                e = pool.id(("end", p, t))
                prev = u[t - 1]
                out.append([e, -ut, -seen[t - 1]] + ([prev] if prev is not None else []))
                out.append([-e, ut])
                out.append([-e, seen[t - 1]])
                if prev is not None:
                    out.append([-e, -prev])
                ends.append(e)
        enc.ends.extend(ends)
        enc.ends_of[p] = ends
    # Implied: the participants meeting at a table in slot t number at most twice the tables. The same
    # capacity seen from the participants' side lets the solver count busy participants directly
    # (tic-13crafc: "no breaks" refuted in 0.2 s instead of not at all in 120 s).
    for t in range(problem.n_slots):
        table_users = [
            pool.obj2id[("u", p, t)]
            for p in range(problem.n_participants)
            if ("u", p, t) in pool.obj2id and all(problem.meetings[m].needs_table for m in meetings_of[p])
        ]
        if len(table_users) > 2 * problem.tables[t]:
            out.extend(
                CardEnc.atmost(
                    table_users, 2 * problem.tables[t], vpool=pool, encoding=EncType.totalizer
                ).clauses
            )
    if fairness is not None:
        _encode_fairness(enc, fairness, problem.n_slots)
    return enc


def _encode_fairness(enc: Encoding, d: int, n_slots: int) -> None:
    """max breaks - min breaks <= d over participants with meetings: whenever someone has >= k+d+1
    breaks, everyone has >= k+1.

    A totalizer only implies upwards (enough true inputs force an output), so "has >= j" as a premise
    reads a totalizer over the break ends, and "has >= j" as a conclusion is written as "at most n-j
    non-ends" on a second totalizer over the negated ends."""
    pool, out = enc.pool, enc.clauses

    def totalizer(lits: list[int]) -> list[int]:
        tot = ITotalizer(lits=lits, ubound=len(lits), top_id=pool.top)
        pool.occupy(pool.top + 1, tot.top_id)
        pool.top = tot.top_id
        out.extend(tot.cnf.clauses)
        rhs = list(tot.rhs)
        tot.delete()
        return rhs

    at_least: dict[int, list[int]] = {}  # p -> [premise "breaks >= 1", "breaks >= 2", ...]
    idle_at_least: dict[int, list[int]] = {}  # p -> [">= 1 non-end", ...]
    for p, ends in enc.ends_of.items():
        at_least[p] = totalizer(ends) if ends else []
        idle_at_least[p] = totalizer([-e for e in ends]) if ends else []
    for k in range(n_slots):
        high = [lits[k + d] for lits in at_least.values() if len(lits) > k + d]
        if not high:
            break
        flag = pool.id(("someone-has-more-than", k + d))
        out.extend([-h, flag] for h in high)
        for p, ends in enc.ends_of.items():
            n = len(ends)
            if k + 1 > n:
                out.append([-flag])  # p can never have k+1 breaks
            else:
                out.append([-flag, -idle_at_least[p][n - k - 1]])  # at most n-k-1 non-ends


def solve_sat(
    problem: Problem,
    fairness: int | None = None,
    *,
    time_limit: float = 30.0,
    upper: Mapping[int, int] | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Result:
    """Minimise total breaks with every meeting held; proves each lower bound on the way up.

    ``upper``: a known valid schedule (e.g. greedy's), returned with the proven bound if time runs out.
    """
    started = time.perf_counter()
    enc = encode(problem, fairness)
    if enc.infeasible:
        return Result(
            Status.INFEASIBLE, seconds=time.perf_counter() - started, solver="sat", log=[enc.infeasible]
        )
    best_known = dict(upper) if upper else None
    best_value = sum(participant_breaks(problem, best_known)) if best_known else None
    if not enc.ends:  # nobody can have a break: any schedule is optimal
        enc.ends.append(enc.pool.id("no-break-possible"))
        enc.clauses.append([-enc.ends[0]])
    total = ITotalizer(lits=enc.ends, ubound=min(len(enc.ends), 1 + (best_value or 1)), top_id=enc.pool.top)
    solver = Solver(name=SOLVER, bootstrap_with=enc.clauses)
    solver.append_formula(total.cnf.clauses)
    deadline = started + time_limit

    def out_of_time() -> bool:
        return time.perf_counter() > deadline or bool(should_stop and should_stop())

    try:
        # First any schedule at all: proves infeasibility (e.g. d = 0) or gives an upper bound.
        answer = _solve_in_chunks(solver, [], out_of_time)
        if answer is None:
            if best_known is not None:
                return _done(problem, Status.FEASIBLE, best_known, 0, started)
            return Result(Status.UNKNOWN, bound=0, seconds=time.perf_counter() - started, solver="sat")
        if not answer:
            return Result(
                Status.INFEASIBLE,
                seconds=time.perf_counter() - started,
                solver="sat",
                log=["no schedule satisfies the hard constraints"],
            )
        found = _model_assignment(solver, enc)
        value = sum(participant_breaks(problem, found))
        if best_value is None or value < best_value:
            best_known, best_value = found, value
        if progress:
            progress(f"schedule with {best_value} breaks", time.perf_counter() - started)
        k = 0
        while True:
            if k >= best_value:  # best_known holds a schedule with best_value breaks
                return _done(
                    problem, Status.OPTIMAL, (found if best_known is None else best_known), k, started
                )
            if k >= len(total.rhs):
                total.increase(ubound=min(len(enc.ends), 2 * k + 1))
                if total.nof_new:
                    solver.append_formula(total.cnf.clauses[-total.nof_new :])
            answer = _solve_in_chunks(solver, [-total.rhs[k]], out_of_time)
            now = time.perf_counter() - started
            if answer is None:  # out of time (or cancelled)
                return _done(
                    problem, Status.FEASIBLE, (found if best_known is None else best_known), k, started
                )
            if answer:
                return _done(problem, Status.OPTIMAL, _model_assignment(solver, enc), k, started)
            if progress:
                progress(f"proved: at least {k + 1} breaks", now)
            k += 1
    finally:
        solver.delete()


#: conflicts per call between two looks at the clock (a few tenths of a second on these models; the
#: solver keeps what it learnt between calls). The C solver holds the GIL, so no thread can interrupt it.
CHUNK = 4000


def _solve_in_chunks(solver: Solver, assumptions: list[int], out_of_time: Callable[[], bool]) -> bool | None:
    while True:
        solver.conf_budget(CHUNK)
        answer = solver.solve_limited(assumptions=assumptions)
        if answer is not None:
            return bool(answer)
        if out_of_time():
            return None


def _model_assignment(solver: Solver, enc: Encoding) -> dict[int, int]:
    true = {lit for lit in solver.get_model() or [] if lit > 0}
    return {m: t for (m, t), v in enc.x.items() if v in true}


def _done(
    problem: Problem, status: Status, assignment: Mapping[int, int], bound: int, started: float
) -> Result:
    total = sum(participant_breaks(problem, assignment))
    return Result(
        status,
        dict(assignment),
        total,
        total if status is Status.OPTIMAL else bound,
        seconds=time.perf_counter() - started,
        solver="sat",
    )
