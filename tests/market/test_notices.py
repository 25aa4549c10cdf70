"""Owners of needs and offers hear of new strong matches (once per pair, only of what they may see),
of meeting requests and their answers, and a week before a listing expires (once per expiry date)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from helix.market import notices, services
from helix.market.meeting_requests import answer_meeting, request_meeting
from helix.market.models import Listing
from helix.notifications.models import Notification
from tests.factories import OrganisationFactory, make_listing, member_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEAT = "Residual heat from our data centre at 45 degrees, all year, for a district heating network."


@pytest.fixture
def owners(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(notices, "STRONG_SCORE", 0.0)  # the hashing encoder of the tests scores low
    city, dc = OrganisationFactory(name="City of Genk"), OrganisationFactory(name="DataCo")
    return member_user(city, "city"), member_user(dc, "dc")


def messages_of(user):  # type: ignore[no-untyped-def]
    return sorted(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_a_new_listing_tells_both_owners_once(owners, django_capture_on_commit_callbacks):
    city, dc = owners
    with django_capture_on_commit_callbacks(execute=True):
        need = make_listing(
            city.person.organisation,
            "need",
            category="partner",
            title="Heat for our network",
            description=HEAT,
        )
    assert messages_of(city) == []  # nothing to match yet
    with django_capture_on_commit_callbacks(execute=True):
        offer = make_listing(dc.person.organisation, "offer", title="Data centre heat", description=HEAT)
    assert messages_of(dc) == ["market.new_matches"]
    assert messages_of(city) == ["market.matched_by_new"]
    told = Notification.objects.get(recipient=city)
    assert told.params == {
        "organisation": "DataCo",
        "other": "Data centre heat",
        "listing": "Heat for our network",
    }
    assert told.url == f"/needs-offers/{need.pk}/"
    # saving the offer again tells nobody again
    with django_capture_on_commit_callbacks(execute=True):
        offer.description = HEAT + " Also in winter."
        services.save_listing(offer)
    assert Notification.objects.count() == 2


def test_a_match_one_may_not_see_is_not_told(owners, django_capture_on_commit_callbacks):
    city, dc = owners
    with django_capture_on_commit_callbacks(execute=True):
        make_listing(
            city.person.organisation,
            "need",
            category="partner",
            title="Heat",
            description=HEAT,
            visibility="staff",
        )
        make_listing(dc.person.organisation, "offer", title="Data centre heat", description=HEAT)
    assert messages_of(dc) == []  # the need is for cluster staff only
    assert messages_of(city) == ["market.new_matches"]  # the offer is public


def test_weak_matches_are_not_told(owners, monkeypatch, django_capture_on_commit_callbacks):
    city, dc = owners
    monkeypatch.setattr(notices, "STRONG_SCORE", 99.0)
    with django_capture_on_commit_callbacks(execute=True):
        make_listing(city.person.organisation, "need", category="partner", title="Heat", description=HEAT)
        make_listing(dc.person.organisation, "offer", title="Data centre heat", description=HEAT)
    assert Notification.objects.count() == 0


def test_meeting_requests_and_answers_are_told(owners, django_capture_on_commit_callbacks):
    city, dc = owners
    need = make_listing(city.person.organisation, "need", category="partner", title="Heat", description=HEAT)
    offer = make_listing(dc.person.organisation, "offer", title="Data centre heat", description=HEAT)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = request_meeting(city, need, offer, message="Shall we?")
    assert messages_of(dc) == ["market.request_received"]
    assert [m.subject for m in mail.outbox] == ["Meeting request from City of Genk"]
    with django_capture_on_commit_callbacks(execute=True):
        answer_meeting(dc, meeting, accept=True)
    assert messages_of(city) == ["market.request_accepted"]
    assert mail.outbox[-1].to == [city.email]


def test_a_week_before_expiry_the_owners_are_reminded_once(owners, django_capture_on_commit_callbacks):
    city, _dc = owners
    listing = make_listing(
        city.person.organisation, "need", category="partner", title="Heat", description=HEAT
    )
    today = timezone.localdate()
    Listing.objects.filter(pk=listing.pk).update(expires_on=today + dt.timedelta(days=10))
    assert notices.remind_expiring_listings(force=True) == 0
    Listing.objects.filter(pk=listing.pk).update(expires_on=today + dt.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.remind_expiring_listings(force=True) == 1
        assert notices.remind_expiring_listings(force=True) == 0
    (sent,) = mail.outbox
    assert sent.subject.startswith("“Heat” expires on ")
    # renewed, and then close to its new date: reminded again
    Listing.objects.filter(pk=listing.pk).update(expires_on=today + dt.timedelta(days=6))
    assert notices.remind_expiring_listings(force=True) == 1


def test_an_expiry_sweep_after_everyone_was_reminded_costs_two_queries(owners):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city, dc = owners
    today = timezone.localdate()
    for org, side in ((city.person.organisation, "need"), (dc.person.organisation, "offer")):
        extra = {"category": "partner"} if side == "need" else {}
        listing = make_listing(org, side, title="Heat", description=HEAT, **extra)
        Listing.objects.filter(pk=listing.pk).update(expires_on=today + dt.timedelta(days=3))
    assert notices.remind_expiring_listings(force=True) == 2
    with CaptureQueriesContext(connection) as queries:
        assert notices.remind_expiring_listings(force=True) == 0
    # the listings about to expire, the reminders sent: not one query per listing
    assert len(queries) == 2, [q["sql"] for q in queries]
