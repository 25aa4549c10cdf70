"""Factories of projects and funds: a project with its consortium members, history, budget lines,
funding sources, milestones and reports; an instrument and a ledger entry. The services build whole
projects (tests/projects); these build one row each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from helix.core.consortia.features import FEATURES
from helix.funds import models as funds
from helix.projects import models
from tests.factories.registry import ClusterFactory, OrganisationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    """A flagship project of 24 months forming its consortium, visible to members."""

    class Meta:
        model = models.Project

    cluster = factory.SubFactory(ClusterFactory)
    kind = "flagship"
    title = factory.Sequence(lambda n: f"Project {n}")
    status = models.ProjectStatus.FORMING
    months = 24


class ProjectMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProjectMember

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = models.Role.PARTNER


class ProjectChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProjectChange

    project = factory.SubFactory(ProjectFactory)
    from_status = models.ProjectStatus.IDEA
    to_status = models.ProjectStatus.FORMING


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BudgetLine

    member = factory.SubFactory(ProjectMemberFactory)
    year = 2027
    category = models.CostCategory.PERSONNEL
    amount = Decimal("10000.00")


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FundingSource

    project = factory.SubFactory(ProjectFactory)
    kind = models.SourceKind.OWN
    amount = Decimal("5000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_month = 6


class ProjectReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProjectReport

    project = factory.SubFactory(ProjectFactory)
    title = "First half"
    period_start = dt.date(2027, 1, 1)
    period_end = dt.date(2027, 6, 30)


class InstrumentFactory(factory.django.DjangoModelFactory):
    """A subsidy of a cluster, without caps."""

    class Meta:
        model = funds.Instrument

    cluster = factory.SubFactory(ClusterFactory)
    key = factory.Sequence(lambda n: f"instrument-{n}")
    name = factory.Sequence(lambda n: f"Instrument {n}")
    kind = funds.InstrumentKind.SUBSIDY


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    """A commitment of EUR 10,000 (written as a row: the services check caps, not this factory)."""

    class Meta:
        model = funds.LedgerEntry

    instrument = factory.SubFactory(InstrumentFactory)
    beneficiary = factory.SubFactory(OrganisationFactory)
    kind = funds.EntryKind.COMMITTED
    amount_eur = Decimal("10000.00")
    on = dt.date(2027, 1, 15)


class RecommenderModelFactory(factory.django.DjangoModelFactory):
    """Learned weights of the partner recommender, of the core's features (all zero but co-participation)."""

    class Meta:
        model = models.RecommenderModel

    features = factory.LazyFunction(lambda: list(FEATURES))
    weights = factory.LazyFunction(lambda: [1.0 if name == "co_count" else 0.0 for name in FEATURES])
    mean = factory.LazyFunction(lambda: [0.0] * len(FEATURES))
    scale = factory.LazyFunction(lambda: [1.0] * len(FEATURES))
    cases = 60
