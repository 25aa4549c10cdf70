"""A roadmap's lifecycle, declared as data: the moves, who may make each, and what each requires.

    draft -> consultation -> adopted -> revised -> consultation -> adopted ...

The cluster's staff draft the roadmap and put it out for consultation; the participants see it and
accept (or question) the milestones they own; the staff take it back to draft to rework it, or adopt it.
Adopting freezes the roadmap as a numbered version: the baseline that progress is measured against and
that the fund's rule "only clusters with an adopted roadmap" reads. An adopted roadmap is revised (a new
working copy over the same baseline) and goes through consultation again before the revision is adopted
as the next version. While a revision is open the cluster still has its adopted roadmap.

Roles are relations to the one roadmap being moved: ``staff`` (the staff of its cluster) and
``participant`` (a person of a participating organisation).

Adoption requires the roadmap to hold no validation error (:mod:`validation`): the refusal carries the
problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from helix.core.workflow import Transition, TransitionNotAllowed, Workflow

from .model import Problem

DRAFT = "draft"
CONSULTATION = "consultation"
ADOPTED = "adopted"
REVISED = "revised"
STATES = (DRAFT, CONSULTATION, ADOPTED, REVISED)

STATE_LABELS = {
    DRAFT: "Draft",
    CONSULTATION: "In consultation",
    ADOPTED: "Adopted",
    REVISED: "Being revised",
}

STAFF = "staff"
PARTICIPANT = "participant"
ROLES = (STAFF, PARTICIPANT)

# States in which the roadmap's content may be edited: an adopted roadmap is revised first, and a
# roadmap in consultation is what the participants are reading (it goes back to draft to change).
EDITABLE = frozenset({DRAFT, REVISED})

ROADMAP_WORKFLOW = Workflow(
    name="roadmap",
    states=STATES,
    initial=DRAFT,
    transitions=(
        Transition(DRAFT, CONSULTATION, frozenset({STAFF}), "Open the consultation"),
        Transition(REVISED, CONSULTATION, frozenset({STAFF}), "Open the consultation"),
        Transition(CONSULTATION, DRAFT, frozenset({STAFF}), "Back to draft"),
        Transition(CONSULTATION, ADOPTED, frozenset({STAFF}), "Adopt"),
        Transition(ADOPTED, REVISED, frozenset({STAFF}), "Revise"),
    ),
)

# What a move requires of the roadmap (besides the table): adoption needs no validation error.
NEEDS_NO_ERRORS = frozenset({(CONSULTATION, ADOPTED)})

NOT_YOURS = "not_yours"
NOT_FROM_STATE = "not_from_state"
REQUIREMENTS_UNMET = "requirements_unmet"


class RoadmapMoveRefused(Exception):
    """A move the table or the roadmap's state refuses: a code (``not_yours``, ``not_from_state``,
    ``requirements_unmet``), the move, and the problems behind an unmet requirement."""

    def __init__(self, code: str, source: str, target: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(f"roadmap {source} -> {target}: {code}")
        self.code, self.source, self.target, self.problems = code, source, target, problems


def available_moves(state: str, roles: Iterable[str]) -> list[Transition]:
    """The moves out of ``state`` that an actor holding ``roles`` may make (ready or not)."""
    return ROADMAP_WORKFLOW.available(state, roles)


def check_move(state: str, target: str, roles: Iterable[str], problems: Sequence[Problem] = ()) -> Transition:
    """The transition ``state -> target`` for an actor with ``roles`` on a roadmap whose validation gave
    ``problems``; raises :class:`RoadmapMoveRefused` with a code when it may not be made."""
    held = set(roles)
    try:
        transition = ROADMAP_WORKFLOW.check(state, target, held)
    except TransitionNotAllowed:
        exists = any(t.source == state and t.target == target for t in ROADMAP_WORKFLOW.transitions)
        raise RoadmapMoveRefused(NOT_YOURS if exists else NOT_FROM_STATE, state, target) from None
    if (state, target) in NEEDS_NO_ERRORS:
        errors = tuple(p for p in problems if p.severity == "error")
        if errors:
            raise RoadmapMoveRefused(REQUIREMENTS_UNMET, state, target, errors)
    return transition


def is_editable(state: str) -> bool:
    return state in EDITABLE


def has_adopted_version(state: str, versions: int) -> bool:
    """Whether a roadmap in ``state`` with ``versions`` adopted versions counts as adopted for the fund:
    adopted now, or revising an earlier adoption."""
    return state == ADOPTED or versions > 0
