"""A person's erasure: anonymise them and say what was removed and what was kept.

``erase_person`` anonymises the person and says what it removed: the name becomes "Erased person #id",
contact data go, consents are withdrawn (and recorded), the user account is deactivated and unlinked, the
name is taken out of free text. Rows that make up aggregates (meetings, interactions, registrations,
seats, memberships) stay and are counted. A participant of a published schedule is refused unless the
actor re-schedules: the event is published again without them and the other side is told
(helix.events.schedules.withdraw_from_published_schedules).

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
from helix.privacy.export import arrival_rows
from helix.privacy.models import Channel, ConsentRecord, ErasureRecord
from helix.privacy.permissions import can_erase_person, can_reschedule
from helix.registry.models import Interaction, LetterOfIntent, Person

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
    from helix.events.schedules import published_meetings_of

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
    for code, rows in arrival_rows(person).items():
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
    from helix.events.schedules import withdraw_from_published_schedules

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
        for rows in arrival_rows(person).values():  # before the account is unlinked: found through it
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
