"""Integration: the pages of the staff who run a call: its course, its applications, judging eligibility
with a reason per rule, the other moves, and creating a draft call from a seed or a JSON definition with
every problem named by its path (helix.calls.views.staff)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helix.calls import services
from helix.calls.models import ApplicationStatus, Call, CallStatus
from tests.factories.calls import seed_definition
from tests.factories.projects import InstrumentFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _submitted(calls_world, partners=("steel", "uni")):  # type: ignore[no-untyped-def]
    application = calls_world.application(partners=partners)
    services.save_answers(
        calls_world.users["robo"],
        application,
        {
            "sectors": ["manufacturing", "digital"],
            "synergies": "Shared welding cells.",
            "requested": "150000",
        },
    )
    services.submit(calls_world.users["robo"], application)
    application.refresh_from_db()
    return application


def test_the_manage_page_lists_each_application_with_its_lead_partners_amount_and_submission(calls_world):
    application = _submitted(calls_world)
    draft = services.start_application(
        calls_world.users["city"], calls_world.call, calls_world.orgs["city"], "Genk"
    )
    page = (
        calls_world.client("staff").get(reverse("calls:manage", args=[calls_world.call.pk])).content.decode()
    )
    assert "2 applications" in page
    row = page[page.index(reverse("calls:application", args=[application.pk])) :]
    row = row[: row.index("</tr>")]
    assert "Submitted" in row
    assert "Robo Welding" in row
    assert "Steel Works, Université de Liège" in row
    assert "150,000.00" in row
    assert "(CET)" in row or "(CEST)" in row  # submitted at, in the visitor's zone
    assert f'name="judge-{application.pk}"' in row
    assert reverse("calls:application", args=[draft.pk]) in page
    assert 'name="move-closed"' in page
    only_drafts = calls_world.client("staff").get(
        reverse("calls:manage", args=[calls_world.call.pk]), {"status": "draft"}
    )
    assert reverse("calls:application", args=[application.pk]) not in only_drafts.content.decode()


def test_members_may_not_manage_a_call(calls_world):
    assert (
        calls_world.client("robo").get(reverse("calls:manage", args=[calls_world.call.pk])).status_code == 403
    )
    calls_world.client("robo").post(
        reverse("calls:call_move", args=[calls_world.call.pk]), {"target": "closed"}
    )
    calls_world.call.refresh_from_db()
    assert calls_world.call.status == CallStatus.OPEN


def test_staff_judge_eligibility_and_see_each_rules_outcome_with_its_reason(calls_world):
    call = calls_world.call
    call.instrument = InstrumentFactory(cluster=calls_world.cluster, key="fof-precluster", de_minimis=True)
    call.save()
    application = _submitted(calls_world)
    staff = calls_world.client("staff")
    response = staff.post(reverse("calls:judge", args=[application.pk]), follow=True)
    page = response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
    assert "The application is eligible: every rule is met." in page
    assert "Met: 3 organisations apply." in page
    assert "De minimis aid is at most" not in page
    assert "fits in the EUR 300,000.00 left" in page
    # the applicants read the judgement too
    assert (
        "Eligibility as judged"
        in calls_world.client("robo")
        .get(reverse("calls:application", args=[application.pk]))
        .content.decode()
    )


def test_an_ineligible_application_is_said_why(calls_world):
    application = _submitted(calls_world, partners=("steel", "city"))
    page = (
        calls_world.client("staff")
        .post(reverse("calls:judge", args=[application.pk]), follow=True)
        .content.decode()
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INELIGIBLE
    assert "The application is not eligible:" in page
    assert "Not met by: City of Genk (Government body)." in page


def test_an_applicant_may_not_judge_their_own_application(calls_world):
    application = _submitted(calls_world)
    page = (
        calls_world.client("robo")
        .post(reverse("calls:judge", args=[application.pk]), follow=True)
        .content.decode()
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "The application cannot move from “Submitted” to “Not eligible”." in page


def test_staff_reopen_a_submission_as_a_draft_and_send_an_eligible_one_to_review(calls_world):
    application = _submitted(calls_world)
    staff = calls_world.client("staff")
    page = staff.get(reverse("calls:application", args=[application.pk])).content.decode()
    assert 'name="move-draft"' in page
    assert "Reopen as a draft" in page
    staff.post(reverse("calls:application_move", args=[application.pk]), {"target": "draft"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    services.submit(calls_world.users["robo"], application)
    staff.post(reverse("calls:judge", args=[application.pk]))
    application.refresh_from_db()
    application.status = ApplicationStatus.ELIGIBLE  # judged without a ledger, the de minimis rule is unknown
    application.save()
    assert "Send to review" in staff.get(reverse("calls:application", args=[application.pk])).content.decode()
    staff.post(reverse("calls:application_move", args=[application.pk]), {"target": "in_review"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_staff_close_the_call(calls_world):
    calls_world.client("staff").post(
        reverse("calls:call_move", args=[calls_world.call.pk]), {"target": "closed"}
    )
    calls_world.call.refresh_from_db()
    assert calls_world.call.status == CallStatus.CLOSED


def test_staff_create_a_draft_call_from_a_seed(calls_world):
    staff = calls_world.client("staff")
    assert staff.get(reverse("calls:create")).status_code == 200
    response = staff.post(
        reverse("calls:create"),
        {
            "cluster": calls_world.cluster.pk,
            "seed": "sme_portfolio.json",
            "key": "sme-2027",
            "visibility": "members",
        },
    )
    call = Call.objects.get(key="sme-2027")
    assert response["Location"] == reverse("calls:manage", args=[call.pk])
    assert (call.status, call.visibility, call.cluster) == (CallStatus.DRAFT, "members", calls_world.cluster)


def test_a_pasted_definition_with_problems_lists_each_by_its_path(calls_world):
    broken = seed_definition(key="broken")
    broken["stages"][0]["form"]["sections"][0]["fields"][0]["type"] = "essay"
    broken["stages"][0]["deadline"] = {"local": "2027-03-28T02:30", "zone": "Europe/Brussels"}
    del broken["rubric"]
    response = calls_world.client("staff").post(
        reverse("calls:create"),
        {"cluster": calls_world.cluster.pk, "json": json.dumps(broken), "visibility": "public"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "definition.stages[0].form.sections[0].fields[0].type must be one of:" in page
    assert "deadline.local: 2027-03-28T02:30:00 does not exist in Europe/Brussels" in page
    assert "A call needs a rubric" in page
    assert not Call.objects.filter(key="broken").exists()


def test_an_uploaded_definition_is_read_and_bad_json_is_said(calls_world):
    staff = calls_world.client("staff")
    upload = SimpleUploadedFile("call.json", json.dumps(seed_definition(key="uploaded")).encode())
    staff.post(
        reverse("calls:create"), {"cluster": calls_world.cluster.pk, "file": upload, "visibility": "public"}
    )
    assert Call.objects.filter(key="uploaded").exists()
    page = staff.post(
        reverse("calls:create"), {"cluster": calls_world.cluster.pk, "json": "{nope", "visibility": "public"}
    ).content.decode()
    assert "The definition is not valid JSON (line 1, column 2)." in page


def test_members_may_not_create_calls(calls_world):
    assert calls_world.client("robo").get(reverse("calls:create")).status_code == 403
