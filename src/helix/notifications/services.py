"""Tell people what happened: the inbox, e-mail at once or in the daily digest, as each person chose.

Apps call :func:`notify` (a user) or :func:`notify_person` (a person of the registry, who may have no
account: then an e-mail only) from their services, inside the transaction of the change: a rolled-back
change tells nobody, and the e-mail leaves after commit from the outbox's background task
(helix.notifications.mail). :func:`send_digests` runs in the worker's housekeeping round and sends each
person one e-mail a day with what they chose to read in the digest.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from helix.notifications.mail import Attachment, queue_mail, reader_language
from helix.notifications.messages import MESSAGES, render
from helix.notifications.models import (
    Delivery,
    MailStatus,
    Notification,
    NotificationSettings,
    OutgoingMail,
    SentNotice,
)
from helix.registry.permissions import can

logger = logging.getLogger(__name__)

GENERIC_TEMPLATE = "notifications/mail/notification"
DIGEST_TEMPLATE = "notifications/mail/digest"
DIGEST_MOST = 100  # items listed in one digest; the inbox has the rest
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


# -- preferences -------------------------------------------------------------------------------------------


def settings_for(user: Any) -> NotificationSettings:
    """The person's preferences, created with the defaults when missing: the site's language until they
    use the site (helix.notifications.middleware records the language of their pages) or choose one;
    never the language active at that moment, which is whoever acted's, not the reader's."""
    found, _created = NotificationSettings.objects.get_or_create(
        user=user, defaults={"language": settings.LANGUAGE_CODE}
    )
    return found


def _known(language: str | None) -> str:
    code = (language or "").split("-")[0].lower()
    return code if code in LANGUAGE_CODES else ""


def remember_language(user: Any, language: str) -> None:
    """The language the person used last (at sign-up, log-in or on a page), unless they chose one on the
    preferences page: mail follows it."""
    language = _known(language)
    if not language or not getattr(user, "pk", None):
        return
    updated = NotificationSettings.objects.filter(user=user, language_chosen=False).exclude(language=language)
    if updated.update(language=language):
        return
    if not NotificationSettings.objects.filter(user=user).exists():
        NotificationSettings.objects.get_or_create(user=user, defaults={"language": language})


def save_preferences(user: Any, *, language: str, deliveries: Mapping[str, str]) -> NotificationSettings:
    chosen = settings_for(user)
    chosen.language = _known(language) or settings.LANGUAGE_CODE
    chosen.language_chosen = True
    chosen.deliveries = {kind: value for kind, value in deliveries.items() if value in Delivery.values}
    chosen.save(update_fields=["language", "language_chosen", "deliveries"])
    return chosen


# -- telling people ----------------------------------------------------------------------------------------


def email_of(user: Any) -> str:
    if user.email:
        return str(user.email)
    person = getattr(user, "person", None)
    return str(getattr(person, "email", "") or "")


def notify(
    user: Any,
    message: str,
    params: Mapping[str, Any],
    url: str = "",
    *,
    attachments: Sequence[Attachment] = (),
    context: Mapping[str, Any] | None = None,
) -> Notification | None:
    """Put ``message`` in ``user``'s inbox and, as they chose for its kind, queue an e-mail now (in their
    language, with ``attachments``), leave it for the daily digest, or send none. ``context``: more for
    the message's own e-mail template (links signed for this reader). None for an inactive account."""
    if user is None or not getattr(user, "is_active", False):
        return None
    found = MESSAGES[message]
    preferences = settings_for(user)
    delivery = preferences.delivery(found.kind)
    address = email_of(user) if delivery == Delivery.IMMEDIATELY else ""
    if address:
        language = reader_language(language=preferences.language)
        _queue(address, language, message, params, url, user=user, attachments=attachments, context=context)
    return Notification.objects.create(
        recipient=user,
        kind=found.kind,
        message=message,
        params=dict(params),
        url=url,
        delivery=delivery,
        mailed_at=timezone.now() if address else None,
    )


def _queue(
    address: str,
    language: str,
    message: str,
    params: Mapping[str, Any],
    url: str,
    *,
    user: Any = None,
    attachments: Sequence[Attachment] = (),
    context: Mapping[str, Any] | None = None,
) -> None:
    """Queue ``message``'s e-mail to ``address`` in ``language`` (its own template, else the generic one)."""
    shown = render(message, params, language)
    found = MESSAGES[message]
    queue_mail(
        to=address,
        template=found.mail_template or GENERIC_TEMPLATE,
        context={"title": shown.title, "text": shown.text, "url": url, **(context or {})},
        language=language,
        user=user,
        kind=found.kind,
        attachments=attachments,
    )


def person_language(person: Any) -> str:
    """The language to write to a person without an account in: their organisation's first working
    language Helix writes, else the site's."""
    languages = getattr(getattr(person, "organisation", None), "working_languages", "") or ""
    for code in languages.split(","):
        if _known(code):
            return _known(code)
    return str(settings.LANGUAGE_CODE)


def notify_person(
    person: Any,
    message: str,
    params: Mapping[str, Any],
    url: str = "",
    *,
    attachments: Sequence[Attachment] = (),
    context: Mapping[str, Any] | None = None,
) -> bool:
    """Tell a person of the registry: through their account (:func:`notify`, as they chose) when they
    have an active one, else by e-mail to their address, at once. False when they cannot be reached."""
    user = getattr(person, "user", None) if getattr(person, "user_id", None) else None
    if user is not None and user.is_active:
        note = notify(user, message, params, url, attachments=attachments, context=context)
        return note is not None and bool(email_of(user))
    if not person.email:
        return False
    language = person_language(person)
    _queue(person.email, language, message, params, url, attachments=attachments, context=context)
    return True


def users_of(organisation_ids: Iterable[int | None]) -> QuerySet[Any]:
    """The active accounts of the people of these organisations."""
    ids = [pk for pk in organisation_ids if pk is not None]
    return (
        get_user_model()
        .objects.filter(person__organisation_id__in=ids, is_active=True)
        .select_related("person", "notification_settings")
    )


def once(key: str) -> bool:
    """True the first time ``key`` is asked for (and records it); False ever after."""
    try:
        with transaction.atomic():
            _row, created = SentNotice.objects.get_or_create(key=key[:200])
    except IntegrityError:  # another worker recorded it in between
        return False
    return created


def untold(keys: Iterable[str]) -> list[str]:
    """The ``keys`` :func:`once` has not recorded, in their order, found in one query: a reminder sweep
    that finds everything told already costs that query, not one per key. Ask :func:`once` for each
    before telling (another worker may be at it too)."""
    wanted = list(dict.fromkeys(keys))
    seen = set(SentNotice.objects.filter(key__in=[key[:200] for key in wanted]).values_list("key", flat=True))
    return [key for key in wanted if key[:200] not in seen]


class Sweep:
    """A housekeeping look that runs at most once per ``every`` seconds in this process: the worker's
    round comes every few seconds, a reminder need not be looked for that often (and what a look finds
    is told once anyway, :func:`once`). The first look of a process runs at once."""

    def __init__(self, every: float) -> None:
        self.every = every
        self._last: float | None = None

    def due(self, *, force: bool = False) -> bool:
        now = time.monotonic()
        if not force and self._last is not None and now - self._last < self.every:
            return False
        self._last = now
        return True


def notify_organisation(
    organisation_id: int | None,
    message: str,
    params: Mapping[str, Any],
    url: str = "",
    *,
    about: Any = None,
    skip: Any = None,
) -> int:
    """Tell each active account of an organisation (:func:`users_of`), but ``skip`` (the person who
    acted), and when ``about`` is given only those who may ``view`` it. Returns how many were told."""
    told = 0
    for user in users_of([organisation_id]):
        if skip is not None and user.pk == getattr(skip, "pk", None):
            continue
        if about is not None and not can(user, "view", about):
            continue
        told += notify(user, message, params, url) is not None
    return told


# -- the inbox ---------------------------------------------------------------------------------------------


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications ``ids`` (all when None) read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


# -- the daily digest --------------------------------------------------------------------------------------


def digest_due(now: dt.datetime) -> dt.date | None:
    """The site's date when the digest may go out at ``now`` (at or after HELIX_DIGEST_HOUR in the
    site's time zone), else None."""
    local = timezone.localtime(now)
    return local.date() if local.hour >= settings.HELIX_DIGEST_HOUR else None


def send_digests(now: dt.datetime | None = None) -> int:
    """Send each person with notifications waiting for the digest one e-mail, once per day of the site
    (recorded on their preferences, so a second round or a second worker sends nothing). Called by the
    worker's housekeeping round; returns how many digests were queued."""
    now = now or timezone.now()
    today = digest_due(now)
    if today is None:
        return 0
    waiting = Notification.objects.filter(
        delivery=Delivery.DIGEST, digested_at=None, created_at__lte=now
    ).exclude(recipient__notification_settings__last_digest_on=today)
    # order_by(): the model's ordering would make DISTINCT count (recipient, created_at, pk) rows
    recipients = list(waiting.order_by().values_list("recipient_id", flat=True).distinct()[:500])
    sent = 0
    for user in get_user_model().objects.filter(pk__in=recipients).select_related("person"):
        with transaction.atomic():
            preferences = settings_for(user)
            claimed = NotificationSettings.objects.filter(user=user).filter(
                Q(last_digest_on__lt=today) | Q(last_digest_on=None)
            )
            if not claimed.update(last_digest_on=today):
                continue  # another worker sent today's
            items = list(
                Notification.objects.filter(
                    recipient=user, delivery=Delivery.DIGEST, digested_at=None, created_at__lte=now
                ).order_by("created_at", "pk")
            )
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(digested_at=now)
            address = email_of(user)
            if not items or not address or not user.is_active:
                continue
            language = reader_language(language=preferences.language)
            shown = [(render(n.message, n.params, language), n) for n in items[:DIGEST_MOST]]
            queue_mail(
                to=address,
                template=DIGEST_TEMPLATE,
                context={
                    "items": [{"title": r.title, "text": r.text, "url": n.url} for r, n in shown],
                    "count": len(items),
                    "more": max(0, len(items) - DIGEST_MOST),
                },
                language=language,
                user=user,
                kind="digest",
            )
            sent += 1
    return sent


KEEP_MAIL_DAYS = 90  # a sent or failed e-mail stays in the outbox this long (what went out, and why not)
_mail_sweep = Sweep(24 * 3600.0)


def forget_old_mail(now: dt.datetime | None = None, *, force: bool = False) -> int:
    """Delete e-mails sent or given up on more than :data:`KEEP_MAIL_DAYS` ago (once a day, from the worker's
    housekeeping round): their text holds personal data and links that need not outlive them. Queued mail
    stays, however old. Returns how many were deleted."""
    if not _mail_sweep.due(force=force):
        return 0
    before = (now or timezone.now()) - dt.timedelta(days=KEEP_MAIL_DAYS)
    old = OutgoingMail.objects.filter(
        Q(status=MailStatus.SENT, sent_at__lte=before) | Q(status=MailStatus.FAILED, created_at__lte=before)
    )
    return old.delete()[0]
