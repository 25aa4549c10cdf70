"""Factories of cluster roadmaps: a draft roadmap, its history step and adopted version, a participant,
a track, an item (a milestone), an effort, a dependency and a KPI. The services build whole roadmaps
(tests/roadmaps); these build one row each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from helix.roadmaps import models
from tests.factories.registry import ClusterFactory, OrganisationFactory


class RoadmapFactory(factory.django.DjangoModelFactory):
    """A draft roadmap for the cluster's members, starting on 1 January 2027."""

    class Meta:
        model = models.Roadmap

    cluster = factory.SubFactory(ClusterFactory)
    key = factory.Sequence(lambda n: f"roadmap-{n}")
    title = factory.Sequence(lambda n: f"Roadmap {n}")
    starts_on = dt.date(2027, 1, 1)


class RoadmapChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoadmapChange

    roadmap = factory.SubFactory(RoadmapFactory)
    to_status = models.RoadmapStatus.DRAFT
    changed_on = dt.date(2027, 1, 1)


class RoadmapVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoadmapVersion

    roadmap = factory.SubFactory(RoadmapFactory)
    number = factory.Sequence(lambda n: n + 1)
    adopted_on = dt.date(2027, 1, 1)
    # an empty roadmap's snapshot (helix.roadmaps.convert.snapshot)
    content = factory.LazyFunction(
        lambda: {
            "start": "2027-01-01",
            "title": "",
            "participants": [],
            "tracks": [],
            "items": [],
            "dependencies": [],
        }
    )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Participant

    roadmap = factory.SubFactory(RoadmapFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = models.ParticipantRole.PARTNER


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Track

    roadmap = factory.SubFactory(RoadmapFactory)
    key = factory.Sequence(lambda n: f"track-{n}")
    title = factory.Sequence(lambda n: f"Track {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    """A milestone (no duration, no owner)."""

    class Meta:
        model = models.Item

    roadmap = factory.SubFactory(RoadmapFactory)
    key = factory.Sequence(lambda n: f"m{n}")
    title = factory.Sequence(lambda n: f"Milestone {n}")
    kind = models.ItemKind.MILESTONE


class EffortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Effort

    item = factory.SubFactory(ItemFactory)
    participant = factory.SubFactory(ParticipantFactory, roadmap=factory.SelfAttribute("..item.roadmap"))
    person_months = Decimal("6.00")


class DependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Dependency

    predecessor = factory.SubFactory(ItemFactory)
    successor = factory.SubFactory(ItemFactory, roadmap=factory.SelfAttribute("..predecessor.roadmap"))


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Kpi

    roadmap = factory.SubFactory(RoadmapFactory)
    key = factory.Sequence(lambda n: f"kpi-{n}")
    title = factory.Sequence(lambda n: f"KPI {n}")
    target = Decimal("100.00")
