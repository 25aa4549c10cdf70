"""Open data: the public registry, the showcase's stories and each cluster's open indicators as CSV and
JSON, with their schema written out (``SCHEMAS``, shown on the open-data page and in docs/open-data.md)
and a DCAT-AP catalogue entry (JSON-LD), so that regional observatories can reuse them.

Each file holds what an anonymous visitor may see, no more: the organisations whose profile is
published, the stories that are public, and only the indicators that are aggregates naming no one.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from helix.core.insights import COMMITTED, OPEN_INDICATORS, indicator
from helix.insights.models import Story
from helix.insights.services import allowed, ecosystem, year_period
from helix.registry.models import Cluster, Organisation
from helix.registry.models.organisations import HELIX_OF_KIND, OrganisationKind
from helix.registry.permissions import scope

LICENCE = "https://creativecommons.org/licenses/by/4.0/"

# dataset -> (title, description, [(column, type, meaning)])
SCHEMAS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "organisations": (
        "Organisations",
        "The organisations of the clusters whose profile is public.",
        [
            ("slug", "string", "the organisation's stable identifier in Helix"),
            ("name", "string", "its name"),
            (
                "kind",
                "string",
                "company, knowledge_institution, government, federation or cluster_organisation",
            ),
            ("helix", "string", "industry, research, public or intermediary (the triple helix)"),
            ("size_class", "string", "sme or large for a company, empty otherwise"),
            ("country", "string", "ISO 3166 code of its headquarters"),
            ("region", "string", "region of its headquarters (Helix's list)"),
            ("sectors", "string", "NACE codes separated by ;"),
            (
                "clusters",
                "string",
                "slugs of the clusters it is committed to (letter of intent or more), by ;",
            ),
            ("website", "string", "its website"),
        ],
    ),
    "stories": (
        "Stories",
        "Success stories, good practices and news of the clusters, approved by every organisation they name.",
        [
            ("id", "integer", "the story's identifier"),
            ("cluster", "string", "the cluster's slug"),
            ("kind", "string", "success_story, good_practice or news"),
            ("title", "string", "its title"),
            ("summary", "string", "one or two sentences"),
            ("language", "string", "nl, fr, de or en"),
            ("published_on", "date", "ISO 8601"),
            ("organisations", "string", "slugs of the organisations it features, by ;"),
            ("url", "string", "its page on the showcase"),
        ],
    ),
    "outputs": (
        "Programme outputs",
        "What the programmes' working tables and trajectories produced for other cities to reuse "
        "(public ones only), and how many organisations say they reuse each.",
        [
            ("id", "integer", "the output's identifier"),
            ("cluster", "string", "the cluster's slug"),
            ("programme", "string", "the programme's name"),
            ("cycle", "integer", "the cycle's number in its programme"),
            ("phase", "string", "needs_inventory, deepening, trajectories or dissemination"),
            ("kind", "string", "guide, specification, business_model, tool, dataset or report"),
            ("title", "string", "its title"),
            ("summary", "string", "what it is and who can use it"),
            ("language", "string", "nl, fr, de or en"),
            ("domains", "string", "slugs of its domains, by ;"),
            ("published_on", "date", "ISO 8601"),
            ("reused_by", "integer", "organisations that say they reuse it"),
            ("link", "string", "where to find the output itself"),
            ("url", "string", "its page on Helix"),
        ],
    ),
    "indicators": (
        "Cluster indicators",
        "Each cluster's open indicators for a calendar year: aggregates that name no organisation or person.",
        [
            ("cluster", "string", "the cluster's slug"),
            ("year", "integer", "the calendar year"),
            ("code", "string", "the indicator's code (definitions on the open-data page)"),
            ("value", "decimal", "its value; empty where it cannot be computed"),
            ("unit", "string", "count, %, EUR, t, t CO2e or yes/no (1 or 0)"),
        ],
    ),
}


def organisation_rows() -> list[dict[str, Any]]:
    orgs = (
        scope(AnonymousUser(), "view", Organisation.objects.all())
        .prefetch_related("sectors", "sites", "memberships__cluster")
        .order_by("slug")
    )
    rows = []
    for o in orgs:
        sites = sorted(o.sites.all(), key=lambda s: (not s.is_headquarters, s.pk))
        head = sites[0] if sites else None
        rows.append(
            {
                "slug": o.slug,
                "name": o.name,
                "kind": o.kind,
                "helix": str(HELIX_OF_KIND.get(OrganisationKind(o.kind), "")),
                "size_class": o.size_class,
                "country": head.country if head else "",
                "region": head.region if head else "",
                "sectors": ";".join(sorted(s.code for s in o.sectors.all())),
                "clusters": ";".join(
                    sorted(m.cluster.slug for m in o.memberships.all() if m.level in COMMITTED)
                ),
                "website": o.website,
            }
        )
    return rows


def story_rows(request: HttpRequest) -> list[dict[str, Any]]:
    stories = (
        scope(AnonymousUser(), "view", Story.objects.select_related("cluster"))
        .prefetch_related("featured__organisation")
        .order_by("-published_on", "pk")
    )
    return [
        {
            "id": s.pk,
            "cluster": s.cluster.slug,
            "kind": s.kind,
            "title": s.title,
            "summary": s.summary,
            "language": s.language,
            "published_on": s.published_on.isoformat() if s.published_on else "",
            "organisations": ";".join(sorted(f.organisation.slug for f in s.featured.all())),
            "url": request.build_absolute_uri(reverse("showcase:story", args=[s.pk])),
        }
        for s in stories
    ]


def output_rows(request: HttpRequest) -> list[dict[str, Any]]:
    from django.db.models import Count

    from helix.insights.models import Output

    outputs = (
        scope(AnonymousUser(), "view", Output.objects.select_related("cycle__programme__cluster"))
        .prefetch_related("domains")
        .annotate(reused_by=Count("reuses"))
        .order_by("-published_on", "pk")
    )
    return [
        {
            "id": o.pk,
            "cluster": o.cycle.programme.cluster.slug,
            "programme": o.cycle.programme.name,
            "cycle": o.cycle.number,
            "phase": o.phase,
            "kind": o.kind,
            "title": o.title,
            "summary": o.summary,
            "language": o.language,
            "domains": ";".join(sorted(d.slug for d in o.domains.all())),
            "published_on": o.published_on.isoformat(),
            "reused_by": o.reused_by,
            "link": o.url,
            "url": request.build_absolute_uri(reverse("programmes:output", args=[o.pk])),
        }
        for o in outputs
    ]


# The open indicators read every cluster's ecosystem (about half a second each for a large cluster): a
# year's rows are kept this long, so a harvester or a newsletter's readers do not recompute them.
INDICATORS_CACHE_SECONDS = 3600


def indicator_rows(year: int) -> list[dict[str, Any]]:
    from django.core.cache import cache

    key = f"insights:open-indicators:{year}"
    rows = cache.get(key)
    if rows is None:
        rows = _indicator_rows(year)
        cache.set(key, rows, INDICATORS_CACHE_SECONDS)
    return rows  # type: ignore[no-any-return]


def _indicator_rows(year: int) -> list[dict[str, Any]]:
    from helix.core.insights import compute

    period = year_period(year)
    rows = []
    anonymous = AnonymousUser()
    for cluster in Cluster.objects.order_by("slug"):
        if not allowed(anonymous, "open_data", cluster):
            continue
        for value in compute(ecosystem(cluster), period, OPEN_INDICATORS):
            rows.append(
                {
                    "cluster": cluster.slug,
                    "year": year,
                    "code": value.code,
                    "value": "" if value.value is None else str(value.value),
                    "unit": indicator(value.code).unit.value,
                }
            )
    return rows


def _respond(name: str, fmt: str, rows: list[dict[str, Any]], request: HttpRequest) -> HttpResponse:
    columns = [c for c, _, _ in SCHEMAS[name][2]]
    if fmt == "json":
        body = json.dumps(
            {
                "dataset": name,
                "schema": request.build_absolute_uri(reverse("opendata:index")) + f"#{name}",
                "licence": LICENCE,
                "generated": timezone.now().isoformat(timespec="seconds"),
                "rows": rows,
            },
            ensure_ascii=False,
            indent=2,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="helix-{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _year(request: HttpRequest) -> int:
    default = timezone.localdate().year - 1  # the last complete year
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        raise Http404 from None
    if not 1990 <= year <= timezone.localdate().year:
        raise Http404
    return year


def dataset(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in SCHEMAS or fmt not in ("csv", "json"):
        raise Http404
    if name == "organisations":
        rows = organisation_rows()
    elif name == "stories":
        rows = story_rows(request)
    elif name == "outputs":
        rows = output_rows(request)
    else:
        rows = indicator_rows(_year(request))
    return _respond(name, fmt, rows, request)


def catalog(request: HttpRequest) -> HttpResponse:
    """The datasets as a DCAT-AP catalogue (JSON-LD)."""
    base = request.build_absolute_uri(reverse("opendata:index"))
    datasets = []
    for name, (title, description, _) in SCHEMAS.items():
        datasets.append(
            {
                "@id": f"{base}#{name}",
                "@type": "dcat:Dataset",
                "dct:title": title,
                "dct:description": description,
                "dct:license": {"@id": LICENCE},
                "dcat:keyword": ["innovation clusters", "triple helix", name],
                "dct:conformsTo": {"@id": f"{base}#{name}"},
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dcat:accessURL": {"@id": base},
                        "dcat:downloadURL": {
                            "@id": request.build_absolute_uri(reverse("opendata:dataset", args=[name, fmt]))
                        },
                        "dct:format": {
                            "@id": f"http://publications.europa.eu/resource/authority/file-type/{fmt.upper()}"
                        },
                        "dcat:mediaType": "text/csv" if fmt == "csv" else "application/json",
                    }
                    for fmt in ("csv", "json")
                ],
            }
        )
    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@id": base,
        "@type": "dcat:Catalog",
        "dct:title": "Helix open data",
        "dct:description": (
            "The public registry, showcase and open indicators of the innovation clusters on Helix."
        ),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": request.get_host()},
        "dct:license": {"@id": LICENCE},
        "dcat:dataset": datasets,
    }
    return HttpResponse(json.dumps(document, indent=2), content_type="application/ld+json; charset=utf-8")


def index(request: HttpRequest) -> HttpResponse:
    from helix.insights import labels

    definitions = [
        (code, labels.label(indicator(code)), labels.definition(indicator(code))) for code in OPEN_INDICATORS
    ]
    context = {
        "schemas": [
            (name, title, description, columns) for name, (title, description, columns) in SCHEMAS.items()
        ],
        "definitions": definitions,
        "licence": LICENCE,
        "app": "showcase",
    }
    return render(request, "insights/opendata.html", context)
