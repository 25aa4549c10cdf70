"""Who sees a cluster's indicators and enters the figures Helix cannot compute.

A cluster's indicators, the records behind each figure and its label self-assessment are its staff's
working tools: the records include contacts, memberships and funding that only staff see, and a figure
without its context misleads. So every action here is for the staff of the cluster (``staff``, through
the cluster itself). What a cluster chooses to publish (the showcase, open data) is decided there, not
here. The figures staff enter (``insights.staffvalue``) are seen and added by the same staff; they are
never edited (a correction is a new entry), so no edit action is declared.

Stories (``insights.story``) are written and published by the cluster's staff; the people of every
organisation a story features see the draft and approve it for their organisation; anyone reads it once
it is published and all have approved (helix.core.insights.stories.showable). Partner links are public.
"""

from __future__ import annotations

from django.db.models import Q, Subquery

from helix.core.access import ANYONE, OWNER, STAFF, Grant, Policy
from helix.core.insights import stories
from helix.insights.models import ClusterInsights, FeaturedOrganisation, PartnerLink, StaffValue, Story
from helix.registry.permissions import Fact, Subject, register

INDICATORS = Policy(
    subject="insights.clusterinsights",
    label="Cluster indicators",
    actions={
        "view": "see the cluster's indicators for any period and domain, and the records behind each figure",
        "assess": "see the cluster-excellence label self-assessment",
        "enter_values": "enter the figures Helix cannot compute (staff FTE, press ...) with their source",
        "export": "download the indicators as CSV or JSON",
        "report": "generate and download the cluster's report for a year or period, in any language",
        "open_data": "read its open indicators (aggregates naming no one: OPEN_INDICATORS)",
    },
    grants=(
        Grant("view", STAFF),
        Grant("assess", STAFF),
        Grant("enter_values", STAFF),
        Grant("export", STAFF),
        Grant("report", STAFF),
        Grant("open_data", ANYONE),
    ),
)

STAFF_VALUE = Policy(
    subject="insights.staffvalue",
    label="Indicator value entered by staff",
    actions={"view": "see the figure, its period, its source and who entered it"},
    grants=(Grant("view", STAFF),),
)

STORY = Policy(
    subject="insights.story",
    label="Story (success story, good practice, news)",
    actions={
        "view": "read the story",
        "edit": "write and change the story, the organisations it features, its domains and links",
        "publish": "publish, withdraw or rework it (the story workflow)",
        "approve": "approve, for one's own organisation, that the story shows it",
        "create": "write a new story for a cluster",
    },
    conditions={"public": "published, and every organisation it features has approved it"},
    grants=(
        Grant("view", ANYONE, frozenset({"public"})),
        Grant("view", OWNER | STAFF),
        Grant("edit", STAFF),
        Grant("publish", STAFF),
        Grant("approve", OWNER),
        Grant("create", STAFF, note="asked of the new story, with its cluster"),
    ),
)

PARTNER_LINK = Policy(
    subject="insights.partnerlink",
    label="Partner initiative",
    actions={"view": "see the link on the showcase", "edit": "add, change or remove it"},
    grants=(Grant("view", ANYONE), Grant("edit", STAFF)),
)


def _public(story: Story) -> bool:
    approvals = [(f.organisation_id, f.approved_on is not None) for f in story.featured.all()]
    return stories.showable(story.status, approvals).public


def _public_q() -> Q:
    waiting = FeaturedOrganisation.objects.filter(approved_on__isnull=True).values("story_id")
    return Q(status=stories.PUBLISHED) & ~Q(pk__in=Subquery(waiting))


register(
    Subject(INDICATORS, ClusterInsights, cluster="id"),
    Subject(STAFF_VALUE, StaffValue, cluster="cluster_id"),
    Subject(
        STORY,
        Story,
        cluster="cluster_id",
        member_organisations="featured__organisation_id",
        facts={"public": Fact(_public, _public_q, reads_database=True)},
    ),
    Subject(PARTNER_LINK, PartnerLink, cluster="cluster_id"),
)
