"""Write the demo ecosystem (``seeds``, read from ``data/``) to the registry tables.

``load_demo_registry`` is idempotent: every object is found by its natural key and only saved when it
differs, so loading twice changes nothing. ``bulk`` writes synthetic ecosystems (``generate``).

The registry is the base app: the market and symbiosis demos build on it, not the reverse. ``helix.demo``
loads all three (``helix.demo.load_demo``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from helix.core.registry.nace import normalise_nace
from helix.registry import services
from helix.registry.demo.seeds import DEMO, DEMO_PASSWORD, DemoEcosystem, PersonSeed
from helix.registry.models import (
    AdvisoryGroup,
    AdvisorySeat,
    Cluster,
    ClusterName,
    Domain,
    Interaction,
    LetterOfIntent,
    Membership,
    MembershipChange,
    Organisation,
    Person,
    Site,
    StaffAssignment,
)

M = TypeVar("M", bound=models.Model)


@dataclass
class DemoReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, what it may do)

    organisations: int = 0
    clusters: int = 0
    memberships: int = 0
    # filled by helix.demo.load_demo, which loads the apps above the registry
    listings: dict[str, int] = field(default_factory=dict)  # needs and offers (helix.market.demo)
    symbiosis: dict[str, object] = field(default_factory=dict)  # resource flows (helix.symbiosis.demo)
    projects: dict[str, int] = field(default_factory=dict)  # projects (helix.projects.demo)
    calls: dict[str, int] = field(default_factory=dict)  # calls for proposals (helix.calls.demo)
    roadmaps: dict[str, int] = field(default_factory=dict)  # cluster roadmaps (helix.roadmaps.demo)
    insights: dict[str, int] = field(default_factory=dict)  # staff figures, stories (helix.insights.demo)

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


def classify(org: Organisation, sectors: Iterable[str], keywords: Iterable[str]) -> None:
    services.set_classification(
        org, sector_codes=[normalise_nace(c) for c in sectors], keywords=list(keywords)
    )


@transaction.atomic
def load_demo_registry(ecosystem: DemoEcosystem = DEMO) -> DemoReport:
    """Create or update the registry part of the demo ecosystem (organisations, clusters, memberships,
    people, users); loading it twice changes nothing. ``helix.demo.load_demo`` adds the other apps'."""
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
        classify(org, seed.sectors, seed.keywords)
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
