"""Integration: the demo's calls (helix.calls.demo): the seeds' calls with proposals of sample companies
only, histories the lifecycles allow, submissions whose answers pass their form, eligibility judged on
the day it was judged, funded proposals booked on the ledger and become projects with their consortium;
loading twice changes nothing."""

from __future__ import annotations

import pytest

from helix.calls import services
from helix.calls.demo import load_demo_calls
from helix.calls.models import Application, Call
from helix.core.calls.form_answers import check_answers
from helix.core.calls.lifecycle import APPLICANT, APPLICATION_WORKFLOW, CALL_WORKFLOW, STAFF
from helix.funds.models import LedgerEntry
from helix.projects.demo import load_demo_projects
from helix.registry.demo.load import load_demo_registry

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    load_demo_registry()
    load_demo_projects()
    return load_demo_calls()


def test_the_demo_calls_load_once(demo):  # type: ignore[no-untyped-def]
    assert demo == {"created": 4, "calls": 4, "applications": 7}
    assert load_demo_calls() == {"created": 0, "calls": 4, "applications": 7}
    assert dict(Call.objects.values_list("key", "status")) == {
        "flux50-feasibility-2017": "decided",
        "luxembourg-bpf-2024": "decided",
        "factory-of-the-future-precluster": "open",
        "sme-portfolio": "open",
    }


def test_every_history_is_a_path_of_its_lifecycle(demo):  # type: ignore[no-untyped-def]
    roles = {STAFF, APPLICANT}
    for call in Call.objects.all():
        for change in call.changes.order_by("changed_at", "pk")[1:]:
            CALL_WORKFLOW.check(change.from_status, change.to_status, roles)
    for application in Application.objects.all():
        steps = list(application.changes.order_by("changed_at", "pk"))
        assert steps[-1].to_status == application.status
        for change in steps[1:]:
            APPLICATION_WORKFLOW.check(change.from_status, change.to_status, roles)


def test_proposals_are_of_sample_companies_and_their_submissions_pass_the_form(demo):  # type: ignore[no-untyped-def]
    for application in Application.objects.prefetch_related("applicants__organisation", "submissions"):
        assert {a.organisation.is_sample for a in application.applicants.all()} == {True}
        for submission in application.submissions.all():
            form = services.convert.stage_of(application.call, submission.stage).form
            assert check_answers(form, submission.answers, submit=True).ok, (
                application.title,
                submission.stage,
            )


def test_eligibility_was_judged_on_the_ladder_of_its_day(demo):  # type: ignore[no-untyped-def]
    heat = Application.objects.get(title__startswith="Port waste heat")
    failed = [o for o in heat.eligibility if not o["passed"]]
    # warmtenet-waasland was only interested in Flux50 in July 2017, not a letter-of-intent signatory
    assert [o["kind"] for o in failed] == ["membership_level"]
    assert heat.status == "ineligible"


def test_funded_proposals_are_booked_and_became_projects_of_their_consortium(demo):  # type: ignore[no-untyped-def]
    funded = Application.objects.filter(status="funded").select_related("award", "project")
    assert funded.count() == 3
    for application in funded:
        entry = application.award.ledger_entries.get()
        assert (entry.kind, entry.amount_eur, entry.beneficiary) == (
            "committed",
            application.award.amount_eur,
            application.applicants.get(lead=True).organisation,
        )
        consortium = set(application.project.members.values_list("organisation_id", flat=True))
        assert consortium == set(application.applicants.values_list("organisation_id", flat=True))
    assert LedgerEntry.objects.count() == 3


def test_a_funded_applications_page_shows_the_award_the_project_and_the_letter(demo, client):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    application = Application.objects.filter(status="funded", project__isnull=False).first()
    client.force_login(get_user_model().objects.get(username="staff"))
    page = client.get(f"/calls/applications/{application.pk}/").content.decode()
    assert f"/calls/applications/{application.pk}/letter/" in page
    assert f"/projects/{application.project.pk}/" in page
    client.logout()
    assert client.get(f"/calls/applications/{application.pk}/").status_code in (302, 404)


def test_the_decided_calls_rank_every_reviewed_proposal(demo):  # type: ignore[no-untyped-def]
    from helix.calls.review_scoring import score_call

    for key in ("flux50-feasibility-2017", "luxembourg-bpf-2024"):
        scoring = score_call(Call.objects.get(key=key))
        assert scoring.unranked == ()
        assert len(scoring.rows) == 2
