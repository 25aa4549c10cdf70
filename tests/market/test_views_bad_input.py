"""Integration: needs and offers given numbers and ids that are not (a budget beyond what the database
holds, a 30-digit listing id) answer a form error or a 400, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from helix.market import services
from helix.market.models import Feedback, Listing
from tests.factories import ClusterFactory, MembershipFactory, OrganisationFactory, make_listing, member_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HUGE = "9" * 30


@pytest.fixture
def city():  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Stad Gent", slug="stad-gent")
    MembershipFactory(organisation=organisation, cluster=ClusterFactory())
    return organisation


def test_a_budget_beyond_what_the_database_holds_is_a_form_error(client, city):
    client.force_login(member_user(city, "citizen"))

    response = client.post(
        reverse("market:listing_create") + "?side=need",
        {
            "organisation": city.pk,
            "category": "solution",
            "title": "Heat for the pool",
            "description": "We need heat for the swimming pool.",
            "budget_min": str(10**20),
            "visibility": "public",
            "status": "published",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["budget_min"] == [
        "Ensure this value is less than or equal to 2147483647."
    ]
    assert not Listing.objects.filter(title="Heat for the pool").exists()


def test_the_listing_rules_refuse_a_budget_beyond_what_the_database_holds(city):
    listing = Listing(organisation=city, side="need", category="solution", title="T", description="D.")
    listing.budget_max = 2**31

    with pytest.raises(ValidationError) as refused:
        services.check_listing(listing)

    assert refused.value.message_dict == {"budget_max": ["An amount from 0 to 2,147,483,647 euros."]}


def test_feedback_naming_a_listing_id_that_is_none_is_a_400(client, city):
    need = make_listing(city, "need")
    client.force_login(member_user(city, "citizen"))
    url = reverse("market:listing_feedback", args=[need.pk])

    for offer in (HUGE, "²", ""):
        response = client.post(url, {"need": need.pk, "offer": offer, "verdict": "relevant"})
        assert (offer, response.status_code) == (offer, 400)
    assert Feedback.objects.count() == 0
