"""The calls' clock in the worker's housekeeping round (settings.HELIX_HOUSEKEEPING): an open call whose
last deadline has passed is closed (helix.calls.services.close_due_calls), looked for once a minute at
most. Submissions are refused after a stage's deadline whether or not the call is closed yet: the clock
only makes the call's status say so."""

from __future__ import annotations

import datetime as dt
import logging

from helix.calls.models import Call
from helix.calls.services import close_due_calls
from helix.notifications.services import Sweep

logger = logging.getLogger(__name__)

SWEEP_EVERY = 60.0  # seconds between two looks for calls past their deadline
_sweep = Sweep(SWEEP_EVERY)


def close_due(now: dt.datetime | None = None, *, force: bool = False) -> list[Call]:
    """Close the open calls past their last deadline, once a minute at most (``force``: now)."""
    if not _sweep.due(force=force):
        return []
    closed = close_due_calls(now)
    if closed:
        logger.info(
            "closed %d call(s) past their deadline: %s", len(closed), ", ".join(c.key for c in closed)
        )
    return closed
