"""Where the result of a finished job is shown: each app registers, for the kinds of job it starts, how
to find the page (the proposals a matching made, the allocation a run computed). The job page then
ends on a link to it instead of a dead end.

A kind is matched whole ("symbiosis-match") or by its part before a colon ("symbiosis-match:auto").
The function gets the job and returns a :class:`ResultLink`, or None where there is nothing to show;
it runs while the page is drawn, so its label is in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from helix.jobs.models import JobStatus


@dataclass(frozen=True)
class ResultLink:
    url: str
    label: str


ResultLinkFinder = Callable[[Any], ResultLink | None]
_FINDERS: dict[str, ResultLinkFinder] = {}


def register_result_link(kind: str, finder: ResultLinkFinder) -> None:
    """Jobs of ``kind`` link to what ``finder`` returns once they have succeeded."""
    _FINDERS[kind] = finder


def result_link(job: Any) -> ResultLink | None:
    """The link to a succeeded job's result, or None (not succeeded, no finder for its kind)."""
    if job.status != JobStatus.SUCCEEDED:
        return None
    finder = _FINDERS.get(job.kind) or _FINDERS.get(job.kind.split(":", 1)[0])
    return finder(job) if finder is not None else None


__all__ = ["ResultLink", "register_result_link", "result_link"]
