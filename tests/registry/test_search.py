"""Integration: the directory index answers exactly what the registry's definition in SQL answers.

The oracle below is the directory's definition written as database queries (the implementation before
the in-memory index): every word in the search text; each facet a filter; each facet counted with the
others applied. A random world and random questions, as anonymous, a member and cluster staff: the
index's results (in order) and every facet count must equal the oracle's.
"""

from __future__ import annotations

import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Substr

from helix.registry import search, services
from helix.registry.models import (
    Keyword,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Sector,
    normalise_search_text,
)
from helix.registry.permissions import visible_organisations
from tests.factories import (
    ClusterFactory,
    DomainFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    UserFactory,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

WORDS = ["heat", "warmte", "chaleur", "network", "sensor", "coating", "recycling", "waterstof", "Énergie"]
SECTORS = ["35.11", "35.30", "43.21", "43.22", "62.10", "62.20", "71.12", "20.30", "38.32"]
LEVELS = ["interested", "loi_signed", "member", "strategic_partner"]


# --- the oracle: the directory defined as SQL ---------------------------------------------------------------


def _with_text(qs, text):
    for term in normalise_search_text(text).split():
        qs = qs.filter(search_text__contains=term)
    return qs


def _apply_facets(qs, query, skip=""):
    if query.kinds and skip != "kind":
        qs = qs.filter(kind__in=query.kinds)
    if query.sectors and skip != "sector":
        cond = Q()
        for code in query.sectors:
            cond |= (
                Q(sectors__code=code)
                | Q(sectors__code__startswith=f"{code}.")
                | Q(sectors__parent__code=code)
            )
        qs = qs.filter(pk__in=Organisation.objects.filter(cond).values("pk"))
    if query.clusters and skip != "cluster":
        qs = qs.filter(
            pk__in=Membership.objects.filter(cluster__slug__in=query.clusters).values("organisation")
        )
    if query.domains and skip != "domain":
        qs = qs.filter(pk__in=Membership.objects.filter(domains__in=query.domains).values("organisation"))
    if query.levels and skip != "level":
        qs = qs.filter(pk__in=Membership.objects.filter(level__in=query.levels).values("organisation"))
    if query.regions and skip != "region":
        qs = qs.filter(sites__region__in=query.regions).distinct()
    return qs


def oracle_search(user, query):
    qs = _apply_facets(visible_organisations(user), query)
    terms = normalise_search_text(query.text).split()
    if not terms:
        return list(qs.order_by("name", "pk").values_list("pk", flat=True))
    qs = _with_text(qs, query.text)
    rank = Case(
        When(name__istartswith=query.text.strip(), then=Value(0)),
        When(name__icontains=terms[0], then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(qs.annotate(rank=rank).order_by("rank", "name", "pk").values_list("pk", flat=True))


def oracle_facets(user, query):
    def base(skip):
        return _with_text(_apply_facets(visible_organisations(user), query, skip=skip), query.text)

    out = {}
    # order_by() clears the model's ordering by name: with the DISTINCT of a region filter, the SQL
    # implementation before the index grouped by name too and listed a kind once per organisation
    # (this test found it).
    out["kind"] = {
        r["kind"]: r["n"]
        for r in base("kind").order_by().values("kind").annotate(n=Count("pk", distinct=True))
    }
    out["region"] = {
        r["sites__region"]: r["n"]
        for r in base("region")
        .order_by()
        .filter(sites__region__gt="")
        .values("sites__region")
        .annotate(n=Count("pk", distinct=True))
    }
    divisions = (
        base("sector")
        .order_by()
        .filter(sectors__isnull=False)
        .annotate(division=Substr("sectors__code", 1, 2))
        .values("division")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "division")[:20]
    )
    out["sector"] = {r["division"]: r["n"] for r in divisions}
    out["cluster"] = {
        r["cluster__slug"]: r["n"]
        for r in Membership.objects.filter(organisation__in=base("cluster"))
        .values("cluster__slug")
        .annotate(n=Count("organisation", distinct=True))
    }
    out["domain"] = {
        str(r["domains"]): r["n"]
        for r in Membership.objects.filter(organisation__in=base("domain"), domains__isnull=False)
        .values("domains")
        .annotate(n=Count("organisation", distinct=True))
    }
    out["level"] = {
        r["level"]: r["n"]
        for r in Membership.objects.filter(organisation__in=base("level"))
        .values("level")
        .annotate(n=Count("organisation", distinct=True))
    }
    return out


# --- a random world -----------------------------------------------------------------------------------------


@pytest.fixture
def world():
    rng = random.Random(7)
    clusters = [ClusterFactory(slug="energy"), ClusterFactory(slug="materials")]
    domains = [DomainFactory(cluster=c) for c in clusters for _ in range(2)]
    sectors = list(Sector.objects.filter(code__in=SECTORS))
    kinds = [OrganisationKind.COMPANY, OrganisationKind.KNOWLEDGE_INSTITUTION, OrganisationKind.GOVERNMENT]
    orgs = []
    for i in range(60):
        words = " ".join(rng.sample(WORDS, 3))
        name = f"{rng.choice(['Heat', 'Sensor', 'Acme', 'Zeta', 'heat'])} {rng.choice(WORDS)} {i}"
        kind = rng.choice(kinds)
        org = OrganisationFactory(
            name=name,
            kind=kind,
            size_class="sme" if kind == OrganisationKind.COMPANY else "",
            description_en=words,
            is_published=rng.random() < 0.8,
        )
        for n in range(rng.randint(0, 2)):
            SiteFactory(
                organisation=org,
                name=f"Site {n}",
                is_headquarters=n == 0,
                region=rng.choice([*Region.values, ""]),
            )
        org.sectors.set(rng.sample(sectors, rng.randint(0, 3)))
        if rng.random() < 0.3:
            org.keywords.set([Keyword.objects.get_or_create(name=rng.choice(WORDS).lower())[0]])
        for cluster in clusters:
            if rng.random() < 0.5:
                membership = MembershipFactory(organisation=org, cluster=cluster, level=rng.choice(LEVELS))
                own = [d for d in domains if d.cluster_id == cluster.pk]
                membership.domains.set(rng.sample(own, rng.randint(0, 2)))
        services.refresh_search_text(org)
        orgs.append(org)
    member = UserFactory(username="member")
    PersonFactory(organisation=next(o for o in orgs if not o.is_published), user=member)
    staff = UserFactory(username="staff")
    staff.staff_assignments.create(cluster=clusters[0])
    return {"rng": rng, "users": [AnonymousUser(), member, staff], "domains": domains}


def _random_query(rng, domains):
    def some(values, most=2):
        return rng.sample(values, rng.randint(0, most)) if rng.random() < 0.4 else []

    text = " ".join(rng.sample([*WORDS, "he", "work", "zzz", "acme heat"], rng.randint(0, 2)))
    return search.DirectoryQuery(
        text=text if rng.random() < 0.7 else "",
        kinds=some(["company", "knowledge_institution", "government"]),
        sectors=some(["35", "43", "62", "35.1", "43.21", "71.12", "20"]),
        clusters=some(["energy", "materials"], 1),
        domains=some([d.pk for d in domains]),
        levels=some(LEVELS),
        regions=some(list(Region.values)),
    )


def test_the_index_answers_as_the_sql_definition_for_random_questions_and_roles(world):
    rng = world["rng"]
    for _ in range(40):
        query = _random_query(rng, world["domains"])
        for user in world["users"]:
            found = search.search_organisations(user, query)
            assert found.ids == oracle_search(user, query), (query, user)
            facets = {
                name: {v.value: v.count for v in values}
                for name, values in search.directory_facets(user, query).items()
            }
            assert facets == oracle_facets(user, query), (query, user)


def test_the_index_follows_changes_without_a_restart(world):
    anonymous = AnonymousUser()
    query = search.DirectoryQuery(text="quasar")
    assert search.search_organisations(anonymous, query).ids == []
    org = OrganisationFactory(name="Quasar Labs")
    services.refresh_search_text(org)
    assert search.search_organisations(anonymous, query).ids == [org.pk]
    org.is_published = False
    org.save()
    assert search.search_organisations(anonymous, query).ids == []
    org.delete()
    assert search.search_organisations(anonymous, query).ids == []


def test_results_read_a_page_at_a_time_in_the_order_of_the_index(world):
    results = search.search_organisations(AnonymousUser(), search.DirectoryQuery(text="heat"))
    assert len(results) == results.count() > 5
    page = results[2:5]
    assert [o.pk for o in page] == results.ids[2:5]
    assert results.first().pk == results.ids[0]
    assert page[0] in results
