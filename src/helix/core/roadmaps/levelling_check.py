"""An independent check of a levelled schedule: it trusts neither the heuristics nor the solver.

It recomputes everything from the problem's own fields (not from :mod:`.levelling_problem`'s network),
so a bug in the arcs the solvers share cannot hide in the check: one start per activity, integer and not
negative, no start before its release, every precedence with its kind and lag, and every resource within
its capacity in every period. Each violation is a coded :class:`LevellingViolation` whose text names the
activity (by its label: the file's job number at the CLI) and the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .levelling_problem import FS, LevellingProblem


@dataclass(frozen=True)
class LevellingViolation:
    """One thing wrong with a schedule: a stable ``code``, an English ``text``, and the activity
    (0-based), period and resource it is about where there is one."""

    code: str
    text: str
    activity: int | None = None
    period: int | None = None
    resource: int | None = None


def check_levelled(
    problem: LevellingProblem,
    starts: Sequence[int],
    *,
    labels: Sequence[str] | None = None,
    resource_labels: Sequence[str] | None = None,
) -> list[LevellingViolation]:
    """Every violation of ``starts`` (empty when the schedule is valid). ``labels`` name the activities
    in the texts (default ``activity <i>``), ``resource_labels`` the resources (default ``resource <r>``).
    Over-capacity periods are reported once per run of consecutive periods, naming the first."""
    n = problem.n
    name = (lambda i: labels[i]) if labels is not None else (lambda i: f"activity {i}")
    rname = (lambda r: resource_labels[r]) if resource_labels is not None else (lambda r: f"resource {r}")
    if len(starts) != n:
        return [LevellingViolation("length", f"{len(starts)} starts for {n} activities")]
    out: list[LevellingViolation] = []
    for i, s in enumerate(starts):
        if not isinstance(s, int) or isinstance(s, bool):
            out.append(LevellingViolation("not_integer", f"{name(i)} starts at {s!r}, not a whole period", i))
        elif s < 0:
            out.append(LevellingViolation("negative_start", f"{name(i)} starts at {s} < 0", i, s))
        elif s < problem.release_of(i):
            out.append(
                LevellingViolation(
                    "before_release",
                    f"{name(i)} starts at period {s}, before its release {problem.release_of(i)}",
                    i,
                    s,
                )
            )
    if out:
        return out
    for p in problem.precedences:
        earliest = starts[p.before] + p.lag + (problem.activities[p.before].duration if p.kind == FS else 0)
        if starts[p.after] < earliest:
            what = "finishes" if p.kind == FS else "starts"
            lag = f" + lag {p.lag}" if p.lag else ""
            out.append(
                LevellingViolation(
                    "precedence",
                    f"{name(p.after)} starts at period {starts[p.after]}, but {name(p.before)} {what} at "
                    f"{earliest - p.lag}{lag} ({p.kind}): it may start at {earliest} at the earliest",
                    p.after,
                    starts[p.after],
                )
            )
    horizon = max((s + a.duration for s, a in zip(starts, problem.activities, strict=True)), default=0)
    for r, cap in enumerate(problem.capacities):
        usage = [0] * horizon
        for s, act in zip(starts, problem.activities, strict=True):
            q = act.demands[r]
            if q:
                for t in range(s, s + act.duration):
                    usage[t] += q
        t = 0
        while t < horizon:
            if usage[t] > cap:
                first, worst = t, usage[t]
                while t < horizon and usage[t] > cap:
                    worst = max(worst, usage[t])
                    t += 1
                running = [
                    name(i)
                    for i, (s, a) in enumerate(zip(starts, problem.activities, strict=True))
                    if a.demands[r] and s <= first < s + a.duration
                ]
                span = f"period {first}" if t - first == 1 else f"periods {first}..{t - 1}"
                out.append(
                    LevellingViolation(
                        "capacity",
                        f"{rname(r)} over capacity in {span}: {usage[first]} used of {cap} "
                        f"(at most {worst}) by {', '.join(running)}",
                        period=first,
                        resource=r,
                    )
                )
            t += 1
    return out
