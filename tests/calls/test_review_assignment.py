"""Integration: the reviewer assignment as a background job (helix.calls.review_assignment): conflicts
read from the registry (same organisation, a shared project within three years, declared), expertise
fit from the applications' topics, k reviews each, submitted reviews kept, and a failed or infeasible
run that leaves the previous assignment in place and says why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from helix.calls import review_assignment, review_services
from helix.calls.models import ApplicationStatus, DeclaredConflict, Review, ReviewAssignment
from helix.calls.services import CallRefused
from helix.core.review.assignment import AssignmentOutcome, assign_reviewers
from helix.jobs.models import JobStatus
from helix.projects.models import ProjectStatus
from tests.calls.review_world import build, run_assignment
from tests.factories import ProjectChangeFactory, ProjectFactory, ProjectMemberFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

THIS_YEAR = dt.date.today().year


def pairs() -> set[tuple[str, str]]:
    """(reviewer's first name, application title) of every assignment."""
    return {
        (a.reviewer.person.first_name.lower(), a.application.title)
        for a in ReviewAssignment.objects.select_related("reviewer__person", "application")
    }


def shared_project(reviewer_org, applicant_org, *, started: int, closed: int | None = None):  # type: ignore[no-untyped-def]
    project = ProjectFactory(
        starts_on=dt.date(started, 3, 1),
        status=ProjectStatus.CLOSED if closed else ProjectStatus.RUNNING,
    )
    ProjectMemberFactory(project=project, organisation=reviewer_org)
    ProjectMemberFactory(project=project, organisation=applicant_org)
    if closed:
        ProjectChangeFactory(
            project=project, from_status="running", to_status="closed", changed_on=dt.date(closed, 6, 1)
        )
    return project


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    w = build()
    hugo, cole, tess = (w.reviewers[n] for n in ("hugo", "cole", "tess"))
    # hugo's organisation and Lead 1 work together now; cole's and Lead 3's stopped long ago
    shared_project(hugo.person.organisation, w.leads[1], started=THIS_YEAR - 1)
    shared_project(cole.person.organisation, w.leads[3], started=THIS_YEAR - 9, closed=THIS_YEAR - 5)
    DeclaredConflict.objects.create(reviewer=tess, application=w.applications[2], note="my brother")
    return w


def test_the_conflicts_come_from_the_organisation_a_recent_shared_project_and_declarations(world):
    inst = review_assignment.instance_of(world.call)
    named = {
        (inst.reviewers[inst.reviewer_ids.index(r)].person.first_name.lower(), int(p)): [c.code for c in why]
        for (r, p), why in inst.conflicts.items()
    }
    apps = world.applications
    assert named == {
        ("rita", apps[0].pk): ["conflict_same_organisation"],
        ("hugo", apps[1].pk): ["conflict_shared_project"],
        ("tess", apps[2].pk): ["conflict_declared"],
    }


def test_the_fit_is_the_share_of_an_applications_topics_the_reviewer_knows(world):
    inst = review_assignment.instance_of(world.call)
    # "Cobots for welding cells": manufacturing, digital (its sectors) and robotics (its lead's keyword)
    assert review_assignment.topics_of(inst.applications[0], []) == {"manufacturing", "digital", "robotics"}
    assert inst.fit_of(world.reviewers["rita"].pk, world.applications[0].pk) == 1.0
    assert inst.fit_of(world.reviewers["hugo"].pk, world.applications[0].pk) == 0.0
    # a reviewer's keyword the text mentions is a topic too
    application = inst.applications[1]
    assert "hydrogen" in review_assignment.topics_of(application, ["hydrogen", "steel"])


def test_the_job_gives_each_application_k_reviews_and_never_one_in_conflict(world):
    job = run_assignment(world)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["ok"] is True
    assigned = pairs()
    apps = world.applications
    assert not {("rita", apps[0].title), ("hugo", apps[1].title), ("tess", apps[2].title)} & assigned
    per_application = {a.title: 0 for a in apps}
    for _reviewer, title in assigned:
        per_application[title] += 1
    assert set(per_application.values()) == {2}
    # cole's shared project with Lead 3 ended five years ago: no conflict, and cole knows heat pumps
    assert ("cole", apps[3].title) in assigned
    # the job's result: the solver's total fit (the fits written), greedy's beside it, the proven gap
    fits = sum(a.fit for a in ReviewAssignment.objects.all())
    assert job.result["total_fit"] == pytest.approx(fits, abs=1e-3)
    assert job.result["greedy"]["total_fit"] <= job.result["total_fit"]
    assert (job.result["optimal"], job.result["gap"]) == (True, 0.0)
    assert (job.result["applications"], job.result["reviewers"], job.result["k"]) == (6, 4, 2)
    assert job.result_link is not None
    assert job.result_link.url == f"/calls/{world.call.key}/assignments/"


def test_a_rerun_keeps_the_submitted_reviews_and_replaces_the_others(world):
    run_assignment(world)
    first = ReviewAssignment.objects.select_related("reviewer__person").order_by("pk").first()
    user = first.reviewer.person.user
    with transaction.atomic():
        review_services.save_review(user, first, {"excellence": 3, "impact": 3, "implementation": 3})
        review_services.submit_review(user, first)
    # the reviewer's expertise changes so that the solver would now prefer others for that application
    first.reviewer.expertise = "astronomy"
    first.reviewer.save()
    job = run_assignment(world)
    assert job.result["ok"] is True
    assert job.result["kept"] == 1
    kept = ReviewAssignment.objects.get(pk=first.pk)
    assert kept.review.submitted_at is not None
    assert ReviewAssignment.objects.filter(application=first.application).count() == 2


def test_an_infeasible_run_keeps_the_previous_assignment_and_says_why(world):
    run_assignment(world)
    before = sorted(ReviewAssignment.objects.values_list("pk", "reviewer_id", "application_id"))
    for reviewer in world.reviewers.values():
        reviewer.max_reviews = 1
        reviewer.save()
    job = run_assignment(world)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["ok"] is False
    assert [p["code"] for p in job.result["problems"]] == ["capacity_too_small"]
    assert sorted(ReviewAssignment.objects.values_list("pk", "reviewer_id", "application_id")) == before
    assert job.result_link.label == "See why no assignment was made"


def test_a_solver_that_fails_or_raises_leaves_the_assignment_as_it_was(world):
    run_assignment(world)
    before = sorted(ReviewAssignment.objects.values_list("pk", "reviewer_id", "application_id"))

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        outcome = assign_reviewers(*args, **kwargs)
        return AssignmentOutcome(None, outcome.greedy, outcome.caps, (*outcome.problems, *_solver_failed()))

    result = review_assignment.run_assignment(world.call.pk, solve=failing)
    assert (result["ok"], [p["code"] for p in result["problems"]]) == (False, ["solver_failed"])

    def raising(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("out of memory")

    with pytest.raises(RuntimeError):
        review_assignment.run_assignment(world.call.pk, solve=raising)
    assert sorted(ReviewAssignment.objects.values_list("pk", "reviewer_id", "application_id")) == before


def _solver_failed():  # type: ignore[no-untyped-def]
    from helix.core.review.problems import problem

    return (
        problem("solver_failed", "", "the highs solver found no assignment (Time limit)", solver="highs"),
    )


def test_inputs_that_change_while_it_solves_are_not_overwritten(world):
    tess = world.reviewers["tess"]

    def declaring_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        outcome = assign_reviewers(*args, **kwargs)
        DeclaredConflict.objects.create(reviewer=tess, application=world.applications[4])
        return outcome

    result = review_assignment.run_assignment(world.call.pk, solve=declaring_meanwhile)
    assert (result["ok"], [p["code"] for p in result["problems"]]) == (False, ["assignment.changed"])
    assert ReviewAssignment.objects.count() == 0


def test_a_declared_conflict_takes_the_assignment_away_and_the_next_run_respects_it(world):
    run_assignment(world)
    assignment = ReviewAssignment.objects.select_related("reviewer__person__user", "application").first()
    user = assignment.reviewer.person.user
    with transaction.atomic():
        review_services.save_review(user, assignment, {"excellence": 2})
    review_services.declare_conflict(user, assignment, "I advised them last year")
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Review.objects.filter(assignment_id=assignment.pk).exists()
    conflict = DeclaredConflict.objects.get(reviewer=assignment.reviewer, application=assignment.application)
    assert conflict.note == "I advised them last year"
    assert ReviewAssignment.objects.filter(application=assignment.application).count() == 1  # one short
    run_assignment(world)
    assert not ReviewAssignment.objects.filter(
        reviewer=assignment.reviewer, application=assignment.application
    ).exists()
    assert ReviewAssignment.objects.filter(application=assignment.application).count() == 2


def test_starting_a_run_is_the_staffs_and_needs_applications_reviewers_and_no_run_under_way(world):
    with pytest.raises(PermissionDenied):
        review_assignment.start_assignment(world.users["rita"], world.call)
    job = review_assignment.start_assignment(world.staff, world.call)  # queued: its task runs on commit
    with pytest.raises(CallRefused) as running:
        review_assignment.start_assignment(world.staff, world.call)
    assert running.value.code == "assignment.running"
    job.status = JobStatus.SUCCEEDED
    job.save()
    world.call.applications.update(status=ApplicationStatus.ELIGIBLE)
    with pytest.raises(CallRefused) as nothing:
        review_assignment.start_assignment(world.staff, world.call)
    assert nothing.value.code == "assignment.nothing_in_review"
