"""Who may see a notification and mark it read: the person it was written to, nobody else.

A notification says what happened to one person (a meeting asked of them, their agenda, their matches);
it belongs to its recipient's account (``self``). Superusers are allowed by the engine, but the inbox
lists one's own notifications only. The preferences page is each signed-in person's own.
"""

from __future__ import annotations

from helix.core.access import SELF, Grant, Policy
from helix.notifications.models import Notification
from helix.registry.permissions import Subject, register

NOTIFICATION = Policy(
    subject="notifications.notification",
    label="Notification",
    actions={
        "view": "see the notification in the inbox and follow its link",
        "mark_read": "mark the notification read",
    },
    grants=(Grant("view", SELF), Grant("mark_read", SELF)),
)

register(Subject(NOTIFICATION, Notification, account="recipient_id"))
