"""Factories of calls: a call (a draft, from the Factory of the Future seed call), an application with
its lead, co-applicants, history, attachments and receipts, reviewers, conflicts, assignments, reviews
and awards. The services build whole journeys (tests/calls); these build one row each."""

from __future__ import annotations

import copy
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from helix.calls import models
from helix.core.calls import definition as core_definition
from tests.factories.registry import ClusterFactory, OrganisationFactory, PersonFactory


def seed_definition(name: str = "factory_of_the_future_precluster.json", key: str = "") -> dict[str, object]:
    """A seed call's definition (a deep copy), with ``key`` as its id when given."""
    import json
    from importlib import resources

    text = (resources.files(core_definition.__package__) / "data" / name).read_text(encoding="utf-8")
    data = json.loads(text)
    if key:
        data["id"] = key
    return copy.deepcopy(data)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Call

    cluster = factory.SubFactory(ClusterFactory)
    key = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: f"Call {n}")
    definition = factory.LazyAttribute(lambda o: seed_definition(key=o.key))


class CallChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CallChange

    call = factory.SubFactory(CallFactory)
    to_status = models.CallStatus.DRAFT


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Application

    call = factory.SubFactory(CallFactory)
    stage = "proposal"
    title = factory.Sequence(lambda n: f"Proposal {n}")


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Applicant

    application = factory.SubFactory(ApplicationFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    lead = True


class ApplicationChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ApplicationChange

    application = factory.SubFactory(ApplicationFactory)
    to_status = models.ApplicationStatus.DRAFT


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Attachment

    application = factory.SubFactory(ApplicationFactory)
    stage = "proposal"
    field = "budget_sheet"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n", name="budget.pdf"))
    name = "budget.pdf"
    size = 9
    sha256 = "0" * 64


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Submission

    application = factory.SubFactory(ApplicationFactory)
    stage = "proposal"
    receipt = factory.Sequence(lambda n: f"CALL-{n:05d}-1-ABCDEF")
    answers = factory.LazyFunction(dict)
    digest = "0" * 64


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Reviewer

    call = factory.SubFactory(CallFactory)
    person = factory.SubFactory(PersonFactory)
    expertise = "robotics, additive manufacturing"


class DeclaredConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DeclaredConflict

    reviewer = factory.SubFactory(ReviewerFactory)
    application = factory.SubFactory(ApplicationFactory)


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ReviewAssignment

    reviewer = factory.SubFactory(ReviewerFactory)
    application = factory.SubFactory(ApplicationFactory)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Review

    assignment = factory.SubFactory(ReviewAssignmentFactory)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Award

    application = factory.SubFactory(ApplicationFactory)
    amount_eur = Decimal("50000.00")
