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
