"""Factories of matchmaking events: the event, its sessions, slots and rooms, registrations, meeting
requests, schedules with their meetings, sign-ups and ratings. ``tests/events/helpers.small_event``
builds a whole event through the services; these build one row each."""

from __future__ import annotations

import datetime as dt

import factory

from helix.events import models
from tests.factories.registry import ClusterFactory, PersonFactory

START = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Matchmaking day {n}")
    status = models.EventStatus.OPEN


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Session

    event = factory.SubFactory(EventFactory)
    name = "Morning"


class TimeSlotFactory(factory.django.DjangoModelFactory):
    """Slots of twenty minutes, one after the other."""

    class Meta:
        model = models.TimeSlot

    event = factory.SubFactory(EventFactory)
    start = factory.Sequence(lambda n: START + dt.timedelta(minutes=20 * n))
    end = factory.LazyAttribute(lambda slot: slot.start + dt.timedelta(minutes=20))


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Room

    event = factory.SubFactory(EventFactory)
    name = "Hall"
    tables = 4


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")


class EventMeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EventMeetingRequest

    event = factory.SubFactory(EventFactory)
    requester = factory.SubFactory(RegistrationFactory, event=factory.SelfAttribute("..event"))
    requested = factory.SubFactory(RegistrationFactory, event=factory.SelfAttribute("..event"))


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Schedule

    event = factory.SubFactory(EventFactory)
    status = models.ScheduleStatus.SUCCEEDED


class ScheduledMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ScheduledMeeting

    schedule = factory.SubFactory(ScheduleFactory)
    request = factory.SubFactory(EventMeetingRequestFactory, event=factory.SelfAttribute("..schedule.event"))
    slot = factory.SubFactory(TimeSlotFactory, event=factory.SelfAttribute("..schedule.event"))
    table = 1


class EventSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EventSignup

    event = factory.SubFactory(EventFactory)
    first_name = "Sara"
    last_name = factory.Sequence(lambda n: f"Janssens{n}")
    email = factory.LazyAttribute(lambda s: f"{s.last_name.lower()}@signup.example")
    organisation_name = "Renovate Together"


class MeetingRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MeetingRating

    request = factory.SubFactory(EventMeetingRequestFactory)
    registration = factory.SelfAttribute("request.requester")
    useful = True
    follow_up = False
