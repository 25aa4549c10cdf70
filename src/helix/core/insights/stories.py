"""Stories a cluster publishes: success stories, good practices (the teaching platform) and news, and
the rule for what the public showcase may show.

A story moves draft -> published -> withdrawn (and back to draft to rework it), by the cluster's staff
(:data:`STORY_WORKFLOW`). Every organisation a story features approves it first: a published story is on
the showcase only once all of them have (:func:`showable`), so no one's project, synergy or name goes
public without their say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from helix.core.workflow import Transition, Workflow

SUCCESS_STORY = "success_story"
GOOD_PRACTICE = "good_practice"
NEWS = "news"
KINDS = (SUCCESS_STORY, GOOD_PRACTICE, NEWS)

DRAFT = "draft"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
STAFF = "staff"

STORY_WORKFLOW = Workflow(
    name="story",
    states=(DRAFT, PUBLISHED, WITHDRAWN),
    initial=DRAFT,
    transitions=(
        Transition(DRAFT, PUBLISHED, frozenset({STAFF}), "Publish"),
        Transition(PUBLISHED, WITHDRAWN, frozenset({STAFF}), "Withdraw"),
        Transition(WITHDRAWN, DRAFT, frozenset({STAFF}), "Rework"),
        Transition(WITHDRAWN, PUBLISHED, frozenset({STAFF}), "Publish again"),
    ),
)


@dataclass(frozen=True)
class Showing:
    """Whether a story is on the public showcase, and if not, why (a code the edge translates) and
    which featured organisations have still to approve."""

    public: bool
    reason: str = ""
    waiting_for: tuple[int, ...] = ()


def showable(status: str, approvals: Iterable[tuple[int, bool]]) -> Showing:
    """``approvals``: each featured organisation with whether it approved."""
    waiting = tuple(sorted(org for org, approved in approvals if not approved))
    if status != PUBLISHED:
        return Showing(False, "not_published", waiting)
    if waiting:
        return Showing(False, "awaiting_approval", waiting)
    return Showing(True)
