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
    created += _programme()
    return {"created": created, "stories": Story.objects.count()}


# Smart Energy Cities (seed 003): the first cycle (2018-2020) ran its four phases over four work
# domains; a working table on public lighting produced a tender template that another city reuses. The
# next cycle is in its needs inventory, its work domains taken from the needs open now.
SEC = "smart-energy-cities"
SEC_ORGANISERS = ("Agoria", "Flux50", "VITO", "EnergyVille", "VVSG")
SEC_STEPS = (
    ("planned", dt.date(2018, 6, 1)),
    ("needs_inventory", dt.date(2018, 7, 1)),
    ("deepening", dt.date(2018, 9, 15)),
    ("trajectories", dt.date(2019, 5, 1)),
    ("dissemination", dt.date(2020, 2, 1)),
    ("closed", dt.date(2020, 6, 30)),
)


def _programme() -> int:
    from helix.insights.models import Cycle, CycleStep, Output, OutputReuse, PhaseLink, Programme
    from helix.market.models import Listing
    from helix.projects.models import Project, ProjectChange, ProjectMember
    from helix.registry.models import Domain, Organisation

    cluster = Cluster.objects.filter(slug=SEC).first()
    if cluster is None or Programme.objects.filter(cluster=cluster).exists():
        return 0
    orgs = {o.name: o for o in Organisation.objects.filter(memberships__cluster=cluster).distinct()}
    domains = {d.name: d for d in Domain.objects.filter(cluster=cluster)}
    programme = Programme.objects.create(
        cluster=cluster,
        name="Smart Energy Cities",
        description=(
            "Cities and industry brought together around the energy themes local governments give "
            "priority to, in cycles of four phases: needs inventory, deepening and matchmaking, "
            "innovation trajectories and working tables, dissemination."
        ),
    )
    programme.organisers.set([orgs[n] for n in SEC_ORGANISERS if n in orgs])
    first = Cycle.objects.create(
        programme=programme,
        number=1,
        starts_on=dt.date(2018, 7, 1),
        ends_on=dt.date(2020, 6, 30),
        state="closed",
        domains_note="The local governments' input of July 2018: most projects and questions in these four.",
    )
    first.work_domains.set(domains.values())
    for state, on in SEC_STEPS:
        CycleStep.objects.create(cycle=first, state=state, on=on)
    needs = list(Listing.objects.filter(side="need", domains__cluster=cluster).distinct().order_by("pk"))
    for need in needs[:4]:
        PhaseLink.objects.create(
            cycle=first, phase="needs_inventory", need=need, added_on=dt.date(2018, 7, 20)
        )
    table = Project.objects.create(
        cluster=cluster,
        kind="working_table",
        title="Working table: telemanagement of public lighting",
        summary="Cities and suppliers write one tender specification for LED telemanagement.",
        visibility="public",
        status="closed",
        starts_on=dt.date(2019, 5, 1),
        months=9,
    )
    table.domains.set([d for n, d in domains.items() if n == "Openbare verlichting"])
    makers = [orgs[n] for n in ("Stad Leuven", "Stad Gent", "Enervalis", "Agoria") if n in orgs]
    for i, org in enumerate(makers):
        ProjectMember.objects.create(
            project=table,
            organisation=org,
            role="coordinator" if i == 0 else "partner",
            joined_on=dt.date(2019, 5, 1),
        )
    for source, target, on in (
        ("", "idea", dt.date(2019, 4, 1)),
        ("idea", "consortium_forming", dt.date(2019, 4, 15)),
        ("consortium_forming", "running", dt.date(2019, 5, 1)),
        ("running", "closed", dt.date(2020, 1, 31)),
    ):
        ProjectChange.objects.create(project=table, from_status=source, to_status=target, changed_on=on)
    PhaseLink.objects.create(cycle=first, phase="deepening", project=table, added_on=dt.date(2018, 11, 1))
    PhaseLink.objects.create(cycle=first, phase="trajectories", project=table, added_on=dt.date(2019, 5, 1))
    output = Output.objects.create(
        cycle=first,
        phase="trajectories",
        project=table,
        kind="specification",
        title="Bestektemplate telemanagement openbare verlichting",
        summary=(
            "Een bestek voor de telemanagement van ledarmaturen in de openbare verlichting: functionele "
            "eisen, open protocollen, data-eigendom en gunningscriteria. Herbruikbaar door elke stad of "
            "gemeente die haar verlichting wil aansturen."
        ),
        language="nl",
        published_on=dt.date(2020, 1, 31),
    )
    output.domains.set(table.domains.all())
    reuser = orgs.get("Stad Kortrijk")
    if reuser is not None:
        OutputReuse.objects.create(
            output=output,
            organisation=reuser,
            note="Tender for 3,000 luminaires in 2021",
            on=dt.date(2021, 3, 1),
        )
    closing = Output.objects.create(
        cycle=first,
        phase="dissemination",
        kind="report",
        title="Smart Energy Cities 2018-2020: wat steden en industrie samen bereikten",
        summary=(
            "De geaggregeerde resultaten van de eerste cyclus voor alle Vlaamse steden, gemeenten en "
            "bedrijven: vier werkdomeinen, de matchmaking, de werktafel openbare verlichting en haar bestek."
        ),
        language="nl",
        published_on=dt.date(2020, 5, 15),
    )
    closing.domains.set(domains.values())
    second = Cycle.objects.create(
        programme=programme,
        number=2,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2028, 8, 31),
        state="needs_inventory",
        domains_note="Proposed by Helix from the needs open in September 2026.",
    )
    second.work_domains.set([d for n, d in domains.items() if n in ("Groene warmte", "E-mobility hubs")])
    CycleStep.objects.create(cycle=second, state="planned", on=dt.date(2026, 8, 15))
    CycleStep.objects.create(cycle=second, state="needs_inventory", on=dt.date(2026, 9, 1))
    for need in needs[4:8]:
        PhaseLink.objects.create(
            cycle=second, phase="needs_inventory", need=need, added_on=dt.date(2026, 9, 10)
        )
    return 1


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
