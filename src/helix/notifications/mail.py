"""Queue e-mail in the reader's language; send it from a background task, with retries.

``queue_mail`` renders ``<template>_subject.txt``, ``<template>.txt`` and, when it exists,
``<template>.html`` under the reader's language, and writes an :class:`OutgoingMail`. After the
caller's transaction commits, :func:`deliver_mail` sends it. A send that fails is retried after
:data:`RETRY_MINUTES` (1, 5, 30, 120 minutes), then marked failed. Retries that fall due are picked
up by the worker's housekeeping round (:func:`send_due_mail`), so they survive a restart.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from helix.notifications.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

RETRY_MINUTES = (1, 5, 30, 120)
Attachment = tuple[str, bytes, str]  # file name, content, content type


def reader_language(user: Any = None, language: str | None = None) -> str:
    """The language to write to someone in: asked for, else the user's saved choice, else the site's."""
    if language:
        return language
    chosen = getattr(getattr(user, "notification_settings", None), "language", "") if user else ""
    return chosen or settings.LANGUAGE_CODE


def render_mail(template: str, context: Mapping[str, Any], language: str) -> tuple[str, str, str]:
    """Subject (one line), text body and HTML body (or "") of ``template`` in ``language``."""
    with translation.override(language):
        ctx = {"site_url": settings.HELIX_SITE_URL.rstrip("/"), "language": language, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}.txt", ctx)
        try:
            html = render_to_string(f"{template}.html", ctx)
        except TemplateDoesNotExist:
            html = ""
    return subject, body, html


def queue_mail(
    *,
    to: str,
    template: str,
    context: Mapping[str, Any] | None = None,
    language: str | None = None,
    user: Any = None,
    kind: str = "",
    attachments: Sequence[Attachment] = (),
) -> OutgoingMail:
    """Render and queue one e-mail; it is sent after the current transaction commits."""
    language = reader_language(user, language)
    subject, body, html = render_mail(template, context or {}, language)
    mail = OutgoingMail.objects.create(
        to=to,
        user=user if getattr(user, "pk", None) else None,
        kind=kind or template.rsplit("/", 1)[-1],
        language=language,
        subject=subject[:300],
        body=body,
        html=html,
        attachments=[
            {"name": name, "content_type": ctype, "content": base64.b64encode(content).decode("ascii")}
            for name, content, ctype in attachments
        ],
    )
    transaction.on_commit(lambda: deliver_mail.enqueue(mail.pk))
    return mail


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to])
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for item in mail.attachments:
        message.attach(item["name"], base64.b64decode(item["content"]), item["content_type"])
    return message


def send_one(mail_id: int) -> str:
    """Send one queued mail now; returns its status. Safe to call twice (a sent mail is not resent)."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != MailStatus.QUEUED:
            return mail.status if mail else "gone"
        mail.attempts += 1
        try:
            _message(mail).send()
        except Exception as exc:  # the mail server's errors are many; each counts as one failed try
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if mail.attempts > len(RETRY_MINUTES):
                mail.status = MailStatus.FAILED
                mail.next_attempt_at = None
                logger.warning("giving up e-mail %s to %s: %s", mail.pk, mail.to, mail.last_error)
            else:
                pause = dt.timedelta(minutes=RETRY_MINUTES[mail.attempts - 1])
                mail.next_attempt_at = timezone.now() + pause
        else:
            mail.status = MailStatus.SENT
            mail.sent_at = timezone.now()
            mail.next_attempt_at = None
            mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
        return mail.status


@task()
def deliver_mail(mail_id: int) -> str:
    return send_one(mail_id)


def send_due_mail(now: dt.datetime | None = None) -> int:
    """Retry queued mail whose pause is over (called by the worker's housekeeping round)."""
    now = now or timezone.now()
    due = list(
        OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )[:200]
    )
    return sum(send_one(pk) == MailStatus.SENT for pk in due)
