"""ORM <-> core for projects: an organisation and a consortium as the rules of helix.core.projects read
them, and the facts a lifecycle move requires. The one place these mappings live."""

from __future__ import annotations

from typing import Any

from helix.core.projects import consortium as core
from helix.core.projects.lifecycle import ProjectFacts
from helix.core.projects.types import ProjectType
from helix.registry.models import Organisation, OrganisationKind, SizeClass

KIND = {
    OrganisationKind.COMPANY: core.OrganisationKind.COMPANY,
    OrganisationKind.KNOWLEDGE_INSTITUTION: core.OrganisationKind.KNOWLEDGE_INSTITUTION,
    OrganisationKind.GOVERNMENT: core.OrganisationKind.GOVERNMENT,
    # federations and cluster organisations are neither of the three strands
    OrganisationKind.FEDERATION: core.OrganisationKind.OTHER,
    OrganisationKind.CLUSTER_ORGANISATION: core.OrganisationKind.OTHER,
}


def organisation(org: Organisation) -> core.Organisation:
    """``org`` as the consortium rules read it: kind, SME status (unknown unless the registry says SME or
    large), country of its headquarters (or its first site), sectors, the cluster domains of its
    memberships. Reads ``sites``, ``sectors`` and ``memberships__domains`` (prefetch them for many)."""
    sites = sorted(org.sites.all(), key=lambda s: (not s.is_headquarters, s.pk))
    sme = {SizeClass.SME: True, SizeClass.LARGE: False}.get(org.size_class)
    return core.Organisation(
        id=org.pk,
        kind=KIND.get(org.kind, core.OrganisationKind.OTHER),
        sme=sme if org.kind == OrganisationKind.COMPANY else None,
        country=sites[0].country if sites else "",
        sectors=frozenset(s.code for s in org.sectors.all()),
        domains=frozenset(str(d.pk) for m in org.memberships.all() for d in m.domains.all()),
        name=org.name,
    )


ORGANISATION_PREFETCH = ("sites", "sectors", "memberships__domains")


def members(project: Any) -> list[core.Member]:
    """The project's consortium as core members, in a fixed order."""
    rows = project.members.select_related("organisation").prefetch_related(
        "organisation__sites", "organisation__sectors", "organisation__memberships__domains"
    )
    return [core.Member(organisation(m.organisation), core.Role(m.role)) for m in rows.order_by("pk")]


def facts(project: Any, project_type: ProjectType) -> ProjectFacts:
    """What the lifecycle's requirements read about ``project`` (its budget is not checked yet: the
    budget pages come with the project pages)."""
    return ProjectFacts.of(project_type, members(project), project.months, project.starts_on)
