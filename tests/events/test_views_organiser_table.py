"""Integration: the organiser's event page as compact tables — a request's status, priority and slot
change in its row without reloading the page (htmx answers the row only), rows are moved or checked in
many at once, messages are shown once; a participant's "Request a meeting" turns into the request's
status once made."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from helix.events import meeting_requests
from helix.events.models import EventMeetingRequest, RequestStatus
from tests.events.helpers import rename_users, small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def setup(db):  # type: ignore[no-untyped-def]
    setup = small_event(["HeatCo", "City of Genk", "Robots", "Enervalis"])
    a, b, c, d = setup.registrations
    ua, ub, uc, _ud = setup.users
    setup.requests = [  # type: ignore[attr-defined]
        meeting_requests.request_meeting(ua, a, b),
        meeting_requests.request_meeting(uc, c, a),
        meeting_requests.request_meeting(ub, b, d),
    ]
    return setup


def test_the_organiser_page_is_one_row_per_request_with_inline_selects(client, setup):
    client.force_login(setup.organiser)
    html = client.get(f"/events/{setup.event.pk}/").content.decode()
    for req in setup.requests:
        assert f'<tr id="request-{req.pk}" class="request-row">' in html
        assert f'hx-post="/events/requests/{req.pk}/update/"' in html
    assert html.count('name="priority"') == 3
    assert 'id="bulk-requests"' in html
    assert 'data-check-all="bulk-requests"' in html

    # "must follow" offers only the requests that share a participant with the row's request
    def after_choices(req: EventMeetingRequest) -> str:
        row = html.split(f'<tr id="request-{req.pk}"')[1].split("</tr>")[0]
        return row.split('name="after"')[1].split("</select>")[0]

    first = after_choices(setup.requests[0])
    assert f'<option value="{setup.requests[1].pk}">' in first  # shares HeatCo
    assert f'<option value="{setup.requests[2].pk}">' in first  # shares City of Genk
    last = after_choices(setup.requests[2])
    assert f'<option value="{setup.requests[1].pk}">' not in last  # Robots · HeatCo: nobody in common


def test_an_inline_change_answers_only_its_row(client, setup):
    client.force_login(setup.organiser)
    req = setup.requests[0]
    slot = setup.event.slots.order_by("start")[1]

    response = client.post(
        f"/events/requests/{req.pk}/update/",
        {"priority": "3", "fixed_slot": slot.pk, "after": ""},
        **HTMX,
    )

    html = response.content.decode()
    assert html.startswith(f'<tr id="request-{req.pk}" class="request-row">')
    assert "<html" not in html
    assert '<option value="3" selected>' in html
    assert f'<option value="{slot.pk}" selected>' in html
    assert "Saved." in html
    req.refresh_from_db()
    assert (req.priority, req.fixed_slot) == (3, slot)
    # the message was shown in the row: the next page does not show it again
    assert "Saved." not in client.get(f"/events/{setup.event.pk}/").content.decode()


def test_the_status_changes_in_the_row(client, setup):
    client.force_login(setup.organiser)
    req = setup.requests[0]

    accepted = client.post(
        f"/events/requests/{req.pk}/answer/", {"answer": "accept"}, **HTMX
    ).content.decode()
    again = client.post(f"/events/requests/{req.pk}/answer/", {"answer": "decline"}, **HTMX).content.decode()

    assert 'request-status status--accepted">Accepted</span>' in accepted
    assert "Meeting request accepted." in accepted
    assert f'name="cancel-{req.pk}"' in accepted
    assert f'name="accept-{req.pk}"' not in accepted
    assert "This change is not possible from the present state." in again
    assert EventMeetingRequest.objects.get(pk=req.pk).status == RequestStatus.ACCEPTED


def test_without_htmx_a_change_goes_back_to_the_page(client, setup):
    client.force_login(setup.organiser)
    response = client.post(f"/events/requests/{setup.requests[0].pk}/answer/", {"answer": "accept"})
    assert (response.status_code, response["Location"]) == (302, f"/events/{setup.event.pk}/")


def test_bulk_accept_moves_what_it_may_and_says_what_it_left(client, setup):
    client.force_login(setup.organiser)
    first, second, third = setup.requests
    meeting_requests.answer_request(setup.organiser, third, accept=False)

    response = client.post(
        f"/events/{setup.event.pk}/requests/bulk/",
        {"action": "accept", "ids": [first.pk, second.pk, third.pk]},
    )

    statuses = dict(EventMeetingRequest.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "accepted", second.pk: "accepted", third.pk: "declined"}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 requests changed.",
        "1 requests were left as they were: not possible from their present state.",
    ]
    assert response["Location"].endswith("#requests")


def test_participants_do_not_move_requests_in_bulk(client, setup):
    client.force_login(setup.users[1])  # asked by HeatCo, but not the organiser
    client.post(
        f"/events/{setup.event.pk}/requests/bulk/", {"action": "accept", "ids": [setup.requests[0].pk]}
    )
    assert EventMeetingRequest.objects.get(pk=setup.requests[0].pk).status == RequestStatus.REQUESTED


def test_the_success_message_is_shown_once(client, setup):
    client.force_login(setup.organiser)
    response = client.post(
        f"/events/{setup.event.pk}/requests/bulk/",
        {"action": "decline", "ids": [setup.requests[0].pk]},
        follow=True,
    )
    assert response.content.decode().count("1 requests changed.") == 1


def test_request_a_meeting_turns_into_the_request_s_status(client, setup):
    a, _b, _c, d = setup.registrations
    client.force_login(setup.users[0])  # HeatCo
    before = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert f'name="request-{d.pk}"' in before

    client.post(f"/events/{setup.event.pk}/request/", {"requester": a.pk, "requested": d.pk})
    after = client.get(f"/events/{setup.event.pk}/").content.decode()

    assert f'name="request-{d.pk}"' not in after
    assert f'id="request-state-{d.pk}">Requested: waiting for their answer</span>' in after
    # asked by Robots: HeatCo is told to answer, and gets no button to ask again
    robots = setup.registrations[2]
    assert f'id="request-state-{robots.pk}">They asked you: answer below</span>' in after
    assert f'name="request-{robots.pk}"' not in after


def test_the_organiser_page_reads_as_many_queries_for_a_few_and_many_rows(client):
    """Sign-ups (each with its suggested organisations), requests, the published schedule's meetings and
    the participants: a constant number of queries whatever their number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from helix.events.models import EventSignup, Schedule, ScheduledMeeting
    from tests.factories import MembershipFactory, OrganisationFactory

    counts = []
    for size in (3, 9):
        setup = small_event([f"Org {size}-{k}" for k in range(size)], title=f"Day {size}", slots=size)
        regs, slots = setup.registrations, list(setup.event.slots.order_by("start"))
        schedule = Schedule.objects.create(
            event=setup.event, status="succeeded", published=True, published_at=timezone.now()
        )
        for k in range(size - 1):
            req = meeting_requests.request_meeting(setup.users[k], regs[k], regs[k + 1])
            ScheduledMeeting.objects.create(schedule=schedule, request=req, slot=slots[k], table=1)
        for k in range(size):
            known = OrganisationFactory(name=f"Renovate {size}-{k} Together")
            MembershipFactory(organisation=known, cluster=setup.event.cluster)
            EventSignup.objects.create(
                event=setup.event,
                first_name="Sara",
                last_name=f"Janssens {k}",
                email=f"sara{k}@size{size}.example",
                organisation_name=f"Renovate {size}-{k} Together NV",
            )
        client.force_login(setup.organiser)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/events/{setup.event.pk}/").content.decode()
        counts.append(len(queries))
        assert page.count('class="meeting-row"') == size - 1
        for k in range(size):  # each sign-up suggests its own organisation
            known = OrganisationFactory._meta.model.objects.get(name=f"Renovate {size}-{k} Together")
            assert f'<option value="{known.pk}">Renovate {size}-{k} Together</option>' in page
        rename_users(setup, size)
    assert counts[0] == counts[1]
