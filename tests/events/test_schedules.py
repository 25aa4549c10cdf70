"""Integration: an event's requests become a schedule — expiry, limits, permissions, the background run,
publishing, a failed run leaving the published schedule alone, re-scheduling, and the iCalendar agenda."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from icalendar import Calendar

from helix.core.scheduling import Mode, check_schedule
from helix.events import convert, meeting_requests, schedules, services
from helix.events.agenda import agenda_ics, meeting_uid
from helix.events.models import (
    Event,
    Registration,
    RequestStatus,
    Room,
    Schedule,
    ScheduleStatus,
    Session,
    TimeSlot,
)
from tests.events.helpers import run
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def event_setup():
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    # Open: participants act only in a published event (in a draft, only its organisers do).
    event = Event.objects.create(cluster=cluster, title="Brokerage day", venue="Brussels Expo", status="open")
    morning = Session.objects.create(event=event, name="Morning", order=0)
    start = datetime(2026, 12, 3, 9, 0, tzinfo=BRUSSELS)
    for k in range(4):
        TimeSlot.objects.create(
            event=event,
            session=morning,
            start=start + timedelta(minutes=30 * k),
            end=start + timedelta(minutes=30 * k + 25),
        )
    Room.objects.create(event=event, name="Hall", tables=2)
    regs, users = [], []
    for k in range(4):
        org = OrganisationFactory(name=f"Org {k}")
        user = member_user(org, f"user{k}")
        regs.append(Registration.objects.create(event=event, person=user.person, organisation=org))
        users.append(user)
    return event, organiser, regs, users


def accepted(event, regs, users, pairs):
    out = []
    for a, b in pairs:
        req = meeting_requests.request_meeting(users[a], regs[a], regs[b])
        meeting_requests.answer_request(users[b], req, accept=True)
        out.append(req)
    return out


def test_request_flow_permissions_limits_and_expiry(event_setup):
    event, _organiser, regs, users = event_setup
    with pytest.raises(PermissionDenied):
        meeting_requests.request_meeting(users[1], regs[0], regs[2])  # user1 does not act for registration 0
    req = meeting_requests.request_meeting(users[0], regs[0], regs[1], priority=2)
    with pytest.raises(ValidationError, match="already have an open"):
        meeting_requests.request_meeting(users[1], regs[1], regs[0])
    with pytest.raises(PermissionDenied):
        meeting_requests.answer_request(users[0], req, accept=True)  # only the requested side answers
    meeting_requests.answer_request(users[1], req, accept=True)
    regs[2].max_meetings = 0
    regs[2].save()
    with pytest.raises(ValidationError, match="most meetings they accept"):
        meeting_requests.request_meeting(users[0], regs[0], regs[2])
    late = meeting_requests.request_meeting(users[0], regs[0], regs[3])
    event.request_deadline = datetime(2020, 1, 1, tzinfo=BRUSSELS)
    event.save()
    assert meeting_requests.expire_requests(event) == 1
    late.refresh_from_db()
    assert late.status == RequestStatus.EXPIRED
    data = convert.build_problem(event)
    assert len(data.problem.meetings) == 1  # expired requests never take a slot
    with pytest.raises(PermissionDenied):
        schedules.start_schedule(users[0], event)


def test_background_run_writes_a_valid_schedule_and_publishing_numbers_it(event_setup):
    event, organiser, regs, users = event_setup
    accepted(event, regs, users, [(0, 1), (0, 2), (0, 3), (1, 2), (2, 3)])
    schedule = run(organiser, event, mode="all", fairness=1, time_limit=10)
    schedule.refresh_from_db()  # tasks run immediately in tests
    assert schedule.status == ScheduleStatus.SUCCEEDED, schedule.message
    assert schedule.held == schedule.requested == 5
    # the run's job carries the progress the page shows (the SAT model reports each proof)
    schedule.job.refresh_from_db()
    assert schedule.job.status == "succeeded"
    assert schedule.job.result["held"] == 5
    data = convert.build_problem(event)
    slot_index = {s.pk: i for i, s in enumerate(data.slots)}
    req_index = {r.pk: i for i, r in enumerate(data.requests)}
    assignment = {req_index[m.request_id]: slot_index[m.slot_id] for m in schedule.meetings.all()}
    report = check_schedule(data.problem, assignment, mode=Mode.ALL, fairness=1)
    assert report.ok, report.violations
    assert report.total_breaks == schedule.total_breaks
    for slot_id in {m.slot_id for m in schedule.meetings.all()}:
        tables = [m.table for m in schedule.meetings.filter(slot_id=slot_id)]
        assert len(tables) == len(set(tables))
        assert all(1 <= t <= 2 for t in tables)
    schedules.publish_schedule(organiser, schedule)
    assert schedules.published_schedule(event) == schedule
    assert schedule.sequence == 0


def test_failed_or_cancelled_run_leaves_the_published_schedule_untouched(event_setup):
    event, organiser, regs, users = event_setup
    accepted(event, regs, users, [(0, 1), (2, 3)])
    first = run(organiser, event, mode="all", time_limit=5)
    schedules.publish_schedule(organiser, first)
    before = sorted(first.meetings.values_list("request_id", "slot_id", "table"))
    # make "every meeting held" impossible: registration 0 is available in no slot
    regs[0].unavailable.set(event.slots.all())
    failed = run(organiser, event, mode="all", time_limit=5)
    assert failed.status == ScheduleStatus.FAILED
    assert failed.meetings.count() == 0
    assert schedules.published_schedule(event) == first
    assert sorted(first.meetings.values_list("request_id", "slot_id", "table")) == before
    regs[0].unavailable.clear()
    cancelled = Schedule.objects.create(event=event, mode="all", time_limit=5, cancel_requested=True)
    schedules.run_schedule(cancelled.pk)
    cancelled.refresh_from_db()
    assert cancelled.status == ScheduleStatus.CANCELLED
    assert schedules.published_schedule(event) == first


def test_rescheduling_after_a_cancellation_keeps_the_other_meetings_in_place(event_setup):
    event, organiser, regs, users = event_setup
    reqs = accepted(event, regs, users, [(0, 1), (0, 2), (1, 3), (2, 3)])
    first = run(organiser, event, mode="max", time_limit=5)
    schedules.publish_schedule(organiser, first)
    placed = {m.request_id: m.slot_id for m in first.meetings.all()}
    meeting_requests.cancel_request(users[0], reqs[0])
    second = run(organiser, event, mode="max", time_limit=5)
    assert second.status == ScheduleStatus.SUCCEEDED
    assert second.moved == 0
    assert {m.request_id: m.slot_id for m in second.meetings.all()} == {
        k: v for k, v in placed.items() if k != reqs[0].pk
    }
    schedules.publish_schedule(organiser, second)
    assert second.sequence == 1


def test_agenda_ics_reads_back_with_stable_uids_and_brussels_time(event_setup):
    event, organiser, regs, users = event_setup
    reqs = accepted(event, regs, users, [(0, 1), (0, 2)])
    schedule = run(organiser, event, mode="all", time_limit=5)
    schedules.publish_schedule(organiser, schedule)
    cal = Calendar.from_ical(agenda_ics(regs[0]))
    assert cal["method"] == "PUBLISH"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
    events = cal.walk("VEVENT")
    assert {str(e["uid"]) for e in events} == {meeting_uid(event.pk, r.pk) for r in reqs}
    for vevent in events:
        start = vevent.decoded("dtstart")
        assert start.tzinfo is not None
        assert start.utcoffset() == timedelta(hours=1)
        assert vevent["dtstart"].params["TZID"] == "Europe/Brussels"
        assert start in {s.start for s in event.slots.all()}
    # re-publish: same UIDs, higher SEQUENCE
    again = run(organiser, event, mode="all", time_limit=5)
    schedules.publish_schedule(organiser, again)
    cal2 = Calendar.from_ical(agenda_ics(regs[0]))
    assert {str(e["uid"]) for e in cal2.walk("VEVENT")} == {str(e["uid"]) for e in events}
    assert {int(e["sequence"]) for e in cal2.walk("VEVENT")} == {1}


def test_organiser_fixes_slots_priorities_and_precedence_and_the_schedule_honours_them(event_setup):
    event, organiser, regs, users = event_setup
    r01, r23, r02 = accepted(event, regs, users, [(0, 1), (2, 3), (0, 2)])
    slots = list(event.slots.order_by("start"))
    with pytest.raises(PermissionDenied):
        meeting_requests.update_request(users[0], r01, priority=3)
    meeting_requests.update_request(organiser, r01, priority=3, fixed_slot=slots[3])
    meeting_requests.update_request(organiser, r02, after=r23)
    with pytest.raises(ValidationError, match="each have to follow the other"):
        meeting_requests.update_request(organiser, r23, after=r02)
    services.set_availability(users[2], regs[2], unavailable=[slots[0]], max_meetings=None)
    schedule = run(organiser, event, mode="all", time_limit=5)
    placed = {m.request_id: m.slot for m in schedule.meetings.all()}
    assert placed[r01.pk] == slots[3]
    assert placed[r23.pk].start < placed[r02.pk].start
    assert slots[0] not in (placed[r23.pk], placed[r02.pk])
    with pytest.raises(PermissionDenied):
        services.set_availability(users[1], regs[2], unavailable=[], max_meetings=None)
