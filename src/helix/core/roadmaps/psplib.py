"""A reader for PSPLIB single-mode RCPSP files (``.sm``; Kolisch and Sprecher, EJOR 96(1), 1997).

The library's text format: a header (``jobs (incl. supersource/sink ):  32``, ``horizon``, the number of
renewable, nonrenewable and doubly constrained resources), ``PRECEDENCE RELATIONS:`` (per job: number,
modes, number of successors, successors), ``REQUESTS/DURATIONS:`` (per job: number, mode, duration,
demand per resource) and ``RESOURCEAVAILABILITIES:`` (one capacity per resource). Job 1 is a dummy
source and job n a dummy sink, both of duration 0.

Jobs keep the file's 1-based numbers: activity ``i`` of the problem is job ``jobs[i]`` (= ``i + 1``).
Only renewable resources are supported (the .sm files have no others); every error names the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .levelling_problem import Activity, InvalidLevellingProblem, LevellingProblem, Precedence


@dataclass(frozen=True)
class PsplibInstance:
    """A PSPLIB instance: the problem, the file's job numbers (``jobs[i]`` is activity ``i``), the
    resource names (``R1``..), the file's horizon (an upper bound on the makespan) and its name."""

    name: str
    problem: LevellingProblem
    jobs: tuple[int, ...]
    resources: tuple[str, ...]
    horizon: int | None

    def index_of(self, job: int) -> int:
        """The activity index of a job number (raises KeyError for an unknown job)."""
        if not 1 <= job <= len(self.jobs):
            raise KeyError(job)
        return job - 1

    def job_labels(self) -> list[str]:
        return [f"job {j}" for j in self.jobs]


def _error(line: int, message: str, code: str = "psplib_format") -> InvalidLevellingProblem:
    return InvalidLevellingProblem(code, message, line=line)


def _ints(text: str, line: int) -> list[int]:
    try:
        return [int(tok) for tok in text.split()]
    except ValueError:
        raise _error(line, f"expected whole numbers, found {text.strip()!r}") from None


def _header_int(lines: list[str], pattern: str, what: str) -> tuple[int, int]:
    """The number after ``pattern`` and its line number (1-based)."""
    regex = re.compile(pattern, re.IGNORECASE)
    for no, text in enumerate(lines, 1):
        if regex.search(text):
            value = text.split(":", 1)[-1].split()
            if not value or not value[0].lstrip("-").isdigit():
                raise _error(no, f"{what}: expected a whole number, found {text.strip()!r}")
            return int(value[0]), no
    raise _error(len(lines), f"no '{what}' line in the file")


def _section(lines: list[str], title: str) -> int:
    """The 1-based line number of the first line of the section ``title`` (after the header line)."""
    for no, text in enumerate(lines, 1):
        if text.strip().upper().startswith(title):
            return no + 1
    raise _error(len(lines), f"no {title} section in the file")


def _rows(lines: list[str], first: int, count: int, what: str) -> list[tuple[int, list[int]]]:
    """``count`` rows of numbers from line ``first`` on, skipping rules and column headers."""
    rows: list[tuple[int, list[int]]] = []
    no = first
    while len(rows) < count:
        if no > len(lines):
            raise _error(len(lines), f"{what}: expected {count} rows, found {len(rows)} before the end")
        text = lines[no - 1].strip()
        if text.startswith("*"):
            raise _error(no, f"{what}: expected {count} rows, found {len(rows)} before the section ended")
        if not text or text.startswith("-"):
            pass  # blank or a rule
        elif not rows and not text[0].isdigit():
            pass  # the column header (jobnr. mode duration R 1 ...)
        else:
            rows.append((no, _ints(text, no)))
        no += 1
    return rows


def read_psplib_sm(source: str | Path, *, name: str | None = None) -> PsplibInstance:
    """Read a PSPLIB ``.sm`` file: a :class:`~pathlib.Path`, or the file's text (a ``str`` with line
    breaks; a ``str`` without one is taken as a path). Raises :class:`InvalidLevellingProblem` with the
    line on any malformed or inconsistent content."""
    if isinstance(source, Path) or "\n" not in source:
        path = Path(source)
        text = path.read_text(encoding="utf-8", errors="replace")
        name = name or path.name
    else:
        text = source
    lines = text.splitlines()
    n_jobs, jobs_line = _header_int(lines, r"^\s*jobs\s*\(incl", "jobs (incl. supersource/sink)")
    if n_jobs < 2:
        raise _error(jobs_line, f"{n_jobs} jobs: a file has at least the source and the sink")
    horizon: int | None = None
    try:
        horizon, _ = _header_int(lines, r"^\s*horizon\s*:", "horizon")
    except InvalidLevellingProblem:
        horizon = None
    n_res, _ = _header_int(lines, r"^\s*-\s*renewable", "renewable")
    for pattern, what in (
        (r"^\s*-\s*nonrenewable", "nonrenewable"),
        (r"^\s*-\s*doubly", "doubly constrained"),
    ):
        try:
            other, other_line = _header_int(lines, pattern, what)
        except InvalidLevellingProblem:
            continue
        if other:
            raise _error(other_line, f"{other} {what} resources: only renewable resources are supported")

    successors: dict[int, list[int]] = {}
    for no, row in _rows(lines, _section(lines, "PRECEDENCE RELATIONS"), n_jobs, "PRECEDENCE RELATIONS"):
        if len(row) < 3:
            raise _error(no, "a precedence row is: job, modes, number of successors, successors")
        job, modes, count, succ = row[0], row[1], row[2], row[3:]
        if modes != 1:
            raise _error(no, f"job {job} has {modes} modes: only single-mode files (.sm) are supported")
        if count != len(succ):
            raise _error(no, f"job {job} states {count} successors but lists {len(succ)}")
        if job in successors:
            raise _error(no, f"job {job} appears twice in PRECEDENCE RELATIONS")
        if not 1 <= job <= n_jobs:
            raise _error(no, f"job {job} is not in 1..{n_jobs}")
        for s in succ:
            if not 1 <= s <= n_jobs:
                raise _error(no, f"job {job} has successor {s}, not in 1..{n_jobs}")
            if s == job:
                raise _error(no, f"job {job} is its own successor")
        successors[job] = succ

    durations: dict[int, tuple[int, tuple[int, ...]]] = {}
    for no, row in _rows(lines, _section(lines, "REQUESTS/DURATIONS"), n_jobs, "REQUESTS/DURATIONS"):
        if len(row) != 3 + n_res:
            raise _error(
                no, f"a request row is: job, mode, duration and {n_res} demands; found {len(row)} numbers"
            )
        job, mode, duration, demands = row[0], row[1], row[2], tuple(row[3:])
        if not 1 <= job <= n_jobs:
            raise _error(no, f"job {job} is not in 1..{n_jobs}")
        if job in durations:
            raise _error(no, f"job {job} appears twice in REQUESTS/DURATIONS")
        if mode != 1:
            raise _error(no, f"job {job} has mode {mode}: only single-mode files (.sm) are supported")
        if duration < 0 or any(q < 0 for q in demands):
            raise _error(no, f"job {job} has a negative duration or demand")
        durations[job] = (duration, demands)

    cap_first = _section(lines, "RESOURCEAVAILABILITIES")
    ((cap_line, caps),) = _rows(lines, cap_first, 1, "RESOURCEAVAILABILITIES")
    if len(caps) != n_res:
        raise _error(cap_line, f"{len(caps)} capacities for {n_res} renewable resources")
    if any(c < 0 for c in caps):
        raise _error(cap_line, "a capacity is negative")

    activities = tuple(Activity(durations[j][0], durations[j][1]) for j in range(1, n_jobs + 1))
    precedences = tuple(Precedence(j - 1, s - 1) for j in range(1, n_jobs + 1) for s in successors[j])
    problem = LevellingProblem(activities, tuple(caps), precedences)
    return PsplibInstance(
        name=name or "instance",
        problem=problem,
        jobs=tuple(range(1, n_jobs + 1)),
        resources=tuple(f"R{r + 1}" for r in range(n_res)),
        horizon=horizon,
    )
