"""Write synthetic ecosystems (``generate``) to the database in bulk, all ``is_sample``:
``bulk_create`` in batches where primary keys are needed, multi-row INSERTs for the rest, and the search
text computed in Python, fast enough for tens of thousands of organisations.

The demo ecosystem is loaded first when its clusters are absent, by the loader the caller passes
(``helix.demo`` passes ``helix.demo.load_demo``, which loads the demo of every app).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from helix.registry import services
from helix.registry.convert import PERSON_FIELDS, SITE_FIELDS
from helix.registry.demo import generate
from helix.registry.demo.generated import (
    ClusterTarget,
    GeneratedCluster,
    GeneratedMembership,
    GeneratedOrganisation,
    GeneratedSite,
)
from helix.registry.demo.load import classify
from helix.registry.demo.seeds import DEMO, DEMO_CLUSTER_SLUGS
from helix.registry.demo.vocabulary import SYNTHETIC_CLUSTERS
from helix.registry.models import (
    Cluster,
    ClusterName,
    Domain,
    DomainKind,
    Keyword,
    Membership,
    MembershipChange,
    Organisation,
    Person,
    Sector,
    Site,
)


def _keyword_ids(names: Iterable[str]) -> dict[str, int]:
    """Ids of the keywords ``names`` (lower case), created in bulk when new."""
    wanted = sorted({n.strip().lower() for n in names if n.strip()})
    existing = dict(Keyword.objects.filter(name__in=wanted).values_list("name", "pk"))
    missing = [Keyword(name=n) for n in wanted if n not in existing]
    if missing:
        Keyword.objects.bulk_create(missing, ignore_conflicts=True)
        existing = dict(Keyword.objects.filter(name__in=wanted).values_list("name", "pk"))
    return existing


@dataclass(frozen=True)
class GenerateReport:
    organisations: int
    sites: int
    people: int
    memberships: int
    clusters_created: int
    seconds: float
    seed: int
    demo_loaded: bool = False

    def summary(self) -> str:
        clusters = f", {self.clusters_created} new clusters" if self.clusters_created else ""
        if self.demo_loaded:
            clusters += " (the demo ecosystem was loaded first)"
        return (
            f"Generated {self.organisations:,} organisations, {self.sites:,} sites, {self.people:,} people "
            f"and {self.memberships:,} memberships{clusters} in {self.seconds:.1f} s (seed {self.seed})."
        )


def generated_organisations() -> models.QuerySet[Organisation]:
    """Organisations made by ``generate_into_database`` (sample data that is neither demo nor operator)."""
    return (
        Organisation.objects.filter(is_sample=True)
        .exclude(slug__in=[o.slug for o in DEMO.organisations])
        .exclude(operated_clusters__isnull=False)
    )


def _ordered_clusters() -> list[Cluster]:
    clusters = list(Cluster.objects.prefetch_related("domains"))
    order = {slug: i for i, slug in enumerate(DEMO_CLUSTER_SLUGS)}
    return sorted(clusters, key=lambda c: (order.get(c.slug, len(order)), c.slug))


def _targets(clusters: Sequence[Cluster]) -> tuple[ClusterTarget, ...]:
    return generate.cluster_targets(
        (c.slug, c.founded_on or dt.date(2015, 1, 1), tuple(sorted(d.slug for d in c.domains.all())))
        for c in clusters
    )


def _taken_identifiers() -> set[tuple[str, str]]:
    pairs = Organisation.objects.exclude(legal_identifier="").values_list(
        "identifier_scheme", "legal_identifier"
    )
    return set(pairs)


def _free_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _create_clusters(made: Sequence[GeneratedCluster]) -> None:
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    for spec in made:
        op = spec.operator
        operator = Organisation.objects.create(
            name=op.name,
            slug=_free_slug(op.name, slugs),
            kind=op.kind,
            identifier_scheme=op.identifier_scheme,
            legal_identifier=op.legal_identifier,
            working_languages=op.working_languages,
            description_en=op.description_en,
            is_sample=True,
        )
        classify(operator, op.sectors, op.keywords)
        for site in op.sites:
            Site.objects.create(organisation=operator, **_site_fields(site))
        services.refresh_search_text(operator)
        cluster = Cluster.objects.create(
            slug=spec.slug,
            operator=operator,
            founded_on=spec.founded_on,
            description=spec.description,
            is_sample=True,
        )
        ClusterName.objects.create(cluster=cluster, name=spec.name, valid_from=spec.founded_on)
        for domain in spec.domains:
            Domain.objects.create(
                cluster=cluster,
                kind=DomainKind.THEME,
                slug=domain.slug,
                name=domain.name,
                description=domain.description,
            )


def _site_fields(site: GeneratedSite) -> dict[str, Any]:
    return {
        "name": site.name,
        "street": site.street,
        "postcode": site.postcode,
        "city": site.city,
        "country": site.country,
        "region": site.region,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "is_headquarters": site.is_headquarters,
    }


def generate_into_database(
    count: int,
    *,
    load_demo: Callable[[], object],
    seed: int = 1,
    clusters: int | None = None,
    replace: bool = False,
    batch_size: int = 1000,
    progress: Callable[[str, int, int], None] | None = None,
) -> GenerateReport:
    """Add ``count`` synthetic organisations with sites, people and memberships, all ``is_sample``.

    The demo clusters are loaded first when absent, by ``load_demo`` (``helix.demo.load_demo``, which
    loads the demo of every app). ``clusters`` limits the memberships to the first
    ``clusters`` clusters (demo clusters first), inventing more when there are fewer. ``replace`` first
    deletes the organisations an earlier run generated. ``progress(phase, done, total)`` reports work.
    """
    started = time.perf_counter()
    with transaction.atomic():
        demo_loaded = Cluster.objects.filter(slug__in=DEMO_CLUSTER_SLUGS).count() < len(DEMO_CLUSTER_SLUGS)
        if demo_loaded:
            load_demo()
        if replace:
            generated_organisations().delete()
        existing = _ordered_clusters()
        created_clusters = 0
        if clusters is not None and clusters > len(existing):
            taken_slugs = {c.slug for c in existing}
            pool = generate.synthetic_clusters(
                clusters + len(SYNTHETIC_CLUSTERS), seed=seed, taken_identifiers=_taken_identifiers()
            )
            new = [c for c in pool if c.slug not in taken_slugs][: clusters - len(existing)]
            _create_clusters(new)
            created_clusters = len(new)
            existing = _ordered_clusters()
        if clusters is not None:
            existing = existing[:clusters]
        targets = _targets(existing)

        taken_ids = _taken_identifiers()
        taken_names = set(Organisation.objects.values_list("name", flat=True))
        done = 0

        def generated(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("generate", done, count)

        made = generate.generate_ecosystem(
            count,
            seed=seed,
            clusters=targets,
            taken_identifiers=taken_ids,
            taken_names=taken_names,
            progress=generated,
        )
        sites, people, memberships = _write(made, batch_size, progress)
    return GenerateReport(
        len(made),
        sites,
        people,
        memberships,
        created_clusters,
        time.perf_counter() - started,
        seed,
        demo_loaded,
    )


# Same fields, same order as the import/export layout, with the owning organisation first.
SITE_COLUMNS = ("organisation", *SITE_FIELDS)
PERSON_COLUMNS = ("organisation", *PERSON_FIELDS)


def _write(
    made: Sequence[GeneratedOrganisation],
    batch_size: int,
    progress: Callable[[str, int, int], None] | None,
) -> tuple[int, int, int]:
    sector_ids = dict(Sector.objects.values_list("code", "id"))
    keyword_ids = _keyword_ids(kw for org in made for kw in org.keywords)
    cluster_ids = dict(Cluster.objects.values_list("slug", "id"))
    domain_ids = {(c, s): pk for c, s, pk in Domain.objects.values_list("cluster__slug", "slug", "id")}
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    sector_link = Organisation.sectors.through
    keyword_link = Organisation.keywords.through
    domain_link = Membership.domains.through
    adapt_date = connection.ops.adapt_datefield_value
    recorded_at = connection.ops.adapt_datetimefield_value(timezone.now())
    totals = Counter[str]()
    for start in range(0, len(made), batch_size):
        batch = made[start : start + batch_size]
        orgs = []
        for g in batch:
            org = Organisation(
                name=g.name,
                slug=_free_slug(g.name, slugs),
                kind=g.kind,
                size_class=g.size_class,
                government_level=g.government_level,
                identifier_scheme=g.identifier_scheme,
                legal_identifier=g.legal_identifier,
                website=g.website,
                working_languages=g.working_languages,
                description_en=g.description_en,
                description_nl=g.description_nl,
                description_fr=g.description_fr,
                description_de=g.description_de,
                is_published=g.is_published,
                is_sample=True,
            )
            orgs.append(org)
        Organisation.objects.bulk_create(orgs, batch_size=batch_size)
        site_rows, person_rows, sector_rows, keyword_rows, membership_rows = [], [], [], [], []
        membership_specs: list[GeneratedMembership] = []
        for org, g in zip(orgs, batch, strict=True):
            site_rows += [
                (
                    org.pk,
                    s.name,
                    s.street,
                    s.postcode,
                    s.city,
                    s.country,
                    s.region,
                    s.latitude,
                    s.longitude,
                    s.is_headquarters,
                )
                for s in g.sites
            ]
            person_rows += [
                (
                    org.pk,
                    p.first_name,
                    p.last_name,
                    p.email,
                    "",
                    p.job_title,
                    p.roles,
                    p.consent_contact,
                    p.consent_newsletter,
                    p.consent_public,
                    adapt_date(p.consent_recorded_on) if p.consent_recorded_on else None,
                    True,
                )
                for p in g.people
            ]
            sector_rows += [(org.pk, sector_ids[c]) for c in g.sectors]
            keyword_rows += [(org.pk, keyword_ids[k]) for k in g.keywords]
            for m in g.memberships:
                membership_rows.append(
                    Membership(
                        organisation_id=org.pk,
                        cluster_id=cluster_ids[m.cluster],
                        level=m.level,
                        since=m.since,
                    )
                )
                membership_specs.append(m)
        services.insert_rows(Site, SITE_COLUMNS, site_rows)
        services.insert_rows(Person, PERSON_COLUMNS, person_rows)
        services.insert_rows(sector_link, ("organisation", "sector"), sector_rows)
        services.insert_rows(keyword_link, ("organisation", "keyword"), keyword_rows)
        Membership.objects.bulk_create(membership_rows, batch_size=batch_size)
        change_rows, domain_rows = [], []
        for membership, m in zip(membership_rows, membership_specs, strict=True):
            change_rows += [
                (membership.pk, c.from_level, c.to_level, adapt_date(c.on), "sample", recorded_at)
                for c in m.history
            ]
            domain_rows += [(membership.pk, domain_ids[m.cluster, d]) for d in m.domains]
        services.insert_rows(
            MembershipChange,
            ("membership", "from_level", "to_level", "changed_on", "note", "recorded_at"),
            change_rows,
        )
        services.insert_rows(domain_link, ("membership", "domain"), domain_rows)
        services.refresh_search_texts(orgs)
        totals.update(sites=len(site_rows), people=len(person_rows), memberships=len(membership_rows))
        if progress:
            progress("write", start + len(batch), len(made))
    return totals["sites"], totals["people"], totals["memberships"]
