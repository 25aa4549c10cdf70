"""Integration: the demo roadmaps (helix.roadmaps.demo) on top of the demo's registry, projects and calls:
Flux50's adopted roadmap over its five innovator zones with the letters of intent as commitments and its
December 2017 baseline as version 1, the Luxembourg cluster's in consultation with its items implemented by
the flagship projects; loading twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from helix.calls.demo import load_demo_calls
from helix.projects.demo import load_demo_projects
from helix.registry.demo.load import load_demo_registry
from helix.registry.models import Cluster
from helix.roadmaps import services
from helix.roadmaps.demo import load_demo_roadmaps
from helix.roadmaps.models import Item, Participant, Roadmap, RoadmapChange, RoadmapVersion

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    load_demo_registry()
    load_demo_projects()
    load_demo_calls()
    return load_demo_roadmaps()


def test_the_demo_roadmaps_load_once(demo):  # type: ignore[no-untyped-def]
    assert demo == {"created": 2, "roadmaps": 2}
    counts = (Item.objects.count(), Participant.objects.count(), RoadmapVersion.objects.count())

    assert load_demo_roadmaps() == {"created": 0, "roadmaps": 2}

    assert (Item.objects.count(), Participant.objects.count(), RoadmapVersion.objects.count()) == counts
    assert dict(Roadmap.objects.values_list("key", "status")) == {
        "flux50-roadmap": "adopted",
        "lu-materials-roadmap": "consultation",
    }


def test_flux50s_roadmap_has_its_five_zones_its_letters_as_commitments_and_its_baseline(demo):  # type: ignore[no-untyped-def]
    roadmap = Roadmap.objects.get(key="flux50-roadmap")

    assert list(roadmap.tracks.values_list("key", flat=True)) == [
        "multi-energy-districts",
        "smart-buildings-renovation",
        "flexible-grids-storage",
        "energy-data-ict",
        "industrial-energy-efficiency",
    ]
    assert roadmap.tracks.exclude(domain=None).count() == roadmap.tracks.count()  # the innovator zones
    for participant in roadmap.participants.select_related("letter_of_intent"):
        # committed by its letter of intent to Flux50, or as the lead (Flux50 itself)
        assert participant.committed == (
            participant.letter_of_intent is not None or participant.role == "lead"
        )
        if participant.letter_of_intent is not None:
            assert participant.letter_of_intent.cluster_id == roadmap.cluster_id
    assert roadmap.participants.exclude(letter_of_intent=None).count() > 0
    (version,) = roadmap.versions.all()
    assert (version.number, version.adopted_on) == (1, dt.date(2017, 12, 15))
    assert [it["key"] for it in version.content["items"]] == list(
        roadmap.items.order_by("order").values_list("key", flat=True)
    )
    assert Cluster.objects.get(slug="flux50").roadmap_adopted_on == dt.date(2017, 12, 15)
    assert list(RoadmapChange.objects.filter(roadmap=roadmap).values_list("to_status", "changed_on")) == [
        ("draft", dt.date(2017, 6, 1)),
        ("consultation", dt.date(2017, 9, 12)),
        ("adopted", dt.date(2017, 12, 15)),
    ]
    # the baseline is as adopted: the two living labs took longer since
    baseline = {it["key"]: it["duration_days"] for it in version.content["items"]}
    now = dict(roadmap.items.values_list("key", "duration_days"))
    assert {k for k in now if now[k] != baseline[k]} == {"fgs-lab", "iee-lab"}
    assert [p.code for p in services.problems_of(roadmap) if p.severity == "error"] == []


def test_the_luxembourg_roadmap_is_in_consultation_with_the_flagship_projects_implementing_it(demo):  # type: ignore[no-untyped-def]
    roadmap = Roadmap.objects.get(key="lu-materials-roadmap")

    assert roadmap.versions.count() == 0
    assert Cluster.objects.get(slug="lu-materials-manufacturing").roadmap_adopted_on is None
    linked = {
        it.key: [p.title for p in it.projects.all()] for it in roadmap.items.prefetch_related("projects")
    }
    assert linked["lc-demo"] == ["Coated lightweight composite parts for vehicles"]
    assert linked["cp-feedstock"] == ["Recycled polymer feedstock for industrial 3D printing"]
    assert list(roadmap.items.get(key="am-line").calls.values_list("key", flat=True)) == [
        "luxembourg-bpf-2024"
    ]
