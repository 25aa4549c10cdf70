"""A participant's agenda as an iCalendar file: one VEVENT per meeting with a stable UID, so a re-publish
updates the calendar entries (higher SEQUENCE) instead of adding new ones."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone, vText

from helix.events.models import Registration
from helix.events.schedules import agenda, published_schedule


def meeting_uid(event_id: int, request_id: int) -> str:
    host = getattr(settings, "HELIX_ICAL_DOMAIN", "helix")
    return f"event-{event_id}-request-{request_id}@{host}"


def agenda_ics(registration: Registration) -> bytes:
    event = registration.event
    zone = ZoneInfo(event.time_zone)
    schedule = published_schedule(event)
    cal = Calendar()
    cal.add("prodid", "-//Helix//Matchmaking agenda//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{event.title}: {registration.person}")
    meetings = agenda(registration)
    if meetings:
        # The zone's rules over whole calendar years around the meetings: a span of one day holds no
        # change of offset, and the VTIMEZONE came out with no STANDARD or DAYLIGHT part at all.
        first = min(m.slot.start for m in meetings).astimezone(zone)
        last = max(m.slot.end for m in meetings).astimezone(zone)
        cal.add_component(
            Timezone.from_tzinfo(
                zone,
                tzid=event.time_zone,
                first_date=date(first.year, 1, 1),
                last_date=date(last.year + 1, 1, 1),
            )
        )
    for item in meetings:
        req = item.request
        other = req.other_side(registration)
        vevent = Event()
        vevent.add("uid", meeting_uid(event.pk, req.pk))
        vevent.add(
            "dtstamp", schedule.published_at if schedule and schedule.published_at else datetime.now(zone)
        )
        vevent.add("dtstart", item.slot.start.astimezone(zone))
        vevent.add("dtend", item.slot.end.astimezone(zone))
        vevent.add("sequence", schedule.sequence if schedule else 0)
        vevent.add("summary", f"{other.organisation.name}: {other.person}")
        where = event.venue
        if item.table:
            where = f"{event.venue} · table {item.table}" if event.venue else f"table {item.table}"
        if registration.online or other.online:
            where = other.online_link or registration.online_link or where
        vevent["location"] = vText(where)
        vevent.add("description", req.message or "")
        cal.add_component(vevent)
    return cal.to_ical()
