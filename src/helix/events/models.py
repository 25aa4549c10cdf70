"""Matchmaking events: sessions of time slots, rooms with tables, registrations, meeting requests and
the schedules the optimiser writes (helix.core.scheduling does the work; services.py calls it)."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Max, Min, Q
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helix.registry.models import Cluster, Organisation, Person


class EventFormat(models.TextChoices):
    B2B = "b2b", _("B2B: one-to-one meetings at tables")
    SPEED_DATING = "speed_dating", _("Speed-dating: host tables and rotating visitors")


class Attendance(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Closed")


class Event(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=60, default="Europe/Brussels")
    format = models.CharField(
        _("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.B2B
    )
    attendance = models.CharField(
        _("on site or online"), max_length=10, choices=Attendance.choices, default=Attendance.ON_SITE
    )
    request_deadline = models.DateTimeField(
        _("requests answered by"),
        null=True,
        blank=True,
        help_text=_("Unanswered meeting requests expire at this moment and never take a slot."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def span(self) -> tuple[datetime, datetime] | None:
        """When the event runs: the start of its first slot and the end of its last, in the event's time
        zone (None while it has no slot). A list annotates ``first_start`` and ``last_end`` (one query for
        all events); otherwise the slots are asked."""
        if hasattr(self, "first_start"):
            start, end = self.first_start, self.last_end
        else:
            found = self.slots.aggregate(start=Min("start"), end=Max("end"))
            start, end = found["start"], found["end"]
        if start is None or end is None:
            return None
        zone = ZoneInfo(self.time_zone)
        return start.astimezone(zone), end.astimezone(zone)

    @property
    def when(self) -> str:
        """The date and hours of the event in the reader's locale (10 May 2017, 09:00–12:30 in English),
        both ends in full when it runs over several days; empty while it has no slot."""
        if self.span is None:
            return ""
        start, end = self.span
        if start.date() == end.date():
            return gettext("%(date)s, %(start)s–%(end)s") % {
                "date": date_format(start, "DATE_FORMAT"),
                "start": time_format(start, "TIME_FORMAT"),
                "end": time_format(end, "TIME_FORMAT"),
            }
        return gettext("%(start)s to %(end)s") % {
            "start": date_format(start, "DATETIME_FORMAT"),
            "end": date_format(end, "DATETIME_FORMAT"),
        }

    @property
    def zone_label(self) -> str:
        """The event's time zone as participants read it: its name, with the abbreviation and offset in
        force on the day (Europe/Brussels, CET, UTC+01:00)."""
        zone = ZoneInfo(self.time_zone)
        moment = self.span[0] if self.span else datetime.now(zone)
        offset = moment.strftime("%z")
        return f"{self.time_zone}, {moment.tzname()}, UTC{offset[:3]}:{offset[3:]}"


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class TimeSlot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["event", "start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="slot_ends_after_it_starts"),
            models.UniqueConstraint(fields=["event", "start"], name="one_slot_per_start"),
        ]

    def __str__(self) -> str:
        """Start and end in the event's time zone, as the grid and the agenda show them (the database
        keeps UTC): the label of the slot in availability and fixed-slot choices."""
        zone = ZoneInfo(self.event.time_zone)
        start, end = self.start.astimezone(zone), self.end.astimezone(zone)
        return f"{time_format(start, 'TIME_FORMAT')}–{time_format(end, 'TIME_FORMAT')}"


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    tables = models.PositiveSmallIntegerField(_("meeting tables"), default=1)

    class Meta:
        ordering = ["event", "pk"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    HOST = "host", _("Host table")
    VISITOR = "visitor", _("Visitor")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="registrations")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    online = models.BooleanField(_("attends online"), default=False)
    online_link = models.URLField(_("online meeting link"), blank=True)
    max_meetings = models.PositiveSmallIntegerField(_("most meetings"), null=True, blank=True)
    unavailable = models.ManyToManyField(
        TimeSlot, blank=True, related_name="+", verbose_name=_("not available")
    )
    offers = models.TextField(
        _("what we offer at this event"),
        blank=True,
        help_text=_("A few lines for the other participants: what you bring, what you can help with."),
    )
    seeks = models.TextField(
        _("what we seek at this event"),
        blank=True,
        help_text=_("A few lines for the other participants: whom you want to meet, and why."),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"

    def meets_online(self, other: Registration) -> bool:
        """A meeting with ``other`` is online when either side attends online."""
        return self.online or other.online

    def meeting_link(self, other: Registration) -> str:
        """The link of an online meeting with ``other``: the other side's room, else this one's; empty
        when the meeting is at a table or neither side gave a link."""
        if not self.meets_online(other):
            return ""
        return other.online_link or self.online_link


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingOutcome(models.TextChoices):
    """What became of a scheduled meeting on the day (helix.core.matchmaking.workflows)."""

    PENDING = "pending", _("Not recorded")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")


class EventMeetingRequest(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_made")
    requested = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_received")
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, help_text=_("1 (normal) to 3 (high)")
    )
    message = models.TextField(_("message"), blank=True)
    fixed_slot = models.ForeignKey(
        TimeSlot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("fixed by the organiser to"),
    )
    after = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("must follow"),
    )
    market_request = models.ForeignKey(
        "market.MeetingRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_requests",
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=MeetingOutcome.choices, default=MeetingOutcome.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=3), name="request_priority_1_to_3"
            ),
            models.CheckConstraint(condition=~Q(requester=models.F("requested")), name="request_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.requested} ({self.status})"

    def other_side(self, registration: Registration) -> Registration:
        """The side of the request that is not ``registration`` (which is one of its two sides)."""
        return self.requested if self.requester_id == registration.pk else self.requester


class ScheduleStatus(models.TextChoices):
    """The state of a schedule run in the core's ``SCHEDULE_WORKFLOW`` (with ``Schedule.published``).

    Its first four values repeat ``jobs.JobStatus`` on purpose: the two say different things about one
    run and may differ. The Job is the background task (did the worker finish, with progress and retries);
    the Schedule's status is the run's outcome as the workflow moves it. A run that finds no schedule
    (infeasible, or nothing in the time given) or that the organiser cancelled is a job that *succeeded*
    and a schedule that *failed* or was *cancelled* (JobStatus has no ``cancelled``), and schedules exist
    without a job: runs of ``helix events schedule`` and the re-publication after a participant withdrew.
    Deriving one from the other would need a JobStatus for cancelled runs (a change in helix.jobs) and
    Job rows created for the schedules that have none (a data migration), and would change what pages and
    API show for those runs. They stay two columns; the one place they meet is ``tasks.fail_abandoned_run``
    (a run whose worker died fails with its job)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Schedule(models.Model):
    """One optimisation run and, when it succeeded, its meetings. At most one is published per event.
    ``status`` is the run's outcome, ``job`` the background task that ran it (none for CLI runs and
    re-publications): why both are kept is in :class:`ScheduleStatus`."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedules")
    status = models.CharField(max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.QUEUED)
    mode = models.CharField(max_length=4, default="max")
    fairness = models.PositiveSmallIntegerField(null=True, blank=True)
    time_limit = models.FloatField(default=30.0)
    cancel_requested = models.BooleanField(default=False)
    solver_status = models.CharField(max_length=12, blank=True)
    total_breaks = models.IntegerField(null=True, blank=True)
    bound = models.IntegerField(null=True, blank=True)
    held = models.IntegerField(null=True, blank=True)
    requested = models.IntegerField(null=True, blank=True)
    weight_held = models.IntegerField(null=True, blank=True)
    weight_bound = models.IntegerField(null=True, blank=True)
    moved = models.IntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE of this publication")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(published=True), name="one_published_schedule"
            ),
        ]

    def __str__(self) -> str:
        return f"schedule {self.pk} of {self.event} ({self.status})"


class ScheduledMeeting(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="meetings")
    request = models.ForeignKey(EventMeetingRequest, on_delete=models.CASCADE, related_name="scheduled")
    slot = models.ForeignKey(TimeSlot, on_delete=models.CASCADE, related_name="+")
    table = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1-based table number")

    class Meta:
        ordering = ["schedule", "slot__start", "table"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "request"], name="request_once_per_schedule")
        ]

    def __str__(self) -> str:
        return f"{self.request} at {self.slot}"


class SignupStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class EventSignup(models.Model):
    """A visitor asking to take part in an event without a person record in Helix: the organisers confirm
    it (which registers the visitor, finding or creating their person and organisation) or decline it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    organisation_name = models.CharField(_("organisation"), max_length=200)
    message = models.TextField(_("message to the organisers"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.PENDING
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status="pending"),
                name="one_pending_signup_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.organisation_name})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MeetingRating(models.Model):
    """One side's word on a meeting after it took place: was it useful, is a follow-up planned."""

    request = models.ForeignKey(EventMeetingRequest, on_delete=models.CASCADE, related_name="ratings")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="ratings")
    useful = models.BooleanField(_("useful"))
    follow_up = models.BooleanField(_("follow-up planned"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "registration"], name="one_rating_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.registration} on {self.request_id}: useful={self.useful}"
