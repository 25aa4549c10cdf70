"""After a matchmaking event: how many came, met, and found the meeting worth it.

Pure counting over plain records (the events app reads them from the database): who registered and who
was checked in, each meeting request with its status, whether the published schedule holds it and what
became of it on the day (held, no-show, not recorded), and the participants' ratings (useful or not, a
follow-up planned or not; one per side of a meeting).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from helix.core.matchmaking.workflows import ACCEPTED, DECLINED, HELD, NO_SHOW


@dataclass(frozen=True)
class Attendee:
    """A registration: the organisation it is for, and whether the person was checked in."""

    organisation: int
    checked_in: bool


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting request: its status, whether the published schedule gives it a slot, its outcome."""

    id: int
    status: str
    scheduled: bool
    outcome: str


@dataclass(frozen=True)
class Rating:
    """One side's rating of a meeting (``meeting`` is the request's id)."""

    meeting: int
    useful: bool
    follow_up: bool


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent, rounded half up; None when there is no whole."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class EventStatistics:
    registrations: int
    organisations: int
    checked_in: int
    organisations_checked_in: int
    requests: int
    accepted: int
    declined: int
    scheduled: int
    held: int
    no_shows: int
    not_recorded: int  # scheduled meetings whose outcome nobody recorded yet
    ratings: int
    useful_ratings: int
    rated_meetings: int
    useful_meetings: int  # rated useful by at least one side
    follow_up_meetings: int  # a follow-up planned by at least one side

    @property
    def checked_in_percent(self) -> int | None:
        return percent(self.checked_in, self.registrations)

    @property
    def held_percent(self) -> int | None:
        """Meetings held of those scheduled."""
        return percent(self.held, self.scheduled)

    @property
    def useful_percent(self) -> int | None:
        """Meetings found useful (by at least one side) of those rated."""
        return percent(self.useful_meetings, self.rated_meetings)

    @property
    def follow_up_percent(self) -> int | None:
        """Meetings with a follow-up planned (by at least one side) of those rated."""
        return percent(self.follow_up_meetings, self.rated_meetings)


def event_statistics(
    attendees: Iterable[Attendee], meetings: Iterable[MeetingRecord], ratings: Iterable[Rating]
) -> EventStatistics:
    """The figures of one event. A rating of a meeting that is not among ``meetings`` counts as a
    rating given, and its meeting as rated (the request may since have been cancelled)."""
    people = list(attendees)
    requests = list(meetings)
    given = list(ratings)
    scheduled = [m for m in requests if m.scheduled]
    useful = {r.meeting for r in given if r.useful}
    follow_up = {r.meeting for r in given if r.follow_up}
    return EventStatistics(
        registrations=len(people),
        organisations=len({a.organisation for a in people}),
        checked_in=sum(a.checked_in for a in people),
        organisations_checked_in=len({a.organisation for a in people if a.checked_in}),
        requests=len(requests),
        accepted=sum(m.status == ACCEPTED for m in requests),
        declined=sum(m.status == DECLINED for m in requests),
        scheduled=len(scheduled),
        held=sum(m.outcome == HELD for m in scheduled),
        no_shows=sum(m.outcome == NO_SHOW for m in scheduled),
        not_recorded=sum(m.outcome not in (HELD, NO_SHOW) for m in scheduled),
        ratings=len(given),
        useful_ratings=sum(r.useful for r in given),
        rated_meetings=len({r.meeting for r in given}),
        useful_meetings=len(useful),
        follow_up_meetings=len(follow_up),
    )
