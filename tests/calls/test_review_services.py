"""Integration: a call's reviewers and their reviews (helix.calls.review_services): reviewers named by the
staff, drafts checked against the rubric's scales by the core's rules, submission only when complete,
and a submitted review final."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from helix.calls import explain, review_services
from helix.calls.models import Review, ReviewAssignment, Reviewer
from helix.calls.services import CallRefused
from tests.calls.review_world import build
from tests.factories import ReviewAssignmentFactory
from tests.factories.registry import PersonFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build(applications=2)


@pytest.fixture
def assignment(world):  # type: ignore[no-untyped-def]
    return ReviewAssignmentFactory(reviewer=world.reviewers["hugo"], application=world.applications[1])


def test_staff_add_a_reviewer_with_their_expertise_as_keywords_and_a_load(world):
    person = PersonFactory(first_name="Noor")
    reviewer = review_services.add_reviewer(
        world.staff, world.call, person, expertise=" heat pumps;Robotics,, robotics\nsteel ", max_reviews="4"
    )
    assert (reviewer.expertise, reviewer.max_reviews) == ("heat pumps, Robotics, steel", 4)
    with pytest.raises(CallRefused) as twice:
        review_services.add_reviewer(world.staff, world.call, person)
    assert twice.value.code == "reviewer.twice"
    with pytest.raises(CallRefused) as bad:
        review_services.add_reviewer(world.staff, world.call, PersonFactory(), max_reviews="many")
    assert bad.value.code == "reviewer.bad_load"
    with pytest.raises(PermissionDenied):
        review_services.add_reviewer(world.users["hugo"], world.call, PersonFactory())


def test_staff_change_and_remove_a_reviewer_but_not_one_whose_reviews_count(world, assignment):
    hugo = world.reviewers["hugo"]
    review_services.update_reviewer(world.staff, hugo, expertise="hydrogen", max_reviews="")
    hugo.refresh_from_db()
    assert (hugo.expertise, hugo.max_reviews) == ("hydrogen", None)
    user = world.users["hugo"]
    review_services.save_review(user, assignment, {"excellence": 4, "impact": 4, "implementation": 4})
    review_services.submit_review(user, assignment)
    with pytest.raises(CallRefused) as counted:
        review_services.remove_reviewer(world.staff, hugo)
    assert counted.value.code == "reviewer.has_submitted"
    assert explain.refusal_text(counted.value) == (
        "Hugo Reviewer submitted 1 review: a reviewer whose reviews count cannot be removed."
    )
    tess = world.reviewers["tess"]
    ReviewAssignmentFactory(reviewer=tess, application=world.applications[0])
    review_services.remove_reviewer(world.staff, tess)
    assert not Reviewer.objects.filter(pk=tess.pk).exists()
    assert not ReviewAssignment.objects.filter(reviewer_id=tess.pk).exists()


def test_a_draft_may_leave_criteria_unscored_but_never_holds_a_score_outside_its_scale(world, assignment):
    user = world.users["hugo"]
    review = review_services.save_review(
        user,
        assignment,
        {"excellence": "4,5", "impact": ""},
        comment=" Strong team. ",
        staff_note="Ask them.",
    )
    assert (review.scores, review.comment, review.staff_note, review.submitted_at) == (
        {"excellence": 4.5},
        "Strong team.",
        "Ask them.",
        None,
    )
    with pytest.raises(CallRefused) as wrong:
        review_services.save_review(user, assignment, {"excellence": 7, "impact": "good", "novelty": 3})
    assert wrong.value.code == "scores.invalid"
    assert [(p.code, p.params["criterion"]) for p in wrong.value.problems] == [
        ("score_out_of_range", "excellence"),
        ("score_not_a_number", "impact"),
        ("score_unknown_criterion", "novelty"),
    ]
    assert explain.refusal_text(wrong.value) == (
        "The review was not saved: “excellence”: the score must lie between 0 and 5. “impact”: the score "
        "must be a number. “novelty” is not a criterion of the rubric."
    )
    assert Review.objects.get(assignment=assignment).scores == {"excellence": 4.5}  # nothing saved


def test_a_review_is_submitted_only_complete_and_is_final(world, assignment):
    user = world.users["hugo"]
    with pytest.raises(CallRefused) as unsaved:
        review_services.submit_review(user, assignment)
    assert unsaved.value.code == "scores.nothing_saved"
    review_services.save_review(user, assignment, {"excellence": 4})
    with pytest.raises(CallRefused) as incomplete:
        review_services.submit_review(user, assignment)
    assert [(p.code, p.params["criterion"]) for p in incomplete.value.problems] == [
        ("score_missing", "impact"),
        ("score_missing", "implementation"),
    ]
    review_services.save_review(user, assignment, {"excellence": 4, "impact": 3, "implementation": 5})
    review = review_services.submit_review(user, assignment)
    assert review.submitted_at is not None
    with pytest.raises(CallRefused) as final:
        review_services.save_review(user, assignment, {"excellence": 1})
    assert final.value.code == "scores.submitted"


def test_only_the_assigned_reviewer_writes_the_review(world, assignment):
    for user in (world.users["tess"], world.staff, world.users["lead1"]):
        with pytest.raises(PermissionDenied):
            review_services.save_review(user, assignment, {"excellence": 4})
    # a reviewer in conflict may no longer write it either
    with pytest.raises(PermissionDenied):
        review_services.declare_conflict(world.users["tess"], assignment)
    review_services.declare_conflict(world.users["hugo"], assignment, "")
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
