"""Answering a meeting request from the e-mail's signed link: no log-in, GET changes nothing, the button's
POST answers once and tells the requester; altered, foreign, expired or past-event links are refused."""

from __future__ import annotations

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.db.models import F
from django.urls import reverse

from helix.events import meeting_requests
from helix.events.models import RequestStatus, TimeSlot
from helix.events.notices import ANSWER_SALT, LINK_DAYS, answer_path
from helix.notifications.models import Notification
from tests.events.helpers import small_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LINK = re.compile(r"http://127\.0\.0\.1:8000(/events/answer/[^/\s]+/)")


@pytest.fixture
def asked(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """HeatCo asked the City of Genk; the links of the e-mail Genk received."""
    setup = small_event(["HeatCo", "City of Genk", "Robots"], venue="C-Mine, Genk")
    for slot in setup.event.slots.all():  # a link works until the event is over: this one is to come
        slot.start, slot.end = slot.start.replace(year=2099), slot.end.replace(year=2099)
        slot.save()
    heatco, genk, _robots = setup.registrations
    with django_capture_on_commit_callbacks(execute=True):
        request = meeting_requests.request_meeting(
            setup.users[0], heatco, genk, message="Heat for your network?"
        )
    accept, decline = LINK.findall(mail.outbox[0].body)
    mail.outbox.clear()
    return setup, request, accept, decline


def test_opening_the_link_shows_the_request_and_changes_nothing(client, asked):
    _setup, request, accept, _decline = asked
    response = client.get(accept)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Meeting request from HeatCo" in page
    assert "Heat for your network?" in page
    assert "3 December 2099, 09:00–10:25" in page
    assert 'value="accept"' in page
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED
    assert Notification.objects.filter(message__startswith="events.request_accepted").count() == 0


def test_the_button_accepts_without_a_login_and_tells_the_requester(
    client, asked, django_capture_on_commit_callbacks
):
    setup, request, accept, _decline = asked
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(accept, {"answer": "accept"})
    assert (response.status_code, response["Location"]) == (302, accept)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert request.responded_at is not None
    (sent,) = mail.outbox
    assert (sent.to, sent.subject) == (
        [setup.registrations[0].person.email],
        "City of Genk accepted your meeting request",
    )
    page = client.get(accept).content.decode()
    assert "You accepted the meeting. HeatCo is told." in page
    assert 'id="request-status">Accepted<' in page
    assert 'value="accept"' not in page  # nothing left to answer


def test_answering_twice_shows_the_answer_and_changes_nothing(
    client, asked, django_capture_on_commit_callbacks
):
    _setup, request, accept, decline = asked
    client.post(accept, {"answer": "accept"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decline, {"answer": "decline"})
    assert response.status_code == 200
    assert 'id="request-status">Accepted<' in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert mail.outbox == []


def test_the_decline_link_declines(client, asked):
    _setup, request, _accept, decline = asked
    page = client.get(decline).content.decode()
    assert page.index('value="decline"') < page.index('value="accept"')  # its own answer comes first
    client.post(decline, {"answer": "decline"})
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED


def test_an_altered_link_is_refused_with_a_page_that_says_so(client, asked):
    _setup, request, accept, _decline = asked
    token = accept.split("/")[-2]
    altered = reverse(
        "events:answer_link", kwargs={"token": token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb")}
    )
    for response in (client.get(altered), client.post(altered, {"answer": "accept"})):
        assert response.status_code == 400
        assert "This link is incomplete or was changed" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED


def test_a_link_signed_for_another_registration_is_refused(client, asked):
    setup, request, _accept, _decline = asked
    robots = setup.registrations[2]
    forged = signing.TimestampSigner(salt=ANSWER_SALT).sign_object({"r": request.pk, "g": robots.pk, "a": 1})
    response = client.post(reverse("events:answer_link", kwargs={"token": forged}), {"answer": "accept"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED


def test_a_link_signed_with_another_salt_is_refused(client, asked):
    _setup, request, _accept, _decline = asked
    other = signing.TimestampSigner(salt="something else").sign_object(
        {"r": request.pk, "g": request.requested_id, "a": 1}
    )
    assert client.get(reverse("events:answer_link", kwargs={"token": other})).status_code == 400


def test_an_expired_link_is_refused(client, asked):
    _setup, request, _accept, _decline = asked
    long_ago = time.time() - (LINK_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        old = answer_path(request, True)
    response = client.post(old, {"answer": "accept"})
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED


def test_a_link_of_an_event_that_is_over_is_refused(client, asked):
    setup, _request, accept, _decline = asked
    ago = dt.timedelta(days=365 * 90)
    TimeSlot.objects.filter(event=setup.event).update(start=F("start") - ago, end=F("end") - ago)
    response = client.get(accept)
    assert response.status_code == 410
    assert "is over" in response.content.decode()


def test_after_the_request_deadline_the_link_cannot_answer(client, asked):
    setup, request, accept, _decline = asked
    setup.event.request_deadline = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    setup.event.save()
    assert "The deadline for answering meeting requests has passed." in client.get(accept).content.decode()
    page = client.post(accept, {"answer": "accept"}, follow=True).content.decode()
    assert "This request can no longer be answered." in page
    request.refresh_from_db()
    # past the deadline an unanswered request is expired, as when answered in Helix (test_lifecycles)
    assert request.status == RequestStatus.EXPIRED
