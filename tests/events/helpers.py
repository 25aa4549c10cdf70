"""A small event for the events tests: slots from 9:00 Brussels time, one room, organisations with a
member user each, registered; a schedule run started and run at once; the text of a PDF."""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.test import TestCase

from helix.events import schedules
from helix.events.models import Event, EventStatus, Registration, Room, TimeSlot
from tests.factories import ClusterFactory, OrganisationFactory, member_user, staff_user

BRUSSELS = ZoneInfo("Europe/Brussels")


@dataclass
class SmallEvent:
    event: Event
    organiser: Any
    registrations: list[Registration]
    users: list[Any]


def small_event(
    names: list[str],
    *,
    slots: int = 3,
    tables: int = 2,
    minutes: int = 30,
    title: str = "Brokerage day",
    status: str = EventStatus.OPEN,
    **event_fields: Any,
) -> SmallEvent:
    """The event is open for registration unless ``status`` says otherwise: its participants act in it
    (in a draft, only the organisers do)."""
    cluster = ClusterFactory(name="Smart Energy Cities")
    organiser = staff_user(cluster, "organiser")
    event = Event.objects.create(cluster=cluster, title=title, status=status, **event_fields)
    start = datetime(2026, 12, 3, 9, 0, tzinfo=BRUSSELS)
    for k in range(slots):
        TimeSlot.objects.create(
            event=event,
            start=start + timedelta(minutes=minutes * k),
            end=start + timedelta(minutes=minutes * k + minutes - 5),
        )
    Room.objects.create(event=event, name="Hall", tables=tables)
    registrations, users = [], []
    for k, name in enumerate(names):
        organisation = OrganisationFactory(name=name)
        user = member_user(organisation, f"u{k}")
        registrations.append(
            Registration.objects.create(event=event, person=user.person, organisation=organisation)
        )
        users.append(user)
    return SmallEvent(event, organiser, registrations, users)


def rename_users(setup: SmallEvent, suffix: object) -> None:
    """Give the organiser and users of ``setup`` names of their own, so that another small_event can be
    built beside it (a test that compares two sizes)."""
    setup.organiser.username = f"organiser-{suffix}"
    setup.organiser.save()
    for user in setup.users:
        user.username = f"{user.username}-{suffix}"
        user.save()


def run(organiser, event, **options):  # type: ignore[no-untyped-def]
    """Start a run; the task is enqueued on commit and runs at once (immediate backend in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        schedule = schedules.start_schedule(organiser, event, **options)
    schedule.refresh_from_db()
    return schedule


def pdf_text(data: bytes) -> str:
    """The text of every filtered stream of a PDF written by reportlab, its filters undone (ASCII85 and
    Flate): drawString text stands there in plain ASCII (other letters as font subset codes)."""
    parts = []
    for found in re.finditer(rb"/Filter \[ ([^\]]*)\] /Length (\d+)[^>]*>>\s*stream\r?\n", data):
        stream = data[found.end() : found.end() + int(found.group(2))]
        for name in found.group(1).split():
            if name == b"/ASCII85Decode":
                stream = base64.a85decode(stream.strip().removesuffix(b"~>"))
            elif name == b"/FlateDecode":
                stream = zlib.decompress(stream)
        parts.append(stream)
    return b"\n".join(parts).decode("latin-1")
