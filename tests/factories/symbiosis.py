"""Factories of industrial symbiosis: resource flows (at a site of their organisation), documented
exchanges, synergies with their history and reports, impact factors, allocation runs, the market
reading. ``tests/symbiosis/helpers.world`` builds a whole region of flows; these build one row each."""

from __future__ import annotations

import datetime as dt

import factory

from helix.symbiosis import models
from tests.factories.registry import OrganisationFactory, SiteFactory


class ResourceFlowFactory(factory.django.DjangoModelFactory):
    """An offered by-product, 100 tonnes a year, visible to members."""

    class Meta:
        model = models.ResourceFlow

    organisation = factory.SubFactory(OrganisationFactory)
    site = factory.SubFactory(SiteFactory, organisation=factory.SelfAttribute("..organisation"))
    direction = models.Direction.HAVE
    kind = models.Kind.MATERIAL
    title = factory.Sequence(lambda n: f"By-product {n}")
    description = "Clean wood chips."
    ewc_code = "03 01 05"
    quantity = 100.0
    unit = "t"
    period = "year"


class DocumentedExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DocumentedExchange

    source = "MAESTRI"
    case = factory.Sequence(lambda n: f"case {n}")
    waste_description = "Wood chips"
    receiver_nace = "35.11"


class SynergyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Synergy

    have = factory.SubFactory(ResourceFlowFactory)
    want = factory.SubFactory(ResourceFlowFactory, direction=models.Direction.WANT, title="Wood chips wanted")
    score = 0.8
    compatibility = 0.9
    quantity = 100.0
    unit = "t"


class SynergyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SynergyEvent

    synergy = factory.SubFactory(SynergyFactory)
    from_state = models.SynergyState.PROPOSED
    to_state = models.SynergyState.CONTACTED


class SynergyReportFactory(factory.django.DjangoModelFactory):
    """A report of a realised synergy (only those report actual quantities)."""

    class Meta:
        model = models.SynergyReport

    synergy = factory.SubFactory(SynergyFactory, state=models.SynergyState.REALISED)
    period_end = dt.date(2026, 12, 31)
    quantity = 80.0
    unit = "t"


class ImpactFactorSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ImpactFactorSetting
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"factor_{n}")
    value = 1.0
    source = "Measured by the operator."


class AllocationRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AllocationRun

    region = ""
    result = factory.LazyFunction(dict)


class MarketReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MarketReading
