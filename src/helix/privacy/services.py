"""A person's data: everything Helix holds about them (export) and its erasure.

``export_person`` gathers the person's record, consents and their history, the letters they signed, the
interactions, event registrations and meetings and advisory seats they appear in, what their user account
created (listings, meeting requests, flows, reports, jobs) and the audit entries about them. Other people
appear in it only as organisations.

``erase_person`` anonymises the person and says what it removed: the name becomes "Erased person #id",
contact data go, consents are withdrawn (and recorded), the user account is deactivated and unlinked, the
name is taken out of free text. Rows that make up aggregates (meetings, interactions, registrations,
seats, memberships) stay and are counted. A participant of a published schedule is refused unless the
actor re-schedules: the event is published again without them and the other side is told
(helix.events.services.withdraw_from_published_schedules).

Refusals are ValidationErrors with a code (``published_schedule``); pages, the API and the CLI translate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helix.privacy.consents import CONSENT_FIELDS, consent_state, record_consents
from helix.privacy.models import Channel, ConsentRecord, ErasureRecord
from helix.privacy.permissions import can_erase_person, can_reschedule
from helix.registry.models import Interaction, LetterOfIntent, Person

EXPORT_FORMAT = "helix-person-export/1"
ERASED_FIRST_NAME = "Erased person"

# What an erasure removes or keeps, by code: the pages, the API and the CLI show these labels.
REMOVED_LABELS = {
    "name": gettext_lazy("First and last name (now “Erased person #%(id)s”)"),
    "email": gettext_lazy("E-mail address"),
    "phone": gettext_lazy("Phone number"),
    "job_title": gettext_lazy("Job title"),
    "consent_contact": gettext_lazy("Consent to be contacted (withdrawn)"),
    "consent_newsletter": gettext_lazy("Consent to receive the newsletter (withdrawn)"),
    "consent_public": gettext_lazy("Consent to appear on the public profile (withdrawn)"),
    "user_account": gettext_lazy("User account (deactivated, its name and e-mail removed, unlinked)"),
    "api_tokens": gettext_lazy("API tokens (%(count)s deleted)"),
    "interaction_notes": gettext_lazy("The name in interaction notes (%(count)s)"),
    "letter_signatory": gettext_lazy("The signatory name on letters of intent (%(count)s)"),
    "letter_notes": gettext_lazy("The name in letter of intent notes (%(count)s)"),
    "request_messages": gettext_lazy("Messages of event meeting requests (%(count)s)"),
    "market_request_messages": gettext_lazy("The name in meeting request messages (%(count)s)"),
    "online_links": gettext_lazy("Online meeting links of registrations (%(count)s)"),
    "published_meetings": gettext_lazy(
        "Meetings in published schedules (%(count)s), re-published with a notice to the other side"
    ),
    "invitations": gettext_lazy("Invitations sent to them (%(count)s deleted)"),
    "signup_requests": gettext_lazy("Their requests for an account (%(count)s deleted)"),
    "event_signups": gettext_lazy("Their sign-ups to events (%(count)s deleted)"),
    "notifications": gettext_lazy("Their notifications and notification preferences (%(count)s deleted)"),
    "mails": gettext_lazy("E-mails sent to them, kept in the outbox (%(count)s deleted)"),
    "audit_entries": gettext_lazy("Personal data in audit trail entries (%(count)s scrubbed)"),
    "audit_unavailable": gettext_lazy("Audit trail: no scrubber installed, nothing scrubbed"),
}
AUDIT_PREVIEW_LABEL = gettext_lazy("Personal data in the audit trail entries about them")
KEPT_LABELS = {
    "registrations": gettext_lazy("Event registrations"),
    "meeting_requests": gettext_lazy("Event meeting requests"),
    "meetings": gettext_lazy("Scheduled meetings"),
    "interactions": gettext_lazy("Interactions"),
    "advisory_seats": gettext_lazy("Advisory group seats"),
    "letters_of_intent": gettext_lazy("Letters of intent signed"),
    "consent_records": gettext_lazy("Consent records"),
}


def removal_label(item: dict[str, Any], person_number: int) -> str:
    """The reader's-language line for one removed item ({code, count})."""
    label = REMOVED_LABELS.get(item["code"])
    if item["code"] == "audit_entries" and item.get("count") is None:  # before the scrubber counted
        label = AUDIT_PREVIEW_LABEL
    if label is None:
        return str(item["code"])
    return str(label) % {"id": person_number, "count": item.get("count", 1)}


def kept_lines(kept: dict[str, int]) -> list[str]:
    return [f"{KEPT_LABELS[code]}: {count}" for code, count in kept.items() if code in KEPT_LABELS and count]


# --- export -----------------------------------------------------------------------------------------------


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def export_person(person: Person) -> dict[str, Any]:
    """Everything Helix holds about ``person``, as JSON-ready data (no permission check: callers ask
    ``privacy.permissions.can_export_person`` or are trusted)."""
    from helix.events.models import EventMeetingRequest, Registration, ScheduledMeeting

    person = Person.objects.select_related("organisation", "user").get(pk=person.pk)
    registrations = list(
        Registration.objects.filter(person=person)
        .select_related("event__cluster")
        .order_by("created_at", "pk")
    )
    requests = list(
        EventMeetingRequest.objects.filter(Q(requester__person=person) | Q(requested__person=person))
        .select_related("requester__organisation", "requested__organisation")
        .order_by("created_at", "pk")
    )
    meetings = list(
        ScheduledMeeting.objects.filter(
            Q(request__requester__person=person) | Q(request__requested__person=person),
            schedule__published=True,
        )
        .select_related("slot", "schedule", "request__requester", "request__requested__organisation")
        .select_related("request__requester__organisation")
        .order_by("slot__start")
    )

    def other_side(req: Any) -> Any:
        return req.requested if req.requester.person_id == person.pk else req.requester

    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "person": {
            "id": person.pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "job_title": person.job_title,
            "roles": [r.strip() for r in person.roles.split(",") if r.strip()],
            "consents": consent_state(person),
            "consent_recorded_on": _when(person.consent_recorded_on),
            "is_sample": person.is_sample,
        },
        "organisation": {
            "id": person.organisation_id,
            "name": person.organisation.name,
            "slug": person.organisation.slug,
        },
        "user_account": _user_account(person.user),
        "consent_history": [
            {
                "consent": r.consent,
                "given": r.given,
                "at": _when(r.at),
                "by": _username(r.by),
                "how": r.how,
                "note": r.note,
            }
            for r in ConsentRecord.objects.filter(person=person).select_related("by").order_by("at", "pk")
        ],
        "letters_of_intent_signed": [
            {
                "organisation": letter.organisation.name,
                "cluster": letter.cluster.slug,
                "signed_on": _when(letter.signed_on),
                "signatory_name": letter.signatory_name,
                "note": letter.note,
                "has_document": bool(letter.document),
                "membership": _membership(letter),
            }
            for letter in LetterOfIntent.objects.filter(signatory=person)
            .select_related("organisation", "cluster")
            .order_by("signed_on", "pk")
        ],
        "interactions": [
            {
                "id": i.pk,
                "organisation": i.organisation.name,
                "cluster": i.cluster.slug if i.cluster else None,
                "kind": i.kind,
                "happened_on": _when(i.happened_on),
                "summary": i.summary,
                "needs_identified": i.needs_identified,
                "follow_up_on": _when(i.follow_up_on),
                "follow_up_done": i.follow_up_done,
            }
            for i in Interaction.objects.filter(people=person)
            .select_related("organisation", "cluster")
            .order_by("happened_on", "pk")
        ],
        "advisory_seats": [
            {"group": seat.group.name, "cluster": seat.group.cluster.slug, "is_chair": seat.is_chair}
            for seat in person.advisory_seats.select_related("group__cluster").order_by("pk")
        ],
        "event_registrations": [
            {
                "event": r.event.title,
                "event_id": r.event_id,
                "cluster": r.event.cluster.slug,
                "role": r.role,
                "online": r.online,
                "online_link": r.online_link,
                "max_meetings": r.max_meetings,
                "registered_at": _when(r.created_at),
            }
            for r in registrations
        ],
        "event_meeting_requests": [
            {
                "event_id": req.event_id,
                "direction": "made" if req.requester.person_id == person.pk else "received",
                "with_organisation": other_side(req).organisation.name,
                "status": req.status,
                "priority": req.priority,
                "message": req.message if req.requester.person_id == person.pk else "",
                "created_at": _when(req.created_at),
                "responded_at": _when(req.responded_at),
            }
            for req in requests
        ],
        "meetings": [
            {
                "event_id": m.schedule.event_id,
                "start": _when(m.slot.start),
                "end": _when(m.slot.end),
                "table": m.table,
                "with_organisation": other_side(m.request).organisation.name,
            }
            for m in meetings
        ],
        "erasures": [
            {"at": _when(e.at), "by": _username(e.by), "how": e.how, "removed": e.removed}
            for e in ErasureRecord.objects.filter(person=person).select_related("by").order_by("at", "pk")
        ],
        "audit_entries": _audit_entries(person),
    }
    data.update(_account_activity(person.user))
    data.update(_arrival_and_mail(person))
    return data


def _addresses(person: Person) -> set[str]:
    """The person's e-mail addresses, lower case: the record's and the user account's."""
    found = {person.email.lower()} if person.email else set()
    if person.user is not None and person.user.email:
        found.add(person.user.email.lower())
    return found


def _theirs(person: Person, *, email: str = "email", user: str | None = "user") -> Q:
    """Rows addressed to the person: by one of their e-mail addresses (any case) or their user account."""
    query = Q(pk__in=[])
    for address in _addresses(person):
        query |= Q(**{f"{email}__iexact": address})
    if user is not None and person.user_id:
        query |= Q(**{user: person.user_id})
    return query


def _arrival_rows(person: Person) -> dict[str, Any]:
    """How the person came in and what Helix told them, as querysets by removal code: invitations to
    them, their sign-up requests (for an account, to events), their notifications (and preferences), the
    e-mails kept in the outbox for them."""
    from helix.events.models import EventSignup
    from helix.notifications.models import Notification, NotificationSettings, OutgoingMail
    from helix.people.models import Invitation, SignupRequest

    user = person.user_id
    return {
        "invitations": Invitation.objects.filter(_theirs(person, user=None) | Q(person=person)),
        "signup_requests": SignupRequest.objects.filter(_theirs(person)),
        "event_signups": EventSignup.objects.filter(_theirs(person)),
        "notifications": Notification.objects.filter(recipient=user) if user else Notification.objects.none(),
        "notification_settings": (
            NotificationSettings.objects.filter(user=user) if user else NotificationSettings.objects.none()
        ),
        "mails": OutgoingMail.objects.filter(_theirs(person, email="to")),
    }


def _arrival_and_mail(person: Person) -> dict[str, Any]:
    rows = _arrival_rows(person)
    settings_row = rows["notification_settings"].first()
    return {
        "invitations_received": [
            {
                "organisation": i.organisation_label,
                "invited_by": _username(i.invited_by),
                "status": i.state().value,
                "message": i.message,
                "sent_at": _when(i.sent_at),
                "expires_at": _when(i.expires_at),
            }
            for i in rows["invitations"].select_related("organisation", "invited_by").order_by("pk")
        ],
        "signup_requests": [
            {
                "organisation": r.organisation_label,
                "message": r.message,
                "status": r.status,
                "reason": r.reason,
                "created_at": _when(r.created_at),
                "decided_at": _when(r.decided_at),
            }
            for r in rows["signup_requests"].select_related("organisation").order_by("pk")
        ],
        "event_signups": [
            {
                "event_id": r.event_id,
                "organisation": r.organisation_name,
                "message": r.message,
                "status": r.status,
                "created_at": _when(r.created_at),
            }
            for r in rows["event_signups"].order_by("pk")
        ],
        "notification_settings": (
            None
            if settings_row is None
            else {"language": settings_row.language, "deliveries": settings_row.deliveries}
        ),
        "notifications": [
            {
                "kind": n.kind,
                "message": n.message,
                "params": n.params,
                "url": n.url,
                "created_at": _when(n.created_at),
                "read_at": _when(n.read_at),
            }
            for n in rows["notifications"].order_by("pk")
        ],
        "mails": [
            {
                "to": m.to,
                "subject": m.subject,
                "body": m.body,
                "status": m.status,
                "created_at": _when(m.created_at),
                "sent_at": _when(m.sent_at),
            }
            for m in rows["mails"].order_by("pk")
        ],
    }


def _user_account(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    from helix.api.models import ApiToken

    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "is_active": user.is_active,
        "api_tokens": [
            {"name": t.name, "created_at": _when(t.created_at), "revoked": t.revoked}
            for t in ApiToken.objects.filter(user=user).order_by("pk")
        ],
    }


def _membership(letter: LetterOfIntent) -> dict[str, Any] | None:
    membership = letter.organisation.memberships.filter(cluster=letter.cluster).first()
    if membership is None:
        return None
    return {"cluster": letter.cluster.slug, "level": membership.level, "since": _when(membership.since)}


def _account_activity(user: Any) -> dict[str, list[dict[str, Any]]]:
    """What the person's user account created: listings, market meeting requests, feedback, flows,
    synergy steps and reports, background jobs."""
    keys = (
        "listings",
        "market_meeting_requests",
        "match_feedback",
        "resource_flows",
        "synergy_steps",
        "synergy_reports",
        "jobs",
    )
    if user is None:
        return {key: [] for key in keys}
    from helix.jobs.models import Job
    from helix.market.models import Feedback, Listing, MeetingRequest
    from helix.symbiosis.models import ResourceFlow, SynergyEvent, SynergyReport

    return {
        "listings": [
            {
                "id": x.pk,
                "side": x.side,
                "title": x.title,
                "status": x.status,
                "created_at": _when(x.created_at),
            }
            for x in Listing.objects.filter(created_by=user).order_by("pk")
        ],
        "market_meeting_requests": [
            {
                "id": x.pk,
                "to_organisation": x.to_organisation.name,
                "message": x.message,
                "status": x.status,
                "created_at": _when(x.created_at),
            }
            for x in MeetingRequest.objects.filter(requested_by=user).select_related("to_organisation")
        ],
        "match_feedback": [
            {"need": x.need_id, "offer": x.offer_id, "verdict": x.verdict, "created_at": _when(x.created_at)}
            for x in Feedback.objects.filter(user=user).order_by("pk")
        ],
        "resource_flows": [
            {"id": x.pk, "title": x.title, "status": x.status, "created_at": _when(x.created_at)}
            for x in ResourceFlow.objects.filter(created_by=user).order_by("pk")
        ],
        "synergy_steps": [
            {
                "synergy": x.synergy_id,
                "from": x.from_state,
                "to": x.to_state,
                "note": x.note,
                "at": _when(x.at),
            }
            for x in SynergyEvent.objects.filter(by=user).order_by("pk")
        ],
        "synergy_reports": [
            {
                "synergy": x.synergy_id,
                "period_end": _when(x.period_end),
                "quantity": x.quantity,
                "unit": x.unit,
            }
            for x in SynergyReport.objects.filter(reported_by=user).order_by("pk")
        ],
        "jobs": [
            {"kind": x.kind, "title": x.title, "status": x.status, "created_at": _when(x.created_at)}
            for x in Job.objects.filter(created_by=user).order_by("pk")
        ],
    }


def _audit_entries(person: Person) -> list[dict[str, Any]]:
    """Audit trail entries about the person record (django-auditlog), when the audit trail is on."""
    try:
        from auditlog.models import LogEntry
    except ImportError:  # pragma: no cover - auditlog is a dependency
        return []
    from django.contrib.contenttypes.models import ContentType

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_pk=str(person.pk)
    ).select_related("actor")
    return [
        {
            "at": _when(e.timestamp),
            "action": e.get_action_display(),
            "by": _username(e.actor),
            "changes": e.changes,
        }
        for e in entries.order_by("timestamp", "pk")
    ]


# --- erasure ----------------------------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    """What erasing a person would remove and keep, and what stands in the way."""

    person: Person
    removed: list[dict[str, Any]] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)
    scheduled_events: list[Any] = field(default_factory=list)  # events whose published schedule has them

    @property
    def needs_rescheduling(self) -> bool:
        return bool(self.scheduled_events)


def _name_pattern(person: Person) -> re.Pattern[str] | None:
    """The person's full name (either order), e-mail and phone, as they could appear in free text."""
    words = []
    first, last = person.first_name.strip(), person.last_name.strip()
    if first and last:
        words += [f"{first} {last}", f"{last} {first}"]
    words += [w for w in (person.email.strip(), person.phone.strip()) if len(w) >= 5]
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)


def _texts_naming(person: Person) -> dict[str, list[tuple[Any, tuple[str, ...]]]]:
    """Rows whose free text names the person: {code: [(row, text fields naming them)]}."""
    from helix.events.models import EventMeetingRequest
    from helix.market.models import MeetingRequest

    pattern = _name_pattern(person)
    found: dict[str, list[tuple[Any, tuple[str, ...]]]] = {}
    if pattern is None:
        return found

    def scan(code: str, rows: Any, fields: tuple[str, ...]) -> None:
        for row in rows:
            hits = tuple(f for f in fields if pattern.search(getattr(row, f) or ""))
            if hits:
                found.setdefault(code, []).append((row, hits))

    org = person.organisation_id
    scan(
        "interaction_notes",
        Interaction.objects.filter(Q(organisation_id=org) | Q(people=person)).distinct(),
        ("summary", "needs_identified"),
    )
    scan(
        "letter_notes", LetterOfIntent.objects.filter(Q(organisation_id=org) | Q(signatory=person)), ("note",)
    )
    scan(
        "market_request_messages",
        MeetingRequest.objects.filter(Q(from_organisation_id=org) | Q(to_organisation_id=org)),
        ("message",),
    )
    scan(
        "request_messages_naming",
        EventMeetingRequest.objects.filter(Q(requester__person=person) | Q(requested__person=person)).exclude(
            requester__person=person
        ),
        ("message",),
    )
    return found


def erasure_plan(person: Person) -> ErasurePlan:
    """What ``erase_person`` would do now (the confirmation page shows it)."""
    from helix.api.models import ApiToken
    from helix.events.models import EventMeetingRequest, Registration, ScheduledMeeting
    from helix.events.services import published_meetings_of

    plan = ErasurePlan(person)
    removed = plan.removed
    if not person.first_name.startswith(ERASED_FIRST_NAME) or person.last_name != f"#{person.pk}":
        removed.append({"code": "name"})
    for name in ("email", "phone", "job_title"):
        if getattr(person, name):
            removed.append({"code": name})
    for field_name in CONSENT_FIELDS.values():
        if getattr(person, field_name):
            removed.append({"code": field_name})
    if person.user_id:
        removed.append({"code": "user_account"})
        tokens = ApiToken.objects.filter(user_id=person.user_id).count()
        if tokens:
            removed.append({"code": "api_tokens", "count": tokens})
    texts = _texts_naming(person)
    for code in ("interaction_notes", "letter_notes", "market_request_messages"):
        if texts.get(code):
            removed.append({"code": code, "count": len(texts[code])})
    signed = LetterOfIntent.objects.filter(signatory=person).exclude(signatory_name="").count()
    if signed:
        removed.append({"code": "letter_signatory", "count": signed})
    own_messages = EventMeetingRequest.objects.filter(requester__person=person).exclude(message="").count()
    messages = own_messages + len(texts.get("request_messages_naming", []))
    if messages:
        removed.append({"code": "request_messages", "count": messages})
    links = Registration.objects.filter(person=person).exclude(online_link="").count()
    if links:
        removed.append({"code": "online_links", "count": links})
    published = published_meetings_of(person).select_related("schedule__event__cluster")
    count = 0
    for meeting in published:
        count += 1
        if meeting.schedule.event not in plan.scheduled_events:
            plan.scheduled_events.append(meeting.schedule.event)
    if count:
        removed.append({"code": "published_meetings", "count": count})
    for code, rows in _arrival_rows(person).items():
        if code == "notification_settings":
            continue
        count = rows.count()
        if count:
            removed.append({"code": code, "count": count})
    removed.append({"code": "audit_entries" if _audit_scrubber() else "audit_unavailable"})
    mine = Q(request__requester__person=person) | Q(request__requested__person=person)
    plan.kept = {
        "registrations": Registration.objects.filter(person=person).count(),
        "meeting_requests": EventMeetingRequest.objects.filter(
            Q(requester__person=person) | Q(requested__person=person)
        ).count(),
        "meetings": ScheduledMeeting.objects.filter(mine).count(),
        "interactions": Interaction.objects.filter(people=person).count(),
        "advisory_seats": person.advisory_seats.count(),
        "letters_of_intent": LetterOfIntent.objects.filter(signatory=person).count(),
        "consent_records": ConsentRecord.objects.filter(person=person).count(),
    }
    return plan


def _audit_scrubber() -> Callable[[int], Any] | None:
    """helix.audit.services.scrub_person, when the audit trail app provides it."""
    try:
        from helix.audit.services import scrub_person  # type: ignore[attr-defined]
    except ImportError:
        return None
    return scrub_person  # type: ignore[no-any-return]


def scheduled_refusal(plan: ErasurePlan) -> ValidationError:
    events = ", ".join(f"“{e.title}”" for e in plan.scheduled_events)
    return ValidationError(
        _(
            "This person has meetings in the published schedule of %(events)s. Erasing them would change "
            "that schedule: choose to re-schedule (the event is published again without them and the "
            "other participants are told), or ask the organiser."
        ),
        code="published_schedule",
        params={"events": events},
    )


def erase_person(
    person: Person, actor: Any, *, how: str = Channel.FORM, reschedule: bool = False
) -> ErasureRecord:
    """Anonymise ``person`` and record what was removed (see the module doc). ``actor`` None is a trusted
    caller (CLI). Refused with code ``published_schedule`` when the person has meetings in a published
    schedule and ``reschedule`` is False; with ``reschedule`` the actor must organise those events."""
    from helix.events.services import withdraw_from_published_schedules

    if actor is not None and not can_erase_person(actor, person):
        raise PermissionDenied("you may not erase this person")
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        plan = erasure_plan(person)
        if plan.needs_rescheduling:
            if not reschedule:
                raise scheduled_refusal(plan)
            if actor is not None and not all(can_reschedule(actor, e) for e in plan.scheduled_events):
                raise ValidationError(
                    _("Only the organiser of %(events)s can publish its schedule again without this person."),
                    code="reschedule_not_allowed",
                    params={"events": ", ".join(f"“{e.title}”" for e in plan.scheduled_events)},
                )
            withdraw_from_published_schedules(actor, person)
        _scrub_texts(person)
        for rows in _arrival_rows(person).values():  # before the account is unlinked: found through it
            rows.delete()
        _anonymise(person, actor)
        scrubber = _audit_scrubber()
        if scrubber is not None:  # after the save above, whose own audit entry names the person
            scrubbed = scrubber(person.pk)
            for item in plan.removed:
                if item["code"] == "audit_entries":
                    item["count"] = int(getattr(scrubbed, "entries", 0))
        return ErasureRecord.objects.create(
            person=person,
            person_number=person.pk,
            by=actor if getattr(actor, "is_authenticated", False) else None,
            how=Channel(how).value,
            removed=plan.removed,
            kept=plan.kept,
        )


def _scrub_texts(person: Person) -> None:
    from helix.events.models import EventMeetingRequest, Registration

    label = f"{ERASED_FIRST_NAME} #{person.pk}"
    pattern = _name_pattern(person)
    for _code, rows in _texts_naming(person).items():
        for row, fields in rows:
            assert pattern is not None
            for name in fields:
                setattr(row, name, pattern.sub(label, getattr(row, name)))
            type(row).objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in fields})
    LetterOfIntent.objects.filter(signatory=person).exclude(signatory_name="").update(signatory_name="")
    EventMeetingRequest.objects.filter(requester__person=person).exclude(message="").update(message="")
    Registration.objects.filter(person=person).exclude(online_link="").update(online_link="")


def _anonymise(person: Person, actor: Any) -> None:
    from helix.api.models import ApiToken

    withdrawn = {consent: False for consent, given in consent_state(person).items() if given}
    user = person.user
    person.first_name = ERASED_FIRST_NAME
    person.last_name = f"#{person.pk}"
    person.email = ""
    person.phone = ""
    person.job_title = ""
    for consent in withdrawn:
        setattr(person, CONSENT_FIELDS[consent], False)
    if withdrawn:
        person.consent_recorded_on = timezone.localdate()
    person.user = None
    person.save()
    record_consents(person, withdrawn, actor=actor, how=Channel.ERASURE, note="erasure")
    if user is not None:
        ApiToken.objects.filter(user=user).delete()
        user.username = f"erased-{user.pk}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.staff_assignments.all().delete()
