"""Unit: table assignment (helix.core.scheduling.tables): capacity, hosts at home, participants staying
put."""

from __future__ import annotations

import pytest

from helix.core.scheduling import InvalidProblem, Meeting, Problem
from helix.core.scheduling.tables import assign_tables

pytestmark = pytest.mark.unit


def test_every_table_meeting_gets_a_distinct_existing_table_and_online_meetings_none():
    meetings = (Meeting(0, 1), Meeting(2, 3), Meeting(4, 5, needs_table=False), Meeting(0, 2))
    problem = Problem(6, 2, (2, 1), meetings)
    tables = assign_tables(problem, {0: 0, 1: 0, 2: 0, 3: 1})
    assert 2 not in tables
    assert {tables[0], tables[1]} == {0, 1}
    assert tables[3] == 0


def test_a_participant_with_consecutive_meetings_keeps_its_table():
    # participant 0 meets 1, then 2, then 3; others come and go
    meetings = (Meeting(4, 5), Meeting(0, 1), Meeting(6, 7), Meeting(0, 2), Meeting(0, 3))
    problem = Problem(8, 3, (3, 3, 3), meetings)
    tables = assign_tables(problem, {0: 0, 1: 0, 2: 1, 3: 1, 4: 2})
    assert tables[1] == tables[3] == tables[4]


def test_hosts_stay_at_home_and_overfull_slots_are_refused():
    meetings = (Meeting(0, 2), Meeting(1, 3), Meeting(0, 3), Meeting(1, 2))
    problem = Problem(4, 2, (2, 2), meetings)
    tables = assign_tables(problem, {0: 0, 1: 0, 2: 1, 3: 1}, home={0: 1, 1: 0})
    assert tables[0] == tables[2] == 1
    assert tables[1] == tables[3] == 0
    with pytest.raises(InvalidProblem, match="slot 1: 2 meetings at 1 tables"):
        assign_tables(Problem(4, 1, (1,), meetings[:2]), {0: 0, 1: 0})
