"""Unit: the lifecycle of a need or an offer as a table. Every move is tested allowed for its roles and
refused for every other role; every (state, action) the table does not hold is refused as not possible
from that state; a draft is never fulfilled."""

from __future__ import annotations

import itertools

import pytest

from helix.core.matching.lifecycle import (
    ACTIONS,
    CLOCK,
    DRAFT,
    EXPIRED,
    FULFILLED,
    INITIAL_STATES,
    LISTING_WORKFLOW,
    MOVES,
    NOT_FROM_STATE,
    NOT_YOURS,
    OWNER,
    PUBLISHED,
    STAFF,
    STATES,
    WITHDRAWN,
    ListingMoveRefused,
    action_to,
    available_moves,
    check_move,
    listing_state,
)
from helix.core.workflow import TransitionNotAllowed

pytestmark = pytest.mark.unit

ALL_ROLES = (OWNER, STAFF, CLOCK, "anyone")

# The whole table, written out: (action, from) -> to. Any other (action, from) is no move.
EXPECTED = {
    ("publish", DRAFT): PUBLISHED,
    ("publish", EXPIRED): PUBLISHED,
    ("publish", FULFILLED): PUBLISHED,
    ("publish", WITHDRAWN): PUBLISHED,
    ("renew", PUBLISHED): PUBLISHED,
    ("renew", EXPIRED): PUBLISHED,
    ("fulfil", PUBLISHED): FULFILLED,
    ("fulfil", EXPIRED): FULFILLED,
    ("withdraw", DRAFT): WITHDRAWN,
    ("withdraw", PUBLISHED): WITHDRAWN,
    ("withdraw", EXPIRED): WITHDRAWN,
    ("draft", PUBLISHED): DRAFT,
    ("draft", EXPIRED): DRAFT,
    ("draft", FULFILLED): DRAFT,
    ("draft", WITHDRAWN): DRAFT,
}


def test_the_table_holds_exactly_the_declared_moves():
    assert {(m.action, m.source): m.target for m in MOVES} == EXPECTED
    assert len(MOVES) == len(EXPECTED)  # no move declared twice


@pytest.mark.parametrize(("action", "source"), sorted(EXPECTED))
def test_each_move_is_the_owners_and_the_staffs_and_nobody_elses(action, source):
    for role in ALL_ROLES:
        if role in (OWNER, STAFF):
            assert check_move(source, action, {role}).target == EXPECTED[(action, source)]
        else:
            with pytest.raises(ListingMoveRefused) as refused:
                check_move(source, action, {role})
            assert refused.value.code == NOT_YOURS


@pytest.mark.parametrize(
    ("action", "source"),
    sorted(set(itertools.product(ACTIONS, STATES)) - set(EXPECTED)),
)
def test_every_other_move_is_not_possible_from_that_state(action, source):
    with pytest.raises(ListingMoveRefused) as refused:
        check_move(source, action, {OWNER, STAFF})
    assert (refused.value.code, refused.value.source, refused.value.action) == (
        NOT_FROM_STATE,
        source,
        action,
    )
    assert isinstance(refused.value, TransitionNotAllowed)  # pages show it as "not possible from here"


def test_a_draft_is_never_fulfilled():
    assert [m.action for m in available_moves(DRAFT, {OWNER, STAFF})] == ["publish", "withdraw"]
    assert action_to(DRAFT, FULFILLED) is None
    with pytest.raises(ListingMoveRefused):
        check_move(DRAFT, "fulfil", {OWNER})


def test_only_renewing_extends_the_lifetime_and_counts():
    assert {(m.action, m.source) for m in MOVES if m.renewal} == {("renew", PUBLISHED), ("renew", EXPIRED)}


def test_moves_offered_in_each_state():
    offered = {state: [m.action for m in available_moves(state, {OWNER})] for state in STATES}
    assert offered == {
        DRAFT: ["publish", "withdraw"],
        PUBLISHED: ["renew", "fulfil", "withdraw", "draft"],
        EXPIRED: ["publish", "renew", "fulfil", "withdraw", "draft"],
        FULFILLED: ["publish", "draft"],
        WITHDRAWN: ["publish", "draft"],
    }
    assert all(available_moves(state, {CLOCK, "anyone"}) == [] for state in STATES)


def test_the_state_is_read_from_the_status_and_the_date():
    assert listing_state(PUBLISHED, expired=False) == PUBLISHED
    assert listing_state(PUBLISHED, expired=True) == EXPIRED
    assert [listing_state(s, expired=True) for s in (DRAFT, FULFILLED, WITHDRAWN)] == [
        DRAFT,
        FULFILLED,
        WITHDRAWN,
    ]


def test_a_status_picked_on_a_form_is_the_move_leading_there():
    assert action_to(PUBLISHED, DRAFT) == "draft"
    assert action_to(EXPIRED, PUBLISHED) == "publish"  # not a renewal
    assert action_to(PUBLISHED, PUBLISHED) is None
    assert action_to(WITHDRAWN, FULFILLED) is None


def test_the_workflow_graph_is_the_table_plus_the_clocks_expiry():
    edges = {(t.source, t.target, frozenset(t.roles)) for t in LISTING_WORKFLOW.transitions}
    assert edges == {(m.source, m.target, m.roles) for m in MOVES} | {
        (PUBLISHED, EXPIRED, frozenset({CLOCK}))
    }
    assert LISTING_WORKFLOW.initial == DRAFT
    assert sorted(INITIAL_STATES) == [DRAFT, PUBLISHED]


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown listing action"):
        check_move(DRAFT, "delete", {OWNER})
