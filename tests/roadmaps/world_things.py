"""Roadmaps of every reach for the permission test world (tests/permissions): in each cluster a public, a
members-only and a staff-only roadmap in several states (draft, consultation, adopted), with participants
from the cluster (a1, ab; b1, b2) and one item owned by the first participant."""

from __future__ import annotations

import datetime as dt
from typing import Any


def add_roadmaps(w: Any) -> None:
    from helix.roadmaps.models import Item, Participant, Roadmap
    from tests.permissions.world import Thing

    cases = [
        ("alpha", "public", "consultation", ("a1", "ab")),
        ("alpha", "members", "adopted", ("a1",)),
        ("alpha", "staff", "draft", ("a2",)),
        ("alpha", "public", "draft", ("a3",)),
        ("beta", "public", "adopted", ("b1", "ab")),
        ("beta", "members", "consultation", ("b2",)),
        ("beta", "staff", "revised", ("b1",)),
    ]
    for cluster, visibility, status, participants in cases:
        roadmap = Roadmap.objects.create(
            cluster=w.clusters[cluster],
            key=f"{cluster}-{visibility}-{status}",
            title=f"{visibility} {status} roadmap of {cluster}",
            visibility=visibility,
            status=status,
            starts_on=dt.date(2026, 1, 1),
        )
        rows = [
            Participant.objects.create(roadmap=roadmap, organisation=w.orgs[org], role="partner")
            for org in participants
        ]
        Item.objects.create(
            roadmap=roadmap, key="m1", title="First milestone", owner=rows[0], duration_days=0
        )
        facts = {visibility} | ({"active"} if status != "draft" else set())
        w.things[f"roadmap:{cluster}-{visibility}-{status}"] = Thing(
            roadmap,
            owners=frozenset(participants),
            clusters=frozenset({cluster}),
            audience=frozenset({cluster}),
            facts=frozenset(facts),
        )
