"""Integration: a participant's page at the event — its organisation, what it offers and seeks at the
event and in needs and offers, the meeting requests between it and the viewer — as the permission
tables allow; the participant edits what it offers and seeks and its online meeting link."""

from __future__ import annotations

import pytest

from helix.events import meeting_requests
from helix.registry.models import Person
from tests.events.helpers import small_event
from tests.factories import OrganisationFactory, make_listing, member_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def setup(db):  # type: ignore[no-untyped-def]
    setup = small_event(["HeatCo", "City of Genk", "Robots"])
    heatco = setup.registrations[0]
    heatco.offers = "Heat pumps for schools."
    heatco.seeks = "Cities that renovate."
    heatco.save()
    make_listing(heatco.organisation, side="offer", title="Public heat pumps", visibility="public")
    make_listing(heatco.organisation, side="offer", title="Staff-only heat pumps", visibility="staff")
    return setup


def test_a_visitor_reads_a_participant_of_a_published_organisation(client, setup):
    heatco = setup.registrations[0]

    html = client.get(f"/events/registrations/{heatco.pk}/").content.decode()

    assert "<h1>HeatCo</h1>" in html
    assert '<dd id="participant-offers">Heat pumps for schools.</dd>' in html
    assert '<dd id="participant-seeks">Cities that renovate.</dd>' in html
    assert "Public heat pumps" in html
    assert "Staff-only heat pumps" not in html
    assert 'id="participant-person"' not in html  # no public consent: the name stays hidden
    assert 'id="profile-form"' not in html
    assert 'id="requests-with"' not in html


def test_the_name_shows_with_the_person_s_public_consent(client, setup):
    heatco = setup.registrations[0]
    Person.objects.filter(pk=heatco.person_id).update(consent_public=True)
    html = client.get(f"/events/registrations/{heatco.pk}/").content.decode()
    assert f'<span id="participant-person">{heatco.person}</span>' in html


def test_an_unpublished_organisation_s_participant_is_hidden_from_visitors(client, setup):
    hidden = setup.registrations[1].organisation
    hidden.is_published = False
    hidden.save()
    assert client.get(f"/events/registrations/{setup.registrations[1].pk}/").status_code == 404
    assert "City of Genk" not in client.get(f"/events/{setup.event.pk}/").content.decode()
    client.force_login(setup.users[0])  # a participant meets them all
    assert client.get(f"/events/registrations/{setup.registrations[1].pk}/").status_code == 200


def test_a_participant_sees_the_requests_between_them_and_asks_for_one(client, setup):
    heatco, genk, robots = setup.registrations
    meeting_requests.request_meeting(setup.users[1], genk, heatco)
    meeting_requests.request_meeting(setup.users[2], robots, heatco)  # not Genk's business
    client.force_login(setup.users[1])

    html = client.get(f"/events/registrations/{heatco.pk}/").content.decode()
    assert "City of Genk → HeatCo" in html
    assert "Robots → HeatCo" not in html
    assert f'name="request-{heatco.pk}"' not in html  # an open request already: no second one

    page = client.get(f"/events/registrations/{robots.pk}/").content.decode()
    assert f'name="request-{robots.pk}"' in page
    response = client.post(
        f"/events/{setup.event.pk}/request/",
        {"requester": genk.pk, "requested": robots.pk, "next": f"/events/registrations/{robots.pk}/"},
    )
    assert response["Location"] == f"/events/registrations/{robots.pk}/"


def test_the_participant_edits_what_it_offers_and_seeks(client, setup):
    genk = setup.registrations[1]
    client.force_login(setup.users[1])
    assert 'id="profile-form"' in client.get(f"/events/registrations/{genk.pk}/").content.decode()

    client.post(
        f"/events/registrations/{genk.pk}/profile/",
        {
            "offers": "Ten schools to renovate.",
            "seeks": "Installers.",
            "online": "on",
            "online_link": "https://meet.example/genk",
        },
    )

    genk.refresh_from_db()
    assert (genk.offers, genk.seeks, genk.online, genk.online_link) == (
        "Ten schools to renovate.",
        "Installers.",
        True,
        "https://meet.example/genk",
    )


def test_an_online_link_must_be_https(client, setup):
    genk = setup.registrations[1]
    client.force_login(setup.users[1])
    response = client.post(
        f"/events/registrations/{genk.pk}/profile/",
        {"offers": "", "seeks": "", "online": "on", "online_link": "http://meet.example/genk"},
        follow=True,
    )
    assert (
        "The online meeting link must be a web address starting with https://." in response.content.decode()
    )
    genk.refresh_from_db()
    assert genk.online_link == ""


def test_others_do_not_edit_a_participant(client, setup):
    genk = setup.registrations[1]
    client.force_login(setup.users[0])
    assert client.post(f"/events/registrations/{genk.pk}/profile/", {"offers": "Spam"}).status_code == 403
    outsider = member_user(OrganisationFactory(name="Outsider"), "outsider")
    client.force_login(outsider)
    assert 'id="profile-form"' not in client.get(f"/events/registrations/{genk.pk}/").content.decode()
    genk.refresh_from_db()
    assert genk.offers == ""
