"""The lifecycle of a need or an offer (a listing), declared as data.

States: ``draft`` (seen by its organisation and its clusters' staff only, not matched), ``published``
(shown by its visibility and matched), ``fulfilled`` (it found what it sought) and ``withdrawn``. A
published listing lives for a lifetime (180 days); past its expiry date it is ``expired``: still
published in the database, but neither shown to others nor matched. Expiry is not a move anyone makes:
the clock makes it (role ``clock``), and :func:`listing_state` reads it from the status and the date.

The moves, each with the action name the pages, the API (``POST /listings/{id}/status``) and the CLI use:

- ``publish``: draft, expired, fulfilled or withdrawn -> published (past its expiry date: a new lifetime);
- ``renew``: published or expired -> published, another lifetime from its expiry or today (the later);
- ``fulfil``: published or expired -> fulfilled;
- ``withdraw``: draft, published or expired -> withdrawn;
- ``draft`` (back to draft): published, expired, fulfilled or withdrawn -> draft.

Every move is the owner's or the staff's to make: ``owner`` is a person of the listing's organisation,
``staff`` the staff of one of its clusters (the market's ``transition`` grant says who holds which,
``helix.market.permissions``). A draft is never fulfilled: it was never published, so nobody could have
answered it. A new listing starts as a draft or published at once (:data:`INITIAL_STATES`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from helix.core.workflow import Transition, TransitionNotAllowed, Workflow

# -- states ------------------------------------------------------------------------------------------------

DRAFT, PUBLISHED, EXPIRED, FULFILLED, WITHDRAWN = "draft", "published", "expired", "fulfilled", "withdrawn"
STATES = (DRAFT, PUBLISHED, EXPIRED, FULFILLED, WITHDRAWN)
STATUSES = (DRAFT, PUBLISHED, FULFILLED, WITHDRAWN)  # what is stored; ``expired`` is read from the date
INITIAL_STATES = frozenset({DRAFT, PUBLISHED})

# -- roles -------------------------------------------------------------------------------------------------

OWNER = "owner"
STAFF = "staff"
CLOCK = "clock"
EDITORS = frozenset({OWNER, STAFF})

# -- actions -----------------------------------------------------------------------------------------------

PUBLISH, RENEW, FULFIL, WITHDRAW, BACK_TO_DRAFT = "publish", "renew", "fulfil", "withdraw", "draft"
# The one list of the actions: the pages' buttons check a posted action against it, the API's schema
# takes it as its type (the order is the one the API's documentation shows).
ListingAction = Literal["publish", "withdraw", "fulfil", "renew", "draft"]
ACTIONS: tuple[str, ...] = get_args(ListingAction)

# -- refusals ----------------------------------------------------------------------------------------------

NOT_YOURS = "not_yours"  # the move exists from this state, but the actor holds none of its roles
NOT_FROM_STATE = "not_from_state"  # the table has no such move from the present state


@dataclass(frozen=True)
class Move:
    """One row of the table: ``action`` takes a listing from ``source`` to ``target``.

    ``renewal``: another lifetime from its expiry or from today, whichever is later, counted as a renewal.
    Publishing a listing whose expiry date has passed gives it a fresh lifetime from today.
    """

    action: str
    source: str
    target: str
    roles: frozenset[str]
    label: str
    renewal: bool = False


def _moves(action: str, sources: Iterable[str], target: str, label: str, **effects: bool) -> list[Move]:
    return [Move(action, source, target, EDITORS, label, **effects) for source in sources]


MOVES: tuple[Move, ...] = (
    *_moves(PUBLISH, (DRAFT, EXPIRED, FULFILLED, WITHDRAWN), PUBLISHED, "Publish"),
    *_moves(RENEW, (PUBLISHED, EXPIRED), PUBLISHED, "Renew for another six months", renewal=True),
    *_moves(FULFIL, (PUBLISHED, EXPIRED), FULFILLED, "Mark as fulfilled"),
    *_moves(WITHDRAW, (DRAFT, PUBLISHED, EXPIRED), WITHDRAWN, "Withdraw"),
    *_moves(BACK_TO_DRAFT, (PUBLISHED, EXPIRED, FULFILLED, WITHDRAWN), DRAFT, "Back to draft"),
)

# The same table as a state graph (the clock's expiry included), for the rule table and the docs.
LISTING_WORKFLOW = Workflow(
    name="listing",
    states=STATES,
    initial=DRAFT,
    transitions=(
        *(Transition(m.source, m.target, m.roles, m.label) for m in MOVES),
        Transition(PUBLISHED, EXPIRED, frozenset({CLOCK}), "Expire at the end of its lifetime"),
    ),
)


class ListingMoveRefused(TransitionNotAllowed):
    """A refused move, with a code the pages and the API translate (``NOT_YOURS``, ``NOT_FROM_STATE``)."""

    def __init__(self, source: str, action: str, code: str) -> None:
        self.source, self.action, self.code = source, action, code
        why = "not a move for your role" if code == NOT_YOURS else "no such move from this state"
        super().__init__(f"listing: {action} from {source}: {why}")


def listing_state(status: str, expired: bool) -> str:
    """The listing's state in the table: its status, or ``expired`` for a published one past its date."""
    return EXPIRED if status == PUBLISHED and expired else status


def available_moves(state: str, roles: Iterable[str]) -> list[Move]:
    """The moves out of ``state`` that an actor holding any of ``roles`` may make, in table order."""
    held = set(roles)
    return [m for m in MOVES if m.source == state and m.roles & held]


def check_move(state: str, action: str, roles: Iterable[str]) -> Move:
    """The move ``action`` from ``state`` for an actor holding ``roles``, or :class:`ListingMoveRefused`
    saying whether it is not theirs to make or not possible from ``state`` at all."""
    if action not in ACTIONS:
        raise ValueError(f"unknown listing action {action!r}")
    held = set(roles)
    for move in MOVES:
        if move.source == state and move.action == action:
            if move.roles & held:
                return move
            raise ListingMoveRefused(state, action, NOT_YOURS)
    raise ListingMoveRefused(state, action, NOT_FROM_STATE)


def action_to(state: str, target: str) -> str | None:
    """The action that takes a listing from ``state`` to the status ``target`` (an editor picking a
    status in a form), or None when none does. Staying where it is needs none."""
    for move in MOVES:
        if move.source == state and move.target == target and not move.renewal:
            return move.action
    return None
