"""A project's lifecycle, declared as data: the moves, who may make each, and what each requires.

A project funded through a call or a decision (``funded``, most types):

    idea -> consortium forming -> submitted -> approved / rejected -> running -> closed

The coordinator submits (and may withdraw a submission to rework it); the cluster's staff record the
decision (approve or reject); a rejected project may be revised and submitted again; the coordinator or
the staff start an approved project; the staff close a running one. An idea, a consortium still forming,
a rejected or an approved-but-never-started project may be dropped (to closed).

A project the cluster convenes itself (``convened``: Smart Energy Cities' working tables, where industry
and cities produce an output together without a funding decision) skips the submission:

    idea -> consortium forming -> running -> closed

Roles are relations to the one project being moved, which the app derives from its permission tables:
``coordinator`` (acting for the coordinating organisation), ``member`` (acting for any organisation of the
consortium) and ``staff`` (the staff of the project's cluster).

Besides the table, a move may require facts about the project (:class:`Requirement`): the submission
needs every hard consortium rule to hold, a duration within the type's bounds and a budget without
problems; starting a funded project needs a start date; closing needs every deliverable delivered. The
refusal carries them as coded problems (:class:`ProjectMoveRefused`). Each move is written down as a dated
:class:`HistoryEntry`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from helix.core.workflow import Transition, TransitionNotAllowed, Workflow

from .budget import Budget, budget_problems
from .consortium import ConsortiumCheck, Member, check_consortium
from .problems import Problem

if TYPE_CHECKING:
    from .types import ProjectType

# -- states -------------------------------------------------------------------------------------------------

IDEA = "idea"
FORMING = "consortium_forming"
SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
RUNNING = "running"
CLOSED = "closed"
STATES = (IDEA, FORMING, SUBMITTED, APPROVED, REJECTED, RUNNING, CLOSED)

STATE_LABELS = {
    IDEA: "Idea",
    FORMING: "Consortium forming",
    SUBMITTED: "Submitted",
    APPROVED: "Approved",
    REJECTED: "Rejected",
    RUNNING: "Running",
    CLOSED: "Closed",
}

# -- roles --------------------------------------------------------------------------------------------------

COORDINATOR = "coordinator"
MEMBER = "member"
STAFF = "staff"
ROLES = (COORDINATOR, MEMBER, STAFF)

# -- refusals -----------------------------------------------------------------------------------------------

NOT_YOURS = "not_yours"  # the move exists from this state, but the actor holds none of its roles
NOT_FROM_STATE = "not_from_state"  # the table has no such move from the present state
REQUIREMENTS_UNMET = "requirements_unmet"  # the move is the actor's, but the project is not ready for it


class Requirement(StrEnum):
    CONSORTIUM = "consortium"  # every hard consortium rule of the type holds
    DURATION = "duration"  # a duration within the type's bounds
    BUDGET = "budget"  # the budget has no problem
    START_DATE = "start_date"  # the project has a start date
    DELIVERABLES = "deliverables"  # every deliverable is delivered


READY = frozenset({Requirement.CONSORTIUM, Requirement.DURATION, Requirement.BUDGET})


@dataclass(frozen=True)
class Move:
    action: str
    source: str
    target: str
    roles: frozenset[str]
    label: str
    requires: frozenset[Requirement] = frozenset()


_LEADS = frozenset({COORDINATOR, STAFF})


def _drops(sources: Iterable[str]) -> tuple[Move, ...]:
    return tuple(Move("drop", source, CLOSED, _LEADS, "Drop the project") for source in sources)


FUNDED_MOVES: tuple[Move, ...] = (
    Move("form", IDEA, FORMING, _LEADS, "Start forming the consortium"),
    Move("submit", FORMING, SUBMITTED, frozenset({COORDINATOR}), "Submit", READY),
    Move("withdraw", SUBMITTED, FORMING, frozenset({COORDINATOR}), "Withdraw the submission to rework it"),
    Move("approve", SUBMITTED, APPROVED, frozenset({STAFF}), "Approve"),
    Move("reject", SUBMITTED, REJECTED, frozenset({STAFF}), "Reject"),
    Move("revise", REJECTED, FORMING, _LEADS, "Revise to submit again"),
    Move("start", APPROVED, RUNNING, _LEADS, "Start", frozenset({Requirement.START_DATE})),
    Move("close", RUNNING, CLOSED, frozenset({STAFF}), "Close", frozenset({Requirement.DELIVERABLES})),
    *_drops((IDEA, FORMING, REJECTED, APPROVED)),
)

CONVENED_MOVES: tuple[Move, ...] = (
    Move("form", IDEA, FORMING, _LEADS, "Start forming the consortium"),
    Move("start", FORMING, RUNNING, frozenset({STAFF}), "Start", READY | {Requirement.START_DATE}),
    Move("close", RUNNING, CLOSED, frozenset({STAFF}), "Close", frozenset({Requirement.DELIVERABLES})),
    *_drops((IDEA, FORMING)),
)

LIFECYCLE_MOVES: dict[str, tuple[Move, ...]] = {"funded": FUNDED_MOVES, "convened": CONVENED_MOVES}


def _workflow(name: str, moves: Sequence[Move]) -> Workflow:
    used = {m.source for m in moves} | {m.target for m in moves}
    return Workflow(
        name=f"project_{name}",
        states=tuple(s for s in STATES if s in used),
        initial=IDEA,
        transitions=tuple(Transition(m.source, m.target, m.roles, m.label) for m in moves),
    )


# The same tables as state graphs, for the rule table, the docs and the app's ``check``/``available``.
LIFECYCLES: dict[str, Workflow] = {name: _workflow(name, moves) for name, moves in LIFECYCLE_MOVES.items()}
PROJECT_WORKFLOW = LIFECYCLES["funded"]


# -- the facts a move may require --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFacts:
    """What the requirements read about a project: its consortium checked against its type's rules, its
    duration and start, its budget's problems and the deliverables not yet delivered (their keys)."""

    consortium: ConsortiumCheck
    duration_months: int | None = None
    start: date | None = None
    budget_problems: tuple[Problem, ...] = ()
    open_deliverables: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        project_type: ProjectType,
        members: Sequence[Member],
        duration_months: int | None,
        start: date | None = None,
        budget: Budget | None = None,
        delivered: Iterable[str] = (),
    ) -> ProjectFacts:
        """The facts of a project of ``project_type``: its consortium checked by the type's rules, its
        budget checked (with the type's funding rates) when it has one and a duration, the deliverables of
        the budget not in ``delivered``."""
        problems: tuple[Problem, ...] = ()
        open_deliverables: tuple[str, ...] = ()
        if budget is not None:
            if duration_months is not None:
                rates = project_type.max_funding_rates
                problems = budget_problems(budget, members, rates, duration_months, start)
            done = set(delivered)
            open_deliverables = tuple(d.key for d in budget.deliverables if d.key not in done)
        return cls(
            consortium=check_consortium(members, project_type.rules),
            duration_months=duration_months,
            start=start,
            budget_problems=problems,
            open_deliverables=open_deliverables,
        )


def requirement_problems(move: Move, project_type: ProjectType, facts: ProjectFacts) -> tuple[Problem, ...]:
    """What keeps ``move`` from being made on a project of ``project_type`` with ``facts`` (empty: ready),
    in the order of :class:`Requirement`."""
    problems: list[Problem] = []
    for requirement in Requirement:
        if requirement not in move.requires:
            continue
        if requirement is Requirement.CONSORTIUM:
            problems.extend(facts.consortium.problems())
        elif requirement is Requirement.DURATION:
            problems.extend(project_type.duration_problems(facts.duration_months))
        elif requirement is Requirement.BUDGET:
            problems.extend(facts.budget_problems)
        elif requirement is Requirement.START_DATE:
            if facts.start is None:
                problems.append(Problem("lifecycle.start_missing", {}, "The project needs a start date."))
        elif facts.open_deliverables:
            keys = sorted(facts.open_deliverables)
            problems.append(
                Problem(
                    "lifecycle.deliverables_open",
                    {"deliverables": keys, "count": len(keys)},
                    "Every deliverable must be delivered first; still open: " + ", ".join(keys) + ".",
                )
            )
    return tuple(problems)


# -- checking and making a move ----------------------------------------------------------------------------


class ProjectMoveRefused(TransitionNotAllowed):
    """A refused move: ``code`` says why (``NOT_YOURS``, ``NOT_FROM_STATE``, ``REQUIREMENTS_UNMET``);
    ``problems`` lists the unmet requirements as coded problems."""

    def __init__(self, source: str, target: str, code: str, problems: tuple[Problem, ...] = ()) -> None:
        self.source, self.target, self.code, self.problems = source, target, code, problems
        why = {
            NOT_YOURS: "not a move for your role",
            NOT_FROM_STATE: "no such move from this state",
            REQUIREMENTS_UNMET: "; ".join(p.text for p in problems),
        }[code]
        super().__init__(f"project: {source} -> {target}: {why}")


def moves_of(project_type: ProjectType) -> tuple[Move, ...]:
    return LIFECYCLE_MOVES[project_type.lifecycle]


def workflow_of(project_type: ProjectType) -> Workflow:
    return LIFECYCLES[project_type.lifecycle]


def available_moves(project_type: ProjectType, state: str, roles: Iterable[str]) -> list[Move]:
    """The moves out of ``state`` an actor holding any of ``roles`` may make (ready or not), in order."""
    held = set(roles)
    return [m for m in moves_of(project_type) if m.source == state and m.roles & held]


def check_project_move(
    project_type: ProjectType, state: str, target: str, roles: Iterable[str], facts: ProjectFacts
) -> Move:
    """The move ``state -> target`` for an actor holding ``roles`` on a project with ``facts``, or
    :class:`ProjectMoveRefused`: not in the table, not the actor's, or requirements unmet (with them)."""
    held = set(roles)
    for move in moves_of(project_type):
        if move.source == state and move.target == target:
            if not move.roles & held:
                raise ProjectMoveRefused(state, target, NOT_YOURS)
            problems = requirement_problems(move, project_type, facts)
            if problems:
                raise ProjectMoveRefused(state, target, REQUIREMENTS_UNMET, problems)
            return move
    raise ProjectMoveRefused(state, target, NOT_FROM_STATE)


@dataclass(frozen=True)
class HistoryEntry:
    """One move of a project, dated: from ``source`` to ``target``, by whom (a user or person id, None for
    the system) and when (aware), with a note."""

    source: str
    target: str
    by: int | str | None
    at: datetime
    note: str = ""

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("a history entry's time must be aware (with a time zone)")


def move_project(
    project_type: ProjectType,
    state: str,
    target: str,
    roles: Iterable[str],
    facts: ProjectFacts,
    by: int | str | None,
    at: datetime,
    note: str = "",
) -> HistoryEntry:
    """Check the move (:func:`check_project_move`) and return its history entry, for the app to save with
    the project's new state in one transaction."""
    check_project_move(project_type, state, target, roles, facts)
    return HistoryEntry(state, target, by, at, note)


class HistoryError(ValueError):
    """A history whose entries do not follow each other (a move from another state, or back in time)."""


def replay(project_type: ProjectType, history: Iterable[HistoryEntry]) -> str:
    """The state a history leads to from the initial one; :class:`HistoryError` when an entry does not
    start where the last ended, is not a move of the type's table, or is dated before the one before."""
    workflow = workflow_of(project_type)
    state, last = workflow.initial, None
    for i, entry in enumerate(history):
        if entry.source != state:
            raise HistoryError(f"entry {i} moves from {entry.source!r}, but the project was {state!r}")
        if not any(t.source == entry.source and t.target == entry.target for t in workflow.transitions):
            raise HistoryError(f"entry {i}: no move from {entry.source!r} to {entry.target!r}")
        if last is not None and entry.at < last:
            raise HistoryError(f"entry {i} is dated before the entry before it")
        state, last = entry.target, entry.at
    return state
