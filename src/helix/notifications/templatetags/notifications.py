"""The unread count beside "Notifications" in the menu: one counting query per page, for signed-in users."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    from helix.notifications.services import unread_count

    request = context.get("request")
    cached = getattr(request, "_helix_unread", None)
    if cached is None:
        cached = unread_count(context.get("user"))
        if request is not None:
            request._helix_unread = cached
    return int(cached)
