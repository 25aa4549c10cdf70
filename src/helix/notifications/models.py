"""The outbox: every e-mail Helix sends is a row here first, rendered in its reader's language.

A request (or a task) calls :func:`helix.notifications.mail.queue_mail`; the row is written in the
caller's transaction and a background task sends it after commit, so no request waits on the mail
server and a rolled-back change sends nothing. A failed send is retried with a growing pause
(:data:`helix.notifications.mail.RETRY_MINUTES`) until it is sent or given up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutgoingMail(models.Model):
    to = models.EmailField(_("to"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # [{"name": "agenda.ics", "content_type": "text/calendar", "content": "<base64>"}]
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind or 'mail'} to {self.to} ({self.status})"


# -- the in-app inbox and each person's preferences ---------------------------------------------------------


class Kind(models.TextChoices):
    """What a notification is about; each person chooses, per kind, how they hear of it by e-mail."""

    MATCH = "match", _("New matches for my needs and offers")
    MEETING_REQUEST = "meeting_request", _("Meeting requests I receive")
    MEETING_ANSWER = "meeting_answer", _("Answers to my meeting requests")
    AGENDA = "agenda", _("My agenda at an event, published or changed")
    SYNERGY = "synergy", _("Exchanges of resources (symbiosis) I take part in")
    INVITATION = "invitation", _("Invitations")
    DEADLINE = "deadline", _("Approaching deadlines")
    ROADMAP = "roadmap", _("Roadmaps I take part in: consultations, adoptions, milestones that move")


class Delivery(models.TextChoices):
    OFF = "off", _("No e-mail")
    IMMEDIATELY = "immediately", _("E-mail at once")
    DIGEST = "digest", _("In the daily digest")


# How each kind reaches a person who has not chosen: what needs an answer at once, the rest once a day.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.MATCH: Delivery.DIGEST,
    Kind.MEETING_REQUEST: Delivery.IMMEDIATELY,
    Kind.MEETING_ANSWER: Delivery.IMMEDIATELY,
    Kind.AGENDA: Delivery.IMMEDIATELY,
    Kind.SYNERGY: Delivery.DIGEST,
    Kind.INVITATION: Delivery.IMMEDIATELY,
    Kind.DEADLINE: Delivery.IMMEDIATELY,
    Kind.ROADMAP: Delivery.DIGEST,
}


class Notification(models.Model):
    """One thing a person is told, in the inbox. It keeps the message's key and parameters, not its text:
    the text is written when it is read, in the reader's language (helix.notifications.messages)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    message = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # how it was to be e-mailed when it was written (the preference then): at once, in the digest, or not
    delivery = models.CharField(max_length=12, choices=Delivery.choices, default=Delivery.OFF)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["delivery", "digested_at"], name="notification_digest_due"),
        ]

    def __str__(self) -> str:
        return f"{self.message} to {self.recipient_id}"


class NotificationSettings(models.Model):
    """A person's choices: the language Helix writes to them in, and per kind how e-mail reaches them
    (the inbox always has everything)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # chosen on the preferences page; until then the language follows the one the person last used
    language_chosen = models.BooleanField(default=False)
    deliveries = models.JSONField(default=dict, blank=True)  # {kind: delivery}; a kind not here: default
    last_digest_on = models.DateField(null=True, blank=True)  # the site's date of the last digest

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"notification preferences of {self.user_id}"

    def delivery(self, kind: str) -> str:
        chosen = self.deliveries.get(kind)
        return chosen if chosen in Delivery.values else DEFAULT_DELIVERY.get(kind, Delivery.IMMEDIATELY)


class SentNotice(models.Model):
    """A key per notice that must go out once only (a reminder per deadline, a match per pair): the
    unique key makes a second attempt, by another worker too, a no-op."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
