"""The clusters an audited object belongs to, stored with each of its log entries.

An organisation belongs to the clusters it has a membership in (any level) and those it runs; its
sites, people, listings and flows to its clusters. A membership, letter of intent, domain, advisory
group or event belongs to its one cluster; the parts of an event to the event's cluster. A synergy and
its history belong to the clusters of both organisations; a market meeting request and a verdict to
those of both sides. An instrument belongs to its cluster; a ledger entry to its instrument's cluster,
or, for a programme-wide instrument, to its beneficiary's clusters. Sectors, keywords, documented
exchanges, impact factors and programme-wide instruments belong to no cluster: their history is for
superusers.

Each rule reads at most one or two small queries, or none when the related row is already loaded.
``clusters_of_many`` does the same for a batch (imports) in a few queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Model, Q

Rule = Callable[[Any], set[int]]


def clusters_of_organisations(org_ids: Any) -> set[int]:
    """Clusters in which any of ``org_ids`` (ids or a subquery of ids) is a member or the operator."""
    from helix.registry.models import Cluster, Membership

    members = Membership.objects.filter(organisation_id__in=org_ids).order_by().values_list("cluster_id")
    operated = Cluster.objects.filter(operator_id__in=org_ids).order_by().values_list("pk")
    return {cluster_id for (cluster_id,) in members.union(operated)}


def clusters_by_organisation(org_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each organisation id, its clusters (member or operator); two queries per 500 ids."""
    from helix.registry.models import Cluster, Membership

    ids = sorted({i for i in org_ids if i is not None})
    found: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = Membership.objects.filter(organisation_id__in=chunk).order_by()
        for org_id, cluster_id in rows.values_list("organisation_id", "cluster_id"):
            found[org_id].add(cluster_id)
        for cluster_id, org_id in Cluster.objects.filter(operator_id__in=chunk).values_list(
            "pk", "operator_id"
        ):
            found[org_id].add(cluster_id)
    return found


def _related_value(instance: Model, relation: str, attribute: str, model: Any, fk: int | None) -> Any:
    """``instance.<relation>.<attribute>``, from the loaded related row or else by one small query."""
    field = instance._meta.get_field(relation)
    if field.is_cached(instance):  # type: ignore[union-attr]
        related = getattr(instance, relation)
        return getattr(related, attribute) if related is not None else None
    if fk is None:
        return None
    return model.objects.filter(pk=fk).values_list(attribute, flat=True).first()


def _own_cluster(instance: Any) -> set[int]:
    return {instance.cluster_id} if instance.cluster_id else set()


def _organisation(instance: Any) -> set[int]:
    return clusters_of_organisations([instance.pk])


def _owner(instance: Any) -> set[int]:
    return clusters_of_organisations([instance.organisation_id])


def _cluster(instance: Any) -> set[int]:
    return {instance.pk}


def _interaction(instance: Any) -> set[int]:
    return _own_cluster(instance) or _owner(instance)


def _advisory_seat(instance: Any) -> set[int]:
    from helix.registry.models import AdvisoryGroup

    cluster = _related_value(instance, "group", "cluster_id", AdvisoryGroup, instance.group_id)
    return {cluster} if cluster else set()


def _nowhere(instance: Any) -> set[int]:
    return set()


def _meeting_request(instance: Any) -> set[int]:
    return clusters_of_organisations([instance.from_organisation_id, instance.to_organisation_id])


def _feedback(instance: Any) -> set[int]:
    from helix.market.models import Listing

    owners = Listing.objects.filter(pk__in=[instance.need_id, instance.offer_id]).values("organisation_id")
    return clusters_of_organisations(owners)


def _event_part(instance: Any) -> set[int]:
    from helix.events.models import Event

    cluster = _related_value(instance, "event", "cluster_id", Event, instance.event_id)
    return {cluster} if cluster else set()


def _synergy(instance: Any) -> set[int]:
    from helix.symbiosis.models import ResourceFlow

    owners = ResourceFlow.objects.filter(pk__in=[instance.have_id, instance.want_id]).values(
        "organisation_id"
    )
    return clusters_of_organisations(owners)


def _synergy_part(instance: Any) -> set[int]:
    from helix.symbiosis.models import ResourceFlow, Synergy

    pair = Synergy.objects.filter(pk=instance.synergy_id)
    flows = ResourceFlow.objects.filter(Q(pk__in=pair.values("have_id")) | Q(pk__in=pair.values("want_id")))
    return clusters_of_organisations(flows.values("organisation_id"))


def _project_part(instance: Any) -> set[int]:
    from helix.projects.models import Project

    cluster = _related_value(instance, "project", "cluster_id", Project, instance.project_id)
    return {cluster} if cluster else set()


def _budget_line(instance: Any) -> set[int]:
    from helix.projects.models import Project

    project = Project.objects.filter(members__pk=instance.member_id)
    return set(project.values_list("cluster_id", flat=True))


def _ledger_entry(instance: Any) -> set[int]:
    from helix.funds.models import Instrument

    cluster = _related_value(instance, "instrument", "cluster_id", Instrument, instance.instrument_id)
    # a programme-wide instrument's entry belongs to its beneficiary's clusters (as its staff see it)
    return {cluster} if cluster else clusters_of_organisations([instance.beneficiary_id])


def _call_part(instance: Any) -> set[int]:
    from helix.calls.models import Call

    cluster = _related_value(instance, "call", "cluster_id", Call, instance.call_id)
    return {cluster} if cluster else set()


def _application_part(instance: Any) -> set[int]:
    from helix.calls.models import Application

    found = Application.objects.filter(pk=instance.application_id).values_list("call__cluster_id", flat=True)
    return set(found)


def _review(instance: Any) -> set[int]:
    from helix.calls.models import ReviewAssignment

    found = ReviewAssignment.objects.filter(pk=instance.assignment_id)
    return set(found.values_list("application__call__cluster_id", flat=True))


def _reviewer_part(instance: Any) -> set[int]:
    from helix.calls.models import Reviewer

    found = Reviewer.objects.filter(pk=instance.reviewer_id).values_list("call__cluster_id", flat=True)
    return set(found)


# Every model of the audited apps, with the rule giving its clusters (see registration.EXCLUDED for the
# models left out). A new model must be added here or there: tests/audit/test_registration.py checks.
RULES: dict[str, Rule] = {
    "registry.Sector": _nowhere,
    "registry.Keyword": _nowhere,
    "registry.Organisation": _organisation,
    "registry.Site": _owner,
    "registry.Person": _owner,
    "registry.Cluster": _cluster,
    "registry.ClusterName": _own_cluster,
    "registry.Domain": _own_cluster,
    "registry.Membership": _own_cluster,
    "registry.LetterOfIntent": _own_cluster,
    "registry.Interaction": _interaction,
    "registry.AdvisoryGroup": _own_cluster,
    "registry.AdvisorySeat": _advisory_seat,
    "registry.StaffAssignment": _own_cluster,
    "market.Listing": _owner,
    "market.Feedback": _feedback,
    "market.MeetingRequest": _meeting_request,
    "events.Event": _own_cluster,
    "events.Session": _event_part,
    "events.TimeSlot": _event_part,
    "events.Room": _event_part,
    "events.Registration": _event_part,
    "events.EventMeetingRequest": _event_part,
    "events.Schedule": _event_part,
    "symbiosis.ResourceFlow": _owner,
    "symbiosis.DocumentedExchange": _nowhere,
    "symbiosis.Synergy": _synergy,
    "symbiosis.SynergyReport": _synergy_part,
    "symbiosis.ImpactFactorSetting": _nowhere,
    "projects.Project": _own_cluster,
    "projects.ProjectMember": _project_part,
    "projects.BudgetLine": _budget_line,
    "projects.FundingSource": _project_part,
    "projects.Milestone": _project_part,
    "projects.ProjectReport": _project_part,
    "funds.Instrument": _own_cluster,
    "funds.LedgerEntry": _ledger_entry,
    "calls.Call": _own_cluster,
    "calls.Application": _call_part,
    "calls.Applicant": _application_part,
    "calls.Attachment": _application_part,
    "calls.Reviewer": _call_part,
    "calls.DeclaredConflict": _reviewer_part,
    "calls.ReviewAssignment": _reviewer_part,
    "calls.Review": _review,
    "calls.Award": _application_part,
}


def clusters_of(instance: Model) -> set[int]:
    """The clusters ``instance`` belongs to now (a deleted one: when its deletion began)."""
    cached = getattr(instance, "_audit_clusters", None)
    if cached is not None:
        return set(cached)
    return RULES[instance._meta.label](instance)


def clusters_of_many(instances: Sequence[Model]) -> list[set[int]]:
    """``clusters_of`` for a batch of one model, in a few queries for the models imports write."""
    if not instances:
        return []
    label = instances[0]._meta.label
    if label in ("registry.Organisation", "registry.Site", "registry.Person", "market.Listing"):
        key = "pk" if label == "registry.Organisation" else "organisation_id"
        by_org = clusters_by_organisation(getattr(i, key) for i in instances)
        return [set(by_org.get(getattr(i, key), ())) for i in instances]
    return [clusters_of(i) for i in instances]
