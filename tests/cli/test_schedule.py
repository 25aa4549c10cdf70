"""Unit: `helix schedule solve` and `helix schedule check` on small .dzn instances written here, and on a
shared benchmark instance where the data is present."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from helix.cli import main
from tests.helpers.shared_data import b2b_instances

pytestmark = pytest.mark.unit

# Four participants, 1 meets 2, 3 and 4; 2 meets 3; three slots, two tables. Meeting 4 is morning-only
# (session 1, slots 1-2). Optimum: no breaks.
SMALL = """nBusiness = 4;
nMeetings = 4;
nTables = 2;
nTotalSlots = 3;
nMorningSlots = 2;
requested = [|1, 2, 3
|1, 3, 3
|1, 4, 3
|2, 3, 1
|];
forbidden = [{0}, {0}, {0}, {3}];
fixed = [0, 0, 0, 0];
precedences = [{}, {}, {}, {}];
"""


def write(tmp_path, name, text):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_solve_writes_schedule_json_that_check_accepts(tmp_path):
    instance = write(tmp_path, "small.dzn", SMALL)
    out = tmp_path / "schedule.json"
    runner = CliRunner()
    result = runner.invoke(main, ["schedule", "solve", str(instance), "--fairness", "1", "--time-limit", "10",
                                  "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "proven optimal" in result.output
    assert "total breaks 0" in result.output
    doc = json.loads(out.read_text())
    assert set(doc) == {"status", "total_breaks", "bound", "seconds", "meetings"}
    assert doc["status"] == "optimal"
    assert doc["total_breaks"] == 0
    assert doc["bound"] == 0
    assert sorted(m["meeting"] for m in doc["meetings"]) == [1, 2, 3, 4]
    slots = {m["meeting"]: m["slot"] for m in doc["meetings"]}
    assert slots[4] in (1, 2)  # morning session
    assert slots[3] != 3  # participant 4 is not available in slot 3
    assert len({slots[1], slots[2], slots[3]}) == 3  # participant 1 meets once per slot
    check = runner.invoke(main, ["schedule", "check", str(instance), str(out), "--fairness", "1"])
    assert check.exit_code == 0, check.output
    assert "valid" in check.output


def test_check_rejects_each_violation_and_exits_non_zero(tmp_path):
    instance = write(tmp_path, "small.dzn", SMALL)
    bad = {"status": "feasible", "total_breaks": 0, "bound": None, "seconds": 0.1,
           "meetings": [{"meeting": 1, "slot": 1}, {"meeting": 2, "slot": 1}, {"meeting": 3, "slot": 3},
                        {"meeting": 4, "slot": 3}]}
    path = write(tmp_path, "bad.json", json.dumps(bad))
    result = CliRunner().invoke(main, ["schedule", "check", str(instance), str(path)])
    assert result.exit_code == 1
    assert "participant 1 has meetings 1 and 2 both in slot 1" in result.output
    assert "participant 4 is not available in slot 3" in result.output
    assert "meeting 4: slot 3 is outside its session" in result.output
    assert "INVALID" in result.output


def test_check_requires_every_meeting(tmp_path):
    instance = write(tmp_path, "small.dzn", SMALL)
    path = write(tmp_path, "partial.json", json.dumps({"meetings": [{"meeting": 1, "slot": 1}]}))
    result = CliRunner().invoke(main, ["schedule", "check", str(instance), str(path)])
    assert result.exit_code == 1
    assert "meeting 2 (1-3) is not scheduled" in result.output


def test_check_recomputes_the_claimed_objective(tmp_path):
    instance = write(tmp_path, "small.dzn", SMALL)
    # a valid placement with a break for participant 2 (slots 1 and 3), claimed as 0 breaks
    doc = {"total_breaks": 0, "meetings": [{"meeting": 1, "slot": 3}, {"meeting": 2, "slot": 2},
                                           {"meeting": 3, "slot": 1}, {"meeting": 4, "slot": 1}]}
    result = CliRunner().invoke(main, ["schedule", "check", str(instance), str(write(tmp_path, "s.json",
                                                                                        json.dumps(doc)))])
    assert "total_breaks says 0, the schedule has 1" in result.output
    assert "violation" in result.output.split("total_breaks")[0]  # the only violation is the objective
    assert result.output.count("violation:") == 1
    assert result.exit_code == 1


def test_bad_instance_names_the_line(tmp_path):
    text = SMALL.replace("|1, 4, 3", "|1, 9, 3")
    result = CliRunner().invoke(main, ["schedule", "solve", str(write(tmp_path, "bad.dzn", text))])
    assert result.exit_code != 0
    assert "line 8" in result.output
    assert "participant 9 is outside 1..4" in result.output


def test_infeasible_fairness_is_reported(tmp_path):
    # 1 meets 2, 3; 2 meets 3 ... with participant 1 forced to a break (slot 2 forbidden, two meetings in
    # slots 1 and 3) while participant 4 (one meeting) has none: d = 0 is infeasible, d = 1 is not.
    text = """nBusiness = 4; nMeetings = 3; nTables = 2; nTotalSlots = 3; nMorningSlots = 3;
requested = [|1, 2, 3 |1, 3, 3 |3, 4, 3 |];
forbidden = [{2}, {0}, {0}, {0}];
fixed = [0, 0, 0];
precedences = [{}, {}, {}];
"""
    path = write(tmp_path, "f.dzn", text)
    out = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["schedule", "solve", str(path), "-d", "0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "infeasible" in result.output
    assert json.loads(out.read_text())["status"] == "infeasible"
    result = CliRunner().invoke(main, ["schedule", "solve", str(path), "-d", "1", "-o", str(out)])
    assert "total breaks 1" in result.output
    assert "proven optimal" in result.output


@pytest.mark.skipif(not b2b_instances(), reason="the shared B2B instances are not on this machine")
def test_solve_and_check_a_published_instance(tmp_path):
    instance = next(p for p in b2b_instances() if p.name == "tic-13crafc.original.dzn")
    out = tmp_path / "schedule.json"
    runner = CliRunner()
    result = runner.invoke(main, ["schedule", "solve", str(instance), "-o", str(out), "--time-limit", "60"])
    assert result.exit_code == 0, result.output
    assert "total breaks 4" in result.output
    assert "proven optimal" in result.output
    check = runner.invoke(main, ["schedule", "check", str(instance), str(out), "-d", "2"])
    assert check.exit_code == 0
    assert "total breaks 4" in check.output
