"""The demo's insights: figures staff entered for the indicators Helix cannot compute, a published and
approved success story on the public showcase (from the demo's running flagship project), a news item,
and a link to the European Cluster Collaboration Platform. Invented figures say so in their source.
Loading twice changes nothing (found by cluster and code, by title)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from helix.insights.models import FeaturedOrganisation, PartnerLink, StaffValue, Story
from helix.registry.models import Cluster

INVENTED = "Demo figure (invented for the demo, not a real record)"

STAFF_VALUES = [
    ("flux50", "staff_fte", "3.5", 2016),
    ("flux50", "members_in_decisions", "9", 2016),
    ("lu-materials-manufacturing", "staff_fte", "2", 2026),
    ("lu-materials-manufacturing", "press_mentions", "14", 2026),
]


def load_demo_insights() -> dict[str, int]:
    created = 0
    clusters = {c.slug: c for c in Cluster.objects.filter(slug__in={v[0] for v in STAFF_VALUES})}
    for slug, code, value, year in STAFF_VALUES:
        cluster = clusters.get(slug)
        if cluster is None or StaffValue.objects.filter(cluster=cluster, code=code).exists():
            continue
        StaffValue.objects.create(
            cluster=cluster,
            code=code,
            value=Decimal(value),
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            source=INVENTED,
        )
        created += 1
    created += _stories()
    return {"created": created, "stories": Story.objects.count()}


def _stories() -> int:
    from helix.projects.models import Project

    created = 0
    project = (
        Project.objects.filter(kind="flagship", status="running", visibility="public")
        .prefetch_related("members")
        .order_by("pk")
        .first()
    )
    if project is not None and not Story.objects.filter(title__startswith="Lighter car parts").exists():
        story = Story.objects.create(
            cluster=project.cluster,
            kind="success_story",
            title="Lighter car parts from a shared coating line",
            summary="Three members of the cluster coat composite parts on one line and cut a vehicle's "
            "weight.",
            body=(
                "A composites maker, a surface-coating specialist and a precision-parts workshop met at the "
                "cluster's matchmaking day. Together they run a flagship project that coats lightweight "
                "composite parts for vehicles on one shared line.\n\n(An invented story for the demo.)"
            ),
            language="en",
            project=project,
            status="published",
            published_on=dt.date(2026, 10, 1),
        )
        for member in project.members.all():
            FeaturedOrganisation.objects.create(
                story=story, organisation_id=member.organisation_id, approved_on=dt.date(2026, 9, 28)
            )
        created += 1
        Story.objects.create(
            cluster=project.cluster,
            kind="news",
            title="Call for the next matchmaking day",
            summary="Members can register their needs and offers for the spring matchmaking day.",
            language="en",
            status="published",
            published_on=dt.date(2026, 11, 15),
        )
        created += 1
    for cluster in Cluster.objects.filter(slug__in=["flux50", "lu-materials-manufacturing"]):
        _, made = PartnerLink.objects.get_or_create(
            cluster=cluster,
            name="European Cluster Collaboration Platform",
            defaults={
                "url": "https://www.clustercollaboration.eu/",
                "description": "Where European clusters are listed and find partners.",
            },
        )
        created += int(made)
    return created
