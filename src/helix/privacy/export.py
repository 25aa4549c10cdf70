"""A person's data: everything Helix holds about them, as one export.

``export_person`` gathers the person's record, consents and their history, the letters they signed, the
interactions, event registrations and meetings and advisory seats they appear in, what their user account
created (listings, meeting requests, flows, reports, jobs) and the audit entries about them. Other people
appear in it only as organisations. helix.privacy.erasure removes what this finds.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from helix.privacy.consents import consent_state
from helix.privacy.export_work import work_rows
from helix.privacy.models import ConsentRecord, ErasureRecord
from helix.registry.models import Interaction, LetterOfIntent, Person

EXPORT_FORMAT = "helix-person-export/1"


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
    data.update(work_rows(person, person.user))
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


def arrival_rows(person: Person) -> dict[str, Any]:
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
    rows = arrival_rows(person)
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
