"""Request and response bodies of the notifications API (``/api/me/``): the caller's inbox."""

# No "from __future__ import annotations", as in the router: the annotations are read as written.
from datetime import datetime
from typing import Any

from ninja import Field, Schema

from helix.api.schemas.base import Input
from helix.notifications.messages import render
from helix.notifications.models import Kind, Notification


class NotificationOut(Schema):
    id: int
    kind: Kind
    message: str = Field(description="The message's key, e.g. events.request_received")
    params: dict[str, Any] = Field(description="What the message says, as data (names, counts, moments)")
    title: str = Field(description="In the language of the request")
    text: str
    url: str = Field(description="The page it is about, on this site (a path)")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return render(obj.message, obj.params).title

    @staticmethod
    def resolve_text(obj: Notification) -> str:
        return render(obj.message, obj.params).text


class NotificationFilters(Input):
    unread: bool | None = Field(None, description="true: unread only; false: read only; default both")


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were unread and are read now")
