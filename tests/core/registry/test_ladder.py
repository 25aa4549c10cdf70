"""Unit: the engagement ladder as a workflow table; every transition is tested."""

import pytest

from helix.core.registry.ladder import MEMBER_USER, MEMBERSHIP_WORKFLOW, STAFF, EngagementLevel, rung
from helix.core.workflow import Transition, TransitionNotAllowed, Workflow

pytestmark = pytest.mark.unit

UP = [
    ("interested", "loi_signed"),
    ("loi_signed", "member"),
    ("member", "strategic_partner"),
]


@pytest.mark.parametrize(("source", "target"), UP)
def test_staff_move_an_organisation_up_one_rung(source, target):
    assert MEMBERSHIP_WORKFLOW.check(source, target, {STAFF}).target == target


@pytest.mark.parametrize(("source", "target"), [(t, s) for s, t in UP])
def test_staff_move_an_organisation_down_one_rung(source, target):
    assert MEMBERSHIP_WORKFLOW.check(source, target, {STAFF}).target == target


def test_member_user_may_only_record_the_letter_of_intent_step():
    assert MEMBERSHIP_WORKFLOW.check("interested", "loi_signed", {MEMBER_USER})
    for source, target in UP[1:]:
        with pytest.raises(TransitionNotAllowed, match="needs one of the roles"):
            MEMBERSHIP_WORKFLOW.check(source, target, {MEMBER_USER})


def test_rungs_cannot_be_skipped():
    with pytest.raises(TransitionNotAllowed, match="no transition"):
        MEMBERSHIP_WORKFLOW.check("interested", "member", {STAFF})


@pytest.mark.parametrize("level", ["interested", "loi_signed", "member", "strategic_partner"])
def test_every_rung_can_leave_and_left_can_re_engage(level):
    assert MEMBERSHIP_WORKFLOW.check(level, "left", {STAFF})
    assert MEMBERSHIP_WORKFLOW.check("left", "interested", {STAFF})


def test_available_transitions_depend_on_role():
    staff = {t.target for t in MEMBERSHIP_WORKFLOW.available("loi_signed", {STAFF})}
    member = {t.target for t in MEMBERSHIP_WORKFLOW.available("loi_signed", {MEMBER_USER})}
    assert (staff, member) == ({"interested", "member", "left"}, set())


def test_rung_orders_the_ladder():
    assert [rung(level) for level in EngagementLevel] == [0, 1, 2, 3, -1]


def test_workflow_refuses_transitions_to_unknown_states():
    with pytest.raises(ValueError, match="unknown state"):
        Workflow("w", ("a", "b"), "a", (Transition("a", "c", frozenset({"x"}), "to c"),))
