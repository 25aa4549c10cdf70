"""``helix schedule``: solve and check B2B meeting schedules in the published benchmark format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from helix.core.scheduling import (
    InvalidProblem,
    Mode,
    Problem,
    check_schedule,
    read_dzn,
    read_schedule_json,
    schedule_json,
    solve_schedule,
)


def _load(path: Path) -> Problem:
    try:
        return read_dzn(path)
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from None
    except InvalidProblem as exc:
        raise click.ClickException(f"{path.name}: {exc}") from None


@click.group()
def schedule() -> None:
    """Solve and check B2B meeting schedules (MiniZinc .dzn instances, Bofill et al. format)."""


@schedule.command("solve")
@click.argument("instance", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--fairness",
    "-d",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Largest allowed difference in breaks between two participants.",
)
@click.option("--no-fairness", is_flag=True, help="Do not bound the difference in breaks.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds; the best schedule found so far is returned with its gap.",
)
@click.option(
    "--mode",
    type=click.Choice([m.value for m in Mode]),
    default=Mode.ALL.value,
    show_default=True,
    help="all: every meeting held, fewest breaks; max: most meetings held, then fewest breaks.",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write schedule.json here."
)
@click.option("--verbose", "-v", is_flag=True, help="Print each improvement and proof as it comes.")
def solve(
    instance: Path,
    fairness: int,
    no_fairness: bool,
    time_limit: float,
    mode: str,
    output: Path | None,
    verbose: bool,
) -> None:
    """Schedule INSTANCE and print total breaks, whether it is proven optimal, and the time."""
    problem = _load(instance)
    d = None if no_fairness else fairness

    def progress(message: str, seconds: float) -> None:
        click.echo(f"  {seconds:7.2f}s  {message}", err=True)

    result = solve_schedule(
        problem, Mode(mode), d, time_limit=time_limit, progress=progress if verbose else None
    )
    doc = schedule_json(result)
    if output:
        output.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    proven = {
        "optimal": "proven optimal",
        "infeasible": "proven infeasible",
        "feasible": "not proven optimal",
        "unknown": "no schedule found",
    }[result.status.value]
    click.echo(
        f"{problem.name}: {len(problem.meetings)} meetings, {problem.n_participants} participants, "
        f"{problem.n_slots} slots, fairness d={d if d is not None else '-'}"
    )
    if result.status.value == "infeasible":
        click.echo(f"status: infeasible ({proven}) in {result.seconds:.2f} s")
    else:
        gap = f", gap {result.gap:.1%}" if result.gap else ""
        held = f", meetings held {len(result.assignment)}/{len(problem.meetings)}" if mode == "max" else ""
        click.echo(
            f"status: {result.status.value} ({proven}); total breaks {result.total_breaks}, "
            f"bound {result.bound}{gap}{held}; {result.seconds:.2f} s ({result.solver})"
        )


@schedule.command("check")
@click.argument("instance", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "schedule_file", metavar="SCHEDULE.json", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--fairness", "-d", type=click.IntRange(min=0), default=None, help="Also check the fairness bound d."
)
@click.option(
    "--mode",
    type=click.Choice([m.value for m in Mode]),
    default=Mode.ALL.value,
    show_default=True,
    help="all: every meeting must be scheduled; max: unscheduled meetings are allowed.",
)
def check(instance: Path, schedule_file: Path, fairness: int | None, mode: str) -> None:
    """Verify every hard constraint of SCHEDULE.json independently of the solver and recompute the
    objective; exit 1 on any violation."""
    problem = _load(instance)
    try:
        doc = json.loads(schedule_file.read_text(encoding="utf-8"))
        assignment = read_schedule_json(doc)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{schedule_file.name}, line {exc.lineno}: not JSON ({exc.msg})") from None
    except InvalidProblem as exc:
        raise click.ClickException(str(exc)) from None
    if doc.get("status") == "infeasible" and not assignment:
        click.echo("the schedule claims infeasibility; nothing to check (the checker cannot verify a proof)")
        sys.exit(0)
    report = check_schedule(problem, assignment, mode=Mode(mode), fairness=fairness)
    claimed = doc.get("total_breaks")
    if claimed is not None and claimed != report.total_breaks:
        report.violations.append(f"total_breaks says {claimed}, the schedule has {report.total_breaks}")
    for line in report.violations:
        click.echo(f"violation: {line}")
    click.echo(
        f"{len(assignment)} meetings scheduled; total breaks {report.total_breaks}; "
        "largest difference "
        f"in breaks between participants {report.spread}"
    )
    if not report.ok:
        click.echo(f"INVALID: {len(report.violations)} violation(s)")
        sys.exit(1)
    click.echo("valid")
