"""What counts as a task on someone's home page: the small, dated rules, with no Django.

A member sees what waits for their organisation (meeting requests to answer, new matches, listings to
renew); cluster staff see what waits for their clusters (events to schedule, synergies gone quiet,
listings about to lapse). The pages ask the permission tables which objects a person may see; these
rules only say which of those objects are a task today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from helix.core.matchmaking.workflows import ACCEPTED, OPEN, REQUESTED
from helix.core.symbiosis.synergy import AGREED, PROPOSED

# A published listing that lapses within this many days (or has lapsed) waits to be renewed.
EXPIRY_NOTICE_DAYS = 14
# A suggested counterpart published this many days ago or less, and not yet judged, is a new match.
NEW_MATCH_DAYS = 14
# A synergy left this many days in one of these states without a move needs a follow-up from staff:
# proposed and nobody answered, agreed and not yet realised.
SYNERGY_QUIET_DAYS: Mapping[str, int] = {PROPOSED: 30, AGREED: 60}
# A logged interaction whose follow-up date falls within this many days (or has passed) is due.
FOLLOW_UP_DAYS = 7
# Meeting requests of an event that the schedule is built from (answered yes, or still to answer).
SCHEDULED_REQUEST_STATES = frozenset({REQUESTED, ACCEPTED})


def expiry_horizon(today: dt.date) -> dt.date:
    """Published listings expiring on or before this day need renewing."""
    return today + dt.timedelta(days=EXPIRY_NOTICE_DAYS)


def expires_soon(expires_on: dt.date, today: dt.date) -> bool:
    return expires_on <= expiry_horizon(today)


def new_matches_since(today: dt.date) -> dt.date:
    """A counterpart published on or after this day is new."""
    return today - dt.timedelta(days=NEW_MATCH_DAYS)


def is_new_match(published_on: dt.date | None, judged: bool, today: dt.date) -> bool:
    """A suggestion is new while its counterpart is recent and nobody of the viewer judged the pair."""
    return published_on is not None and published_on >= new_matches_since(today) and not judged


def quiet_since(state: str, today: dt.date) -> dt.date | None:
    """Synergies in ``state`` whose last move is before this day need a follow-up (None: never)."""
    days = SYNERGY_QUIET_DAYS.get(state)
    return None if days is None else today - dt.timedelta(days=days)


def needs_follow_up(state: str, last_moved: dt.date, today: dt.date) -> bool:
    cutoff = quiet_since(state, today)
    return cutoff is not None and last_moved < cutoff


def needs_schedule(status: str, requests: int, has_published_schedule: bool) -> bool:
    """An event open for registration, with meeting requests, and no published schedule yet."""
    return status == OPEN and requests > 0 and not has_published_schedule
