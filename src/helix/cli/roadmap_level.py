"""``helix roadmap level`` and ``helix roadmap check``: level a PSPLIB RCPSP instance and check a schedule.

``level`` reads a single-mode PSPLIB file (``.sm``), finds the shortest schedule within every
resource's capacity (:func:`helix.core.roadmaps.levelling.level`) and writes::

    {"status": "optimal" | "feasible" | "infeasible" | "unknown", "makespan": 43, "bound": 43,
     "seconds": 0.6, "starts": [{"job": 1, "start": 0}, ...]}

with every job of the file (the dummy source and sink included), numbered as in the file. ``check``
verifies such a file independently of the solver. Neither needs Django or a database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from helix.core.roadmaps.levelling import (
    LevellingProgress,
    check_levelled,
    level,
    makespan_of,
)
from helix.core.roadmaps.levelling_problem import InvalidLevellingProblem
from helix.core.roadmaps.psplib import PsplibInstance, read_psplib_sm


def _load(path: Path) -> PsplibInstance:
    try:
        return read_psplib_sm(path)
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from None
    except InvalidLevellingProblem as exc:
        raise click.ClickException(f"{path.name}, {exc}" if exc.line else f"{path.name}: {exc}") from None


@click.command("level")
@click.argument(
    "instance", metavar="INSTANCE.sm", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds, model building included; the best schedule found so far is returned.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=2, show_default=True, help="CP-SAT search threads."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write schedule.json here (default: standard output).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on standard error.")
def level_command(instance: Path, time_limit: float, workers: int, output: Path | None, quiet: bool) -> None:
    """Level INSTANCE.sm (PSPLIB single-mode RCPSP): the shortest schedule within every resource's
    capacity. Progress goes to standard error, then a one-line summary."""
    data = _load(instance)

    def progress(event: LevellingProgress) -> None:
        what = f"makespan {event.makespan}" if event.makespan is not None else "             "
        click.echo(f"  {event.seconds:7.2f}s  {event.source:9s} {what}  bound {event.bound}", err=True)

    result = level(data.problem, time_limit, workers=workers, progress=None if quiet else progress)
    doc: dict[str, Any] = {
        "status": result.status,
        "makespan": result.makespan,
        "bound": result.bound,
        "seconds": round(result.seconds, 3),
        "starts": [{"job": job, "start": start} for job, start in zip(data.jobs, result.starts, strict=True)]
        if result.starts
        else [],
    }
    if result.reason:
        doc["reason"] = result.reason
    text = json.dumps(doc, indent=1) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    summary = f"{data.name}: {len(data.jobs)} jobs, {len(data.resources)} resources; status {result.status}"
    if result.makespan is not None:
        gap = f", gap {result.gap:.1%}" if result.gap else ""
        summary += (
            f", makespan {result.makespan}, bound {result.bound}{gap} (serial LFT {result.lft_makespan}, "
            f"heuristic {result.heuristic_makespan})"
        )
    elif result.reason:
        summary += f" ({result.reason})"
    click.echo(f"{summary}; {result.seconds:.2f} s", err=output is None)


def _read_starts(doc: Any, data: PsplibInstance, name: str) -> tuple[list[int | None], list[str]]:
    """The start per activity from the JSON (None where a job is missing) and the format problems."""
    problems: list[str] = []
    starts: list[int | None] = [None] * len(data.jobs)
    rows = doc.get("starts") if isinstance(doc, dict) else None
    if not isinstance(rows, list):
        return starts, [f'{name}: no "starts" list']
    for k, row in enumerate(rows):
        if not isinstance(row, dict) or "job" not in row or "start" not in row:
            problems.append(f'starts[{k}] is not {{"job": ..., "start": ...}}')
            continue
        job, start = row["job"], row["start"]
        if not isinstance(job, int) or isinstance(job, bool) or not 1 <= job <= len(data.jobs):
            problems.append(f"starts[{k}] names job {job!r}, not in 1..{len(data.jobs)}")
        elif not isinstance(start, int) or isinstance(start, bool):
            problems.append(f"job {job} starts at {start!r}, not a whole period")
        elif starts[data.index_of(job)] is not None:
            problems.append(f"job {job} appears twice")
        else:
            starts[data.index_of(job)] = start
    for i, s in enumerate(starts):
        if s is None:
            problems.append(f"job {data.jobs[i]} has no start")
    return starts, problems


@click.command("check")
@click.argument(
    "instance", metavar="INSTANCE.sm", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.argument(
    "schedule_file", metavar="SCHEDULE.json", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def check_command(instance: Path, schedule_file: Path) -> None:
    """Verify SCHEDULE.json for INSTANCE.sm independently of the solver: every job present once, every
    precedence, every resource within capacity in every period, and the stated makespan equal to the
    latest finish. Exit 1 on any violation."""
    data = _load(instance)
    try:
        doc = json.loads(schedule_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{schedule_file.name}, line {exc.lineno}: not JSON ({exc.msg})") from None
    if isinstance(doc, dict) and doc.get("status") == "infeasible" and not doc.get("starts"):
        click.echo("the schedule claims infeasibility; nothing to check (the checker cannot verify a proof)")
        return
    starts, problems = _read_starts(doc, data, schedule_file.name)
    makespan = None
    if not problems:
        complete = [s for s in starts if s is not None]
        problems = [
            v.text
            for v in check_levelled(
                data.problem, complete, labels=data.job_labels(), resource_labels=data.resources
            )
        ]
        makespan = makespan_of(data.problem, complete)
        stated = doc.get("makespan")
        if stated != makespan:
            problems.append(f"makespan says {stated!r}, the schedule's latest finish is {makespan}")
        bound = doc.get("bound")
        if isinstance(bound, int) and not isinstance(bound, bool) and bound > makespan:
            problems.append(f"bound {bound} is above the makespan {makespan}")
    for line in problems:
        click.echo(f"violation: {line}")
    if problems:
        click.echo(f"INVALID: {len(problems)} violation(s)")
        sys.exit(1)
    click.echo(f"valid: {len(data.jobs)} jobs, makespan {makespan}")
