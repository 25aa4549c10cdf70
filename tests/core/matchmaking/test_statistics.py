"""Unit: the figures after the event (helix.core.matchmaking.statistics)."""

from __future__ import annotations

import pytest

from helix.core.matchmaking.statistics import (
    Attendee,
    EventStatistics,
    MeetingRecord,
    Rating,
    event_statistics,
    percent,
)
from helix.core.matchmaking.workflows import (
    ACCEPTED,
    CANCELLED,
    DECLINED,
    HELD,
    NO_SHOW,
    PENDING,
    REQUESTED,
)

pytestmark = pytest.mark.unit


def test_percent_rounds_half_up_and_has_no_share_of_nothing() -> None:
    assert [percent(1, 3), percent(2, 3), percent(1, 8), percent(0, 5), percent(3, 0)] == [
        33,
        67,
        13,
        0,
        None,
    ]


def test_the_figures_count_who_came_what_was_held_and_how_it_was_rated() -> None:
    attendees = [
        Attendee(organisation=1, checked_in=True),
        Attendee(organisation=1, checked_in=False),
        Attendee(organisation=2, checked_in=True),
        Attendee(organisation=3, checked_in=False),
    ]
    meetings = [
        MeetingRecord(10, ACCEPTED, scheduled=True, outcome=HELD),
        MeetingRecord(11, ACCEPTED, scheduled=True, outcome=HELD),
        MeetingRecord(12, ACCEPTED, scheduled=True, outcome=NO_SHOW),
        MeetingRecord(13, ACCEPTED, scheduled=True, outcome=PENDING),
        MeetingRecord(14, ACCEPTED, scheduled=False, outcome=PENDING),
        MeetingRecord(15, DECLINED, scheduled=False, outcome=PENDING),
        MeetingRecord(16, REQUESTED, scheduled=False, outcome=PENDING),
        MeetingRecord(17, CANCELLED, scheduled=False, outcome=HELD),  # an outcome outside the schedule
    ]
    ratings = [
        Rating(10, useful=True, follow_up=True),
        Rating(10, useful=False, follow_up=False),  # the other side of the same meeting
        Rating(11, useful=False, follow_up=True),
    ]

    figures = event_statistics(attendees, meetings, ratings)

    assert figures == EventStatistics(
        registrations=4,
        organisations=3,
        checked_in=2,
        organisations_checked_in=2,
        requests=8,
        accepted=5,
        declined=1,
        scheduled=4,
        held=2,
        no_shows=1,
        not_recorded=1,
        ratings=3,
        useful_ratings=1,
        rated_meetings=2,
        useful_meetings=1,
        follow_up_meetings=2,
    )
    assert (
        figures.checked_in_percent,
        figures.held_percent,
        figures.useful_percent,
        figures.follow_up_percent,
    ) == (50, 50, 50, 100)


def test_an_event_with_nothing_yet_has_no_shares() -> None:
    figures = event_statistics([], [], [])
    assert (figures.registrations, figures.held, figures.checked_in_percent, figures.useful_percent) == (
        0,
        0,
        None,
        None,
    )
