"""Factories of the people around the registry: invitations and sign-up requests (people), consent and
erasure records (privacy), the outbox, the inbox and its preferences (notifications)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from helix.notifications import models as notifications
from helix.people import models as people
from helix.privacy import models as privacy
from tests.factories.registry import OrganisationFactory, PersonFactory, UserFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation to an existing organisation, valid for a week."""

    class Meta:
        model = people.Invitation

    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    first_name = "Lotte"
    last_name = factory.Sequence(lambda n: f"Maes{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    token_hash = factory.Sequence(lambda n: people.token_digest(f"invitation-{n}"))
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class SignupRequestFactory(factory.django.DjangoModelFactory):
    """A confirmed sign-up waiting for approval, naming a new organisation."""

    class Meta:
        model = people.SignupRequest

    first_name = "Tom"
    last_name = factory.Sequence(lambda n: f"Claes{n}")
    email = factory.Sequence(lambda n: f"signup{n}@example.org")
    organisation_name = factory.Sequence(lambda n: f"Newco {n}")
    status = "pending"


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = privacy.ConsentRecord

    person = factory.SubFactory(PersonFactory)
    consent = privacy.Consent.CONTACT
    given = True
    how = privacy.Channel.FORM


class ErasureRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = privacy.ErasureRecord

    person_number = factory.Sequence(lambda n: 10_000 + n)
    how = privacy.Channel.FORM
    removed = factory.LazyFunction(lambda: [{"code": "person", "count": 1}])
    kept = factory.LazyFunction(lambda: {"consent_records": 1})


MEETING_PARAMS = {"organisation": "HeatCo", "need": "Waste heat", "offer": "Heat pumps"}


class OutgoingMailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = notifications.OutgoingMail

    to = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    subject = "Hello"
    body = "A message."


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = notifications.Notification

    recipient = factory.SubFactory(UserFactory)
    kind = notifications.Kind.MEETING_REQUEST
    message = "market.request_received"
    params = factory.LazyFunction(lambda: dict(MEETING_PARAMS))
    url = "/meetings/"


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = notifications.NotificationSettings
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    language = "en"


class SentNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = notifications.SentNotice

    key = factory.Sequence(lambda n: f"notice-{n}")
