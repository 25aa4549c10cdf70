"""The lifecycles of matchmaking, declared as data (:class:`helix.core.workflow.Workflow` tables).

- An **event**: draft (only its organisers see it) -> open for registration -> closed (registration
  closed; the registered participants keep meeting and scheduling) -> reopened.
- A **schedule run**: queued -> running -> succeeded or failed (or cancelled by the organiser); a
  succeeded run may be published, and stops being published when the organiser publishes another. A
  failed run may be run again (a retried job). Its state is read from two columns (:func:`schedule_state`).
- An **event meeting request**: requested -> accepted or declined by the participant asked (or the
  organiser), withdrawn by the requester, cancelled by either side once accepted, expired when unanswered
  at the organiser's deadline.
- An **event sign-up** (a visitor asking to take part): pending -> confirmed or declined by the organiser.
- A **meeting outcome**: pending (not recorded) -> held or no-show, set (and corrected) by the organiser.
- A **market meeting request** (from a matched need and offer): requested -> accepted or declined by the
  organisation asked, withdrawn by the asking one (before or after an acceptance).

Roles here are relations to the one object being moved (the pages and services derive them from the
permission rules in each app's ``permissions.py``): ``organiser`` (staff of the event's cluster),
``worker`` (the background run), ``requester``/``asked`` (acting for a side of a request), ``asker``
(acting for the organisation that asked), ``both_agreed`` (the two organisations already agreed to meet on
the market), ``deadline`` (the organiser's answer deadline passed).
"""

from __future__ import annotations

from collections.abc import Iterable

from helix.core.workflow import Transition, TransitionNotAllowed, Workflow

# -- roles -------------------------------------------------------------------------------------------------

ORGANISER = "organiser"
WORKER = "worker"
REQUESTER = "requester"
ASKED = "asked"
ASKER = "asker"
BOTH_AGREED = "both_agreed"
DEADLINE = "deadline"

# -- refusals ---------------------------------------------------------------------------------------------

NOT_YOURS = "not_yours"  # the move exists from this state, but the actor holds none of its roles
NOT_FROM_STATE = "not_from_state"  # the table has no such move from the present state


class MoveRefused(TransitionNotAllowed):
    """A refused move, with a code the pages and the API translate (``NOT_YOURS``, ``NOT_FROM_STATE``)."""

    def __init__(self, workflow: str, source: str, target: str, code: str) -> None:
        self.workflow, self.source, self.target, self.code = workflow, source, target, code
        why = "not a move for your role" if code == NOT_YOURS else "no such move from this state"
        super().__init__(f"{workflow}: {source} -> {target}: {why}")


def check_move(workflow: Workflow, source: str, target: str, roles: Iterable[str]) -> Transition:
    """The transition ``source -> target`` for an actor holding ``roles``, or :class:`MoveRefused` saying
    whether the move is not theirs to make or not possible from ``source`` at all."""
    try:
        return workflow.check(source, target, roles)
    except TransitionNotAllowed:
        exists = any(t.source == source and t.target == target for t in workflow.transitions)
        raise MoveRefused(workflow.name, source, target, NOT_YOURS if exists else NOT_FROM_STATE) from None


# -- the event ---------------------------------------------------------------------------------------------

DRAFT, OPEN, CLOSED = "draft", "open", "closed"
EVENT_STATES = (DRAFT, OPEN, CLOSED)
PUBLISHED_EVENT = frozenset({OPEN, CLOSED})  # seen by the public; its participants act in it
REGISTRATION_OPEN = frozenset({OPEN})

EVENT_WORKFLOW = Workflow(
    name="event",
    states=EVENT_STATES,
    initial=DRAFT,
    transitions=(
        Transition(DRAFT, OPEN, frozenset({ORGANISER}), "Open for registration"),
        Transition(OPEN, CLOSED, frozenset({ORGANISER}), "Close registration"),
        Transition(CLOSED, OPEN, frozenset({ORGANISER}), "Reopen registration"),
    ),
)

# -- a schedule run ----------------------------------------------------------------------------------------

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, PUBLISHED = (
    "queued",
    "running",
    "succeeded",
    "failed",
    "cancelled",
    "published",
)
SCHEDULE_STATES = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, PUBLISHED)
_STOPPERS = frozenset({ORGANISER, WORKER})

SCHEDULE_WORKFLOW = Workflow(
    name="schedule",
    states=SCHEDULE_STATES,
    initial=QUEUED,
    transitions=(
        Transition(QUEUED, RUNNING, frozenset({WORKER}), "Start the run"),
        Transition(QUEUED, FAILED, frozenset({WORKER}), "Fail before starting"),
        Transition(QUEUED, CANCELLED, _STOPPERS, "Cancel"),
        Transition(RUNNING, SUCCEEDED, frozenset({WORKER}), "Schedule found"),
        Transition(RUNNING, FAILED, frozenset({WORKER}), "No schedule found"),
        Transition(RUNNING, CANCELLED, _STOPPERS, "Cancel"),
        Transition(FAILED, RUNNING, frozenset({WORKER}), "Run again"),
        Transition(SUCCEEDED, PUBLISHED, frozenset({ORGANISER}), "Publish"),
        Transition(PUBLISHED, SUCCEEDED, frozenset({ORGANISER}), "Unpublish (another schedule is published)"),
    ),
)


def schedule_state(status: str, published: bool) -> str:
    """A run's state in :data:`SCHEDULE_WORKFLOW`: its status, or ``published`` when it is the published
    one (a published run's status stays ``succeeded``)."""
    return PUBLISHED if published else status


# -- an event meeting request ------------------------------------------------------------------------------

REQUESTED, ACCEPTED, DECLINED, EXPIRED = "requested", "accepted", "declined", "expired"
REQUEST_STATES = (REQUESTED, ACCEPTED, DECLINED, EXPIRED, CANCELLED)

EVENT_REQUEST_WORKFLOW = Workflow(
    name="event meeting request",
    states=REQUEST_STATES,
    initial=REQUESTED,
    transitions=(
        Transition(REQUESTED, ACCEPTED, frozenset({ASKED, ORGANISER, BOTH_AGREED}), "Accept"),
        Transition(REQUESTED, DECLINED, frozenset({ASKED, ORGANISER}), "Decline"),
        Transition(REQUESTED, CANCELLED, frozenset({REQUESTER, ORGANISER}), "Withdraw the request"),
        Transition(ACCEPTED, CANCELLED, frozenset({REQUESTER, ASKED, ORGANISER}), "Cancel the meeting"),
        Transition(REQUESTED, EXPIRED, frozenset({DEADLINE}), "Expire at the deadline"),
    ),
)

# -- a market meeting request ------------------------------------------------------------------------------

WITHDRAWN = "withdrawn"
MARKET_MEETING_STATES = (REQUESTED, ACCEPTED, DECLINED, WITHDRAWN)

MARKET_MEETING_WORKFLOW = Workflow(
    name="meeting request",
    states=MARKET_MEETING_STATES,
    initial=REQUESTED,
    transitions=(
        Transition(REQUESTED, ACCEPTED, frozenset({ASKED}), "Accept"),
        Transition(REQUESTED, DECLINED, frozenset({ASKED}), "Decline"),
        Transition(REQUESTED, WITHDRAWN, frozenset({ASKER}), "Withdraw the request"),
        Transition(ACCEPTED, WITHDRAWN, frozenset({ASKER, ASKED}), "Withdraw from the meeting"),
    ),
)

# -- a visitor's sign-up for an event ----------------------------------------------------------------------
# A visitor without an account (or without an organisation in Helix) asks to take part; the organiser
# confirms (which registers them, their person and organisation found or created) or declines.

PENDING, CONFIRMED = "pending", "confirmed"
SIGNUP_STATES = (PENDING, CONFIRMED, DECLINED)

SIGNUP_WORKFLOW = Workflow(
    name="event sign-up",
    states=SIGNUP_STATES,
    initial=PENDING,
    transitions=(
        Transition(PENDING, CONFIRMED, frozenset({ORGANISER}), "Confirm"),
        Transition(PENDING, DECLINED, frozenset({ORGANISER}), "Decline"),
    ),
)

# -- what became of a scheduled meeting on the day ---------------------------------------------------------
# Not recorded until the organiser says it was held or that a side did not come; a slip is corrected.

HELD, NO_SHOW = "held", "no_show"
OUTCOME_STATES = (PENDING, HELD, NO_SHOW)

MEETING_OUTCOME_WORKFLOW = Workflow(
    name="meeting outcome",
    states=OUTCOME_STATES,
    initial=PENDING,
    transitions=(
        Transition(PENDING, HELD, frozenset({ORGANISER}), "Held"),
        Transition(PENDING, NO_SHOW, frozenset({ORGANISER}), "No-show"),
        Transition(HELD, NO_SHOW, frozenset({ORGANISER}), "No-show"),
        Transition(NO_SHOW, HELD, frozenset({ORGANISER}), "Held"),
        Transition(HELD, PENDING, frozenset({ORGANISER}), "Not recorded"),
        Transition(NO_SHOW, PENDING, frozenset({ORGANISER}), "Not recorded"),
    ),
)
