"""The whole demo: the registry's demo ecosystem, then the needs and offers and the resource flows built on
it, the projects, the calls for proposals and the cluster roadmaps. Each app loads its own demo from its
``demo/data/`` files (``helix.registry.demo``, ``helix.market.demo``, ``helix.symbiosis.demo``,
``helix.projects.demo``, ``helix.calls.demo``, ``helix.roadmaps.demo``); this module, above the apps,
calls them in order, so that no app imports an app above it. ``helix demo load`` and
``helix demo generate`` call it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from helix.calls.demo import load_demo_calls
from helix.insights.demo import load_demo_insights
from helix.market.demo import load_demo_listings
from helix.projects.demo import load_demo_projects
from helix.registry.demo import bulk, load
from helix.roadmaps.demo import load_demo_roadmaps
from helix.symbiosis.demo import load_demo_symbiosis


@transaction.atomic
def load_demo() -> load.DemoReport:
    """Create or update the whole demo ecosystem; loading it twice changes nothing."""
    report = load.load_demo_registry()
    report.listings = load_demo_listings()
    report.symbiosis = load_demo_symbiosis()
    report.projects = load_demo_projects()
    report.calls = load_demo_calls()
    report.roadmaps = load_demo_roadmaps()
    report.insights = load_demo_insights()
    return report


def generate_into_database(count: int, **options: Any) -> bulk.GenerateReport:
    """``helix.registry.demo.bulk.generate_into_database``, loading the whole demo first when its clusters
    are absent."""
    return bulk.generate_into_database(count, load_demo=load_demo, **options)
