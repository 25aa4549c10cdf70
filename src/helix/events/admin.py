"""Django admin for matchmaking events: every row is scoped by the events' permission table
(helix.events.permissions), as on the pages.

- events, with their slots and rooms: those the staff member may ``edit`` (the events of their clusters);
  the status is read only here: it moves by the event's workflow on the event page;
- registrations: those they may ``edit`` (the organisers'); staff do not delete them here (a participant
  leaves through the event's pages, which keep a published schedule whole);
- meeting requests: those they may ``edit``; the status moves by the request's workflow on the pages;
- schedule runs: read only, those they may ``view``.
"""

from __future__ import annotations

from django.contrib import admin

from helix.events import models
from helix.registry.admin import ClusterScopedAdmin, ReadOnlyScopedAdmin, ScopedChoices


class SlotChoicesWithEvent:
    """Slot choices (a registration's unavailable slots, a request's fixed slot) are labelled in their
    event's time zone: load the events with the slots, not one query per choice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.related_model is models.TimeSlot:
            field.queryset = field.queryset.select_related("event")
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.related_model is models.TimeSlot:
            field.queryset = field.queryset.select_related("event")
        return field


class SlotInline(ScopedChoices, admin.TabularInline):
    model = models.TimeSlot
    extra = 0


class RoomInline(ScopedChoices, admin.TabularInline):
    model = models.Room
    extra = 0


@admin.register(models.Event)
class EventAdmin(ClusterScopedAdmin):
    list_display = ["title", "cluster", "format", "attendance", "status", "request_deadline"]
    list_filter = ["format", "status", "cluster"]
    search_fields = ["title", "venue"]
    readonly_fields = ["status"]
    inlines = [SlotInline, RoomInline]


@admin.register(models.Registration)
class RegistrationAdmin(SlotChoicesWithEvent, ClusterScopedAdmin):
    list_display = ["person", "organisation", "event", "role", "online", "max_meetings"]
    list_filter = ["event", "role", "online"]
    raw_id_fields = ["person", "organisation"]
    filter_horizontal = ["unavailable"]


@admin.register(models.EventMeetingRequest)
class EventMeetingRequestAdmin(SlotChoicesWithEvent, ClusterScopedAdmin):
    list_display = ["event", "requester", "requested", "status", "priority", "fixed_slot"]
    list_filter = ["event", "status", "priority"]
    raw_id_fields = ["requester", "requested", "after", "market_request"]
    readonly_fields = ["status"]


@admin.register(models.Schedule)
class ScheduleAdmin(ReadOnlyScopedAdmin):
    list_display = ["event", "status", "mode", "held", "requested", "total_breaks", "published", "created_at"]
    list_filter = ["status", "published"]
    readonly_fields = [f.name for f in models.Schedule._meta.fields]
