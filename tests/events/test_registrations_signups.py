"""Integration: a visitor without a person record asks to take part from the public event page; the
organisers confirm (the person and organisation found or created, then registered) or decline, from the
event page."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from helix.events.models import EventSignup, Registration, SignupStatus
from helix.registry.models import Organisation, Person
from tests.events.helpers import small_event
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

VISITOR = {
    "first_name": "Sara",
    "last_name": "Janssens",
    "email": "sara@renovate.example",
    "organisation_name": "Renovate Together",
    "message": "We renovate schools.",
}


def said(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The messages of this answer (those of earlier answers not yet shown are left out)."""
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    return texts[-1:] if texts else []


def test_a_visitor_signs_up_and_waits_for_the_organisers(client):
    setup = small_event(["HeatCo"])

    response = client.post(f"/events/{setup.event.pk}/signup/", VISITOR)

    assert response.status_code == 302
    assert response["Location"].endswith("#register")
    signup = EventSignup.objects.get()
    assert (signup.full_name, signup.email, signup.organisation_name, signup.status, signup.user) == (
        "Sara Janssens",
        "sara@renovate.example",
        "Renovate Together",
        SignupStatus.PENDING,
        None,
    )
    assert said(response) == ["Thank you: the organisers will confirm your registration."]
    assert not Person.objects.filter(email="sara@renovate.example").exists()


def test_a_bad_sign_up_names_the_field_and_saves_nothing(client):
    setup = small_event(["HeatCo"])

    response = client.post(f"/events/{setup.event.pk}/signup/", {**VISITOR, "email": "not-an-address"})

    assert said(response) == ["E-mail: Enter a valid email address."]
    assert not EventSignup.objects.exists()


def test_the_same_e_mail_waits_only_once(client):
    setup = small_event(["HeatCo"])
    client.post(f"/events/{setup.event.pk}/signup/", VISITOR)

    again = client.post(f"/events/{setup.event.pk}/signup/", {**VISITOR, "email": "SARA@renovate.example"})

    assert said(again) == ["A sign-up with this e-mail is already waiting for the organisers."]
    assert EventSignup.objects.count() == 1


def test_no_sign_up_once_registration_is_closed(client):
    setup = small_event(["HeatCo"], status="closed")

    response = client.post(f"/events/{setup.event.pk}/signup/", VISITOR)

    assert said(response) == ["Registration for this event is not open."]
    assert not EventSignup.objects.exists()


def test_someone_with_a_person_record_registers_directly(client):
    setup = small_event(["HeatCo", "Genk"])
    setup.registrations[1].delete()
    client.force_login(setup.users[1])

    response = client.post(f"/events/{setup.event.pk}/signup/", VISITOR)

    assert said(response) == ["You have an account with an organisation: register directly."]


def test_one_address_sends_a_limited_number_of_sign_ups(client):
    setup = small_event(["HeatCo"])
    answers = [
        said(client.post(f"/events/{setup.event.pk}/signup/", {**VISITOR, "email": f"v{k}@example.org"}))
        for k in range(11)
    ]
    assert EventSignup.objects.count() == 10
    assert answers[-1] == ["Too many sign-ups from your address; try again in an hour."]


def test_the_organiser_confirms_into_a_new_organisation(client):
    setup = small_event(["HeatCo"])
    client.post(f"/events/{setup.event.pk}/signup/", VISITOR)
    signup = EventSignup.objects.get()
    client.force_login(setup.organiser)
    page = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert f'id="signup-{signup.pk}"' in page
    assert "A new organisation: Renovate Together" in page

    response = client.post(
        f"/events/signups/{signup.pk}/decide/", {"decision": "confirm", "organisation": "new"}, follow=True
    )

    organisation = Organisation.objects.get(name="Renovate Together")
    person = Person.objects.get(email="sara@renovate.example")
    registration = Registration.objects.get(event=setup.event, person=person)
    signup.refresh_from_db()
    assert (organisation.is_published, person.organisation, person.user) == (False, organisation, None)
    assert (signup.status, signup.registration, signup.decided_by) == (
        SignupStatus.CONFIRMED,
        registration,
        setup.organiser,
    )
    html = response.content.decode()
    assert "Sara Janssens is registered." in html
    assert f'id="registration-{registration.pk}"' in html
    assert f'id="signup-{signup.pk}"' not in html


def test_confirming_into_an_organisation_finds_its_person_by_e_mail(client):
    setup = small_event(["HeatCo"])
    renovate = OrganisationFactory(name="Renovate Together NV")
    MembershipFactory(organisation=renovate, cluster=setup.event.cluster)
    known = PersonFactory(
        organisation=renovate, first_name="Sara", last_name="J.", email="sara@renovate.example"
    )
    client.post(f"/events/{setup.event.pk}/signup/", VISITOR)
    signup = EventSignup.objects.get()
    client.force_login(setup.organiser)
    page = client.get(f"/events/{setup.event.pk}/").content.decode()
    assert f'<option value="{renovate.pk}">Renovate Together NV</option>' in page  # suggested by its name

    client.post(f"/events/signups/{signup.pk}/decide/", {"decision": "confirm", "organisation": renovate.pk})

    assert Person.objects.filter(email="sara@renovate.example").count() == 1
    assert Registration.objects.filter(event=setup.event, person=known).exists()


def test_a_signed_in_visitor_gets_a_person_record_linked_to_their_account(client):
    setup = small_event(["HeatCo"])
    account = UserFactory(username="sara")
    client.force_login(account)
    client.post(f"/events/{setup.event.pk}/signup/", VISITOR)
    signup = EventSignup.objects.get()
    assert signup.user == account

    client.force_login(setup.organiser)
    client.post(f"/events/signups/{signup.pk}/decide/", {"decision": "confirm", "organisation": "new"})

    person = Person.objects.get(email="sara@renovate.example")
    assert person.user == account
    client.force_login(account)
    registration = Registration.objects.get(person=person)
    assert client.get(f"/events/registrations/{registration.pk}/agenda/").status_code == 200


def test_the_organiser_declines_and_nothing_is_registered(client):
    setup = small_event(["HeatCo"])
    client.post(f"/events/{setup.event.pk}/signup/", VISITOR)
    signup = EventSignup.objects.get()
    client.force_login(setup.organiser)

    client.post(f"/events/signups/{signup.pk}/decide/", {"decision": "decline"})
    again = client.post(
        f"/events/signups/{signup.pk}/decide/", {"decision": "confirm", "organisation": "new"}
    )

    signup.refresh_from_db()
    assert signup.status == SignupStatus.DECLINED
    assert said(again) == ["This change is not possible from the present state."]
    assert not Person.objects.filter(email="sara@renovate.example").exists()
    assert not Organisation.objects.filter(name="Renovate Together").exists()


def test_participants_neither_see_nor_decide_sign_ups(client):
    setup = small_event(["HeatCo"])
    client.post(f"/events/{setup.event.pk}/signup/", VISITOR)
    signup = EventSignup.objects.get()
    client.force_login(setup.users[0])

    assert "Sara Janssens" not in client.get(f"/events/{setup.event.pk}/").content.decode()
    response = client.post(f"/events/signups/{signup.pk}/decide/", {"decision": "confirm"})

    assert response.status_code == 404
    assert EventSignup.objects.get().status == SignupStatus.PENDING


def test_each_sign_up_gets_the_organisations_named_like_its_own(db):
    from helix.events.registrations import organisation_suggestions

    setup = small_event(["HeatCo"])
    names = ("Renovate Together NV", "Renovate Schools", "Heat Pumps Limburg BV", "Renovate Together")
    found = {}
    for name in names:
        found[name] = OrganisationFactory(name=name)
        MembershipFactory(organisation=found[name], cluster=setup.event.cluster)

    suggested = organisation_suggestions(
        setup.organiser, ["Renovate Together", "heat pumps limburg", "Nothing Alike", "  "]
    )

    assert {name: [o.name for o in orgs] for name, orgs in suggested.items()} == {
        "Renovate Together": ["Renovate Together", "Renovate Together NV", "Renovate Schools"],
        "heat pumps limburg": ["Heat Pumps Limburg BV", "HeatCo"],  # "heat" in HeatCo
        "Nothing Alike": [],
    }
