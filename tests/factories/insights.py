"""Factories of insights: a figure staff entered for an indicator, and the cluster seen through its
indicators (the proxy the permission table is about)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from helix.insights import models
from tests.factories.registry import ClusterFactory, OrganisationFactory


class ClusterInsightsFactory(ClusterFactory):
    class Meta:
        model = models.ClusterInsights


class StaffValueFactory(factory.django.DjangoModelFactory):
    """One and a half FTE of management staff in 2026, from the staff plan."""

    class Meta:
        model = models.StaffValue

    cluster = factory.SubFactory(ClusterFactory)
    code = "staff_fte"
    value = Decimal("1.50")
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 12, 31)
    source = "Staff plan 2026"


class StoryFactory(factory.django.DjangoModelFactory):
    """A draft success story in English."""

    class Meta:
        model = models.Story

    cluster = factory.SubFactory(ClusterFactory)
    kind = "success_story"
    title = factory.Sequence(lambda n: f"Story {n}")
    summary = "Two members cut their heat losses together."
    language = "en"


class FeaturedOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeaturedOrganisation

    story = factory.SubFactory(StoryFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class PartnerLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PartnerLink

    cluster = factory.SubFactory(ClusterFactory)
    name = "Sister cluster"
    url = "https://example.org/"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A public programme of a cluster."""

    class Meta:
        model = models.Programme

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")


class CycleFactory(factory.django.DjangoModelFactory):
    """The programme's first cycle, planned for 2026-2027."""

    class Meta:
        model = models.Cycle

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2027, 12, 31)


class CycleStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CycleStep

    cycle = factory.SubFactory(CycleFactory)
    state = "planned"


class OutputFactory(factory.django.DjangoModelFactory):
    """A public guide of a cycle's trajectories phase."""

    class Meta:
        model = models.Output

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Output {n}")
    summary = "A guide other cities can reuse."
    language = "en"


class OutputReuseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OutputReuse

    output = factory.SubFactory(OutputFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class PhaseLinkFactory(factory.django.DjangoModelFactory):
    """A need linked to the needs inventory of a cycle."""

    class Meta:
        model = models.PhaseLink

    cycle = factory.SubFactory(CycleFactory)
    phase = "needs_inventory"
    need = factory.SubFactory("tests.factories.market.ListingFactory", side="need")
