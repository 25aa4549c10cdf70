"""Directory search: free text plus facets, the same for pages, API and CLI.

Free text is matched against ``Organisation.search_text``, a denormalised, lower-cased, accent-folded
copy of the name, legal identifier, descriptions in all languages, NACE codes, keywords and regions.
Every word of the query must occur (as a word prefix or inside a word); results that match in the name
rank first. The matching and the facet counts run over an in-memory index of the registry
(helix.core.registry.directory), the same on SQLite and PostgreSQL; who may see what stays the permission
engine's answer (``visible_organisations``), read once per scope and data version.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from helix import pagecache
from helix.core.registry.directory import DirectoryIndex, DirectoryRow, Search
from helix.params import object_ids
from helix.registry import permissions
from helix.registry.models import (
    Cluster,
    Domain,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Sector,
    Site,
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

    def selected(self) -> dict[str, list[str]]:
        """The values ticked in each facet, by the facet's parameter name (domain ids as text)."""
        return {
            "kind": self.kinds,
            "sector": self.sectors,
            "cluster": self.clusters,
            "domain": [str(d) for d in self.domains],
            "level": self.levels,
            "region": self.regions,
        }


# --- the index ---------------------------------------------------------------------------------------------
#
# One DirectoryIndex (helix.core.registry.directory) per process, read from the database when the data
# version of helix.pagecache moves on (any saved registry change, in any process) and at most
# HELIX_PAGE_CACHE_SECONDS after it was read (a bulk write that sends no signal).

_index_lock = threading.Lock()
_index: tuple[int, float, DirectoryIndex] | None = None
MAX_INDEX_AGE = 300.0


def read_rows() -> list[DirectoryRow]:
    """Every organisation as the directory sees it (five queries, no join per organisation)."""
    regions: dict[int, set[str]] = defaultdict(set)
    for org, region in Site.objects.exclude(region="").values_list("organisation_id", "region"):
        regions[org].add(region)
    sectors: dict[int, list[tuple[str, str]]] = defaultdict(list)
    through = Organisation.sectors.through.objects
    for org, code, parent in through.values_list("organisation_id", "sector__code", "sector__parent__code"):
        sectors[org].append((code, parent or ""))
    clusters: dict[int, set[str]] = defaultdict(set)
    levels: dict[int, set[str]] = defaultdict(set)
    for org, slug, level in Membership.objects.values_list("organisation_id", "cluster__slug", "level"):
        clusters[org].add(slug)
        levels[org].add(level)
    domains: dict[int, set[int]] = defaultdict(set)
    for org, domain in Membership.domains.through.objects.values_list(
        "membership__organisation_id", "domain_id"
    ):
        domains[org].add(domain)
    rows = []
    for pk, name, text, kind in Organisation.objects.values_list("pk", "name", "search_text", "kind"):
        rows.append(
            DirectoryRow(
                id=pk,
                name=name,
                search_text=text,
                kind=kind,
                regions=tuple(sorted(regions.get(pk, ()))),
                sectors=tuple(sorted(sectors.get(pk, ()))),
                clusters=tuple(sorted(clusters.get(pk, ()))),
                domains=tuple(sorted(domains.get(pk, ()))),
                levels=tuple(sorted(levels.get(pk, ()))),
            )
        )
    return rows


def directory_index() -> DirectoryIndex:
    """This process's index of the directory, current with the data version."""
    global _index
    version = pagecache.version()
    current = _index
    max_age = min(MAX_INDEX_AGE, float(settings.HELIX_PAGE_CACHE_SECONDS) or MAX_INDEX_AGE)
    if current is not None and current[0] == version and time.monotonic() - current[1] < max_age:
        return current[2]
    with _index_lock:  # one thread reads it; the others wait for it rather than read it too
        current = _index
        if current is None or current[0] != version or time.monotonic() - current[1] >= max_age:
            current = (version, time.monotonic(), DirectoryIndex(read_rows()))
            _index = current
        return current[2]


def forget_index() -> None:
    """Drop this process's index (tests that write without signals)."""
    global _index
    _index = None


def _visible(user: Any, index: DirectoryIndex) -> Any:
    """The rows of the organisations ``user`` may see (the permission engine's scope), kept with the index
    per scope key: everyone with the same rights shares it until the data change."""
    return index.remembered_mask(
        permissions.scope_key(user, "view", Organisation),
        lambda: visible_organisations(user).values_list("pk", flat=True),
    )


def _search(query: DirectoryQuery) -> Search:
    return Search(
        text=query.text,
        terms=tuple(normalise_search_text(query.text).split()),
        kinds=tuple(query.kinds),
        sectors=tuple(query.sectors),
        clusters=tuple(query.clusters),
        domains=tuple(query.domains),
        levels=tuple(query.levels),
        regions=tuple(query.regions),
    )


class OrganisationResults(Sequence[Organisation]):
    """The matching organisations, best first, read from the database a page at a time.

    Behaves as the paginators (Django's and the API's) expect of a result list: ``count()``, ``len()`` and
    slices; ``prepare`` adds the related rows a page shows (``prefetch_related``)."""

    def __init__(
        self,
        ids: list[int],
        prepare: Callable[[QuerySet[Organisation]], QuerySet[Organisation]] | None = None,
    ) -> None:
        self.ids = ids
        self._prepare = prepare

    def prefetch_related(self, *lookups: Any) -> OrganisationResults:
        previous = self._prepare

        def prepare(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
            return (previous(qs) if previous else qs).prefetch_related(*lookups)

        return OrganisationResults(self.ids, prepare)

    def count(self, value: Any = None) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            ids = self.ids[index]
            qs = Organisation.objects.filter(pk__in=ids)
            if self._prepare is not None:
                qs = self._prepare(qs)
            found = {o.pk: o for o in qs}
            return [found[i] for i in ids if i in found]
        return (
            self[index : index + 1][0] if index >= 0 else self[len(self) + index : len(self) + index + 1][0]
        )

    def __iter__(self) -> Iterator[Organisation]:
        size = 500
        for start in range(0, len(self.ids), size):
            yield from self[start : start + size]

    def first(self) -> Organisation | None:
        found = self[0:1]
        return found[0] if found else None

    def __contains__(self, item: object) -> bool:
        return isinstance(item, Organisation) and item.pk in set(self.ids)


def search_organisations(user: Any, query: DirectoryQuery) -> OrganisationResults:
    """Organisations visible to ``user`` that match ``query``, best first."""
    index = directory_index()
    return OrganisationResults(index.search(_visible(user, index), _search(query)))


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def directory_facets(user: Any, query: DirectoryQuery) -> dict[str, list[FacetValue]]:
    """Counts per facet value. Each facet is counted with the other facets applied, not itself."""
    index = directory_index()
    counts = index.facets(_visible(user, index), _search(query))
    selected = query.selected()
    kind_labels = {k: str(v) for k, v in OrganisationKind.choices}
    region_labels = {k: str(v) for k, v in Region.choices}
    sector_labels = dict(
        Sector.objects.filter(code__in=[c.value for c in counts["sector"]]).values_list("code", "label")
    )
    cluster_names = {c.slug: c.current_name for c in Cluster.objects.prefetch_related("names")}
    domain_names = {str(pk): name for pk, name in Domain.objects.values_list("pk", "name")}
    labels: dict[str, Callable[[str], str]] = {
        "kind": lambda v: kind_labels.get(v, v),
        "region": lambda v: region_labels.get(v, v),
        "sector": lambda v: f"{v} {sector_labels.get(v, '')}".strip(),
        "cluster": lambda v: cluster_names.get(v, v),
        "domain": lambda v: domain_names.get(v, ""),
        "level": engagement_label,
    }
    return {
        facet: [
            FacetValue(c.value, labels[facet](c.value), c.count, c.value in selected[facet]) for c in found
        ]
        for facet, found in counts.items()
    }
