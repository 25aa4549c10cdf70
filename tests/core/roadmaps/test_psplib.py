"""Unit: the PSPLIB single-mode reader on a file written here, on a real library file (when the shared
data is present), and on broken input (the error names the line)."""

from __future__ import annotations

import pytest

from helix.core.roadmaps.levelling import check_levelled, level, makespan_of, serial_lft
from helix.core.roadmaps.levelling_problem import FS, InvalidLevellingProblem, lower_bound
from helix.core.roadmaps.psplib import read_psplib_sm
from tests.core.roadmaps.sm_sample import JOB3_PRECEDENCE_LINE, SMALL_OPTIMUM, SMALL_SM
from tests.helpers.shared_data import rcpsp_dir

pytestmark = pytest.mark.unit


def test_reads_jobs_durations_demands_successors_and_capacities() -> None:
    inst = read_psplib_sm(SMALL_SM, name="small")
    p = inst.problem
    assert inst.jobs == (1, 2, 3, 4, 5, 6)
    assert inst.resources == ("R1", "R2")
    assert inst.horizon == 20
    assert p.capacities == (4, 3)
    assert [a.duration for a in p.activities] == [0, 3, 2, 1, 4, 0]
    assert p.activities[1].demands == (3, 1)
    assert p.activities[3].demands == (1, 3)
    # successors of job 1 are jobs 2 and 3: activities 0 -> 1 and 0 -> 2, finish-to-start, no lag
    pairs = {(q.before + 1, q.after + 1) for q in p.precedences}
    assert pairs == {(1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 6)}
    assert all(q.kind == FS and q.lag == 0 for q in p.precedences)
    assert inst.index_of(6) == 5
    assert inst.job_labels()[0] == "job 1"


def test_the_small_file_levels_to_its_optimum() -> None:
    p = read_psplib_sm(SMALL_SM).problem
    assert lower_bound(p) == 6
    assert makespan_of(p, serial_lft(p)) > SMALL_OPTIMUM  # the LFT rule starts job 2 too early
    result = level(p, 5.0)
    assert result.status == "optimal"
    assert result.makespan == SMALL_OPTIMUM
    assert check_levelled(p, result.starts) == []


def test_reads_a_file_from_disk(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "small.sm"
    path.write_text(SMALL_SM, encoding="utf-8")
    assert read_psplib_sm(path).name == "small.sm"
    assert read_psplib_sm(str(path)).problem == read_psplib_sm(SMALL_SM).problem


def test_a_real_j30_file() -> None:
    base = rcpsp_dir()
    if base is None:
        pytest.skip("../shared/data/rcpsp not found (PSPLIB instances)")
    inst = read_psplib_sm(base / "j30" / "j301_1.sm")
    p = inst.problem
    assert len(inst.jobs) == 32
    assert p.capacities == (12, 13, 4, 12)
    assert p.activities[0].duration == 0
    assert p.activities[-1].duration == 0
    assert p.activities[1].duration == 8
    assert p.activities[1].demands == (4, 0, 0, 0)
    assert sum(1 for q in p.precedences if q.before == 0) == 3
    assert check_levelled(p, serial_lft(p)) == []


def broken(old: str, new: str) -> str:
    assert old in SMALL_SM
    return SMALL_SM.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            broken("   3        1          1           5", "   3        1          2           5"),
            JOB3_PRECEDENCE_LINE,
            "job 3 states 2 successors but lists 1",
        ),
        (
            broken("   3        1          1           5", "   3        1          1           9"),
            JOB3_PRECEDENCE_LINE,
            "successor 9, not in 1..6",
        ),
        (
            broken("   3        1          1           5", "   3        1          1           x"),
            JOB3_PRECEDENCE_LINE,
            "expected whole numbers",
        ),
        (
            broken("   3        1          1           5", "   3        2          1           5"),
            JOB3_PRECEDENCE_LINE,
            "only single-mode",
        ),
        (
            broken("  4      1     1       1    3", "  4      1     1       1"),
            SMALL_SM.splitlines().index("  4      1     1       1    3") + 1,
            "found 4 numbers",
        ),
        (
            broken("    4    3\n", "    4\n"),
            SMALL_SM.splitlines().index("    4    3") + 1,
            "1 capacities for 2 renewable resources",
        ),
        (
            broken("  6      1     0       0    0\n", ""),
            SMALL_SM.splitlines().index("  6      1     0       0    0") + 1,
            "expected 6 rows, found 5",
        ),
    ],
)
def test_broken_files_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InvalidLevellingProblem) as exc:
        read_psplib_sm(text)
    assert exc.value.line == line, str(exc.value)
    assert str(exc.value).startswith(f"line {line}: ")
    assert words in str(exc.value)


def test_a_file_without_its_sections_says_which() -> None:
    with pytest.raises(InvalidLevellingProblem) as exc:
        read_psplib_sm("jobs (incl. supersource/sink ):  3\n  - renewable : 1 R\n")
    assert "no PRECEDENCE RELATIONS section" in str(exc.value)
    with pytest.raises(InvalidLevellingProblem) as exc:
        read_psplib_sm("nothing here\nat all\n")
    assert "jobs (incl. supersource/sink)" in str(exc.value)


def test_a_demand_above_capacity_reads_but_levels_to_infeasible() -> None:
    p = read_psplib_sm(broken("  5      1     4       0    2", "  5      1     4       0    7")).problem
    result = level(p, 1.0)
    assert result.status == "infeasible"
    assert "activity 4 demands 7 of resource 1" in result.reason
