"""The engagement ladder of cluster membership, declared as a workflow.

interested → letter of intent signed → member → strategic partner. Staff move an organisation up or
down one rung at a time (or leave the ladder); signing a letter of intent is what moves "interested"
up, and the organisation's own member user may record that.
"""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise

from helix.core.workflow import Transition, Workflow


class EngagementLevel(StrEnum):
    INTERESTED = "interested"
    LOI_SIGNED = "loi_signed"
    MEMBER = "member"
    STRATEGIC_PARTNER = "strategic_partner"
    LEFT = "left"


LADDER: tuple[EngagementLevel, ...] = (
    EngagementLevel.INTERESTED,
    EngagementLevel.LOI_SIGNED,
    EngagementLevel.MEMBER,
    EngagementLevel.STRATEGIC_PARTNER,
)

LEVEL_LABELS = {
    EngagementLevel.INTERESTED: "Interested",
    EngagementLevel.LOI_SIGNED: "Letter of intent signed",
    EngagementLevel.MEMBER: "Member",
    EngagementLevel.STRATEGIC_PARTNER: "Strategic partner",
    EngagementLevel.LEFT: "Left",
}

STAFF = "staff"
MEMBER_USER = "member_user"


def _ladder_transitions() -> tuple[Transition, ...]:
    rows: list[Transition] = []
    for lower, upper in pairwise(LADDER):
        roles = {STAFF, MEMBER_USER} if lower is EngagementLevel.INTERESTED else {STAFF}
        rows.append(Transition(lower, upper, frozenset(roles), f"Move up to {LEVEL_LABELS[upper]}"))
        rows.append(Transition(upper, lower, frozenset({STAFF}), f"Move down to {LEVEL_LABELS[lower]}"))
    for level in LADDER:
        rows.append(Transition(level, EngagementLevel.LEFT, frozenset({STAFF}), "Record that it left"))
    rows.append(Transition(EngagementLevel.LEFT, EngagementLevel.INTERESTED, frozenset({STAFF}), "Re-engage"))
    return tuple(rows)


MEMBERSHIP_WORKFLOW = Workflow(
    name="membership",
    states=tuple(level.value for level in EngagementLevel),
    initial=EngagementLevel.INTERESTED,
    transitions=_ladder_transitions(),
)


def rung(level: str) -> int:
    """Position on the ladder, 0 for interested … 3 for strategic partner; -1 for left."""
    try:
        return LADDER.index(EngagementLevel(level))
    except ValueError:
        return -1
