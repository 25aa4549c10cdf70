"""Unit: a project's lifecycle. Every move of each table is allowed for its roles and refused for the
others; every pair of states the table does not join is refused; each move's requirements refuse it
with coded problems until the project is ready; the history replays."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from helix.core.projects.budget import (
    Budget,
    BudgetLine,
    CostCategory,
    Deliverable,
    FundingSource,
    SourceKind,
)
from helix.core.projects.consortium import Member, Role, check_consortium
from helix.core.projects.lifecycle import (
    APPROVED,
    CLOSED,
    CONVENED_MOVES,
    COORDINATOR,
    FORMING,
    FUNDED_MOVES,
    IDEA,
    LIFECYCLES,
    MEMBER,
    NOT_FROM_STATE,
    NOT_YOURS,
    PROJECT_WORKFLOW,
    REJECTED,
    REQUIREMENTS_UNMET,
    ROLES,
    RUNNING,
    STAFF,
    STATES,
    SUBMITTED,
    HistoryEntry,
    HistoryError,
    Move,
    ProjectFacts,
    ProjectMoveRefused,
    available_moves,
    check_project_move,
    move_project,
    replay,
)
from helix.core.projects.problems import Problem
from helix.core.projects.types import ProjectType, project_type

from .helpers import company, coordinator, government, knowledge, partner

pytestmark = pytest.mark.unit

FLAGSHIP = project_type("flagship")
TABLE = project_type("working_table")
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

READY_CONSORTIUM = {
    "flagship": [coordinator(company(1, country="LU")), partner(knowledge(2, country="LU"))],
    "working_table": [coordinator(company(1)), Member(government(2), Role.CITY_HOST)],
}


def ready(t: ProjectType) -> ProjectFacts:
    return ProjectFacts(check_consortium(READY_CONSORTIUM[t.key], t.rules), t.min_months, date(2026, 4, 1))


def test_the_project_workflow_is_the_issues_lifecycle() -> None:
    assert PROJECT_WORKFLOW.states == STATES
    assert PROJECT_WORKFLOW.initial == IDEA
    assert [(t.source, t.target) for t in PROJECT_WORKFLOW.transitions] == [
        (IDEA, FORMING),
        (FORMING, SUBMITTED),
        (SUBMITTED, FORMING),
        (SUBMITTED, APPROVED),
        (SUBMITTED, REJECTED),
        (REJECTED, FORMING),
        (APPROVED, RUNNING),
        (RUNNING, CLOSED),
        (IDEA, CLOSED),
        (FORMING, CLOSED),
        (REJECTED, CLOSED),
        (APPROVED, CLOSED),
    ]


def test_a_convened_project_skips_the_submission() -> None:
    assert LIFECYCLES["convened"].states == (IDEA, FORMING, RUNNING, CLOSED)
    assert [(t.source, t.target) for t in LIFECYCLES["convened"].transitions] == [
        (IDEA, FORMING),
        (FORMING, RUNNING),
        (RUNNING, CLOSED),
        (IDEA, CLOSED),
        (FORMING, CLOSED),
    ]


def test_who_may_make_each_move() -> None:
    assert {m.action: sorted(m.roles) for m in FUNDED_MOVES} == {
        "form": ["coordinator", "staff"],
        "submit": ["coordinator"],
        "withdraw": ["coordinator"],
        "approve": ["staff"],
        "reject": ["staff"],
        "revise": ["coordinator", "staff"],
        "start": ["coordinator", "staff"],
        "close": ["staff"],
        "drop": ["coordinator", "staff"],
    }
    assert {m.action: sorted(m.roles) for m in CONVENED_MOVES} == {
        "form": ["coordinator", "staff"],
        "start": ["staff"],
        "close": ["staff"],
        "drop": ["coordinator", "staff"],
    }


CASES = [(FLAGSHIP, move, role) for move in FUNDED_MOVES for role in ROLES] + [
    (TABLE, move, role) for move in CONVENED_MOVES for role in ROLES
]


@pytest.mark.parametrize(
    ("t", "move", "role"), CASES, ids=lambda v: getattr(v, "key", getattr(v, "action", v))
)
def test_each_move_is_allowed_for_its_roles_and_refused_for_the_others(
    t: ProjectType, move: Move, role: str
) -> None:
    if role in move.roles:
        assert check_project_move(t, move.source, move.target, {role}, ready(t)) == move
    else:
        with pytest.raises(ProjectMoveRefused) as refused:
            check_project_move(t, move.source, move.target, {role}, ready(t))
        assert (refused.value.code, refused.value.problems) == (NOT_YOURS, ())


@pytest.mark.parametrize("t", [FLAGSHIP, TABLE], ids=["funded", "convened"])
def test_every_pair_of_states_the_table_does_not_join_is_refused(t: ProjectType) -> None:
    workflow = LIFECYCLES[t.lifecycle]
    joined = {(tr.source, tr.target) for tr in workflow.transitions}
    pairs = [p for p in itertools.product(STATES, STATES) if p not in joined]
    assert len(pairs) == 49 - len(joined)
    for source, target in pairs:
        with pytest.raises(ProjectMoveRefused) as refused:
            check_project_move(t, source, target, set(ROLES), ready(t))
        assert refused.value.code == NOT_FROM_STATE


def test_available_moves_for_each_role() -> None:
    assert [m.action for m in available_moves(FLAGSHIP, FORMING, {COORDINATOR})] == ["submit", "drop"]
    assert [m.action for m in available_moves(FLAGSHIP, FORMING, {STAFF})] == ["drop"]
    assert [m.action for m in available_moves(FLAGSHIP, SUBMITTED, {STAFF, MEMBER})] == ["approve", "reject"]
    assert available_moves(FLAGSHIP, CLOSED, set(ROLES)) == []
    assert [m.action for m in available_moves(TABLE, FORMING, {STAFF})] == ["start", "drop"]


# -- requirements ------------------------------------------------------------------------------------------


def _refusal(
    t: ProjectType, source: str, target: str, roles: set[str], facts: ProjectFacts
) -> ProjectMoveRefused:
    with pytest.raises(ProjectMoveRefused) as refused:
        check_project_move(t, source, target, roles, facts)
    return refused.value


def test_submitting_needs_every_hard_consortium_rule() -> None:
    facts = ProjectFacts(FLAGSHIP.check([coordinator(company(1, country="LU"))]), 24)
    refused = _refusal(FLAGSHIP, FORMING, SUBMITTED, {COORDINATOR}, facts)
    assert (refused.code, refused.problems) == (
        REQUIREMENTS_UNMET,
        (
            Problem(
                "consortium.too_few_organisations",
                {"min": 2, "count": 1, "distinct_groups": False},
                "At least 2 independent organisations are needed; the consortium has 1.",
            ),
        ),
    )
    assert str(refused) == (
        "project: consortium_forming -> submitted: At least 2 independent organisations are needed; the "
        "consortium has 1."
    )


def test_advice_does_not_block_a_submission() -> None:
    two_companies = FLAGSHIP.check([coordinator(company(1, country="LU")), partner(company(2, country="LU"))])
    assert len(two_companies.advice) == 2
    move = check_project_move(FLAGSHIP, FORMING, SUBMITTED, {COORDINATOR}, ProjectFacts(two_companies, 24))
    assert move.action == "submit"


def test_submitting_needs_a_duration_in_bounds_and_a_budget_without_problems() -> None:
    budget_problem = Problem("budget.sources_short", {"organisation": 1}, "short")
    facts = ProjectFacts(ready(FLAGSHIP).consortium, 60, budget_problems=(budget_problem,))
    refused = _refusal(FLAGSHIP, FORMING, SUBMITTED, {COORDINATOR}, facts)
    assert (refused.code, [p.code for p in refused.problems]) == (
        REQUIREMENTS_UNMET,
        ["project.duration_too_long", "budget.sources_short"],
    )
    no_duration = _refusal(
        FLAGSHIP, FORMING, SUBMITTED, {COORDINATOR}, ProjectFacts(ready(FLAGSHIP).consortium)
    )
    assert [p.code for p in no_duration.problems] == ["project.duration_missing"]


def test_starting_an_approved_project_needs_a_start_date() -> None:
    facts = ProjectFacts(ready(FLAGSHIP).consortium, 24)
    refused = _refusal(FLAGSHIP, APPROVED, RUNNING, {STAFF}, facts)
    assert refused.problems == (Problem("lifecycle.start_missing", {}, "The project needs a start date."),)


def test_closing_needs_every_deliverable_delivered() -> None:
    facts = ProjectFacts(ready(FLAGSHIP).consortium, 24, date(2026, 1, 1), open_deliverables=("D2", "D1"))
    refused = _refusal(FLAGSHIP, RUNNING, CLOSED, {STAFF}, facts)
    assert refused.problems == (
        Problem(
            "lifecycle.deliverables_open",
            {"deliverables": ["D1", "D2"], "count": 2},
            "Every deliverable must be delivered first; still open: D1, D2.",
        ),
    )


def test_starting_a_convened_project_needs_it_ready_and_dated() -> None:
    one_company = TABLE.check([coordinator(company(1))])
    refused = _refusal(TABLE, FORMING, RUNNING, {STAFF}, ProjectFacts(one_company, 2))
    assert [p.code for p in refused.problems] == [
        "consortium.helix_kinds_missing",
        "project.duration_too_short",
        "lifecycle.start_missing",
    ]


def test_a_move_not_ones_own_is_refused_as_such_before_its_requirements() -> None:
    unready = ProjectFacts(FLAGSHIP.check([]), None)
    assert _refusal(FLAGSHIP, FORMING, SUBMITTED, {MEMBER}, unready).code == NOT_YOURS


def test_dropping_and_deciding_need_nothing_more() -> None:
    unready = ProjectFacts(FLAGSHIP.check([]), None)
    assert check_project_move(FLAGSHIP, FORMING, CLOSED, {COORDINATOR}, unready).action == "drop"
    assert check_project_move(FLAGSHIP, SUBMITTED, REJECTED, {STAFF}, unready).action == "reject"


def test_the_facts_of_a_project() -> None:
    members = READY_CONSORTIUM["flagship"]
    budget = Budget(
        lines=(BudgetLine(1, 2026, CostCategory.PERSONNEL, Decimal(1000)),),
        sources=(FundingSource(1, 2026, SourceKind.OWN_CONTRIBUTION, Decimal(900)),),
        deliverables=(Deliverable("D1", "Report", 6), Deliverable("D2", "Pilot", 12)),
    )
    facts = ProjectFacts.of(FLAGSHIP, members, 24, date(2026, 1, 1), budget, delivered=["D1"])
    assert facts == ProjectFacts(
        consortium=FLAGSHIP.check(members),
        duration_months=24,
        start=date(2026, 1, 1),
        budget_problems=(
            Problem(
                "budget.sources_short",
                {"organisation": 1, "costs": Decimal(1000), "sources": Decimal(900), "missing": Decimal(100)},
                "1's costs of 1000 have 900 of funding: 100 short.",
            ),
        ),
        open_deliverables=("D2",),
    )
    assert ProjectFacts.of(FLAGSHIP, members, None, budget=budget).budget_problems == ()  # no duration yet
    assert ProjectFacts.of(FLAGSHIP, members, 24) == ProjectFacts(FLAGSHIP.check(members), 24)


# -- history -----------------------------------------------------------------------------------------------


def test_a_move_is_written_as_a_dated_history_entry() -> None:
    entry = move_project(
        FLAGSHIP, FORMING, SUBMITTED, {COORDINATOR}, ready(FLAGSHIP), by=7, at=AT, note="on time"
    )
    assert entry == HistoryEntry(FORMING, SUBMITTED, 7, AT, "on time")


def test_a_refused_move_writes_no_entry() -> None:
    with pytest.raises(ProjectMoveRefused):
        move_project(FLAGSHIP, FORMING, SUBMITTED, {STAFF}, ready(FLAGSHIP), by=7, at=AT)


def test_a_history_entry_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        HistoryEntry(IDEA, FORMING, 7, datetime(2026, 3, 2, 9, 30))  # naive: the point of the test


def _history(*states: str) -> list[HistoryEntry]:
    return [
        HistoryEntry(a, b, 1, AT + timedelta(days=i))
        for i, (a, b) in enumerate(itertools.pairwise((IDEA, *states)))
    ]


def test_a_history_replays_to_the_projects_state() -> None:
    assert replay(FLAGSHIP, []) == IDEA
    assert (
        replay(FLAGSHIP, _history(FORMING, SUBMITTED, REJECTED, FORMING, SUBMITTED, APPROVED, RUNNING))
        == RUNNING
    )
    assert replay(TABLE, _history(FORMING, RUNNING, CLOSED)) == CLOSED


def test_a_broken_history_is_refused() -> None:
    with pytest.raises(
        HistoryError, match="entry 1 moves from 'submitted', but the project was 'consortium_forming'"
    ):
        replay(FLAGSHIP, [HistoryEntry(IDEA, FORMING, 1, AT), HistoryEntry(SUBMITTED, APPROVED, 1, AT)])
    with pytest.raises(HistoryError, match="entry 1: no move from 'consortium_forming' to 'submitted'"):
        replay(TABLE, _history(FORMING, SUBMITTED))
    with pytest.raises(HistoryError, match="entry 1 is dated before"):
        replay(
            FLAGSHIP,
            [HistoryEntry(IDEA, FORMING, 1, AT), HistoryEntry(FORMING, CLOSED, 1, AT - timedelta(1))],
        )
