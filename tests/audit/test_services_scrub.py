"""Integration: erasing a person (GDPR) removes their data from the audit trail, and only theirs."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from helix.audit.context import acting_as
from helix.audit.services import ERASED, Scrubbed, scrub_person
from helix.events.models import Event, Registration
from helix.registry.models import Interaction
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def helene(world):  # type: ignore[no-untyped-def]
    """Hélène, with an account, her e-mail changed by herself, named in an interaction and registered."""
    user = UserFactory(username="helene", email="helene@home.example")
    person = PersonFactory(
        organisation=world.acme,
        first_name="Hélène",
        last_name="Dubois",
        email="helene@acme.example",
        phone="+32 9 123 45 67",
        user=user,
    )
    with acting_as(user, "web"):
        person.email = "h.dubois@acme.example"
        person.save()
    LogEntry.objects.filter(actor=user).update(remote_addr="192.0.2.7")
    with acting_as(world.tech_staff, "web"):
        interaction = Interaction.objects.create(
            organisation=world.acme,
            cluster=world.tech,
            kind="call",
            summary="Called Hélène Dubois about welding",
        )
        interaction.people.add(person)
        event = Event.objects.create(cluster=world.tech, title="Demo day")
        Registration.objects.create(event=event, person=person, organisation=world.acme)
        world.acme.name = "Acme Robotics"
        world.acme.save()
    return person


def texts(entry) -> str:  # type: ignore[no-untyped-def]
    return f"{entry.object_repr} {entry.changes} {entry.actor_email} {entry.remote_addr}"


def test_the_persons_own_entries_keep_who_and_when_but_lose_every_personal_value(world, helene):
    own = LogEntry.objects.get_for_object(helene).order_by("pk")

    result = scrub_person(helene.pk)

    created, changed = own
    assert [e.object_repr for e in own] == [ERASED, ERASED]
    assert {k: created.changes[k] for k in ("first_name", "last_name", "email", "phone", "user")} == {
        "first_name": [None, ERASED],
        "last_name": [None, ERASED],
        "email": [None, ERASED],
        "phone": [None, ERASED],
        "user": [None, ERASED],
    }
    assert created.changes["organisation"] == ["None", str(world.acme.pk)]
    assert changed.changes == {"email": [ERASED, ERASED]}
    assert (changed.actor.username, changed.actor_email, changed.remote_addr) == ("helene", None, None)
    assert changed.additional_data == {"clusters": [world.tech.pk], "via": "web"}
    assert result == Scrubbed(own_entries=2, other_entries=3, values=4)  # name, two e-mails, phone


def test_entries_that_mention_the_person_have_the_mention_erased(world, helene):
    scrub_person(helene.pk)

    interaction = LogEntry.objects.filter(content_type__model="interaction").order_by("pk")
    registration = LogEntry.objects.get(content_type__model="registration")
    assert [e.changes.get("summary") for e in interaction] == [
        ["None", f"Called {ERASED} about welding"],
        None,
    ]
    assert interaction[1].changes == {"people": {"type": "m2m", "operation": "add", "objects": [ERASED]}}
    assert registration.object_repr == f"{ERASED} (Acme)"
    everything = " ".join(texts(e) for e in LogEntry.objects.all())
    for personal in (
        "Hélène",
        "H\\u00e9l\\u00e8ne",
        "Dubois",
        "helene@",
        "h.dubois@",
        "123 45 67",
        "192.0.2.7",
    ):
        assert personal not in everything


def test_entries_about_others_are_left_alone(world, helene):
    others = {
        e.pk: texts(e)
        for e in LogEntry.objects.exclude(content_type__model__in=["person", "interaction", "registration"])
    }

    scrub_person(helene.pk)

    assert {e.pk: texts(e) for e in LogEntry.objects.filter(pk__in=others)} == others
    assert LogEntry.objects.filter(object_repr="Acme Robotics").exists()


def test_scrubbing_works_after_the_person_was_deleted(world, helene):
    pk = helene.pk
    helene.delete()

    result = scrub_person(pk)

    assert result.own_entries == 3  # created, changed, deleted
    assert not LogEntry.objects.filter(object_repr__icontains="dubois").exists()


def test_erasing_a_person_through_the_privacy_service_scrubs_the_trail(world, helene):
    from helix.privacy.erasure import erase_person

    record = erase_person(helene, None)

    everything = " ".join(texts(e) for e in LogEntry.objects.all())
    assert [
        p for p in ("Hélène", "H\\u00e9l\\u00e8ne", "Dubois", "helene@", "192.0.2.7") if p in everything
    ] == []
    # her three entries (created, changed, anonymised) and three naming her
    assert [item.get("count") for item in record.removed if item["code"] == "audit_entries"] == [6]
