"""The notifications API: the caller's own inbox, and marking it read.

Each signed-in caller sees only what was written to them (helix.notifications.permissions); another
person's notification answers 404. Titles and texts are written in the language of the request
(``Accept-Language``), from the message's key and parameters, which the answer carries too.
"""

# No "from __future__ import annotations": django-ninja reads the Query[...] annotation at import.
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from helix.api.auth import WRITE_AUTH, acting_user
from helix.api.errors import ITEM_ERRORS, READ_ERRORS, WRITE_ERRORS
from helix.api.pagination import HelixPagination
from helix.api.schemas.notifications import MarkedOut, NotificationFilters, NotificationOut
from helix.notifications import services
from helix.registry.permissions import can

router = Router()
TAGS = ["notifications"]


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **READ_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
@paginate(HelixPagination)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilters]) -> Any:
    """Your notifications, newest first."""
    found = services.inbox(acting_user(request))
    if filters.unread is not None:
        found = found.filter(read_at__isnull=filters.unread)
    return found.order_by("-created_at", "-pk")


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ITEM_ERRORS, **WRITE_ERRORS},
    tags=TAGS,
    auth=WRITE_AUTH,
)
def mark_read(request: HttpRequest, notification_id: int) -> Any:
    """Mark one of your notifications read (it stays read when it was already)."""
    user = acting_user(request)
    note = get_object_or_404(services.inbox(user), pk=notification_id)
    if can(user, "mark_read", note):
        services.mark_read(user, [note.pk])
    return services.inbox(user).get(pk=note.pk)


@router.post("/notifications/read-all", response={200: MarkedOut, **WRITE_ERRORS}, tags=TAGS, auth=WRITE_AUTH)
def mark_all_read(request: HttpRequest) -> Any:
    """Mark all your notifications read."""
    return {"marked": services.mark_read(acting_user(request))}
