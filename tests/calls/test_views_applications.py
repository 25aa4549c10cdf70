"""Integration: an application's page as its applicants use it: the form drawn from the call's
definition, drafts saved by the lead and the co-applicants, a stale save that loses nobody's text, the
consortium, the eligibility preview, submitting with a receipt, withdrawing (helix.calls.views)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helix.calls import services
from helix.calls.models import Application, ApplicationStatus, Submission

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _page(client, application):  # type: ignore[no-untyped-def]
    return client.get(reverse("calls:application", args=[application.pk])).content.decode()


def _revision(page: str) -> str:
    found = re.search(r'name="revision" value="(\d+)"', page)
    assert found, "the form carries its revision"
    return found.group(1)


def _drawn(page: str) -> dict[str, str]:
    """What the form sends besides the answers: its revision and the digests of the answers it shows."""
    hidden = re.findall(r'<input type="hidden" name="(revision|_loaded_\w+)" value="([^"]*)"', page)
    return dict(hidden)


def _fill(calls_world, application):  # type: ignore[no-untyped-def]
    services.save_answers(
        calls_world.users["robo"],
        application,
        {
            "sectors": ["manufacturing", "digital"],
            "synergies": "Shared welding cells.",
            "requested": "150000",
        },
    )


def test_the_form_is_drawn_from_the_definition_with_a_widget_and_the_limits_of_each_field(calls_world):
    call = calls_world.open_call("luxembourg_bpf_2024.json", "lux-2024")
    application = services.start_application(calls_world.users["robo"], call, calls_world.orgs["robo"], "Sun")
    page = _page(calls_world.client("robo"), application)
    assert '<input type="text" id="field-title" name="title" value="Sun"' in page
    assert 'id="field-description" name="description" rows="8"' in page
    assert 'data-max-chars="12000" data-max-words="1500"' in page
    assert '<span data-count="words">0</span> of 1500 words' in page
    assert '<input type="date" id="field-start" name="start" value="" min="2024-05-01"' in page
    assert 'inputmode="decimal" id="field-requested"' in page
    assert "At most 200,000." in page
    assert 'type="file" id="field-budget_sheet" name="budget_sheet" accept=".xlsx,.pdf"' in page
    assert "Files of the types .xlsx, .pdf. At most 10.0\xa0MB." in page
    assert page.count('<span class="required">*<span class="visually-hidden"> required</span></span>') == 8
    assert "2 of the 8 required answers are given." in page  # the title and the partners (the lead)
    assert 'enctype="multipart/form-data"' in page


def test_the_form_speaks_the_readers_language(calls_world):
    application = calls_world.application()
    robo = calls_world.client("robo")
    page = robo.get(
        reverse("calls:application", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Synergies et collaboration" in page
    assert "Un précluster traverse les secteurs" in page


def test_a_co_applicant_saves_the_draft_and_the_lead_sees_it_with_its_completeness(calls_world):
    application = calls_world.application()
    steel = calls_world.client("steel")
    page = _page(steel, application)
    response = steel.post(
        reverse("calls:save", args=[application.pk]),
        {
            "revision": _revision(page),
            "title": "Cobots for welding",
            "synergies": "Steel's cells",
            "sectors": ["textile", "maritime"],
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers["proposal"]["synergies"] == "Steel's cells"
    lead_page = _page(calls_world.client("robo"), application)
    assert "Steel&#x27;s cells</textarea>" in lead_page
    # title, sectors, synergies and the three partners are given; the amount is not
    assert "4 of the 5 required answers are given." in lead_page


def test_a_stale_save_keeps_what_was_typed_and_shows_what_the_partner_saved(calls_world):
    application = calls_world.application()
    steel, uni = calls_world.client("steel"), calls_world.client("uni")
    seen_by_steel = _drawn(_page(steel, application))
    seen_by_uni = _drawn(_page(uni, application))
    uni.post(
        reverse("calls:save", args=[application.pk]),
        {**seen_by_uni, "title": "Cobots for welding", "synergies": "Uni's paragraph on robots."},
    )
    response = steel.post(
        reverse("calls:save", args=[application.pk]),
        {**seen_by_steel, "title": "Cobots for welding", "synergies": "Steel's paragraph on cells."},
    )
    page = response.content.decode()
    application.refresh_from_db()
    assert response.status_code == 200
    assert application.answers["proposal"]["synergies"] == "Uni's paragraph on robots."  # not overwritten
    assert "Steel&#x27;s paragraph on cells.</textarea>" in page  # what steel typed, kept
    assert 'id="field-synergies-partner"' in page
    assert "Uni&#x27;s paragraph on robots." in page
    assert 'id="field-title-partner"' not in page  # the same on both sides: nothing to merge
    assert "A partner saved this application while you were editing it" in page
    assert _revision(page) == str(application.revision)  # the next save goes through
    merged = "Uni's paragraph on robots. Steel's paragraph on cells."
    again = steel.post(
        reverse("calls:save", args=[application.pk]),
        {**_drawn(page), "title": "Cobots for welding", "synergies": merged},
    )
    application.refresh_from_db()
    assert (again.status_code, application.answers["proposal"]["synergies"]) == (302, merged)


def test_a_stale_save_takes_the_partners_answers_where_the_person_changed_nothing(calls_world):
    application = calls_world.application()
    steel, uni = calls_world.client("steel"), calls_world.client("uni")
    seen_by_steel = _drawn(_page(steel, application))
    uni.post(
        reverse("calls:save", args=[application.pk]),
        {
            **_drawn(_page(uni, application)),
            "title": "Cobots for welding",
            "synergies": "Uni's paragraph.",
            "requested": "90000",
        },
    )
    # steel changed the sectors only; the other fields are sent as steel's page drew them (empty)
    page = steel.post(
        reverse("calls:save", args=[application.pk]),
        {**seen_by_steel, "title": "Cobots for welding", "sectors": ["textile", "maritime"]},
    ).content.decode()
    assert "Uni&#x27;s paragraph.</textarea>" in page
    assert 'name="requested" value="90000"' in page
    assert 'id="field-requested-updated"' in page
    assert 'id="field-synergies-updated"' in page
    assert 'value="textile" checked' in page
    assert 'class="partner-value"' not in page  # no field in conflict
    steel.post(
        reverse("calls:save", args=[application.pk]),
        {
            **_drawn(page),
            "title": "Cobots for welding",
            "sectors": ["textile", "maritime"],
            "synergies": "Uni's paragraph.",
            "requested": "90000",
        },
    )
    application.refresh_from_db()
    assert {k: application.answers["proposal"].get(k) for k in ("sectors", "synergies", "requested")} == {
        "sectors": ["textile", "maritime"],
        "synergies": "Uni's paragraph.",
        "requested": "90000",
    }


def test_text_typed_while_the_lead_submitted_is_shown_to_be_copied(calls_world):
    application = calls_world.application()
    _fill(calls_world, application)
    uni = calls_world.client("uni")
    drawn = _drawn(_page(uni, application))
    services.submit(calls_world.users["robo"], application)
    response = uni.post(
        reverse("calls:save", args=[application.pk]),
        {**drawn, "title": "Cobots for welding", "synergies": "A late thought."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The application cannot be changed in its present state." in page
    unsaved = page[page.index('id="unsaved"') :]
    assert "A late thought." in unsaved[: unsaved.index("</section>")]
    assert "Cobots for welding" not in unsaved[: unsaved.index("</section>")]  # unchanged: not repeated


def test_each_fields_problems_are_said_beside_it(calls_world):
    application = calls_world.application()
    robo = calls_world.client("robo")
    response = robo.post(
        reverse("calls:save", args=[application.pk]),
        {
            "revision": _revision(_page(robo, application)),
            "title": "Cobots\nfor welding",
            "requested": "12.345",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The draft is saved." in page
    requested = page[page.index('id="field-requested-field"') :]
    assert "An amount in euros has at most two decimals." in requested[: requested.index("</div>")]
    assert "Write this on one line." in page


def test_a_save_without_its_revision_is_a_bad_request_and_others_may_not_save(calls_world):
    application = calls_world.application()
    assert (
        calls_world.client("robo").post(reverse("calls:save", args=[application.pk]), {}).status_code == 400
    )
    assert (
        calls_world.client("staff")
        .post(reverse("calls:save", args=[application.pk]), {"revision": "1"})
        .status_code
        == 403
    )
    assert (
        calls_world.client("city")
        .post(reverse("calls:save", args=[application.pk]), {"revision": "1"})
        .status_code
        == 404
    )


def test_an_outsider_sees_nothing_and_the_staff_read_without_a_form(calls_world):
    application = calls_world.application()
    assert (
        calls_world.client("city").get(reverse("calls:application", args=[application.pk])).status_code == 404
    )
    staff_page = _page(calls_world.client("staff"), application)
    assert 'id="application-form"' not in staff_page
    assert "Synergies and collaboration" in staff_page


def test_the_lead_finds_a_partner_by_name_as_they_type_or_without_javascript(calls_world):
    application = calls_world.application(partners=("steel",))
    robo = calls_world.client("robo")
    suggestions = robo.get(
        reverse("calls:partner_search", args=[application.pk]), {"partner": "liege"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Université de Liège" in suggestions
    assert (
        "Steel Works"
        not in robo.get(
            reverse("calls:partner_search", args=[application.pk]), {"partner": "steel"}
        ).content.decode()
    )  # applies already
    assert (
        "Far Away"
        not in robo.get(
            reverse("calls:partner_search", args=[application.pk]), {"partner": "far away"}
        ).content.decode()
    )  # not published: robo may not see it
    without_js = robo.get(
        reverse("calls:application", args=[application.pk]), {"partner": "city genk"}
    ).content.decode()
    assert "City of Genk" in without_js
    assert f'name="organisation" value="{calls_world.orgs["city"].pk}"' in without_js


def test_the_lead_adds_and_removes_a_co_applicant_who_may_also_leave(calls_world):
    application = calls_world.application(partners=("steel",))
    robo = calls_world.client("robo")
    robo.post(
        reverse("calls:partner_add", args=[application.pk]), {"organisation": calls_world.orgs["uni"].pk}
    )
    robo.post(
        reverse("calls:partner_add", args=[application.pk]), {"organisation": calls_world.orgs["city"].pk}
    )
    assert set(application.applicants.values_list("organisation__slug", flat=True)) == {
        "robo",
        "steel",
        "uni",
        "city",
    }
    robo.post(reverse("calls:partner_remove", args=[application.pk, calls_world.orgs["city"].pk]))
    response = calls_world.client("uni").post(
        reverse("calls:partner_remove", args=[application.pk, calls_world.orgs["uni"].pk])
    )
    assert response["Location"] == reverse("calls:mine")
    assert set(application.applicants.values_list("organisation__slug", flat=True)) == {"robo", "steel"}


def test_a_co_applicant_may_not_add_partners_nor_remove_another(calls_world):
    application = calls_world.application(partners=("steel", "uni"))
    steel = calls_world.client("steel")
    page = steel.post(
        reverse("calls:partner_add", args=[application.pk]),
        {"organisation": calls_world.orgs["city"].pk},
        follow=True,
    ).content.decode()
    assert "Only the lead applicant&#x27;s people may do this." in page
    steel.post(reverse("calls:partner_remove", args=[application.pk, calls_world.orgs["uni"].pk]))
    assert application.applicants.count() == 3


def test_the_eligibility_preview_says_each_rule_passed_or_failed_with_its_reason(calls_world):
    application = calls_world.application(partners=("steel", "city"))
    page = (
        calls_world.client("robo").get(reverse("calls:eligibility", args=[application.pk])).content.decode()
    )
    assert "Every applicant must be of one of these kinds: Company, Knowledge institution" in page
    assert "Not met by: City of Genk (Government body)." in page
    assert "Met: 3 organisations apply." in page
    assert "The call is linked to no funding instrument yet" in page  # de minimis: no ledger to read
    assert "not every rule is met" in page


def test_submitting_asks_for_what_is_missing_then_confirms_and_gives_a_receipt(calls_world):
    call = calls_world.open_call("luxembourg_bpf_2024.json", "lux-2099")
    call.definition["stages"][0]["deadline"]["local"] = "2099-04-30T23:59"
    call.revision += 1
    call.save()
    robo = calls_world.client("robo")
    application = services.start_application(calls_world.users["robo"], call, calls_world.orgs["robo"], "Sun")
    services.add_co_applicant(calls_world.users["robo"], application, calls_world.orgs["uni"])
    missing = robo.get(reverse("calls:submit", args=[application.pk])).content.decode()
    assert 'id="submit-missing"' in missing
    assert "Budget" in missing
    page = _page(robo, application)
    robo.post(
        reverse("calls:save", args=[application.pk]),
        {
            "revision": _revision(page),
            "title": "Sun",
            "partner_country": "Cabo Verde",
            "description": "Solar cooling for fish.",
            "total_cost": "300000",
            "requested": "150000",
            "start": "2099-06-01",
            "budget_sheet": SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget"),
        },
    )
    confirm = robo.get(reverse("calls:submit", args=[application.pk])).content.decode()
    assert 'id="submit-confirm"' in confirm
    assert "Cabo Verde" in confirm
    response = robo.post(reverse("calls:submit", args=[application.pk]))
    submission = Submission.objects.get()
    assert response["Location"] == reverse("calls:receipt", args=[submission.pk])
    receipt = robo.get(response["Location"], {"tz": "Asia/Tokyo"}).content.decode()
    assert submission.receipt in receipt
    assert submission.digest in receipt
    assert "In the deadline's time zone (Europe/Luxembourg)" in receipt
    assert "In your time zone (Asia/Tokyo)" in receipt
    assert "(UTC)" in receipt
    assert "Solar cooling for fish." in receipt
    assert "EUR 150,000.00" in receipt
    assert "budget.pdf" in receipt
    assert "Robo Welding, Université de Liège" in receipt
    assert "data-print" in receipt
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "Submitted" in _page(robo, application)  # the history


def test_only_the_lead_submits(calls_world):
    application = calls_world.application()
    _fill(calls_world, application)
    steel = calls_world.client("steel")
    assert (
        'id="submit-not-yours"' in steel.get(reverse("calls:submit", args=[application.pk])).content.decode()
    )
    steel.post(reverse("calls:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert calls_world.client("city").get(reverse("calls:submit", args=[application.pk])).status_code == 404


def test_the_lead_withdraws_and_the_history_says_when(calls_world):
    application = calls_world.application()
    robo = calls_world.client("robo")
    assert 'name="move-withdrawn"' in _page(robo, application)
    robo.post(reverse("calls:application_move", args=[application.pk]), {"target": "withdrawn"})
    application.refresh_from_db()
    page = _page(robo, application)
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "Draft → Withdrawn" in page
    assert 'id="application-form"' not in page


def test_a_co_applicant_may_not_withdraw(calls_world):
    application = calls_world.application()
    steel = calls_world.client("steel")
    assert 'name="move-withdrawn"' not in _page(steel, application)
    steel.post(reverse("calls:application_move", args=[application.pk]), {"target": "withdrawn"})
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT
