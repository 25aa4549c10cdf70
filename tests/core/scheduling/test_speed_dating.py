"""Unit: speed-dating rounds (helix.core.scheduling.speed_dating): visitors meet their chosen hosts."""

from __future__ import annotations

import pytest

from helix.core.scheduling import InvalidProblem, Mode, check_schedule
from helix.core.scheduling.speed_dating import plan_speed_dating

pytestmark = pytest.mark.unit


def test_speed_dating_visitors_meet_their_chosen_hosts_in_rounds():
    # three cities (hosts 0-2), five companies (3-7); each company chose two or three cities
    wishes = [
        (3, 0, 3),
        (3, 1, 1),
        (4, 0, 2),
        (4, 2, 2),
        (5, 1, 3),
        (5, 2, 1),
        (6, 0, 1),
        (6, 1, 2),
        (6, 2, 3),
        (7, 2, 2),
        (7, 0, 1),
    ]
    plan = plan_speed_dating(3, 5, wishes, n_rounds=4, unavailable={7: [0]})
    assert check_schedule(plan.problem, plan.result.assignment, mode=Mode.MAX).ok
    assert not plan.unmet  # 11 wishes, 3 tables x 4 rounds, and every visitor has at most 3 wishes
    assert len(plan.rounds) == 11
    for (visitor, host), rnd in plan.rounds.items():
        assert 0 <= rnd < 4
        assert (visitor, host) in {(v, h) for v, h, _ in wishes}
    assert plan.rounds[7, 2] != 0
    assert plan.rounds[7, 0] != 0
    for m, table in plan.tables.items():
        assert table == plan.problem.meetings[m].a  # the host's own table


def test_speed_dating_with_too_few_rounds_keeps_the_higher_priorities():
    wishes = [(2, 0, 3), (2, 1, 1)]
    plan = plan_speed_dating(2, 1, wishes, n_rounds=1)
    assert plan.rounds == {(2, 0): 0}
    assert plan.unmet == [(2, 1)]


def test_speed_dating_rejects_wishes_naming_the_wrong_side():
    with pytest.raises(InvalidProblem, match="wish 1: host 5 is not a host table"):
        plan_speed_dating(2, 2, [(2, 5, 1)], n_rounds=2)
    with pytest.raises(InvalidProblem, match="wish 1: visitor 1 is not a visitor"):
        plan_speed_dating(2, 2, [(1, 0, 1)], n_rounds=2)
