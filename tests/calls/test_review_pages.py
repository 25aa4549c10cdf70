"""Integration: the review's pages as their users go through them (helix.calls.review_views and
review_staff_views): a reviewer finds their reviews, reads the application and its files, scores it in
their language, saves a draft, submits, or declares a conflict; the staff name reviewers, run the
assignment and follow it, read the assignments, the ranking and the decision, confirm it and award."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import TestCase
from django.utils import timezone

from helix.calls.models import ApplicationStatus, DeclaredConflict, Review, ReviewAssignment, Reviewer
from helix.funds.models import LedgerEntry
from tests.calls.review_world import build
from tests.factories import AttachmentFactory, MembershipFactory, ReviewAssignmentFactory, ReviewFactory
from tests.factories.registry import PersonFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def said(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build(applications=3)


@pytest.fixture
def assignment(world):  # type: ignore[no-untyped-def]
    return ReviewAssignmentFactory(
        reviewer=world.reviewers["hugo"], application=world.applications[1], fit=0.5
    )


def test_a_reviewer_finds_the_applications_to_review_and_only_theirs(client, world, assignment):
    ReviewAssignmentFactory(reviewer=world.reviewers["tess"], application=world.applications[2])
    client.force_login(world.users["hugo"])
    page = client.get("/calls/reviews/").content.decode()
    assert world.applications[1].title in page
    assert world.applications[2].title not in page
    assert f"/calls/reviews/{assignment.pk}/" in page


def test_the_review_page_shows_the_application_its_files_and_the_rubric_in_the_readers_language(
    client, world, assignment
):
    attachment = AttachmentFactory(application=assignment.application, sha256="a" * 64, name="plan.pdf")
    submission = assignment.application.submissions.get()
    submission.answers = assignment.application.answers["proposal"]
    submission.attachments = [{"field": "budget_sheet", "name": "plan.pdf", "size": 9, "sha256": "a" * 64}]
    submission.save()
    draft = AttachmentFactory(
        application=assignment.application, sha256="b" * 64, name="draft.pdf"
    )  # not sent
    client.force_login(world.users["hugo"])
    page = client.get(f"/calls/reviews/{assignment.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Excellentie en innovatie" in page  # the rubric's label in Dutch
    assert "Chemie, Energie" in page  # the sectors chosen, in Dutch
    assert assignment.application.title in page
    assert 'name="score-excellence" min="0" max="5"' in page
    link = f"/calls/reviews/{assignment.pk}/files/{attachment.pk}/"
    assert link in page
    assert "draft.pdf" not in page
    assert client.get(f"/calls/reviews/{assignment.pk}/files/{draft.pk}/").status_code == 404
    download = client.get(link)
    assert (download.status_code, download["Content-Disposition"]) == (200, 'attachment; filename="plan.pdf"')
    client.force_login(world.users["tess"])  # not hers
    assert client.get(f"/calls/reviews/{assignment.pk}/").status_code == 404
    assert client.get(link).status_code == 404


def test_a_reviewer_saves_a_draft_is_told_what_is_wrong_then_submits(client, world, assignment):
    client.force_login(world.users["hugo"])
    url = f"/calls/reviews/{assignment.pk}/save/"
    response = client.post(url, {"score-excellence": "4", "comment": "Good.", "action": "save"})
    assert response.status_code == 302
    assert said(response) == ["The draft is saved."]
    assert Review.objects.get(assignment=assignment).scores == {"excellence": 4.0}
    response = client.post(
        url, {"score-excellence": "9", "score-impact": "x", "comment": "Typed", "action": "save"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "“excellence”: the score must lie between 0 and 5." in page
    assert "Typed" in page  # what was typed is kept
    response = client.post(url, {"score-excellence": "4", "action": "submit"})
    assert "The review cannot be submitted yet:" in response.content.decode()
    values = {"score-excellence": "4", "score-impact": "3.5", "score-implementation": "5", "action": "submit"}
    response = client.post(url, values)
    assert said(response) == ["The review is submitted."]
    assert Review.objects.get(assignment=assignment).submitted_at is not None
    page = client.get(f"/calls/reviews/{assignment.pk}/").content.decode()
    assert 'id="review-form"' not in page  # final


def test_declaring_a_conflict_needs_the_tick_and_takes_the_application_away(client, world, assignment):
    client.force_login(world.users["hugo"])
    url = f"/calls/reviews/{assignment.pk}/conflict/"
    response = client.post(url, {"note": "former employer"})
    assert said(response) == ["Tick the box to confirm the conflict of interest."]
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    response = client.post(url, {"note": "former employer", "confirm": "yes"})
    assert response["Location"] == "/calls/reviews/"
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    assert DeclaredConflict.objects.get().note == "former employer"
    # the staff see that it needs another reviewer
    client.force_login(world.staff)
    page = client.get(f"/calls/{world.call.key}/assignments/").content.decode()
    assert "needs 2 more reviewers" in page
    assert "Hugo Reviewer: declared a conflict" in page


def test_staff_name_change_and_remove_reviewers(client, world):
    client.force_login(world.staff)
    person = PersonFactory(first_name="Noor", last_name="Vos", user=UserFactory())
    MembershipFactory(organisation=person.organisation, cluster=world.cluster, level="member")
    page = client.get(f"/calls/{world.call.key}/reviewers/").content.decode()
    assert "Vos, Noor" in page
    response = client.post(
        f"/calls/{world.call.key}/reviewers/add/",
        {"person": person.pk, "expertise": "steel, robotics", "max_reviews": "3"},
    )
    assert said(response) == ["Noor Vos reviews this call."]
    client.get(response["Location"])  # the page shows the message
    reviewer = Reviewer.objects.get(person=person)
    response = client.post(
        f"/calls/reviewers/{reviewer.pk}/", {"action": "save", "expertise": "steel", "max_reviews": ""}
    )
    reviewer.refresh_from_db()
    assert (reviewer.expertise, reviewer.max_reviews) == ("steel", None)
    client.get(response["Location"])
    response = client.post(f"/calls/reviewers/{reviewer.pk}/", {"action": "remove"})
    assert said(response) == ["Noor Vos no longer reviews this call."]
    assert not Reviewer.objects.filter(pk=reviewer.pk).exists()
    client.force_login(world.users["hugo"])
    assert client.get(f"/calls/{world.call.key}/reviewers/").status_code == 403  # sees the call, not this


def test_staff_run_the_assignment_follow_its_job_and_read_the_figures(client, world):
    client.force_login(world.staff)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/calls/{world.call.key}/assignments/run/")
    job_url = response["Location"]
    assert re.fullmatch(r"/jobs/\d+/", job_url)
    job_page = client.get(job_url).content.decode()
    assert f"/calls/{world.call.key}/assignments/" in job_page  # the job links back
    page = client.get(f"/calls/{world.call.key}/assignments/").content.decode()
    assert 'id="run-figures"' in page
    assert "0 (proven optimal)" in page
    assert ReviewAssignment.objects.count() == 6
    for application in world.applications:
        assert application.title in page
    assert "needs" not in re.sub(r"<[^>]+>", " ", page).split("Applications in review")[1].split("Loads")[0]


def test_the_ranking_page_shows_scores_spread_and_the_severity_switch(client, world):
    for application, value in zip(world.applications, [4.0, 3.0, 2.0], strict=True):
        for who in ("hugo", "tess"):
            ReviewFactory(
                assignment=ReviewAssignmentFactory(reviewer=world.reviewers[who], application=application),
                scores={"excellence": value, "impact": value, "implementation": value},
                submitted_at=timezone.now(),
            )
    client.force_login(world.staff)
    page = client.get(f"/calls/{world.call.key}/ranking/").content.decode()
    order = [page.index(a.title) for a in world.applications]
    assert order == sorted(order)
    assert "Correct for each reviewer" in page
    corrected = client.get(f"/calls/{world.call.key}/ranking/?severity=1").content.decode()
    assert "Corrected for each reviewer" in corrected
    assert "below a threshold" in page  # 2.0 is under the rubric's thresholds


def test_staff_preview_confirm_and_award_on_the_decision_page(client, world):
    for application, value in zip(world.applications, [4.0, 3.8, 3.6], strict=True):
        for who in ("hugo", "tess"):
            ReviewFactory(
                assignment=ReviewAssignmentFactory(reviewer=world.reviewers[who], application=application),
                scores={"excellence": value, "impact": value, "implementation": value},
                submitted_at=timezone.now(),
            )
    client.force_login(world.staff)
    url = f"/calls/{world.call.key}/decision/"
    page = client.get(url, {"method": "optimal", "budget": "65000"}).content.decode()
    assert "(proven optimal)" in page
    assert "Asks EUR 30,000.00; EUR 5,000.00 is left." in page
    first, second, third = world.applications
    response = client.post(
        f"{url}confirm/",
        {"method": "optimal", "budget": "65000", "selected": [first.pk, second.pk], "confirm": "yes"},
    )
    assert said(response) == ["The decision is recorded: 2 selected, 1 not selected."]
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, third.status) == (ApplicationStatus.SELECTED, ApplicationStatus.REJECTED)
    page = client.get(url).content.decode()
    assert f'name="award-{first.pk}"' in page
    assert f"/calls/applications/{third.pk}/letter/" in page
    refused = client.post(f"/calls/{world.call.key}/award/", {"application": first.pk})
    assert said(refused) == [
        "The project does not meet the rules of its kind; nothing was booked: The project needs a duration "
        "(from 12 to 36 months)."
    ]
    client.get(url)  # the page shows the refusal (and so takes it off the messages)
    awarded = client.post(f"/calls/{world.call.key}/award/", {"application": first.pk, "months": "24"})
    assert said(awarded) == [f"“{first.title}” is funded: its amount is committed and its project approved."]
    assert LedgerEntry.objects.count() == 1
    page = client.get(url).content.decode()
    assert "EUR 30,000.00 committed" in page


def test_the_decision_page_checks_the_caps_of_the_awards_on_demand(client, world):
    from helix.calls.models import Application

    world.instrument.caps = [
        {"id": "per-beneficiary", "kind": "per_beneficiary_per_year", "limit_eur": 15000,
         "instruments": [world.instrument.key]}
    ]  # fmt: skip
    world.instrument.save()
    Application.objects.filter(pk=world.applications[0].pk).update(status=ApplicationStatus.SELECTED)
    client.force_login(world.staff)
    url = f"/calls/{world.call.key}/decision/"
    assert "award-warnings" not in client.get(url).content.decode()
    checked = client.get(url, {"check": "1"}).content.decode()
    assert 'id="caps-checked"' in checked
    assert 'class="form-errors award-warnings"' in checked
