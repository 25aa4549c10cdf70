"""Integration: organisation profiles (helix.registry.organisation_views): facts, sectors, sites, clusters
and public people; unpublished profiles only for their own members and staff; staff's letters and
interactions."""

import datetime as dt

import pytest
from django.urls import reverse

from helix.registry.models import (
    Interaction,
    LetterOfIntent,
)
from tests.factories import (
    PersonFactory,
    member_user,
    staff_user,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_profile_shows_facts_sectors_sites_clusters_and_public_people_only(client, world):
    acme = world["acme"]
    PersonFactory(
        organisation=acme,
        first_name="Els",
        last_name="Public",
        email="els@acme.example",
        phone="+32 9 123 45 67",
        consent_public=True,
        job_title="CTO",
    )
    PersonFactory(organisation=acme, first_name="Jan", last_name="Private", email="jan@acme.example")
    response = client.get(acme.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Acme Coatings</h1>" in html
    assert acme.legal_identifier in html
    assert "Belgian enterprise number (KBO/BCE)" in html
    assert "Nederlands, English" in html
    assert "Manufacture of paints, varnishes and similar coatings" in html
    assert ">corrosion</a>" in html
    assert "9000 Gent" in html
    assert '<a href="geo:51.05000,3.72000">51.05000, 3.72000</a>' in html
    assert "Materials &amp; Manufacturing</a>" in html
    assert "Surface engineering" in html
    assert "Els Public" in html
    assert "CTO" in html
    assert "Jan Private" not in html
    assert "els@acme.example" not in html
    assert "+32 9 123 45 67" not in html
    assert "Edit</a>" not in html
    assert "Interactions" not in html
    assert "Letters of intent" not in html


def test_profile_shows_the_description_in_the_current_language_first(client, world):
    html = client.get(world["acme"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert html.index("Anticorrosiecoatings") < html.index("Anti-corrosion coatings")
    assert "Beschrijving (English)" in html


def test_unpublished_profile_is_404_for_anonymous_and_other_members(client, world):
    url = world["hidden"].get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(member_user(world["acme"]))
    assert client.get(url).status_code == 404


def test_unpublished_profile_is_visible_to_its_own_member_and_to_staff(client, world):
    url = world["hidden"].get_absolute_url()
    client.force_login(member_user(world["hidden"]))
    assert client.get(url).status_code == 200
    client.force_login(staff_user(world["cluster"]))
    assert client.get(url).status_code == 200


def test_own_member_sees_contact_data_and_an_edit_link(client, world):
    acme = world["acme"]
    PersonFactory(organisation=acme, first_name="Jan", last_name="Private", email="jan@acme.example")
    client.force_login(member_user(acme))
    html = client.get(acme.get_absolute_url()).content.decode()
    assert '<a href="mailto:jan@acme.example">jan@acme.example</a>' in html
    assert f'href="{reverse("registry:organisation_edit", args=[acme.slug])}">Edit</a>' in html
    assert "Interactions" not in html


def test_staff_see_letters_of_intent_interactions_and_the_log_form(client, world):
    acme, cluster = world["acme"], world["cluster"]
    staff = staff_user(cluster)
    LetterOfIntent.objects.create(
        organisation=acme, cluster=cluster, signed_on=dt.date(2016, 6, 3), signatory_name="An Peeters"
    )
    Interaction.objects.create(
        organisation=acme,
        cluster=cluster,
        kind="visit",
        logged_by=staff,
        summary="Toured the paint line.",
        needs_identified="Drying ovens",
    )
    client.force_login(staff)
    html = client.get(acme.get_absolute_url()).content.decode()
    assert "An Peeters" in html
    assert "Toured the paint line." in html
    assert "Drying ovens" in html
    assert f'action="{reverse("registry:interaction_create", args=[acme.slug])}"' in html


def test_unknown_profile_is_404(client, world):
    assert client.get(reverse("registry:organisation", args=["nobody"])).status_code == 404
