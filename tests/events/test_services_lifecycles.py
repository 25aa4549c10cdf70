"""Integration: the services enforce the lifecycles declared in helix.core.matchmaking.workflows (event
status, schedule runs, event meeting requests, market meeting requests), and the pages and the API offer
only the moves the caller may make. A move the table has not from the present state is MoveRefused
(code ``not_from_state``): a message on the page, 409 with the code in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from helix.core.matchmaking.workflows import NOT_FROM_STATE, MoveRefused
from helix.events import meeting_requests, schedules, services
from helix.events.models import Event, EventMeetingRequest, RequestStatus, Schedule, ScheduleStatus
from tests.events.helpers import small_event
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user
from tests.helpers.clients import api_client, messages_of, page_client

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


# -- the event ---------------------------------------------------------------------------------------------


def test_the_organiser_opens_closes_and_reopens_an_event_and_nothing_else():
    setup = small_event(["A", "B"], status="draft")
    event, organiser, member = setup.event, setup.organiser, setup.users[0]
    with pytest.raises(PermissionDenied):
        services.change_status(member, event, "open")

    moved = [services.change_status(organiser, event, target).status for target in ("open", "closed", "open")]

    assert moved == ["open", "closed", "open"]
    with pytest.raises(MoveRefused) as refused:
        services.change_status(organiser, event, "draft")
    assert refused.value.code == NOT_FROM_STATE
    assert Event.objects.get(pk=event.pk).status == "open"


def test_a_new_event_is_a_draft_unless_opened_at_once():
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    common = {
        "cluster": cluster,
        "day": dt.date(2026, 12, 3),
        "first_slot": dt.time(9, 0),
        "slot_minutes": 20,
        "gap_minutes": 5,
        "morning_slots": 2,
        "lunch_minutes": 60,
        "afternoon_slots": 0,
        "tables": 3,
    }
    draft = services.create_event(organiser, title="Prepared quietly", open_now=False, **common)
    opened = services.create_event(organiser, title="Open at once", **common)
    assert (draft.status, opened.status) == ("draft", "open")
    with pytest.raises(PermissionDenied):
        services.create_event(staff_user(ClusterFactory(name="Food"), "other"), title="Not mine", **common)


def test_registration_is_refused_in_a_draft_and_after_closing_but_the_organiser_registers_others():
    setup = small_event(["A"], status="draft")
    newcomer = member_user(OrganisationFactory(name="Newcomer"), "newcomer")
    with pytest.raises(PermissionDenied):
        services.register(newcomer, setup.event)
    registered = services.register(setup.organiser, setup.event, person=newcomer.person)
    assert registered.person == newcomer.person
    services.change_status(setup.organiser, setup.event, "open")
    late = member_user(OrganisationFactory(name="Late"), "late")
    services.change_status(setup.organiser, setup.event, "closed")
    with pytest.raises(PermissionDenied, match="not open"):
        services.register(late, setup.event)
    services.change_status(setup.organiser, setup.event, "open")
    assert services.register(late, setup.event).person == late.person


def test_the_page_and_the_api_offer_the_organiser_the_event_moves_and_nobody_else():
    setup = small_event(["A", "B"], status="open")
    organiser_page = page_client(setup.organiser).get(f"/events/{setup.event.pk}/").content.decode()
    member_page = page_client(setup.users[0]).get(f"/events/{setup.event.pk}/").content.decode()
    organiser_api = api_client(setup.organiser).get(f"/api/events/events/{setup.event.pk}").json()
    member_api = api_client(setup.users[0]).get(f"/api/events/events/{setup.event.pk}").json()

    assert ('name="status-closed"' in organiser_page, 'name="status-open"' in organiser_page) == (True, False)
    assert "Close registration" in organiser_page
    assert 'id="event-moves"' not in member_page
    assert (organiser_api["moves"], member_api["moves"]) == (["closed"], [])


def test_a_move_from_the_wrong_state_is_a_message_on_the_page_and_409_in_the_api():
    setup = small_event(["A"], status="closed")
    page = page_client(setup.organiser).post(
        f"/events/{setup.event.pk}/status/", {"status": "draft"}, follow=True
    )
    api = api_client(setup.organiser).post(
        f"/api/events/events/{setup.event.pk}/status", {"status": "draft"}, content_type="application/json"
    )
    assert messages_of(page) == ["This change is not possible from the present state."]
    assert (api.status_code, api.json()) == (
        409,
        {"detail": "event: closed -> draft: no such move from this state", "code": "not_from_state"},
    )
    assert Event.objects.get(pk=setup.event.pk).status == "closed"


# -- event meeting requests --------------------------------------------------------------------------------


def test_each_side_makes_only_its_own_moves_on_a_request():
    setup = small_event(["A", "B", "C"])
    (ra, rb, rc), (ua, ub, uc) = setup.registrations, setup.users
    req = meeting_requests.request_meeting(ua, ra, rb)
    with pytest.raises(PermissionDenied):
        meeting_requests.answer_request(ua, req, accept=True)  # the requester does not answer
    with pytest.raises(PermissionDenied):
        meeting_requests.cancel_request(ub, req)  # the side asked declines; it does not withdraw
    with pytest.raises(PermissionDenied):
        meeting_requests.answer_request(uc, req, accept=True)  # a third participant holds no side

    meeting_requests.answer_request(ub, req, accept=True)
    with pytest.raises(MoveRefused) as again:
        meeting_requests.answer_request(ub, req, accept=False)
    assert again.value.code == NOT_FROM_STATE
    # either side, once accepted
    assert meeting_requests.cancel_request(ub, req).status == RequestStatus.CANCELLED
    with pytest.raises(MoveRefused):
        meeting_requests.cancel_request(ua, req)  # cancelled is final

    withdrawn = meeting_requests.request_meeting(ua, ra, rc)
    assert meeting_requests.cancel_request(ua, withdrawn).status == RequestStatus.CANCELLED
    declined = meeting_requests.answer_request(
        setup.organiser, meeting_requests.request_meeting(uc, rc, rb), accept=False
    )
    assert declined.status == RequestStatus.DECLINED
    with pytest.raises(MoveRefused):
        meeting_requests.cancel_request(uc, declined)


def test_pages_and_api_show_each_side_its_moves_and_answer_409_once_answered():
    setup = small_event(["HeatCo", "City of Genk"])
    (ra, rb), (ua, ub) = setup.registrations, setup.users
    req = meeting_requests.request_meeting(ua, ra, rb)
    asker_page = page_client(ua).get(f"/events/{setup.event.pk}/").content.decode()
    asked_page = page_client(ub).get(f"/events/{setup.event.pk}/").content.decode()

    assert (f'name="accept-{req.pk}"' in asker_page, f'name="cancel-{req.pk}"' in asker_page) == (False, True)
    assert (f'name="accept-{req.pk}"' in asked_page, f'name="decline-{req.pk}"' in asked_page) == (True, True)
    assert f'name="cancel-{req.pk}"' not in asked_page
    answered = api_client(ub).post(
        f"/api/events/requests/{req.pk}/answer", {"accept": True}, content_type="application/json"
    )
    assert (answered.status_code, answered.json()["moves"]) == (200, ["cancelled"])
    twice = api_client(ub).post(
        f"/api/events/requests/{req.pk}/answer", {"accept": False}, content_type="application/json"
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "not_from_state")
    page = page_client(ub).post(f"/events/requests/{req.pk}/answer/", {"answer": "decline"}, follow=True)
    assert messages_of(page) == ["This change is not possible from the present state."]
    cancelled = api_client(ua).post(f"/api/events/requests/{req.pk}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"], cancelled.json()["moves"]) == (
        200,
        "cancelled",
        [],
    )
    assert EventMeetingRequest.objects.get(pk=req.pk).status == RequestStatus.CANCELLED


def test_unanswered_requests_expire_at_the_deadline_and_can_no_longer_be_answered():
    setup = small_event(["A", "B"])
    (ra, rb), (ua, ub) = setup.registrations, setup.users
    req = meeting_requests.request_meeting(ua, ra, rb)
    setup.event.request_deadline = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    setup.event.save()
    with pytest.raises(MoveRefused):
        meeting_requests.answer_request(ub, req, accept=True)
    assert EventMeetingRequest.objects.get(pk=req.pk).status == RequestStatus.EXPIRED


# -- schedule runs -----------------------------------------------------------------------------------------


def accepted_pair(setup):  # type: ignore[no-untyped-def]
    (ra, rb), (ua, ub) = setup.registrations[:2], setup.users[:2]
    return meeting_requests.answer_request(ub, meeting_requests.request_meeting(ua, ra, rb), accept=True)


def run(organiser, event):  # type: ignore[no-untyped-def]
    with TestCase.captureOnCommitCallbacks(execute=True):
        schedule = schedules.start_schedule(organiser, event, mode="all", time_limit=5)
    schedule.refresh_from_db()
    return schedule


def test_only_a_succeeded_run_is_published_and_a_published_run_is_never_run_again():
    setup = small_event(["A", "B"], slots=2, tables=1)
    accepted_pair(setup)
    first = run(setup.organiser, setup.event)
    failed = Schedule.objects.create(event=setup.event, status=ScheduleStatus.FAILED)
    with pytest.raises(MoveRefused):
        schedules.publish_schedule(setup.organiser, failed)
    with pytest.raises(PermissionDenied):
        schedules.publish_schedule(setup.users[0], first)
    schedules.publish_schedule(setup.organiser, first)
    with pytest.raises(MoveRefused):
        schedules.publish_schedule(setup.organiser, first)  # already the published one
    placed = list(first.meetings.values_list("request_id", "slot_id", "table"))

    with pytest.raises(MoveRefused):
        schedules.run_schedule(first.pk)  # the worker never re-runs (and rewrites) a published run

    assert list(first.meetings.values_list("request_id", "slot_id", "table")) == placed
    assert Schedule.objects.get(pk=first.pk).published
    with pytest.raises(MoveRefused):
        schedules.cancel_schedule(setup.organiser, first)  # finished runs are not cancelled
    second = run(setup.organiser, setup.event)
    schedules.publish_schedule(setup.organiser, second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.published, second.published, second.sequence) == (False, True, 1)


def test_a_failed_run_may_run_again_and_a_queued_one_be_cancelled():
    setup = small_event(["A", "B"], slots=2, tables=1)
    accepted_pair(setup)
    retried = Schedule.objects.create(
        event=setup.event, status=ScheduleStatus.FAILED, mode="all", time_limit=5
    )
    assert schedules.run_schedule(retried.pk)["status"] == "succeeded"
    queued = Schedule.objects.create(event=setup.event, status=ScheduleStatus.QUEUED)
    schedules.cancel_schedule(setup.organiser, queued)
    assert Schedule.objects.get(pk=queued.pk).cancel_requested


def test_the_schedule_row_and_the_api_offer_publish_only_for_a_succeeded_run():
    setup = small_event(["A", "B"])
    rows = {
        status: Schedule.objects.create(event=setup.event, status=status)
        for status in (ScheduleStatus.QUEUED, ScheduleStatus.SUCCEEDED, ScheduleStatus.FAILED)
    }
    page, api = page_client(setup.organiser), api_client(setup.organiser)
    html = {s: page.get(f"/events/schedules/{r.pk}/").content.decode() for s, r in rows.items()}
    moves = {s: api.get(f"/api/events/schedules/{r.pk}").json()["moves"] for s, r in rows.items()}

    assert {s: ('name="publish"' in h, 'name="cancel"' in h) for s, h in html.items()} == {
        "queued": (False, True),
        "succeeded": (True, False),
        "failed": (False, False),
    }
    assert moves == {"queued": ["cancelled"], "succeeded": ["published"], "failed": []}
    refused = api.post(f"/api/events/schedules/{rows['failed'].pk}/publish")
    assert (refused.status_code, refused.json()["code"]) == (409, "not_from_state")


# -- market meeting requests -------------------------------------------------------------------------------


def test_a_market_request_withdrawn_or_declined_is_not_answered():
    from helix.market import meeting_requests as market
    from helix.market.models import MeetingStatus
    from tests.factories import make_listing

    city, company = OrganisationFactory(name="City of Genk"), OrganisationFactory(name="HeatCo")
    asker, asked = member_user(city, "city"), member_user(company, "company")
    need = make_listing(city, "need", title="Restwarmte voor ons warmtenet")
    offer = make_listing(company, "offer", title="Residual heat from our plant")
    meeting = market.request_meeting(asker, need, offer)
    type(meeting).objects.filter(pk=meeting.pk).update(status=MeetingStatus.WITHDRAWN)

    with pytest.raises(ValidationError, match="already answered"):
        market.answer_meeting(asked, meeting, accept=True)  # a stale copy still says "requested"

    assert type(meeting).objects.get(pk=meeting.pk).status == MeetingStatus.WITHDRAWN


# -- query counts ------------------------------------------------------------------------------------------


def test_the_event_page_and_the_participant_api_take_as_many_queries_at_two_sizes():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from helix.events.models import Registration

    setup = small_event(["HeatCo", "City of Genk", "Robots"])
    event, first = setup.event, setup.registrations[0]
    page = page_client(setup.users[0])

    def join_and_ask(
        k: int,
    ) -> None:  # a newcomer registers; the first participant asks them; odd ones accept
        user = member_user(OrganisationFactory(name=f"Newcomer {k}"), f"newcomer{k}")
        registration = Registration.objects.create(
            event=event, person=user.person, organisation=user.person.organisation
        )
        req = meeting_requests.request_meeting(setup.users[0], first, registration)
        if k % 2:
            meeting_requests.answer_request(user, req, accept=True)

    def counts() -> tuple[int, int]:
        api = api_client(setup.users[0])  # a new token each time: its first use records when it was used
        # Warm: a session's first page remembers its language for e-mail (once), and the caller's
        # roles are read again after the registry changed; neither grows with the event.
        page.get(f"/events/{event.pk}/")
        with CaptureQueriesContext(connection) as on_page:
            assert page.get(f"/events/{event.pk}/").status_code == 200
        with CaptureQueriesContext(connection) as on_api:
            assert api.get(f"/api/events/events/{event.pk}/registrations").status_code == 200
        return len(on_page), len(on_api)

    for k in range(2):
        join_and_ask(k)
    small = counts()
    for k in range(2, 10):
        join_and_ask(k)
    assert counts() == small
