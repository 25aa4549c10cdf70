"""Registry pages: the directory, and what every registry page shares (the page language, htmx fragments).

Views parse input, ask helix.registry.permissions, call helix.registry.search and helix.registry.services,
and render. Every page works without JavaScript; with htmx a view answers with only the fragment that
changed (``request.htmx``), except for htmx's history-restore requests, which need the whole page.
Organisation profiles and their editor are in organisation_views, clusters and the membership pipeline in
cluster_views, import and export in transfer_views.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.vary import vary_on_headers

from helix.pagecache import cache_anonymous, remember
from helix.registry import permissions
from helix.registry.models import (
    ENGAGEMENT_LABELS,
    Domain,
    Organisation,
    OrganisationKind,
    Region,
    engagement_label,
)
from helix.registry.search import DirectoryQuery, FacetValue, directory_facets, search_organisations

FACETS = (
    ("kind", gettext_lazy("Kind")),
    ("sector", gettext_lazy("Sector")),
    ("cluster", gettext_lazy("Cluster")),
    ("domain", gettext_lazy("Domain")),
    ("level", gettext_lazy("Engagement level")),
    ("region", gettext_lazy("Region")),
)


def page_language() -> str:
    """The two-letter code of the language the page is shown in."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for a fragment (not a history restore, which needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# Directory ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetGroup:
    param: str
    title: str
    values: list[FacetValue]

    @property
    def selected_count(self) -> int:
        return sum(1 for v in self.values if v.selected)


def _facet_groups(request: HttpRequest, query: DirectoryQuery) -> list[FacetGroup]:
    """Facets in page order; a ticked value left without results stays listed so it can be unticked.

    The counts are kept for everyone who may see the same organisations (paging through results, the
    next visitor with the same rights), until the registry changes."""
    facets = remember(
        (
            "directory-facets",
            permissions.scope_key(request.user, "view", Organisation),
            page_language(),
            query,
        ),
        lambda: directory_facets(request.user, query),
    )
    known_labels: dict[str, dict[str, str]] = {
        "kind": {k: str(v) for k, v in OrganisationKind.choices},
        "region": {k: str(v) for k, v in Region.choices},
        "level": {k.value: str(v) for k, v in ENGAGEMENT_LABELS.items()},
    }
    selected = query.selected()
    groups = []
    for param, title in FACETS:
        values = list(facets.get(param, []))
        if param == "level":
            values = [FacetValue(v.value, engagement_label(v.value), v.count, v.selected) for v in values]
        shown = {v.value for v in values}
        missing = [v for v in selected[param] if v not in shown]
        if param == "domain" and missing:
            names = dict(Domain.objects.filter(pk__in=missing).values_list("pk", "name"))
            known_labels["domain"] = {str(pk): name for pk, name in names.items()}
        values += [
            FacetValue(v, known_labels.get(param, {}).get(v, v), 0, True) for v in dict.fromkeys(missing)
        ]
        groups.append(FacetGroup(param, str(title), values))
    return groups


@vary_on_headers("HX-Request")
@cache_anonymous
def directory(request: HttpRequest) -> HttpResponse:
    """Search and filter the organisations the visitor may see; htmx swaps in only the results.

    The results and the filters are rendered once for everyone who may see the same organisations (the
    permission engine's scope key) and kept until the registry changes; the rest of the page is drawn
    per request."""
    query = DirectoryQuery.from_params(request.GET)
    language = page_language()
    selected_filter_count = sum(len(values) for values in query.selected().values())
    filtered = bool(query.text) or selected_filter_count > 0
    fragment = wants_fragment(request)

    def results_and_facets() -> tuple[str, str]:
        results = search_organisations(request.user, query).prefetch_related("sites", "sectors")
        page = Paginator(results, settings.HELIX_PAGE_SIZE).get_page(request.GET.get("page"))
        for organisation in page.object_list:
            organisation.description_shown = organisation.description(language)
        context = {
            "page_obj": page,
            "facets": _facet_groups(request, query),
            "filtered": filtered,
            "oob": fragment,
        }
        return (
            render_to_string("registry/_results.html", context, request),
            render_to_string("registry/_facets.html", context, request),
        )

    results_html, facets_html = remember(
        (
            "directory",
            permissions.scope_key(request.user, "view", Organisation),
            language,
            request.GET.urlencode(),
            fragment,
        ),
        results_and_facets,
    )
    context = {
        "query": query,
        "results_html": mark_safe(results_html),
        "facets_html": mark_safe(facets_html),
        "filtered": filtered,
        "selected_filter_count": selected_filter_count,
    }
    template = "registry/_directory_results.html" if fragment else "registry/directory.html"
    return render(request, template, context)

