"""Integration: the ranking of a call through the service (helix.calls.review_scoring): submitted reviews
only, the mean, the spread, the outlier reviews, the severity correction on demand, and an application
with too few reviews left unranked with its reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from helix.calls.review_scoring import score_call
from tests.calls.review_world import build
from tests.factories import ReviewAssignmentFactory, ReviewFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def review(world, reviewer, application, value, *, submitted=True):  # type: ignore[no-untyped-def]
    assignment = ReviewAssignmentFactory(reviewer=world.reviewers[reviewer], application=application)
    return ReviewFactory(
        assignment=assignment,
        scores={"excellence": value, "impact": value, "implementation": value},
        submitted_at=timezone.now() if submitted else None,
    )


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """cole is harsh: 2 where the others give 4, on X and on Z; Y is reviewed by three mild reviewers;
    W has two submitted reviews and a draft."""
    w = build(k=3, applications=4)
    x, y, z, wa = w.applications
    for who, app, value in (
        ("hugo", x, 4), ("tess", x, 4), ("cole", x, 2),
        ("hugo", y, 3.5), ("tess", y, 3.5), ("rita", y, 3.5),
        ("hugo", z, 4), ("rita", z, 4), ("cole", z, 2),
        ("hugo", wa, 5), ("tess", wa, 5),
    ):  # fmt: skip
        review(w, who, app, value)
    review(w, "cole", wa, 1, submitted=False)
    return w


def test_the_ranking_reads_the_submitted_reviews_with_mean_spread_and_outliers(world):
    x, y, z, w = world.applications
    scoring = score_call(world.call, user=world.staff)
    assert [(r.application.title, r.score.rank, round(r.score.mean, 3)) for r in scoring.ranked] == [
        (y.title, 1, 3.5),
        (x.title, 2, 3.333),
        (z.title, 3, 3.333),
    ]
    first_x = scoring.row(x.pk).score
    cole = str(world.reviewers["cole"].pk)
    assert (round(first_x.std, 3), first_x.range, first_x.outliers) == (0.943, 2.0, (cole,))
    assert [f.code for f in first_x.flags] == ["reviews_disagree"]
    assert [(r.application.title, [p.code for p in r.problems], r.submitted) for r in scoring.unranked] == [
        (w.title, ["too_few_reviews"], 2)
    ]


def test_the_severity_correction_lifts_the_applications_a_harsh_reviewer_judged(world):
    x, y, z, _w = world.applications
    scoring = score_call(world.call, severity=True)
    assert [r.application.title for r in scoring.ranked] == [x.title, z.title, y.title]
    offsets = scoring.scoring.offsets
    assert offsets[str(world.reviewers["cole"].pk)] < 0 < offsets[str(world.reviewers["hugo"].pk)]


def test_only_those_who_see_the_applications_read_the_ranking(world):
    with pytest.raises(PermissionDenied):
        score_call(world.call, user=world.users["hugo"])
