from django.contrib import admin

from helix.events import models


class SlotInline(admin.TabularInline):
    model = models.TimeSlot
    extra = 0


class RoomInline(admin.TabularInline):
    model = models.Room
    extra = 0


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "cluster", "format", "attendance", "status", "request_deadline"]
    list_filter = ["format", "status", "cluster"]
    search_fields = ["title", "venue"]
    inlines = [SlotInline, RoomInline]


@admin.register(models.Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "event", "role", "online", "max_meetings"]
    list_filter = ["event", "role", "online"]
    raw_id_fields = ["person", "organisation"]
    filter_horizontal = ["unavailable"]


@admin.register(models.EventMeetingRequest)
class EventMeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["event", "requester", "requested", "status", "priority", "fixed_slot"]
    list_filter = ["event", "status", "priority"]
    raw_id_fields = ["requester", "requested", "after", "market_request"]


@admin.register(models.Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "mode", "held", "requested", "total_breaks", "published", "created_at"]
    list_filter = ["status", "published"]
    readonly_fields = [f.name for f in models.Schedule._meta.fields]
