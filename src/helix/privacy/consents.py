"""Consent records: every path that changes a person's consents (form, self-service, API, import, CLI,
admin, erasure) writes one ConsentRecord per consent changed, saying who, when and how.

``record_consents`` is the one writer; ``consent_changes`` tells what changed between two states, and
``set_consents`` changes a person's consents and records them in one go (the privacy pages and erasure).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from helix.privacy.models import Channel, Consent, ConsentRecord
from helix.privacy.permissions import can_change_consents
from helix.registry.models import Person

# consent -> the boolean field of registry.Person that holds it
CONSENT_FIELDS: dict[str, str] = {consent.value: f"consent_{consent.value}" for consent in Consent}


def consent_state(person: Person) -> dict[str, bool]:
    """The person's consents now: {"contact": True, "newsletter": False, "public": False}."""
    return {consent: bool(getattr(person, field)) for consent, field in CONSENT_FIELDS.items()}


def consent_changes(before: Mapping[str, bool], person: Person) -> dict[str, bool]:
    """The consents whose value differs between ``before`` (absent: not given) and ``person`` now."""
    now = consent_state(person)
    return {consent: value for consent, value in now.items() if bool(before.get(consent, False)) != value}


def _consent_name(name: str) -> str:
    """ "contact" or "consent_contact" -> "contact"; anything else is a programming error."""
    consent = name.removeprefix("consent_")
    if consent not in CONSENT_FIELDS:
        raise ValueError(f"no consent called {name!r}")
    return consent


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def record_consents(
    person: Person, changes: Mapping[str, bool], *, actor: Any, how: str, note: str = ""
) -> list[ConsentRecord]:
    """Write one record per consent in ``changes`` (consent -> given now?); ``actor`` None is a trusted
    caller (CLI, import without a user). Call it after the person's new values are saved."""
    return record_many([(person.pk, changes)], actor=actor, how=how, note=note)


def record_many(
    rows: Iterable[tuple[int, Mapping[str, bool]]], *, actor: Any, how: str, note: str = ""
) -> list[ConsentRecord]:
    """``record_consents`` for many people at once (imports): one INSERT per 500 records."""
    how = Channel(how).value
    by = _actor(actor)
    records = [
        ConsentRecord(
            person_id=person_id, consent=_consent_name(name), given=bool(given), by=by, how=how, note=note
        )
        for person_id, changes in rows
        for name, given in changes.items()
    ]
    if records:
        ConsentRecord.objects.bulk_create(records, batch_size=500)
    return records


@transaction.atomic
def set_consents(
    person: Person, values: Mapping[str, bool], *, actor: Any, how: str, note: str = ""
) -> list[ConsentRecord]:
    """Give or withdraw consents of ``person`` (consent -> given?), date them today and record each change.

    ``actor`` None is a trusted caller (CLI); anyone else must be the person or staff responsible for
    the person's organisation. Values equal to the present ones change and record nothing.
    """
    if actor is not None and not can_change_consents(actor, person):
        raise PermissionDenied("you may not change this person's consents")
    before = consent_state(person)
    wanted = {_consent_name(name): bool(value) for name, value in values.items()}
    changes = {consent: value for consent, value in wanted.items() if before[consent] != value}
    if not changes:
        return []
    for consent, value in changes.items():
        setattr(person, CONSENT_FIELDS[consent], value)
    person.consent_recorded_on = timezone.localdate()
    person.save(update_fields=[*(CONSENT_FIELDS[c] for c in changes), "consent_recorded_on"])
    return record_consents(person, changes, actor=actor, how=how, note=note)


def record_form_consents(form: Any, *, actor: Any, how: str) -> list[ConsentRecord]:
    """After a ModelForm (admin page or inline) saved a person: record the consents it changed."""
    person = form.instance
    fields = [f for f in CONSENT_FIELDS.values() if f in form.fields]
    if person.pk is None or not fields or not form.has_changed():
        return []
    before = {field.removeprefix("consent_"): bool(form.initial.get(field, False)) for field in fields}
    changes = {c: v for c, v in consent_changes(before, person).items() if CONSENT_FIELDS[c] in fields}
    return record_consents(person, changes, actor=actor, how=how)
