"""Integration: finding the organisations a lead applicant may add as co-applicants (helix.calls.partners),
and adding only one the person may see (helix.calls.services.add_co_applicant)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from helix.calls import partners, services
from tests.factories.registry import OrganisationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _names(found):  # type: ignore[no-untyped-def]
    return [o.name for o in found]


def test_a_name_is_found_whatever_its_case_and_accents_names_starting_with_it_first(calls_world):
    OrganisationFactory(name="Liège Airport")
    OrganisationFactory(name="Port of Liege")
    application = calls_world.application(partners=())
    found = partners.find_partners(calls_world.users["robo"], application, "LIEGE")
    assert _names(found) == ["Liège Airport", "Port of Liege", "Université de Liège"]


def test_every_word_must_occur_in_the_name_and_a_description_does_not_count(calls_world):
    OrganisationFactory(name="Genk Logistics", description_en="Port logistics in Liège")
    application = calls_world.application(partners=())
    assert _names(partners.find_partners(calls_world.users["robo"], application, "de liege")) == [
        "Université de Liège"
    ]
    assert _names(partners.find_partners(calls_world.users["robo"], application, "liege genk")) == []


def test_applicants_organisations_not_to_be_seen_and_one_letter_are_never_suggested(calls_world):
    application = calls_world.application(partners=("uni",))
    hidden = OrganisationFactory(name="Hidden Liège Lab", is_published=False)
    robo = calls_world.users["robo"]
    assert _names(partners.find_partners(robo, application, "liège")) == []
    assert partners.find_partners(robo, application, "l") == []
    with pytest.raises(PermissionDenied):
        services.add_co_applicant(robo, application, hidden)
    assert application.applicants.count() == 2


def test_at_most_the_limit_is_suggested(calls_world):
    for n in range(12):
        OrganisationFactory(name=f"Welding Partner {n:02d}")
    application = calls_world.application(partners=())
    found = partners.find_partners(calls_world.users["robo"], application, "welding partner", limit=10)
    assert _names(found) == [f"Welding Partner {n:02d}" for n in range(10)]
