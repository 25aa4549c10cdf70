"""Integration: the calls list, a call's page and applying to it, as visitors and members use them
(helix.calls.views.calls)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helix.calls.models import Application, CallStatus
from helix.calls.services import create_call
from tests.factories.calls import seed_definition

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_list_shows_each_stage_deadline_in_the_calls_zone_and_the_visitors(client, calls_world):
    calls_world.open_call("luxembourg_bpf_2024.json", "lux-2024")
    response = client.get(reverse("calls:list"), {"tz": "America/New_York"})
    page = response.content.decode()
    assert response.status_code == 200
    # 30 April 2024, 23:59 in Luxembourg (CEST) is 17:59 in New York (EDT)
    assert "30 April 2024, 23:59 (CEST)" in page
    assert "30 April 2024, 17:59 (EDT) in your time zone (America/New_York)" in page
    assert "The Factory of the Future: precluster projects" in page
    assert response.cookies["helix_tz"].value == "America/New_York"


def test_the_visitors_zone_is_kept_and_a_passed_deadline_says_so(client, calls_world):
    calls_world.open_call("luxembourg_bpf_2024.json", "lux-2024")
    client.cookies["helix_tz"] = "Asia/Tokyo"
    page = client.get(reverse("calls:list")).content.decode()
    assert "1 May 2024, 06:59 (JST) in your time zone (Asia/Tokyo)" in page
    assert "passed" in page


def test_the_list_filters_by_status_and_cluster_and_hides_drafts_from_members(calls_world):
    draft = create_call(calls_world.users["staff"], calls_world.cluster, seed_definition(key="fotf-draft"))
    member = calls_world.client("robo")
    listed = member.get(reverse("calls:list")).content.decode()
    assert (
        reverse("calls:detail", args=[calls_world.call.pk]) in listed,
        f'"/calls/{draft.pk}/"' in listed,
    ) == (
        True,
        False,
    )
    closed_only = member.get(reverse("calls:list"), {"status": CallStatus.CLOSED}).content.decode()
    assert reverse("calls:detail", args=[calls_world.call.pk]) not in closed_only
    other_cluster = member.get(reverse("calls:list"), {"cluster": "elsewhere"}).content.decode()
    assert 'id="no-calls"' in other_cluster
    staff_page = calls_world.client("staff").get(reverse("calls:list")).content.decode()
    assert reverse("calls:detail", args=[draft.pk]) in staff_page
    assert member.get(reverse("calls:detail", args=[draft.pk])).status_code == 404


def test_a_calls_page_says_its_rules_in_words_and_previews_its_form(client, calls_world):
    page = client.get(reverse("calls:detail", args=[calls_world.call.pk])).content.decode()
    assert "Every applicant must be of one of these kinds: Company, Knowledge institution" in page
    assert "At least 3 organisations apply together." in page
    assert "At least one applicant must be of one of these sizes: micro enterprise" in page
    assert "The lead applicant must be established in one of these countries: BE." in page
    assert "De minimis aid: at most EUR 300,000.00 per single undertaking over 3 years" in page
    # the form's preview: labels, kinds and limits
    assert "Synergies and collaboration" in page
    assert "At most 1000 words." in page
    assert "Log in to apply." in page


def test_the_form_preview_and_rules_speak_the_readers_language(calls_world):
    member = calls_world.client("robo")
    page = member.get(
        reverse("calls:detail", args=[calls_world.call.pk]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Synergieën en samenwerking" in page
    assert "De Fabriek van de Toekomst: preclusterprojecten" in page


def test_a_member_applies_for_their_organisation_with_a_title_and_a_language(calls_world):
    member = calls_world.client("robo")
    page = member.get(reverse("calls:detail", args=[calls_world.call.pk])).content.decode()
    assert 'id="apply-form"' in page
    assert "Robo Welding" in page
    response = member.post(
        reverse("calls:apply", args=[calls_world.call.pk]),
        {"lead": calls_world.orgs["robo"].pk, "title": "  Cobots   for welding ", "language": "nl"},
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:application", args=[application.pk])
    assert (application.title, application.language, application.lead) == (
        "Cobots for welding",
        "nl",
        calls_world.orgs["robo"],
    )


def test_nobody_applies_in_the_name_of_an_organisation_they_may_not_edit(calls_world):
    member = calls_world.client("robo")
    response = member.post(
        reverse("calls:apply", args=[calls_world.call.pk]),
        {"lead": calls_world.orgs["steel"].pk, "title": "Borrowed name", "language": "en"},
        follow=True,
    )
    assert "Choose the organisation that leads the application." in response.content.decode()
    assert Application.objects.count() == 0


def test_an_account_of_no_organisation_is_told_why_it_cannot_apply(calls_world):
    from tests.factories.registry import UserFactory

    calls_world.users["plain"] = UserFactory(username="plain")
    page = (
        calls_world.client("plain").get(reverse("calls:detail", args=[calls_world.call.pk])).content.decode()
    )
    assert 'id="apply-no-organisation"' in page


def test_my_applications_lists_those_of_my_organisation_only(calls_world):
    application = calls_world.application(partners=("steel",))
    mine = calls_world.client("steel").get(reverse("calls:mine")).content.decode()
    assert reverse("calls:application", args=[application.pk]) in mine
    assert "Robo Welding (lead)" in mine
    theirs = calls_world.client("city").get(reverse("calls:mine")).content.decode()
    assert 'id="no-applications"' in theirs
