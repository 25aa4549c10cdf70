"""Unit: `helix roadmap level` writes the schedule JSON with every job of the PSPLIB file, and
`helix roadmap check` accepts it and rejects broken ones, naming the job and period."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helix.cli import main
from tests.core.roadmaps.sm_sample import SMALL_OPTIMUM, SMALL_SM

pytestmark = pytest.mark.unit


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    path = tmp_path / "small.sm"
    path.write_text(SMALL_SM, encoding="utf-8")
    return path


def level(instance: Path, out: Path) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        main,
        ["roadmap", "level", str(instance), "--time-limit", "5", "--output", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "small.sm: 6 jobs, 2 resources; status optimal, makespan 7, bound 7" in result.output
    doc: dict = json.loads(out.read_text(encoding="utf-8"))  # type: ignore[type-arg]
    return doc


def check(instance: Path, schedule: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["roadmap", "check", str(instance), str(schedule)], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_level_writes_every_job_and_check_accepts_it(instance: Path, tmp_path: Path) -> None:
    out = tmp_path / "schedule.json"
    doc = level(instance, out)
    assert set(doc) == {"status", "makespan", "bound", "seconds", "starts"}
    assert doc["status"] == "optimal"
    assert doc["makespan"] == doc["bound"] == SMALL_OPTIMUM
    assert [row["job"] for row in doc["starts"]] == [1, 2, 3, 4, 5, 6]
    starts = {row["job"]: row["start"] for row in doc["starts"]}
    assert starts[1] == 0
    assert starts[6] == SMALL_OPTIMUM
    assert isinstance(doc["seconds"], float)
    assert doc["seconds"] < 5
    code, output = check(instance, out)
    assert code == 0
    assert f"valid: 6 jobs, makespan {SMALL_OPTIMUM}" in output


def test_level_prints_to_stdout_without_output_and_shows_progress(instance: Path) -> None:
    result = CliRunner().invoke(
        main, ["roadmap", "level", str(instance), "--time-limit", "2", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["makespan"] == SMALL_OPTIMUM
    assert len(doc["starts"]) == 6
    assert "heuristic" in result.stderr
    assert "status optimal" in result.stderr


def write(tmp_path: Path, doc: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_check_rejects_broken_schedules(instance: Path, tmp_path: Path) -> None:
    good = level(instance, tmp_path / "schedule.json")
    starts = {row["job"]: row["start"] for row in good["starts"]}

    def with_starts(**changes: int) -> dict:  # type: ignore[type-arg]
        new = dict(starts)
        for job, start in changes.items():
            new[int(job.lstrip("j"))] = start
        return {**good, "starts": [{"job": j, "start": s} for j, s in new.items()]}

    # job 2 moved onto job 3 (both need 3 of R1, capacity 4) at period 0
    doc = with_starts(j2=0, j4=3, j6=max(3 + 1, starts[5] + 4))
    doc["makespan"] = doc["starts"][-1]["start"]
    code, output = check(instance, write(tmp_path, doc))
    assert code == 1
    assert "R1 over capacity in period" in output
    assert "job 2" in output
    assert "job 3" in output

    # job 5 starts before job 3 (its predecessor) has finished
    code, output = check(instance, write(tmp_path, with_starts(j5=starts[3] + 1)))
    assert code == 1
    assert "job 5 starts at period" in output
    assert "job 3 finishes" in output

    # a job missing
    doc = {**good, "starts": [row for row in good["starts"] if row["job"] != 4]}
    code, output = check(instance, write(tmp_path, doc))
    assert code == 1
    assert "job 4 has no start" in output

    # the stated makespan is not the latest finish
    code, output = check(instance, write(tmp_path, {**good, "makespan": SMALL_OPTIMUM - 1}))
    assert code == 1
    assert f"the schedule's latest finish is {SMALL_OPTIMUM}" in output

    # an unknown job
    doc = {**good, "starts": [*good["starts"], {"job": 9, "start": 0}]}
    code, output = check(instance, write(tmp_path, doc))
    assert code == 1
    assert "names job 9, not in 1..6" in output


def test_a_broken_instance_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.sm"
    path.write_text(
        SMALL_SM.replace("   3        1          1           5", "   3        1          2           5")
    )
    result = CliRunner().invoke(main, ["roadmap", "level", str(path), "--time-limit", "1"])
    assert result.exit_code == 1
    assert "bad.sm, line 21: job 3 states 2 successors" in result.output
