"""Integration: the organisation editor saves in one go, never loses input and detects concurrent edits."""

import pytest
from django.urls import reverse

from helix.registry.models import Organisation, Sector, Site
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    member_user,
    staff_user,
)
from tests.helpers.forms import editor_payload

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def edit_url(org):
    return reverse("registry:organisation_edit", args=[org.slug])


@pytest.fixture
def acme():
    org = OrganisationFactory(name="Acme Coatings", description_en="Anti-corrosion coatings.")
    org.sectors.set(Sector.objects.filter(code="20.30"))
    SiteFactory(organisation=org, name="Head office", city="Gent")
    return org


def test_member_user_edits_its_own_organisation_and_the_search_text_follows(client, acme):
    client.force_login(member_user(acme))
    payload = editor_payload(client.get(edit_url(acme)))
    payload.update(
        {
            "name": "Acme Coatings NV",
            "sectors": "20.30; 6210",
            "keywords": "Graphene, anti-fouling, graphene",
            "working_languages": ["fr", "nl"],
            "description_fr": "Revêtements anticorrosion.",
            "sites-0-city": "Zelzate",
            "sites-1-name": "Lab",
            "sites-1-city": "Liège",
            "sites-1-country": "be",
            "sites-1-region": "wallonia",
        }
    )
    response = client.post(edit_url(acme), payload)
    assert (response.status_code, response["Location"]) == (302, acme.get_absolute_url())
    acme.refresh_from_db()
    assert (acme.name, acme.working_languages, acme.description_fr) == (
        "Acme Coatings NV",
        "nl,fr",
        "Revêtements anticorrosion.",
    )
    assert list(acme.sectors.values_list("code", flat=True)) == ["20.30", "62.10"]
    assert sorted(acme.keywords.values_list("name", flat=True)) == ["anti-fouling", "graphene"]
    assert list(acme.sites.values_list("name", "city", "country", "region")) == [
        ("Head office", "Zelzate", "BE", "oost-vlaanderen"),
        ("Lab", "Liège", "BE", "wallonia"),
    ]
    assert acme.search_text == (
        "acme coatings nv " + acme.legal_identifier + " anti-corrosion coatings. revetements anticorrosion. "
        "20.30 62.10 anti-fouling graphene oost-vlaanderen wallonia zelzate liege"
    )
    found = client.get(reverse("registry:directory"), {"q": "graphene liege"})
    assert [o.name for o in found.context["page_obj"]] == ["Acme Coatings NV"]


def test_legal_identifier_is_saved_in_canonical_form(client, acme):
    client.force_login(member_user(acme))
    payload = editor_payload(client.get(edit_url(acme)))
    payload.update({"identifier_scheme": "be", "legal_identifier": "BE 0403 170 701"})
    assert client.post(edit_url(acme), payload).status_code == 302
    acme.refresh_from_db()
    assert acme.legal_identifier == "0403.170.701"


def test_member_user_gets_403_on_another_organisation(client, acme):
    other = OrganisationFactory(name="Other")
    client.force_login(member_user(acme))
    payload = editor_payload(client.get(edit_url(acme)))
    assert client.get(edit_url(other)).status_code == 403
    assert client.post(edit_url(other), payload).status_code == 403
    other.refresh_from_db()
    assert other.name == "Other"


def test_anonymous_visitor_is_sent_to_the_login_page(client, acme):
    response = client.get(edit_url(acme))
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={edit_url(acme)}")


def test_staff_of_a_cluster_edit_its_members(client, acme):
    cluster = ClusterFactory()
    MembershipFactory(organisation=acme, cluster=cluster)
    client.force_login(staff_user(cluster))
    payload = editor_payload(client.get(edit_url(acme)))
    del payload["is_published"]  # an unticked checkbox is not sent
    assert client.post(edit_url(acme), payload).status_code == 302
    acme.refresh_from_db()
    assert acme.is_published is False


def test_a_form_with_errors_keeps_the_input_and_names_the_fields(client, acme):
    client.force_login(member_user(acme))
    payload = editor_payload(client.get(edit_url(acme)))
    payload.update(
        {
            "name": "Typed name that must survive",
            "description_nl": "Een lange tekst die niet verloren mag gaan.",
            "sectors": "20.30, 99.99, 6210",
            "identifier_scheme": "be",
            "legal_identifier": "0403.170.702",
            "sites-0-city": "Zelzate",
        }
    )
    response = client.post(edit_url(acme), payload)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "sectors": ["“99.99” is not a NACE Rev. 2.1 code."],
        "legal_identifier": [
            "“0403.170.702” is not a valid Belgian enterprise number (KBO/BCE): "
            "check the number and its check digits."
        ],
    }
    html = response.content.decode()
    assert 'value="Typed name that must survive"' in html
    assert ">\nEen lange tekst die niet verloren mag gaan.</textarea>" in html
    assert 'value="20.30, 99.99, 6210"' in html
    assert 'value="Zelzate"' in html
    assert "Nothing was saved yet: please correct the fields marked below." in html
    acme.refresh_from_db()
    assert (acme.name, acme.description_nl) == ("Acme Coatings", "")


def test_kind_specific_fields_are_checked(client, acme):
    client.force_login(member_user(acme))
    payload = editor_payload(client.get(edit_url(acme)))
    payload.update({"kind": "knowledge_institution", "size_class": "sme", "government_level": "local"})
    response = client.post(edit_url(acme), payload)
    assert response.context["form"].errors == {
        "size_class": ["Only companies have a size class."],
        "government_level": ["Only government bodies have a government level."],
    }


def test_a_duplicate_legal_identifier_is_refused_on_that_field(client, acme):
    other = OrganisationFactory(name="Other")
    client.force_login(member_user(acme))
    payload = editor_payload(client.get(edit_url(acme)))
    payload["legal_identifier"] = other.legal_identifier
    response = client.post(edit_url(acme), payload)
    assert response.context["form"].errors == {
        "legal_identifier": ["Another organisation in the registry has this identifier."]
    }


def test_a_site_error_keeps_all_input(client, acme):
    client.force_login(member_user(acme))
    payload = editor_payload(client.get(edit_url(acme)))
    payload.update({"name": "New name", "sites-0-latitude": "123", "sites-1-name": "Lab", "sites-1-city": ""})
    response = client.post(edit_url(acme), payload)
    assert response.status_code == 200
    assert [f.errors for f in response.context["sites"]] == [
        {"latitude": ["Ensure this value is less than or equal to 90."]},
        {"city": ["This field is required."]},
    ]
    assert 'value="New name"' in response.content.decode()
    assert Organisation.objects.get(pk=acme.pk).name == "Acme Coatings"
    assert Site.objects.filter(organisation=acme).count() == 1


def test_a_concurrent_edit_is_detected_and_the_input_kept_for_review(client, acme):
    client.force_login(member_user(acme))
    payload = editor_payload(client.get(edit_url(acme)))
    colleague_copy = Organisation.objects.get(pk=acme.pk)
    colleague_copy.description_en = "Changed by a colleague."
    colleague_copy.save()
    payload["name"] = "My new name"

    response = client.post(edit_url(acme), payload)

    assert response.status_code == 200
    acme.refresh_from_db()
    assert (acme.name, acme.description_en) == ("Acme Coatings", "Changed by a colleague.")
    html = response.content.decode()
    assert "Someone else saved this organisation while you were editing it" in html
    assert 'value="My new name"' in html
    assert response.context["differences"] == [
        {"label": "Name", "saved": "Acme Coatings"},
        {"label": "Description (English)", "saved": "Changed by a colleague."},
    ]
    retry = editor_payload(response)
    assert retry["version"] != payload["version"]
    assert client.post(edit_url(acme), retry).status_code == 302
    acme.refresh_from_db()
    assert (acme.name, acme.description_en) == ("My new name", "Anti-corrosion coatings.")
