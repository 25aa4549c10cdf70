"""Write the demo ecosystem (``seeds``) and synthetic ecosystems (``generate``) to the database.

``load_demo`` is idempotent: every object is found by its natural key and only saved when it differs,
so loading twice changes nothing. ``generate_into_database`` adds synthetic organisations in bulk:
``bulk_create`` in batches where primary keys are needed, multi-row INSERTs for the rest, and the search
text computed in Python, fast enough for tens of thousands.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from helix.core.registry.nace import normalise_nace
from helix.registry import services
from helix.registry.demo import generate
from helix.registry.demo.seeds import DEMO, DEMO_CLUSTER_SLUGS, DEMO_PASSWORD, DemoEcosystem, PersonSeed
from helix.registry.models import (
    AdvisoryGroup,
    AdvisorySeat,
    Cluster,
    ClusterName,
    Domain,
    DomainKind,
    Interaction,
    Keyword,
    LetterOfIntent,
    Membership,
    MembershipChange,
    Organisation,
    Person,
    Sector,
    Site,
    StaffAssignment,
)
from helix.registry.transfer import PERSON_FIELDS, SITE_FIELDS

M = TypeVar("M", bound=models.Model)


@dataclass
class DemoReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, what it may do)

    organisations: int = 0
    clusters: int = 0
    memberships: int = 0
    listings: dict[str, int] = field(default_factory=dict)  # needs and offers (helix.market.demo)
    symbiosis: dict[str, object] = field(default_factory=dict)  # resource flows (helix.symbiosis.demo)

    def summary(self) -> str:
        return (
            f"Demo ecosystem: {self.organisations} organisations, {self.clusters} clusters and "
            f"{self.memberships} memberships ({sum(self.created.values())} objects created, "
            f"{sum(self.updated.values())} updated)."
        )


def _sync(model: type[M], lookup: dict[str, Any], values: dict[str, Any], report: DemoReport) -> M:
    """Find the object by ``lookup``; create it, or save the fields of ``values`` that differ."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        report.created[model.__name__] += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.updated[model.__name__] += 1
    return obj


def _keyword_ids(names: Iterable[str]) -> dict[str, int]:
    """Ids of the keywords ``names`` (lower case), created in bulk when new."""
    wanted = sorted({n.strip().lower() for n in names if n.strip()})
    existing = dict(Keyword.objects.filter(name__in=wanted).values_list("name", "pk"))
    missing = [Keyword(name=n) for n in wanted if n not in existing]
    if missing:
        Keyword.objects.bulk_create(missing, ignore_conflicts=True)
        existing = dict(Keyword.objects.filter(name__in=wanted).values_list("name", "pk"))
    return existing


def _classify(org: Organisation, sectors: Iterable[str], keywords: Iterable[str]) -> None:
    services.set_classification(
        org, sector_codes=[normalise_nace(c) for c in sectors], keywords=list(keywords)
    )


@transaction.atomic
def load_demo(ecosystem: DemoEcosystem = DEMO) -> DemoReport:
    """Create or update the demo ecosystem; loading it twice changes nothing."""
    report = DemoReport()
    services.load_nace_sectors()

    organisations: dict[str, Organisation] = {}
    for seed in ecosystem.organisations:
        # A real organisation imported earlier under its legal identifier is updated, not duplicated.
        known = (
            Organisation.objects.filter(
                identifier_scheme=seed.identifier_scheme, legal_identifier=seed.legal_identifier
            ).first()
            if seed.legal_identifier
            else None
        )
        org = _sync(
            Organisation,
            {"pk": known.pk} if known else {"slug": seed.slug},
            {
                "name": seed.name,
                "kind": seed.kind,
                "size_class": seed.size_class,
                "government_level": seed.government_level,
                "identifier_scheme": seed.identifier_scheme,
                "legal_identifier": seed.legal_identifier,
                "website": seed.website,
                "working_languages": seed.languages,
                "description_en": seed.description_en,
                "description_nl": seed.description_nl,
                "description_fr": seed.description_fr,
                "description_de": seed.description_de,
                "is_published": True,
                "is_sample": seed.is_sample,
            },
            report,
        )
        _classify(org, seed.sectors, seed.keywords)
        if seed.site:
            site = seed.site
            _sync(
                Site,
                {"organisation": org, "name": site.name},
                {
                    "city": site.city,
                    "postcode": site.postcode,
                    "country": site.country,
                    "region": site.region,
                    "latitude": site.latitude,
                    "longitude": site.longitude,
                    "is_headquarters": True,
                },
                report,
            )
        organisations[seed.slug] = org

    clusters: dict[str, Cluster] = {}
    domains: dict[tuple[str, str], Domain] = {}
    for seed in ecosystem.clusters:
        cluster = _sync(
            Cluster,
            {"slug": seed.slug},
            {
                "operator": organisations[seed.operator],
                "founded_on": seed.founded_on,
                "description": seed.description,
                "is_sample": seed.is_sample,
            },
            report,
        )
        for name in seed.names:
            _sync(
                ClusterName, {"cluster": cluster, "valid_from": name.valid_from}, {"name": name.name}, report
            )
        for domain in seed.domains:
            domains[seed.slug, domain.slug] = _sync(
                Domain,
                {"cluster": cluster, "slug": domain.slug},
                {
                    "kind": domain.kind,
                    "name": domain.name,
                    "description": domain.description,
                },
                report,
            )
        clusters[seed.slug] = cluster

    people: dict[tuple[str, str, str], Person] = {}

    def person(seed: PersonSeed) -> Person:
        key = (seed.organisation, seed.first_name, seed.last_name)
        if key not in people:
            people[key] = _sync(
                Person,
                {
                    "organisation": organisations[seed.organisation],
                    "first_name": seed.first_name,
                    "last_name": seed.last_name,
                },
                {"job_title": seed.job_title, "roles": seed.roles, "is_sample": True},
                report,
            )
        return people[key]

    for seed_person in ecosystem.all_people():
        person(seed_person)

    users = _load_users(ecosystem, clusters, person, report)

    for seed in ecosystem.memberships:
        membership = _sync(
            Membership,
            {"organisation": organisations[seed.organisation], "cluster": clusters[seed.cluster]},
            {
                "level": seed.level,
                "since": seed.since,
                "relationship_manager": users.get(seed.manager),
            },
            report,
        )
        membership.domains.set([domains[seed.cluster, slug] for slug in seed.domains])
        wanted, previous = [], ""
        for step in seed.steps:
            wanted.append((previous, step.level, step.on, step.note))
            previous = step.level
        existing = list(
            membership.changes.order_by("changed_on", "pk").values_list(
                "from_level", "to_level", "changed_on", "note"
            )
        )
        if existing != wanted:
            membership.changes.all().delete()
            MembershipChange.objects.bulk_create(
                MembershipChange(membership=membership, from_level=f, to_level=t, changed_on=on, note=note)
                for f, t, on, note in wanted
            )
            report.created[MembershipChange.__name__] += len(wanted)

    for letter in ecosystem.letters:
        signatory = person(letter.signatory)
        _sync(
            LetterOfIntent,
            {"organisation": organisations[letter.organisation], "cluster": clusters[letter.cluster]},
            {
                "signed_on": letter.signed_on,
                "signatory": signatory,
                "signatory_name": signatory.full_name,
                "note": letter.note,
            },
            report,
        )

    for group_seed in ecosystem.advisory_groups:
        group = _sync(
            AdvisoryGroup,
            {"cluster": clusters[group_seed.cluster], "name": group_seed.name},
            {"target_size": 10},
            report,
        )
        for seat in group_seed.seats:
            _sync(
                AdvisorySeat,
                {"group": group, "person": person(seat.person)},
                {"is_chair": seat.is_chair},
                report,
            )

    for seed in ecosystem.interactions:
        interaction = _sync(
            Interaction,
            {
                "organisation": organisations[seed.organisation],
                "cluster": clusters[seed.cluster],
                "kind": seed.kind,
                "happened_on": seed.happened_on,
            },
            {
                "logged_by": users[seed.logged_by],
                "summary": seed.summary,
                "needs_identified": seed.needs_identified,
                "follow_up_on": seed.follow_up_on,
                "follow_up_done": seed.follow_up_done,
            },
            report,
        )
        interaction.people.set([person(p) for p in seed.people])

    services.refresh_search_texts(list(organisations.values()))
    report.organisations = len(organisations)
    report.clusters = len(clusters)
    report.memberships = len(ecosystem.memberships)

    from helix.market.demo import load_demo_listings  # the market builds on the registry, not the reverse

    report.listings = load_demo_listings()
    from helix.symbiosis.demo import load_demo_symbiosis

    report.symbiosis = load_demo_symbiosis()
    return report


def _load_users(
    ecosystem: DemoEcosystem,
    clusters: dict[str, Cluster],
    person: Callable[[PersonSeed], Person],
    report: DemoReport,
) -> dict[str, Any]:
    User = get_user_model()  # noqa: N806 (a class)
    users: dict[str, Any] = {}
    encoded = ""  # one hash for all (hashing takes a second each); the password is public anyway
    for seed in ecosystem.users:
        user = _sync(
            User,
            {"username": seed.username},
            {
                "is_staff": seed.is_staff,
                "is_superuser": seed.is_superuser,
                "is_active": True,
            },
            report,
        )
        if not user.password or not user.has_usable_password():  # new users; a changed password stays
            encoded = encoded or make_password(DEMO_PASSWORD)
            user.password = encoded
            user.save(update_fields=["password"])
        if not user.email:  # a reserved domain (RFC 2606): the demo's mail shows on the console, goes nowhere
            user.email = f"{seed.username}@example.org"
            user.save(update_fields=["email"])
        for slug in seed.staff_of:
            _sync(StaffAssignment, {"user": user, "cluster": clusters[slug]}, {}, report)
        if seed.staff_of:
            user.groups.add(
                services.cluster_staff_group()
            )  # admin permissions; rows are scoped to their clusters
        what = "superuser" if seed.is_superuser else "cluster staff"
        if seed.person:
            linked = person(seed.person)
            if linked.user_id != user.pk:
                Person.objects.filter(user=user).exclude(pk=linked.pk).update(user=None)
                linked.user = user
                linked.save(update_fields=["user"])
            if not seed.is_staff:
                what = f"member user of {linked.organisation.name}"
        report.logins.append((seed.username, what))
        users[seed.username] = user
    return users


# --- synthetic ecosystems -------------------------------------------------------------------------


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


def _targets(clusters: Sequence[Cluster]) -> tuple[generate.ClusterTarget, ...]:
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


def _create_clusters(made: Sequence[generate.GeneratedCluster]) -> None:
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
        _classify(operator, op.sectors, op.keywords)
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


def _site_fields(site: generate.GeneratedSite) -> dict[str, Any]:
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
    seed: int = 1,
    clusters: int | None = None,
    replace: bool = False,
    batch_size: int = 1000,
    progress: Callable[[str, int, int], None] | None = None,
) -> GenerateReport:
    """Add ``count`` synthetic organisations with sites, people and memberships, all ``is_sample``.

    The demo clusters are loaded first when absent. ``clusters`` limits the memberships to the first
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
                clusters + len(generate.SYNTHETIC_CLUSTERS), seed=seed, taken_identifiers=_taken_identifiers()
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
    made: Sequence[generate.GeneratedOrganisation],
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
        membership_specs: list[generate.GeneratedMembership] = []
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
