"""A call in review for the review and decision tests (tests/calls/test_review_*.py, test_decision_*.py).

Cluster ``fotf`` runs the Factory of the Future precluster call (budget EUR 100,000, 2 reviews per
application) on its subsidy ``fof-precluster``. Six applications in review, each led by its own company
with a university as co-applicant, asking EUR 30,000 each; their topics are their sectors (the form's
multi-choice) and their companies' keywords. Four reviewers, each from an organisation of its own, with
expertise keywords; one of them (``rita``) works for the lead of the first application.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.test import TestCase

from helix.calls import services
from helix.calls.models import Application, ApplicationStatus, Call, CallStatus, Reviewer
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    ClusterFactory,
    InstrumentFactory,
    KeywordFactory,
    MembershipFactory,
    OrganisationFactory,
    SiteFactory,
    SubmissionFactory,
    UserFactory,
    staff_user,
)
from tests.factories.calls import seed_definition
from tests.factories.registry import PersonFactory

TOPICS = [
    (["manufacturing", "digital"], ["robotics"], "Cobots for welding cells"),
    (["chemicals", "energy"], ["hydrogen"], "Green hydrogen for the chemical park"),
    (["textile", "maritime"], ["composites"], "Smart textiles for ships"),
    (["manufacturing", "energy"], ["heat pumps"], "Heat pumps in the factory"),
    (["digital", "textile"], ["sensors"], "Sensors woven in"),
    (["maritime", "chemicals"], ["coatings"], "Antifouling coatings"),
]

REVIEWERS = [
    ("rita", "Manufacturing, robotics, digital"),
    ("hugo", "Energy, hydrogen, chemicals"),
    ("tess", "Textile, composites, maritime, sensors"),
    ("cole", "Coatings, chemicals, heat pumps, energy"),
]


@dataclass
class ReviewWorld:
    cluster: Any
    staff: Any
    call: Call
    instrument: Any
    applications: list[Application]
    leads: list[Any]
    universities: list[Any]
    reviewers: dict[str, Reviewer]
    users: dict[str, Any] = field(default_factory=dict)  # reviewer name -> user; "lead0".. -> lead's user


def build(*, budget: str = "100000", k: int = 2, applications: int = 6) -> ReviewWorld:
    cluster = ClusterFactory(slug="fotf", name="Factory of the Future")
    staff = staff_user(cluster)
    instrument = InstrumentFactory(cluster=cluster, key="fof-precluster", de_minimis=True)
    definition = seed_definition(key="fotf-2027")
    call = services.create_call(staff, cluster, definition, instrument=instrument, reviews_per_application=k)
    Call.objects.filter(pk=call.pk).update(status=CallStatus.REVIEWING, budget_eur=Decimal(budget))
    call.refresh_from_db()
    users: dict[str, Any] = {}
    made, leads, universities = [], [], []
    for i, (sectors, keywords, title) in enumerate(TOPICS[:applications]):
        lead = OrganisationFactory(name=f"Lead {i}", slug=f"lead-{i}")
        SiteFactory(organisation=lead, country="BE", is_headquarters=True)
        MembershipFactory(organisation=lead, cluster=cluster, level="member")
        lead.keywords.set([KeywordFactory(name=k) for k in keywords])
        university = OrganisationFactory(
            name=f"University {i}", slug=f"university-{i}", kind="knowledge_institution", size_class=""
        )
        user = UserFactory(username=f"lead{i}")
        PersonFactory(organisation=lead, user=user, first_name="Lea", last_name=f"Lead{i}")
        users[f"lead{i}"] = user
        application = ApplicationFactory(
            call=call,
            stage="proposal",
            title=title,
            status=ApplicationStatus.IN_REVIEW,
            requested_eur=Decimal("30000"),
            answers={"proposal": {"title": title, "sectors": sectors, "synergies": f"{title}, together."}},
        )
        ApplicantFactory(application=application, organisation=lead, lead=True)
        ApplicantFactory(application=application, organisation=university, lead=False)
        SubmissionFactory(application=application, stage="proposal", submitted_by=user)
        made.append(application)
        leads.append(lead)
        universities.append(university)
    reviewers = {}
    for name, expertise in REVIEWERS:
        organisation = leads[0] if name == "rita" else OrganisationFactory(name=f"{name.title()} Consulting")
        user = UserFactory(username=name)
        person = PersonFactory(
            organisation=organisation, user=user, first_name=name.title(), last_name="Reviewer"
        )
        reviewers[name] = Reviewer.objects.create(call=call, person=person, expertise=expertise)
        users[name] = user
    return ReviewWorld(cluster, staff, call, instrument, made, leads, universities, reviewers, users)


def run_assignment(world: ReviewWorld) -> Any:
    """Start the assignment job and run it (the immediate backend runs it on commit)."""
    from helix.calls.review_assignment import start_assignment

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = start_assignment(world.staff, world.call)
    job.refresh_from_db()
    return job


def score_all(world: ReviewWorld, scores: dict[str, dict[str, float]] | None = None) -> None:
    """Every assigned reviewer submits a review: ``scores`` by application title (default: 4 on each
    criterion), the same from each of its reviewers."""
    from helix.calls import review_services
    from helix.calls.models import ReviewAssignment

    for assignment in ReviewAssignment.objects.select_related("application", "reviewer__person__user"):
        given = (scores or {}).get(
            assignment.application.title, {"excellence": 4, "impact": 4, "implementation": 4}
        )
        user = assignment.reviewer.person.user
        with transaction.atomic():
            review_services.save_review(
                user,
                assignment,
                given,
                comment=f"Comment on {assignment.application.title}",
                staff_note="internal",
            )
            review_services.submit_review(user, assignment)
