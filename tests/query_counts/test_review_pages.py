"""Integration: the review's list pages ask as many queries for 3 rows as for 12 (no N+1 query): the
reviewer's "my reviews" (assignments across calls, each with its review's state) and the staff's ranking
of a call (applications with their applicants and submitted reviews)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.calls.review_world import ReviewWorld, build
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    OrganisationFactory,
    ReviewAssignmentFactory,
    ReviewFactory,
)
from tests.helpers.queries import counted_at_sizes
from tests.query_counts.world import LARGE, SMALL, row_label

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _application(world: ReviewWorld, n: int):  # type: ignore[no-untyped-def]
    application = ApplicationFactory(
        call=world.call,
        stage="proposal",
        title=row_label("application", n),
        status="in_review",
        requested_eur=Decimal("10000"),
    )
    ApplicantFactory(application=application, organisation=OrganisationFactory(), lead=True)
    ApplicantFactory(application=application, organisation=OrganisationFactory(), lead=False)
    return application


def _grow_assignments(world: ReviewWorld, start: int, stop: int) -> None:
    """Assignments of hugo: new, draft and submitted in turn."""
    for n in range(start, stop):
        assignment = ReviewAssignmentFactory(
            reviewer=world.reviewers["hugo"], application=_application(world, n)
        )
        if n % 3:
            ReviewFactory(assignment=assignment, submitted_at=timezone.now() if n % 3 == 2 else None)


def _grow_reviewed(world: ReviewWorld, start: int, stop: int) -> None:
    """Applications with two submitted reviews each (a third of them a review short: unranked)."""
    for n in range(start, stop):
        application = _application(world, n)
        for who in ("hugo", "tess") if n % 3 else ("hugo",):
            ReviewFactory(
                assignment=ReviewAssignmentFactory(reviewer=world.reviewers[who], application=application),
                scores={"excellence": 3 + n % 2, "impact": 4, "implementation": 2},
                submitted_at=timezone.now(),
            )


@pytest.fixture
def world(settings) -> ReviewWorld:  # type: ignore[no-untyped-def]
    settings.HELIX_PAGE_SIZE = 50
    return build(applications=1)


def test_my_reviews_asks_as_many_queries_for_3_assignments_as_for_12(client, world):
    client.force_login(world.users["hugo"])
    (small, _), (large, response) = counted_at_sizes(
        client, "/calls/reviews/", lambda start, stop: _grow_assignments(world, start, stop), (SMALL, LARGE)
    )
    assert row_label("application", LARGE - 1) in response.content.decode()
    assert large == small


@pytest.mark.parametrize("severity", ["", "1"])
def test_the_ranking_asks_as_many_queries_for_3_applications_as_for_12(client, world, severity):
    client.force_login(world.staff)
    (small, _), (large, response) = counted_at_sizes(
        client,
        f"/calls/{world.call.key}/ranking/",
        lambda start, stop: _grow_reviewed(world, start, stop),
        (SMALL, LARGE),
        {"severity": severity},
    )
    assert row_label("application", LARGE - 1) in response.content.decode()
    assert large == small


def _grow_assigned(world: ReviewWorld, start: int, stop: int) -> None:
    """Applications in review, each with two reviewers (one with a draft) and a declared conflict."""
    from helix.calls.models import DeclaredConflict

    for n in range(start, stop):
        application = _application(world, n)
        ReviewFactory(
            assignment=ReviewAssignmentFactory(reviewer=world.reviewers["hugo"], application=application)
        )
        ReviewAssignmentFactory(reviewer=world.reviewers["tess"], application=application)
        DeclaredConflict.objects.create(reviewer=world.reviewers["cole"], application=application)


@pytest.mark.parametrize("page", ["assignments", "reviewers"])
def test_the_assignments_and_reviewers_pages_ask_as_many_queries_for_3_applications_as_for_12(
    client, world, page
):
    client.force_login(world.staff)
    (small, _), (large, response) = counted_at_sizes(
        client,
        f"/calls/{world.call.key}/{page}/",
        lambda start, stop: _grow_assigned(world, start, stop),
        (SMALL, LARGE),
    )
    if page == "assignments":
        assert row_label("application", LARGE - 1) in response.content.decode()
    assert large == small


def _grow_decided(world: ReviewWorld, start: int, stop: int) -> None:
    """Applications decided: selected, funded (with its award) and not selected in turn."""
    from helix.calls.models import Award

    for n in range(start, stop):
        application = _application(world, n)
        application.status = ("selected", "funded", "rejected")[n % 3]
        application.save()
        if application.status == "funded":
            Award.objects.create(application=application, amount_eur=Decimal("10000"))


def test_the_decision_page_asks_as_many_queries_for_3_decided_applications_as_for_12(client, world):
    world.call.applications.update(status="rejected")
    client.force_login(world.staff)
    (small, _), (large, response) = counted_at_sizes(
        client,
        f"/calls/{world.call.key}/decision/",
        lambda start, stop: _grow_decided(world, start, stop),
        (SMALL, LARGE),
    )
    assert row_label("application", LARGE - 1) in response.content.decode()
    assert large == small
