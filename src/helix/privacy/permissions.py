"""Who may see, export, erase a person's data and change their consents: the registry's PERSON table
(helix.registry.permissions) declares it; pages, the API and the CLI ask through these names.

Rules:
- the person themselves, through the user account linked to their person record;
- cluster staff responsible for the person's organisation (registry ``is_responsible_staff``), and
  superusers;
- nobody else: not a colleague of the same organisation (who sees the contact data on the profile but
  not the consent history, the interaction notes or the erasure), not staff of another cluster.
Re-scheduling an event when erasing one of its participants is the organiser's move (staff of the
event's cluster).
"""

from __future__ import annotations

from typing import Any

from helix.core.access import SELF, STAFF, Grant, Policy
from helix.privacy.models import ConsentRecord
from helix.registry.models import Person
from helix.registry.permissions import Subject, can, register


def is_self(user: Any, person: Person) -> bool:
    """``user`` is the account linked to ``person``."""
    return bool(getattr(user, "is_authenticated", False) and person.user_id == user.pk)


def can_see_personal_data(user: Any, person: Person) -> bool:
    """See the person's privacy page: their data, consents and consent history."""
    return can(user, "view_personal_data", person)


def can_export_person(user: Any, person: Person) -> bool:
    return can(user, "export_data", person)


def can_erase_person(user: Any, person: Person) -> bool:
    return can(user, "erase", person)


def can_change_consents(user: Any, person: Person) -> bool:
    return can(user, "change_consents", person)


def can_reschedule(user: Any, event: Any) -> bool:
    """Publish ``event``'s schedule again without a participant: the event's organiser."""
    return can(user, "schedule", event)


# -- consent records: read in the admin by those who may see the person's privacy page ---------------------

CONSENT_RECORD = Policy(
    subject="privacy.consentrecord",
    label="Consent record",
    actions={"view": "see that a consent was given or withdrawn, when, by whom and how"},
    grants=(Grant("view", SELF | STAFF),),  # as the person's "view_personal_data"
)

register(
    Subject(
        CONSENT_RECORD,
        ConsentRecord,
        organisations=("person__organisation_id",),
        person="person_id",
    )
)
