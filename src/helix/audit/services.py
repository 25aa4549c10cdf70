"""Reading the audit trail (who may see which entries) and erasing a person from it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from helix.audit.models import AuditScope
from helix.registry.permissions import staff_cluster_ids

ERASED = "[erased]"
# Fields of a person that are personal data; their values are erased from the person's own entries.
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "job_title", "roles", "user")


def entries_visible_to(user: Any, entries: QuerySet[LogEntry] | None = None) -> QuerySet[LogEntry]:
    """Superusers: every entry; cluster staff: entries of objects of their clusters; others: none."""
    entries = LogEntry.objects.all() if entries is None else entries
    if not getattr(user, "is_authenticated", False):
        return entries.none()
    if user.is_superuser:
        return entries
    clusters = staff_cluster_ids(user)
    if not clusters:
        return entries.none()
    return entries.filter(pk__in=AuditScope.objects.filter(cluster_id__in=clusters).values("entry_id"))


def in_cluster(entries: QuerySet[LogEntry], cluster_id: int) -> QuerySet[LogEntry]:
    return entries.filter(pk__in=AuditScope.objects.filter(cluster_id=cluster_id).values("entry_id"))


# -- erasure ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scrubbed:
    """What ``scrub_person`` removed: how many entries it changed, of the person and mentioning them."""

    own_entries: int
    other_entries: int
    values: int  # distinct names, e-mail addresses and phone numbers searched for and erased

    @property
    def entries(self) -> int:
        return self.own_entries + self.other_entries


@transaction.atomic
def scrub_person(person_id: int) -> Scrubbed:
    """Remove a person's data from the audit trail (GDPR erasure); call it before or after the person's
    row is anonymised or deleted, in the same transaction.

    - The person's own entries keep who changed what and when, but every value of a personal field
      (``PERSON_FIELDS``) becomes "[erased]" and so does the entry's object name.
    - Every other entry that mentions any name, e-mail address or phone number the person ever had
      (a registration, an advisory seat, an interaction's people, a letter's signatory, free text)
      gets that text replaced by "[erased]".
    - Entries the person's user account made keep the account (if it is kept) but lose the e-mail
      address and the network address recorded with them.

    The clusters of each entry and the structure of the changes stay, so counts and the order of
    events remain. Returns what was changed.
    """
    from helix.registry.models import Person

    content_type = ContentType.objects.get_for_model(Person)
    own = list(LogEntry.objects.select_for_update().filter(content_type=content_type, object_id=person_id))
    person = Person.objects.filter(pk=person_id).select_related("user").first()
    texts = _personal_texts(own, person)
    user_ids = {person.user_id} if person and person.user_id else set()
    user_ids |= {
        int(value)
        for entry in own
        for value in _values_of(entry, "user")
        if value and value != "None" and str(value).isdigit()
    }

    for entry in own:
        changes = entry.changes or {}
        for field in PERSON_FIELDS:
            if field in changes and isinstance(changes[field], list):
                changes[field] = [None if v in (None, "None") else ERASED for v in changes[field]]
        entry.changes = _replace_all(changes, texts)
        entry.changes_text = _replace_all(entry.changes_text, texts)
        entry.object_repr = ERASED
        entry.serialized_data = None
        entry.save(update_fields=["changes", "changes_text", "object_repr", "serialized_data"])

    others = 0
    if texts:
        mention = Q()
        for text in texts:
            mention |= Q(object_repr__icontains=text) | Q(changes_as_text__icontains=text)
            escaped = json.dumps(text)[1:-1]
            if escaped != text:  # non-ASCII letters are stored as \\u escapes in the JSON text
                mention |= Q(changes_as_text__icontains=escaped)
        candidates = (
            LogEntry.objects.select_for_update()
            .annotate(changes_as_text=Cast("changes", TextField()))
            .exclude(pk__in=[e.pk for e in own])
            .filter(mention)
        )
        for entry in candidates:
            entry.object_repr = _replace_all(entry.object_repr, texts)
            entry.changes = _replace_all(entry.changes, texts)
            entry.changes_text = _replace_all(entry.changes_text, texts)
            entry.serialized_data = None
            entry.save(update_fields=["changes", "changes_text", "object_repr", "serialized_data"])
            others += 1

    actor_filter = Q(actor_id__in=user_ids) if user_ids else Q(pk__in=[])
    emails = [t for t in texts if "@" in t]
    if emails:
        actor_filter |= Q(actor_email__in=emails)
    LogEntry.objects.filter(actor_filter).update(actor_email=None, remote_addr=None, remote_port=None)
    return Scrubbed(own_entries=len(own), other_entries=others, values=len(texts))


def _values_of(entry: LogEntry, field: str) -> list[Any]:
    change = (entry.changes or {}).get(field)
    return list(change) if isinstance(change, list) else []


def _personal_texts(own: list[LogEntry], person: Any) -> list[str]:
    """Every name, e-mail address and phone number the person had, longest first (so that a full name
    is replaced before its parts)."""
    firsts, lasts, texts = set(), set(), set()
    for entry in own:
        firsts.update(_values_of(entry, "first_name"))
        lasts.update(_values_of(entry, "last_name"))
        texts.update(_values_of(entry, "email"))
        texts.update(_values_of(entry, "phone"))
        texts.add(entry.object_repr)  # the person's name when the entry was written
    if person is not None:
        firsts.add(person.first_name)
        lasts.add(person.last_name)
        texts.update((person.email, person.phone, person.full_name))
    blank = {None, "", "None", ERASED}
    texts.update(f"{first} {last}" for first in firsts - blank for last in lasts - blank)
    # Single first or last names alone are too short to search for safely ("An"); full names suffice.
    return sorted((t.strip() for t in texts if t not in blank and len(t.strip()) >= 4), key=len, reverse=True)


def _replace_all(value: Any, texts: list[str]) -> Any:
    """``value`` (a string, or lists and dicts of them) with every occurrence of ``texts`` erased."""
    if isinstance(value, str):
        lowered = value.lower()
        for text in texts:
            start = lowered.find(text.lower())
            while start != -1:
                value = value[:start] + ERASED + value[start + len(text) :]
                lowered = value.lower()
                start = lowered.find(text.lower(), start + len(ERASED))
        return value
    if isinstance(value, list):
        return [_replace_all(v, texts) for v in value]
    if isinstance(value, dict):
        return {k: _replace_all(v, texts) for k, v in value.items()}
    return value
