"""Unit: the event day as workflow tables (helix.core.matchmaking.workflows): a visitor's sign-up and a
meeting's outcome."""

from __future__ import annotations

import itertools

import pytest

from helix.core.matchmaking.workflows import (
    ASKED,
    CONFIRMED,
    DECLINED,
    HELD,
    MEETING_OUTCOME_WORKFLOW,
    NO_SHOW,
    NOT_FROM_STATE,
    NOT_YOURS,
    ORGANISER,
    PENDING,
    REQUESTER,
    SIGNUP_WORKFLOW,
    WORKER,
    MoveRefused,
    check_move,
)

pytestmark = pytest.mark.unit


OTHERS = {REQUESTER, ASKED, WORKER}


EXPECTED = {
    SIGNUP_WORKFLOW.name: {(PENDING, CONFIRMED), (PENDING, DECLINED)},
    MEETING_OUTCOME_WORKFLOW.name: {
        (PENDING, HELD),
        (PENDING, NO_SHOW),
        (HELD, NO_SHOW),
        (NO_SHOW, HELD),
        (HELD, PENDING),
        (NO_SHOW, PENDING),
    },
}


@pytest.mark.parametrize("workflow", [SIGNUP_WORKFLOW, MEETING_OUTCOME_WORKFLOW], ids=lambda w: w.name)
def test_only_the_organiser_makes_the_moves_of_the_table(workflow) -> None:  # type: ignore[no-untyped-def]
    assert {(t.source, t.target) for t in workflow.transitions} == EXPECTED[workflow.name]
    for source, target in itertools.product(workflow.states, workflow.states):
        if (source, target) in EXPECTED[workflow.name]:
            assert check_move(workflow, source, target, {ORGANISER}).target == target
            with pytest.raises(MoveRefused) as refused:
                check_move(workflow, source, target, OTHERS)
            assert refused.value.code == NOT_YOURS
        else:
            with pytest.raises(MoveRefused) as refused:
                check_move(workflow, source, target, {ORGANISER})
            assert refused.value.code == NOT_FROM_STATE


def test_a_decided_sign_up_is_final() -> None:
    assert SIGNUP_WORKFLOW.initial == PENDING
    assert SIGNUP_WORKFLOW.available(CONFIRMED, {ORGANISER}) == []
    assert SIGNUP_WORKFLOW.available(DECLINED, {ORGANISER}) == []
