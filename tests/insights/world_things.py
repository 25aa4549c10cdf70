"""Stories in the two-cluster permission world (tests/permissions/world.py): on Alpha, one public (published,
its organisation approved), one published but awaiting approval, one draft; on Beta, one public."""

from __future__ import annotations

import datetime as dt
from typing import Any

from helix.insights.models import FeaturedOrganisation, PartnerLink, Story


def add_stories(w: Any) -> None:
    from tests.permissions.world import Thing

    cases = [
        ("public", "alpha", "a1", "published", True),
        ("waiting", "alpha", "a2", "published", False),
        ("draft", "alpha", "a1", "draft", False),
        ("beta-public", "beta", "b1", "published", True),
    ]
    for key, cluster, org, status, approved in cases:
        story = Story.objects.create(
            cluster=w.clusters[cluster],
            kind="success_story",
            title=f"{key} story",
            summary=f"The {key} story.",
            language="en",
            status=status,
            published_on=dt.date(2026, 3, 1) if status == "published" else None,
        )
        FeaturedOrganisation.objects.create(
            story=story, organisation=w.orgs[org], approved_on=dt.date(2026, 2, 1) if approved else None
        )
        public = status == "published" and approved
        w.things[f"story:{key}"] = Thing(
            story,
            owners=frozenset({org}),
            clusters=frozenset({cluster}),
            facts=frozenset({"public"} if public else set()),
        )
    link = PartnerLink.objects.create(
        cluster=w.clusters["alpha"], name="Sister cluster", url="https://example.org/"
    )
    w.things["partnerlink:alpha"] = Thing(link, clusters=frozenset({"alpha"}))
