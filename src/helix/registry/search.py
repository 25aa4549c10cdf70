"""Directory search: free text plus facets, the same for pages, API and CLI.

Free text is matched against ``Organisation.search_text``, a denormalised, lower-cased, accent-folded
copy of the name, legal identifier, descriptions in all languages, NACE codes, keywords and regions.
Every word of the query must occur (as a word prefix or inside a word); results that match in the name
rank first. This runs the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr

from helix.params import object_ids
from helix.registry.models import (
    Cluster,
    Domain,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Sector,
    engagement_label,
    normalise_search_text,
)
from helix.registry.permissions import visible_organisations


@dataclass
class DirectoryQuery:
    text: str = ""
    kinds: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)  # NACE codes; a division matches its classes
    clusters: list[str] = field(default_factory=list)  # cluster slugs
    domains: list[int] = field(default_factory=list)  # domain ids
    levels: list[str] = field(default_factory=list)  # engagement levels
    regions: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: Any) -> DirectoryQuery:
        """Build from a QueryDict or a plain dict of lists."""

        def many(name: str) -> list[str]:
            if hasattr(params, "getlist"):
                values = params.getlist(name)
            else:
                raw = params.get(name, [])
                values = raw if isinstance(raw, list) else [raw]
            return [v for v in (str(x).strip() for x in values) if v]

        return cls(
            text=str(params.get("q", "") or "").strip(),
            kinds=many("kind"),
            sectors=many("sector"),
            clusters=many("cluster"),
            domains=object_ids(many("domain")),  # "²" or a 30-digit id is ignored, not a 500
            levels=many("level"),
            regions=many("region"),
        )


# Facet counting passes up to this many matching ids as query parameters instead of re-running the
# text scan per facet (SQLite allows 32,766 parameters); PostgreSQL takes them as one array.
MATERIALISE_LIMIT = 20_000


def _materialise(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """The same organisations, selected by id: cheap to reuse in several facet queries."""
    if connection.vendor == "postgresql":
        ids = list(qs.values_list("pk", flat=True))
        return Organisation.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    ids = list(qs.values_list("pk", flat=True)[: MATERIALISE_LIMIT + 1])
    return Organisation.objects.filter(pk__in=ids) if len(ids) <= MATERIALISE_LIMIT else qs


def _with_text(qs: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """Keep organisations whose search text contains every word of ``text``."""
    for term in normalise_search_text(text).split():
        qs = qs.filter(search_text__contains=term)
    return qs


def _apply_text(qs: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    terms = normalise_search_text(text).split()
    if not terms:
        return qs
    qs = _with_text(qs, text)
    first = terms[0]
    name_rank = Case(
        When(name__istartswith=text.strip(), then=Value(0)),
        When(name__icontains=first, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(name_rank=name_rank).order_by("name_rank", "name")


def _apply_facets(
    qs: QuerySet[Organisation], query: DirectoryQuery, skip: str = ""
) -> QuerySet[Organisation]:
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


def search_organisations(user: Any, query: DirectoryQuery) -> QuerySet[Organisation]:
    """Organisations visible to ``user`` that match ``query``, best first."""
    qs = _apply_facets(visible_organisations(user), query)
    if query.text:
        return _apply_text(qs, query.text)
    return qs.order_by("name")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def directory_facets(user: Any, query: DirectoryQuery) -> dict[str, list[FacetValue]]:
    """Counts per facet value. Each facet is counted with the other facets applied, not itself."""

    selected = {
        "kind": query.kinds,
        "sector": query.sectors,
        "cluster": query.clusters,
        "domain": query.domains,
        "level": query.levels,
        "region": query.regions,
    }
    shared = _with_text(_apply_facets(visible_organisations(user), query), query.text)
    if query.text:
        # The text filter is a scan; run it once and let every facet without a selection of its own
        # count over the matching ids.
        shared = _materialise(shared)

    def base(skip: str) -> QuerySet[Organisation]:
        if not selected[skip]:
            return shared
        return _with_text(_apply_facets(visible_organisations(user), query, skip=skip), query.text)

    facets: dict[str, list[FacetValue]] = {}
    kind_labels = dict(OrganisationKind.choices)
    kinds = base("kind").values("kind").annotate(n=Count("pk")).order_by("kind")
    facets["kind"] = [
        FacetValue(r["kind"], str(kind_labels.get(r["kind"], r["kind"])), r["n"], r["kind"] in query.kinds)
        for r in kinds
    ]
    region_labels = dict(Region.choices)
    regions = (
        base("region")
        .filter(sites__region__gt="")
        .values("sites__region")
        .annotate(n=Count("pk", distinct=True))
        .order_by("sites__region")
    )
    facets["region"] = [
        FacetValue(
            r["sites__region"],
            str(region_labels.get(r["sites__region"], r["sites__region"])),
            r["n"],
            r["sites__region"] in query.regions,
        )
        for r in regions
    ]
    # Classes roll up to their division (two digits): a useful grain for a facet.
    divisions = (
        base("sector")
        .filter(sectors__isnull=False)
        .annotate(division=Substr("sectors__code", 1, 2))
        .values("division")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "division")[:20]
    )
    division_counts = {r["division"]: r["n"] for r in divisions}
    labels = dict(Sector.objects.filter(code__in=list(division_counts)).values_list("code", "label"))
    facets["sector"] = sorted(
        (
            FacetValue(code, f"{code} {labels.get(code, '')}".strip(), n, code in query.sectors)
            for code, n in division_counts.items()
        ),
        key=lambda f: (-f.count, f.value),
    )[:20]
    clusters = (
        Membership.objects.filter(organisation__in=base("cluster"))
        .values("cluster__slug", "cluster_id")
        .annotate(n=Count("organisation", distinct=True))
        .order_by("cluster__slug")
    )
    names = {c.pk: c.current_name for c in Cluster.objects.prefetch_related("names")}
    facets["cluster"] = [
        FacetValue(
            r["cluster__slug"],
            names.get(r["cluster_id"], r["cluster__slug"]),
            r["n"],
            r["cluster__slug"] in query.clusters,
        )
        for r in clusters
    ]
    domains = (
        Membership.objects.filter(organisation__in=base("domain"), domains__isnull=False)
        .values("domains")
        .annotate(n=Count("organisation", distinct=True))
        .order_by("-n")
    )
    domain_names = dict(Domain.objects.values_list("pk", "name"))
    facets["domain"] = [
        FacetValue(
            str(r["domains"]), domain_names.get(r["domains"], ""), r["n"], r["domains"] in query.domains
        )
        for r in domains
    ]
    levels = (
        Membership.objects.filter(organisation__in=base("level"))
        .values("level")
        .annotate(n=Count("organisation", distinct=True))
        .order_by("level")
    )
    facets["level"] = [
        FacetValue(r["level"], engagement_label(r["level"]), r["n"], r["level"] in query.levels)
        for r in levels
    ]
    return facets
