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

from typing import Any

from django.db.models import Q, Subquery

from helix.core.access import ANYONE, AUDIENCE, OWNER, SIGNED_IN, STAFF, Grant, Policy
from helix.core.insights import stories
from helix.insights.models import (
    ClusterInsights,
    Cycle,
    CycleStep,
    FeaturedOrganisation,
    Output,
    OutputReuse,
    PartnerLink,
    PhaseLink,
    Programme,
    StaffValue,
    Story,
)
from helix.market.models import Visibility
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


# Programme cycles: a programme, its cycles and their phases' links are seen as far as the programme's
# visibility reaches (anyone, members of the cluster, its staff), and always by its organisers' people
# and the cluster's staff; the records a link names are each shown only to who may see them. Staff run
# the cycles. An output has its own visibility; the people of the working table that made it edit it,
# and any signed-in organisation records that it reuses a public one.
_REACH = {
    "public": "visible to anyone",
    "members": "visible to members of the cluster",
    "staff": "visible to cluster staff only",
}


def _reach_grants(action: str) -> tuple[Grant, ...]:
    return (
        Grant(action, ANYONE, frozenset({"public"})),
        Grant(action, AUDIENCE, frozenset({"members"})),
        Grant(action, OWNER | STAFF),
    )


PROGRAMME = Policy(
    subject="insights.programme",
    label="Programme (cycles of needs, matchmaking, trajectories, dissemination)",
    actions={
        "view": "see the programme, its cycles, their phases and what each phase links",
        "edit": "change the programme, start a cycle and choose its work domains",
        "create": "start a programme for a cluster",
    },
    conditions=_REACH,
    grants=(*_reach_grants("view"), Grant("edit", STAFF), Grant("create", STAFF)),
)

CYCLE = Policy(
    subject="insights.cycle",
    label="Programme cycle",
    actions={
        "view": "see the cycle, its work domains, phases and links",
        "move": "move the cycle to its next phase (the cycle's workflow)",
        "link": "link needs, events and projects to a phase, and add outputs",
        "report": "generate the cycle's report",
    },
    conditions=_REACH,
    grants=(*_reach_grants("view"), Grant("move", STAFF), Grant("link", STAFF), Grant("report", STAFF)),
)


def _cycle_part(subject: str, label: str) -> Policy:
    return Policy(
        subject=subject,
        label=label,
        actions={"view": "see it where its cycle may be seen", "remove": "take it off the phase"},
        conditions=_REACH,
        grants=(*_reach_grants("view"), Grant("remove", STAFF)),
    )


OUTPUT = Policy(
    subject="insights.output",
    label="Programme output (a working table's or trajectory's result, for reuse)",
    actions={
        "view": "see the output and who reuses it",
        "edit": "change it",
        "reuse": "record that one's own organisation reuses it",
    },
    conditions=_REACH,
    grants=(
        *_reach_grants("view"),
        Grant("edit", OWNER | STAFF),
        Grant("reuse", SIGNED_IN, frozenset({"public"})),
        Grant("reuse", AUDIENCE, frozenset({"members"})),
        Grant("reuse", OWNER | STAFF),
    ),
)

OUTPUT_REUSE = Policy(
    subject="insights.outputreuse",
    label="Reuse of a programme output",
    actions={"view": "see which organisation reuses the output and what for"},
    conditions=_REACH,
    grants=_reach_grants("view"),
)


def _is(path: str, value: str) -> Fact:
    """The condition "the value at ORM ``path`` is ``value``", in Python and in SQL."""

    def test(obj: Any) -> bool:
        for part in path.split("__"):
            obj = getattr(obj, part, None)
        return bool(obj == value)

    return Fact(test, lambda: Q(**{path: value}))


def _reach_facts(path: str) -> dict[str, Fact]:
    return {
        name: _is(path, value)
        for name, value in (
            ("public", Visibility.PUBLIC),
            ("members", Visibility.MEMBERS),
            ("staff", Visibility.STAFF),
        )
    }


def _under_programme(policy: Policy, model: Any, to_programme: str) -> Subject:
    """A subject read through its programme (``to_programme``: the ORM path to it, "" for a programme):
    the programme's cluster, its organisers as owners, its visibility as the reach."""
    prefix = f"{to_programme}__" if to_programme else ""
    return Subject(
        policy,
        model,
        cluster=f"{prefix}cluster_id",
        member_organisations=f"{prefix}organisers__id",
        facts=_reach_facts(f"{prefix}visibility"),
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
    _under_programme(PROGRAMME, Programme, ""),
    _under_programme(CYCLE, Cycle, "programme"),
    _under_programme(
        _cycle_part("insights.phaselink", "Programme cycle phase link"), PhaseLink, "cycle__programme"
    ),
    _under_programme(
        _cycle_part("insights.cyclestep", "Programme cycle step"), CycleStep, "cycle__programme"
    ),
    Subject(
        OUTPUT,
        Output,
        cluster="cycle__programme__cluster_id",
        member_organisations="project__members__organisation_id",
        facts=_reach_facts("visibility"),
    ),
    Subject(
        OUTPUT_REUSE,
        OutputReuse,
        organisations=("organisation_id",),
        cluster="output__cycle__programme__cluster_id",
        facts=_reach_facts("output__visibility"),
    ),
)


def programme_clusters(user: Any) -> Any:
    """The clusters ``user`` may start a programme in (the ``create`` grant, asked of each cluster the
    user is staff of; every cluster for the superuser)."""
    from helix.registry.models import Cluster
    from helix.registry.permissions import actor_for, can, staff_cluster_ids

    if not getattr(user, "is_authenticated", False):
        return Cluster.objects.none()
    clusters = Cluster.objects.prefetch_related("names").order_by("slug")
    if actor_for(user).is_superuser:
        return clusters
    allowed = [pk for pk in staff_cluster_ids(user) if can(user, "create", Programme(cluster_id=pk))]
    return clusters.filter(pk__in=allowed)
