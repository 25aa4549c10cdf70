from django.contrib import admin

from helix.notifications.models import Notification, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent to whom, and why a send failed."""

    list_display = ["created_at", "to", "kind", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The inbox rows, read-only: who was told what, and how it was e-mailed."""

    list_display = ["created_at", "recipient", "kind", "message", "delivery", "read_at", "mailed_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["recipient__username", "message"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
