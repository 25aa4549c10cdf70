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


def add_programmes(w: Any) -> None:
    """Programme cycles in the permission world: on Alpha a public programme (organised with a1), one for
    members and one for staff only, each with a cycle in its needs inventory; on Beta a public one. Alpha's
    public cycle has a public output (made by a working table of a1) and a staff-only one."""
    from helix.insights.models import Cycle, Output, Programme
    from helix.projects.models import Project, ProjectMember
    from tests.permissions.world import Thing

    cases = [
        ("public", "alpha", "public", ("a1",)),
        ("members", "alpha", "members", ()),
        ("staff", "alpha", "staff", ()),
        ("beta", "beta", "public", ()),
    ]
    for key, cluster, visibility, organisers in cases:
        programme = Programme.objects.create(
            cluster=w.clusters[cluster], name=f"{key} programme", visibility=visibility
        )
        programme.organisers.set([w.orgs[o] for o in organisers])
        cycle = Cycle.objects.create(
            programme=programme,
            number=1,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 12, 31),
            state="needs_inventory",
        )
        relations = {
            "owners": frozenset(organisers),
            "clusters": frozenset({cluster}),
            "audience": frozenset({cluster}),
            "facts": frozenset({visibility}),
        }
        w.things[f"programme:{key}"] = Thing(programme, **relations)
        w.things[f"cycle:{key}"] = Thing(cycle, **relations)
    table = Project.objects.create(
        cluster=w.clusters["alpha"],
        kind="working_table",
        title="Alpha working table",
        visibility="public",
        status="running",
    )
    ProjectMember.objects.create(project=table, organisation=w.orgs["a1"], role="coordinator")
    # a project like the others of the world (tests/projects/world_things.py): every page that lists a1's
    # projects lists it too
    w.things["project:alpha-public-table"] = Thing(
        table,
        owners=frozenset({"a1"}),
        clusters=frozenset({"alpha"}),
        audience=frozenset({"alpha"}),
        facts=frozenset({"public", "active"}),
    )
    alpha_cycle = w.things["cycle:public"].obj
    for visibility in ("public", "staff"):
        output = Output.objects.create(
            cycle=alpha_cycle,
            phase="trajectories",
            project=table,
            kind="guide",
            title=f"{visibility} output",
            summary="A guide for cities.",
            language="en",
            visibility=visibility,
        )
        w.things[f"output:{visibility}"] = Thing(
            output,
            owners=frozenset({"a1"}),
            clusters=frozenset({"alpha"}),
            audience=frozenset({"alpha"}),
            facts=frozenset({visibility}),
        )
