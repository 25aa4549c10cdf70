"""Integration: the speed-dating format (hosts keep their table, visitors rotate) and online meetings in a
hybrid event (no table taken)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from helix.core.scheduling import Mode, check_schedule
from helix.events import convert, meeting_requests
from helix.events.models import EventFormat, Role
from tests.events.helpers import run, small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_speed_dating_hosts_keep_their_table_and_visitors_rotate():
    setup = small_event(
        ["City of Genk", "City of Hasselt", "HeatCo", "SolarCo", "GridCo"],
        slots=3,
        tables=0,
        format=EventFormat.SPEED_DATING,
    )
    regs, users = setup.registrations, setup.users
    for host in regs[:2]:
        host.role = Role.HOST
        host.save()
    for visitor in regs[2:]:
        visitor.role = Role.VISITOR
        visitor.save()
    with pytest.raises(ValidationError, match="visitors meet host tables"):
        meeting_requests.request_meeting(users[0], regs[0], regs[1])  # two hosts
    for v in range(2, 5):
        for h in range(2):
            meeting_requests.answer_request(
                users[h], meeting_requests.request_meeting(users[v], regs[v], regs[h]), accept=True
            )
    schedule = run(setup.organiser, setup.event, mode="max", time_limit=5)
    assert schedule.status == "succeeded", schedule.message
    assert schedule.held == 6  # 3 visitors x 2 hosts in 3 rounds
    tables_of_host: dict[int, set[int]] = {}
    for meeting in schedule.meetings.select_related("request"):
        host = meeting.request.requested_id  # visitors asked the hosts
        tables_of_host.setdefault(host, set()).add(meeting.table)
    assert all(len(tables) == 1 for tables in tables_of_host.values())
    assert len({next(iter(t)) for t in tables_of_host.values()}) == 2
    data = convert.build_problem(setup.event)
    slot_index = {s.pk: i for i, s in enumerate(data.slots)}
    req_index = {r.pk: i for i, r in enumerate(data.requests)}
    assignment = {req_index[m.request_id]: slot_index[m.slot_id] for m in schedule.meetings.all()}
    assert check_schedule(data.problem, assignment, mode=Mode.MAX).ok


def test_online_meetings_take_no_table():
    setup = small_event(["A", "B", "C", "D"], slots=1, tables=1, attendance="hybrid")
    regs, users = setup.registrations, setup.users
    for reg in regs[2:]:
        reg.online = True
        reg.save()
    for a, b in [(0, 1), (2, 3)]:
        meeting_requests.answer_request(
            users[b], meeting_requests.request_meeting(users[a], regs[a], regs[b]), accept=True
        )
    schedule = run(setup.organiser, setup.event, mode="all", time_limit=5)
    assert schedule.held == 2  # one slot, one table: the online pair needs none
    by_pair = {(m.request.requester_id, m.request.requested_id): m.table for m in schedule.meetings.all()}
    assert by_pair[regs[0].pk, regs[1].pk] == 1
    assert by_pair[regs[2].pk, regs[3].pk] is None


def test_a_meeting_asked_for_from_a_match_comes_to_the_event():
    from helix.market import meeting_requests as market
    from tests.factories import make_listing

    setup = small_event(["City of Genk", "HeatCo"], slots=2)
    city, company = (r.organisation for r in setup.registrations)
    need = make_listing(city, "need", title="Restwarmte voor ons warmtenet")
    offer = make_listing(company, "offer", title="Residual heat from our plant")
    asked = market.request_meeting(setup.users[0], need, offer)
    market.answer_meeting(setup.users[1], asked, accept=True)
    found = meeting_requests.match_requests(setup.users[0], setup.event)
    assert [(mr.pk, own.pk, other.pk) for mr, own, other in found] == [
        (asked.pk, setup.registrations[0].pk, setup.registrations[1].pk)]
    req = meeting_requests.request_from_match(setup.users[0], setup.event, asked)
    assert req.status == "accepted"  # both already agreed to meet
    assert req.market_request == asked
    assert meeting_requests.match_requests(setup.users[0], setup.event) == []
    with pytest.raises(ValidationError, match="not between you and a participant"):
        meeting_requests.request_from_match(setup.users[0], setup.event, asked)
