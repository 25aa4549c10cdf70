"""Unit: the lifecycles of matchmaking as workflow tables (event, schedule run, event meeting request,
market meeting request). Every transition is tested allowed for its roles and refused for every other
role; every pair of states the table does not join is refused."""

from __future__ import annotations

import itertools

import pytest

from helix.core.matchmaking.workflows import (
    ACCEPTED,
    ASKED,
    ASKER,
    BOTH_AGREED,
    CANCELLED,
    CLOSED,
    DEADLINE,
    DECLINED,
    DRAFT,
    EVENT_REQUEST_WORKFLOW,
    EVENT_WORKFLOW,
    EXPIRED,
    FAILED,
    MARKET_MEETING_WORKFLOW,
    NOT_FROM_STATE,
    NOT_YOURS,
    OPEN,
    ORGANISER,
    PUBLISHED,
    QUEUED,
    REQUESTED,
    REQUESTER,
    RUNNING,
    SCHEDULE_WORKFLOW,
    SUCCEEDED,
    WITHDRAWN,
    WORKER,
    MoveRefused,
    check_move,
    schedule_state,
)
from helix.core.workflow import TransitionNotAllowed, Workflow

pytestmark = pytest.mark.unit

ALL_ROLES = frozenset({ORGANISER, WORKER, REQUESTER, ASKED, ASKER, BOTH_AGREED, DEADLINE})

# Each table written out once more, by hand: (source, target) -> the roles that may make the move.
EXPECTED: dict[str, dict[tuple[str, str], set[str]]] = {
    "event": {
        (DRAFT, OPEN): {ORGANISER},
        (OPEN, CLOSED): {ORGANISER},
        (CLOSED, OPEN): {ORGANISER},
    },
    "schedule": {
        (QUEUED, RUNNING): {WORKER},
        (QUEUED, FAILED): {WORKER},
        (QUEUED, CANCELLED): {ORGANISER, WORKER},
        (RUNNING, SUCCEEDED): {WORKER},
        (RUNNING, FAILED): {WORKER},
        (RUNNING, CANCELLED): {ORGANISER, WORKER},
        (FAILED, RUNNING): {WORKER},
        (SUCCEEDED, PUBLISHED): {ORGANISER},
        (PUBLISHED, SUCCEEDED): {ORGANISER},
    },
    "event meeting request": {
        (REQUESTED, ACCEPTED): {ASKED, ORGANISER, BOTH_AGREED},
        (REQUESTED, DECLINED): {ASKED, ORGANISER},
        (REQUESTED, CANCELLED): {REQUESTER, ORGANISER},
        (ACCEPTED, CANCELLED): {REQUESTER, ASKED, ORGANISER},
        (REQUESTED, EXPIRED): {DEADLINE},
    },
    "meeting request": {
        (REQUESTED, ACCEPTED): {ASKED},
        (REQUESTED, DECLINED): {ASKED},
        (REQUESTED, WITHDRAWN): {ASKER},
        (ACCEPTED, WITHDRAWN): {ASKER, ASKED},
    },
}
WORKFLOWS = [EVENT_WORKFLOW, SCHEDULE_WORKFLOW, EVENT_REQUEST_WORKFLOW, MARKET_MEETING_WORKFLOW]

ALLOWED = [
    pytest.param(w, s, t, role, id=f"{w.name}:{s}->{t}:{role}")
    for w in WORKFLOWS
    for (s, t), roles in EXPECTED[w.name].items()
    for role in sorted(roles)
]
REFUSED_ROLE = [
    pytest.param(w, s, t, role, id=f"{w.name}:{s}->{t}:{role}")
    for w in WORKFLOWS
    for (s, t), roles in EXPECTED[w.name].items()
    for role in sorted(ALL_ROLES - roles)
]
NO_SUCH_MOVE = [
    pytest.param(w, s, t, id=f"{w.name}:{s}->{t}")
    for w in WORKFLOWS
    for s, t in itertools.product(w.states, w.states)
    if (s, t) not in EXPECTED[w.name]
]


def test_the_tables_are_exactly_the_expected_moves() -> None:
    for workflow in WORKFLOWS:
        table = {(t.source, t.target): set(t.roles) for t in workflow.transitions}
        assert (workflow.name, table) == (workflow.name, EXPECTED[workflow.name])


@pytest.mark.parametrize(("workflow", "source", "target", "role"), ALLOWED)
def test_each_move_is_allowed_to_each_of_its_roles(
    workflow: Workflow, source: str, target: str, role: str
) -> None:
    assert (
        check_move(workflow, source, target, {role}).source,
        workflow.check(source, target, {role}).target,
    ) == (
        source,
        target,
    )


@pytest.mark.parametrize(("workflow", "source", "target", "role"), REFUSED_ROLE)
def test_each_move_is_refused_to_every_other_role(
    workflow: Workflow, source: str, target: str, role: str
) -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(workflow, source, target, {role})
    assert (refused.value.code, refused.value.source, refused.value.target) == (NOT_YOURS, source, target)
    with pytest.raises(TransitionNotAllowed, match="needs one of the roles"):
        workflow.check(source, target, {role})


@pytest.mark.parametrize(("workflow", "source", "target"), NO_SUCH_MOVE)
def test_pairs_the_table_does_not_join_are_refused_whatever_the_roles(
    workflow: Workflow, source: str, target: str
) -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(workflow, source, target, ALL_ROLES)
    assert refused.value.code == NOT_FROM_STATE
    assert isinstance(refused.value, TransitionNotAllowed)  # pages and API translate it as such


def test_a_new_event_is_a_draft_and_only_a_published_event_can_close() -> None:
    assert EVENT_WORKFLOW.initial == DRAFT
    assert [t.target for t in EVENT_WORKFLOW.available(DRAFT, {ORGANISER})] == [OPEN]
    assert [t.target for t in EVENT_WORKFLOW.available(OPEN, {ORGANISER})] == [CLOSED]
    assert [t.target for t in EVENT_WORKFLOW.available(CLOSED, {ORGANISER})] == [OPEN]
    assert EVENT_WORKFLOW.available(OPEN, {REQUESTER, ASKED, WORKER}) == []


def test_what_each_side_of_an_open_event_request_may_do() -> None:
    def targets(roles: set[str]) -> list[str]:
        return [t.target for t in EVENT_REQUEST_WORKFLOW.available(REQUESTED, roles)]

    assert targets({REQUESTER}) == [CANCELLED]
    assert targets({ASKED}) == [ACCEPTED, DECLINED]
    assert targets({ORGANISER}) == [ACCEPTED, DECLINED, CANCELLED]
    assert [t.target for t in EVENT_REQUEST_WORKFLOW.available(ACCEPTED, {ASKED})] == [CANCELLED]
    for final in (DECLINED, EXPIRED, CANCELLED):
        assert EVENT_REQUEST_WORKFLOW.available(final, ALL_ROLES) == []


def test_a_schedule_run_is_published_only_after_it_succeeded_and_never_run_again() -> None:
    assert [t.target for t in SCHEDULE_WORKFLOW.available(SUCCEEDED, {ORGANISER})] == [PUBLISHED]
    for state in (QUEUED, RUNNING, FAILED, CANCELLED, PUBLISHED):
        assert PUBLISHED not in {t.target for t in SCHEDULE_WORKFLOW.available(state, ALL_ROLES)}
    for state in (SUCCEEDED, PUBLISHED, CANCELLED, RUNNING):
        assert RUNNING not in {t.target for t in SCHEDULE_WORKFLOW.available(state, {WORKER})}


def test_schedule_state_reads_the_published_flag_over_the_status() -> None:
    assert [
        schedule_state(SUCCEEDED, True),
        schedule_state(SUCCEEDED, False),
        schedule_state(QUEUED, False),
    ] == [
        PUBLISHED,
        SUCCEEDED,
        QUEUED,
    ]


def test_a_market_request_is_answered_by_the_asked_side_only() -> None:
    assert [t.target for t in MARKET_MEETING_WORKFLOW.available(REQUESTED, {ASKED})] == [ACCEPTED, DECLINED]
    assert [t.target for t in MARKET_MEETING_WORKFLOW.available(REQUESTED, {ASKER})] == [WITHDRAWN]
    assert MARKET_MEETING_WORKFLOW.available(DECLINED, ALL_ROLES) == []
    assert MARKET_MEETING_WORKFLOW.available(WITHDRAWN, ALL_ROLES) == []


def test_the_refusal_says_which_move_and_why() -> None:
    with pytest.raises(MoveRefused, match=r"^event: closed -> draft: no such move from this state$"):
        check_move(EVENT_WORKFLOW, CLOSED, DRAFT, {ORGANISER})
    with pytest.raises(MoveRefused, match=r"^schedule: succeeded -> published: not a move for your role$"):
        check_move(SCHEDULE_WORKFLOW, SUCCEEDED, PUBLISHED, {WORKER})
