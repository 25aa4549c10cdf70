"""Integration: erasure anonymises a person, keeps the rows that make up counts, says what it removed, and
never changes a published schedule silently (refused, or re-published with a notice); deleting such a
person is refused on every path."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from helix.api.models import ApiToken
from helix.events.models import EventMeetingRequest, Schedule
from helix.events.schedules import published_schedule
from helix.privacy import erasure
from helix.privacy.erasure import erase_person, erasure_plan
from helix.privacy.guards import PublishedScheduleProtected
from helix.privacy.models import ConsentRecord, ErasureRecord
from helix.registry.models import AdvisoryGroup, AdvisorySeat, Interaction, LetterOfIntent, Person
from tests.factories import UserFactory
from tests.privacy.conftest import log_interaction, published_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def no_audit_scrubber(monkeypatch):  # type: ignore[no-untyped-def]
    """Erasure without the audit trail app's scrubber: it says so."""
    monkeypatch.setattr(erasure, "_audit_scrubber", lambda: None)


@pytest.fixture
def an_everywhere(world):  # type: ignore[no-untyped-def]
    """An in two interaction notes, one letter signed, an advisory seat, with an API token."""
    log_interaction(world.acme, [world.an], "Call with An Peeters about heat pumps", cluster=world.tech)
    log_interaction(
        world.acme, [], "Peeters An will send the drawings", needs_identified="Ask an.peeters@acme.example"
    )
    log_interaction(world.bakery, [world.bob], "Visit to Bob Janssens")
    LetterOfIntent.objects.create(
        organisation=world.acme,
        cluster=world.tech,
        signed_on=dt.date(2026, 3, 1),
        signatory=world.an,
        signatory_name="An Peeters",
    )
    AdvisorySeat.objects.create(
        group=AdvisoryGroup.objects.create(cluster=world.tech, name="Energy"), person=world.an
    )
    ApiToken.objects.issue(world.an_user, name="laptop")
    return world


def test_erasure_anonymises_keeps_the_counts_and_records_what_was_removed(an_everywhere, no_audit_scrubber):
    world = an_everywhere
    an = world.an

    record = erase_person(an, world.tech_staff)

    an.refresh_from_db()
    assert (an.first_name, an.last_name, an.email, an.phone, an.job_title, an.user_id) == (
        "Erased person",
        f"#{an.pk}",
        "",
        "",
        "",
        None,
    )
    assert (an.consent_contact, an.consent_newsletter, an.consent_public) == (False, False, False)
    account = type(world.an_user).objects.get(pk=world.an_user.pk)
    assert (account.username, account.email, account.is_active, account.has_usable_password()) == (
        f"erased-{account.pk}",
        "",
        False,
        False,
    )
    assert ApiToken.objects.filter(user=account).count() == 0
    assert sorted(Interaction.objects.values_list("summary", "needs_identified")) == [
        (f"Call with Erased person #{an.pk} about heat pumps", ""),
        (f"Erased person #{an.pk} will send the drawings", f"Ask Erased person #{an.pk}"),
        ("Visit to Bob Janssens", ""),
    ]
    letter = LetterOfIntent.objects.get()
    assert (letter.signatory_id, letter.signatory_name, letter.signed_by) == (
        an.pk,
        "",
        f"Erased person #{an.pk}",
    )
    assert AdvisorySeat.objects.filter(person=an).count() == 1
    records = ConsentRecord.objects.filter(person=an).order_by("consent")
    assert list(records.values_list("consent", "given", "by", "how")) == [
        ("contact", False, world.tech_staff.pk, "erasure"),
        ("public", False, world.tech_staff.pk, "erasure"),
    ]
    assert (record.person_number, record.by, record.how) == (an.pk, world.tech_staff, "form")
    assert record.removed == [
        {"code": "name"},
        {"code": "email"},
        {"code": "phone"},
        {"code": "job_title"},
        {"code": "consent_contact"},
        {"code": "consent_public"},
        {"code": "user_account"},
        {"code": "api_tokens", "count": 1},
        {"code": "interaction_notes", "count": 2},
        {"code": "letter_signatory", "count": 1},
        {"code": "audit_unavailable"},
    ]
    assert record.kept == {
        "registrations": 0,
        "meeting_requests": 0,
        "meetings": 0,
        "interactions": 1,
        "advisory_seats": 1,
        "letters_of_intent": 1,
        "consent_records": 0,
    }
    stored = json.dumps([record.removed, record.kept])
    for personal in ("An", "Peeters", "acme.example", "470"):
        assert personal not in stored


def test_erasure_calls_the_audit_trail_scrubber_after_anonymising(world, monkeypatch):
    seen = []

    class Scrubbed:
        entries = 4

    def scrub(person_id):  # type: ignore[no-untyped-def]
        seen.append((person_id, Person.objects.get(pk=person_id).first_name))
        return Scrubbed()

    monkeypatch.setattr(erasure, "_audit_scrubber", lambda: scrub)

    record = erase_person(world.an, None, how="cli")

    assert seen == [(world.an.pk, "Erased person")]
    assert record.removed[-1] == {"code": "audit_entries", "count": 4}
    assert erasure.removal_label(record.removed[-1], record.person_number) == (
        "Personal data in audit trail entries (4 scrubbed)"
    )


def test_the_real_audit_scrubber_is_found_when_the_audit_app_has_one(world):
    from helix.audit.services import scrub_person

    assert erasure._audit_scrubber() is scrub_person
    record = erase_person(world.an, None, how="cli")
    assert record.removed[-1]["code"] == "audit_entries"
    assert isinstance(record.removed[-1]["count"], int)


def test_staff_of_another_cluster_and_colleagues_may_not_erase(world):
    for user in (world.food_staff, world.colleague_user, world.bob_user):
        with pytest.raises(PermissionDenied):
            erase_person(world.an, user)
    world.an.refresh_from_db()
    assert world.an.last_name == "Peeters"
    assert ErasureRecord.objects.count() == 0


def test_erasing_a_participant_of_a_published_schedule_is_refused_and_changes_nothing(no_audit_scrubber):
    event = published_event()
    first = event.people[0]

    with pytest.raises(ValidationError) as refused:
        erase_person(first, event.setup.organiser)

    assert refused.value.code == "published_schedule"
    assert "“Brokerage day”" in " ".join(refused.value.messages)
    first.refresh_from_db()
    assert first.last_name == "U0"
    assert published_schedule(event.setup.event) == event.schedule
    assert event.schedule.meetings.count() == 3
    assert mail.outbox == []


def test_erasing_with_rescheduling_republishes_without_them_and_tells_the_others(
    no_audit_scrubber, django_capture_on_commit_callbacks
):
    event = published_event()
    first, second, third = event.people

    with django_capture_on_commit_callbacks(execute=True):
        record = erase_person(first, event.setup.organiser, reschedule=True)

    new = published_schedule(event.setup.event)
    assert new != event.schedule
    assert (new.sequence, new.held, new.requested) == (1, 1, 3)
    assert [
        (m.request.requester.person_id, m.request.requested.person_id, m.slot.start.isoformat(), m.table)
        for m in new.meetings.select_related("request__requester", "request__requested", "slot")
    ] == [(second.pk, third.pk, "2026-12-03T08:30:00+00:00", 1)]
    event.schedule.refresh_from_db()
    assert (event.schedule.published, event.schedule.meetings.count()) == (False, 3)  # history kept
    assert sorted(
        EventMeetingRequest.objects.values_list("requester__person_id", "requested__person_id", "status")
    ) == sorted(
        [
            (first.pk, second.pk, "cancelled"),
            (second.pk, third.pk, "accepted"),
            (first.pk, third.pk, "cancelled"),
        ]
    )
    # told through helix.notifications (helix.events.notices.meeting_cancelled), with the new agenda
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([second.email], "Meeting cancelled: Brokerage day"),
        ([third.email], "Meeting cancelled: Brokerage day"),
    ]
    for sent, time in zip(mail.outbox, ("09:00", "10:00"), strict=True):
        assert (
            f"Your meeting with HeatCo at Brokerage day on 3 December 2026, {time} is cancelled: the "
            "participant withdrew. The rest of your agenda is unchanged; the schedule was published again."
        ) in sent.body
        assert [name for name, _content, _type in sent.attachments] == [
            f"agenda-{event.setup.event.pk}-{r.pk}.ics"
            for r in event.setup.registrations
            if r.person.email == sent.to[0]
        ]
    assert {"code": "published_meetings", "count": 2} in record.removed
    assert record.kept["meetings"] == 2  # still in the earlier (unpublished) schedule: counts stay
    assert record.kept["registrations"] == 1


def test_only_the_organiser_may_reschedule(no_audit_scrubber):
    event = published_event()
    first = event.people[0]
    own_user = first.user

    with pytest.raises(ValidationError) as refused:
        erase_person(first, own_user, reschedule=True)

    assert refused.value.code == "reschedule_not_allowed"
    assert published_schedule(event.setup.event) == event.schedule


def test_deleting_a_participant_of_a_published_schedule_is_refused_on_every_path(client):
    event = published_event()
    first = event.people[0]

    # Like any refused write, the refusal aborts the transaction it happens in: each try gets its own.
    with pytest.raises(PublishedScheduleProtected), transaction.atomic():
        first.delete()
    with pytest.raises(PublishedScheduleProtected), transaction.atomic():
        Person.objects.filter(pk=first.pk).delete()
    with pytest.raises(PublishedScheduleProtected), transaction.atomic():
        first.organisation.delete()
    assert Person.objects.filter(pk=first.pk).exists()
    assert event.schedule.meetings.count() == 3

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(f"/admin/registry/person/{first.pk}/delete/")
    assert "has meetings in a published event schedule" in page.content.decode()
    client.post(f"/admin/registry/person/{first.pk}/delete/", {"post": "yes"})
    assert Person.objects.filter(pk=first.pk).exists()


def test_people_without_published_meetings_are_deleted_as_before(world):
    event = published_event()
    Schedule.objects.filter(pk=event.schedule.pk).update(published=False)
    event.people[0].delete()
    world.bob.delete()
    assert not Person.objects.filter(pk__in=[event.people[0].pk, world.bob.pk]).exists()


def test_a_refused_delete_from_the_same_object_is_checked_again_after_rescheduling(no_audit_scrubber):
    event = published_event()
    first = event.people[0]
    with pytest.raises(PublishedScheduleProtected), transaction.atomic():
        first.delete()

    erase_person(first, event.setup.organiser, reschedule=True)
    first.delete()

    assert not Person.objects.filter(pk=first.pk).exists()


def test_the_plan_shown_before_erasing_is_what_erasure_does(an_everywhere, no_audit_scrubber):
    plan = erasure_plan(an_everywhere.an)
    record = erase_person(an_everywhere.an, an_everywhere.tech_staff)
    assert (plan.removed, plan.kept) == (record.removed, record.kept)
