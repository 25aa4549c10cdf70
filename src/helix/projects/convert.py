"""ORM <-> core for projects: an organisation and a consortium as the rules of helix.core.projects read
them, and the facts a lifecycle move requires. The one place these mappings live."""

from __future__ import annotations

from typing import Any

from helix.core.projects import budget
from helix.core.projects import consortium as core
from helix.core.projects.lifecycle import ProjectFacts
from helix.core.projects.types import ProjectType
from helix.projects.models import BudgetLine, Milestone, Role, SourceKind
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
    sme = {SizeClass.SME: True, SizeClass.LARGE: False}.get(org.size_class)
    return core.Organisation(
        id=org.pk,
        kind=KIND.get(org.kind, core.OrganisationKind.OTHER),
        sme=sme if org.kind == OrganisationKind.COMPANY else None,
        country=country(org),
        sectors=frozenset(s.code for s in org.sectors.all()),
        domains=frozenset(str(d.pk) for m in org.memberships.all() for d in m.domains.all()),
        name=org.name,
    )


def country(org: Organisation) -> str:
    """The country of ``org``'s headquarters, or of its first site ("" without one), as the core writes
    it (ISO alpha-2 in capitals); reads ``sites``."""
    sites = sorted(org.sites.all(), key=lambda s: (not s.is_headquarters, s.pk))
    return core.normalise_country(sites[0].country) if sites else ""


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


# -- the budget ------------------------------------------------------------------------------------------

# The model's kinds of funding source as the core's budget reads them: a loan or equity is money that pays
# for the project but no subsidy, so it counts as funding and never towards a partner's funding rate.
SOURCE_KIND = {
    SourceKind.SUBSIDY: budget.SourceKind.SUBSIDY,
    SourceKind.OWN: budget.SourceKind.OWN_CONTRIBUTION,
    SourceKind.PRIVATE: budget.SourceKind.PRIVATE_COFINANCING,
    SourceKind.LOAN: budget.SourceKind.PRIVATE_COFINANCING,
    SourceKind.EQUITY: budget.SourceKind.PRIVATE_COFINANCING,
}


def budget_line(line: Any) -> budget.BudgetLine:
    """A budget line as the core reads it; reads ``line.member`` (select it for many)."""
    return budget.BudgetLine(line.member.organisation_id, line.year, line.category, line.amount)


def budget_of(project: Any) -> budget.Budget:
    """The project's budget as the core reads it: its lines, funding sources, milestones and deliverables.

    The model keeps no year on a funding source nor, for a project-wide source, a partner: the core
    counts such a source in the project's first year (the start's year; 0 when unknown) and for its
    coordinator, who receives the project's money. Reads the project's members, budget lines, sources and
    milestones (three queries)."""
    members = list(project.members.all())
    coordinator = next((m.organisation_id for m in members if m.role == Role.COORDINATOR), None)
    organisation_of = {m.pk: m.organisation_id for m in members}
    year = project.starts_on.year if project.starts_on else 0
    lines = BudgetLine.objects.filter(member__project=project).select_related("member")
    sources = []
    for s in project.funding_sources.all():
        partner = organisation_of.get(s.member_id) if s.member_id else coordinator
        if partner is None:
            continue  # no partner to count it for: a project without its coordinator yet
        kind = SOURCE_KIND[SourceKind(s.kind)]
        sources.append(budget.FundingSource(partner, year, kind, s.amount, s.instrument))
    milestones, deliverables = [], []
    for m in project.milestones.all():
        if m.kind == Milestone.Kind.DELIVERABLE:
            lead = organisation_of.get(m.lead_id) if m.lead_id else None
            deliverables.append(budget.Deliverable(str(m.pk), m.title, m.due_month, lead))
        else:
            milestones.append(budget.Milestone(str(m.pk), m.title, m.due_month))
    return budget.Budget(
        tuple(budget_line(line) for line in lines.order_by("pk")),
        tuple(sources),
        tuple(milestones),
        tuple(deliverables),
    )
