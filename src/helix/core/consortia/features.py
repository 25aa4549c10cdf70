"""What the recommender knows about each organisation as a partner for one draft consortium.

:func:`query_features` gives, for a :class:`~.participations.Query`, one row per organisation of the
graph and one column per name of :data:`FEATURES`, all computed with sparse gathers over the graph (a
query costs a few passes over the participations, never an organisation x organisation matrix):

* co-participation with the known partners: shared projects (``co_count``), how many partners
  (``co_partners``), each shared project weighted by 1/log(1 + its size) (``co_adamic_adar``), by
  1/(the partner's number of projects) (``co_resource``, resource allocation), only projects of the
  query's programme part (``co_part``), by recency (``co_recent``); partners of the partners' partners
  (``two_hop``, resource allocation two steps away);
* activity: projects (``popularity``), projects with more than one member (``multi_popularity``),
  projects in the latest year (``recent``), years since the last one (``years_idle``), the share the
  organisation coordinated (``coordinator_share``);
* the programme part: projects in it (``part_activity``) and their share (``part_share``);
* the organisation type: how many more of its type a consortium of this part and size holds than the
  partners have (``type_gap``), none of its type among the partners (``type_absent``), the type's share
  of the part's members (``type_part_share``);
* the country: how often its country works with the partners' countries (``country_lift``) and the
  share of partners from its country (``country_shared``).

Counts are log1p-compressed. Partners the graph does not know add nothing but the consortium's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .participations import BoolArray, FloatArray, IntArray, ParticipationGraph, Query, gather

FEATURES = (
    "co_count",
    "co_partners",
    "co_adamic_adar",
    "co_resource",
    "co_part",
    "co_recent",
    "co_consortium",
    "co_overlap",
    "two_hop",
    "popularity",
    "multi_popularity",
    "recent",
    "years_idle",
    "coordinator_share",
    "part_activity",
    "part_share",
    "type_gap",
    "type_absent",
    "type_part_share",
    "country_lift",
    "country_shared",
    "no_co",
    "no_co_part_activity",
    "no_co_popularity",
    "no_co_two_hop",
)
COLUMN = {name: i for i, name in enumerate(FEATURES)}
RECENCY_DECAY = 0.6  # a shared project counts this much less for each year it is older
MAX_IDLE_YEARS = 5


@dataclass(frozen=True)
class QueryFeatures:
    """The feature matrix of one query (organisations x :data:`FEATURES`) and the known partners."""

    matrix: FloatArray
    partners: IntArray  # indices of the query's partners the graph knows
    type_gap: FloatArray  # per organisation type: how many more of it the consortium would hold


def part_projects(graph: ParticipationGraph, parts: tuple[str, ...]) -> BoolArray:
    """Which projects are in one of ``parts``."""
    wanted = set(parts)
    return np.array([bool(wanted.intersection(p)) for p in graph.project_parts], dtype=bool)


def query_features(
    graph: ParticipationGraph, query: Query, in_part: BoolArray | None = None
) -> QueryFeatures:
    """The features of every organisation of ``graph`` as a partner for ``query``. ``in_part`` (which
    projects are in the query's parts) may be passed when many queries share their parts."""
    n = graph.n
    x = np.zeros((n, len(FEATURES)))
    partners = graph.known(query.partners)
    if in_part is None:
        in_part = part_projects(graph, query.programme_parts)

    if len(partners):
        projects, tag = gather(graph.org_indptr, graph.org_projects, partners)
        members, origin = gather(graph.project_indptr, graph.project_members, projects)
        project = projects[origin]
        partner = partners[tag[origin]]
        size = graph.project_size[project].astype(np.float64)
        age = graph.last_year - graph.project_year[project]
        x[:, COLUMN["co_count"]] = np.bincount(members, minlength=n)
        x[:, COLUMN["co_adamic_adar"]] = np.bincount(members, weights=1.0 / np.log1p(size), minlength=n)
        resource = np.bincount(members, weights=1.0 / graph.degree[partner], minlength=n)
        x[:, COLUMN["co_resource"]] = resource
        x[:, COLUMN["co_part"]] = np.bincount(members, weights=in_part[project].astype(float), minlength=n)
        x[:, COLUMN["co_recent"]] = np.bincount(members, weights=RECENCY_DECAY**age, minlength=n)
        overlap = np.bincount(projects, minlength=len(graph.project_ids)).astype(np.float64)
        entry_overlap = overlap[project]
        consortium = np.zeros(n)
        np.maximum.at(consortium, members, entry_overlap)
        x[:, COLUMN["co_consortium"]] = consortium / len(partners)
        # each shared project once per pair (partner, candidate): overlap counted once per entry
        x[:, COLUMN["co_overlap"]] = np.bincount(members, weights=entry_overlap, minlength=n)
        pairs = np.unique(partner * n + members)
        x[:, COLUMN["co_partners"]] = np.bincount(pairs % n, minlength=n)
        resource[partners] = 0.0
        entry_size = graph.project_size[graph.entry_project].astype(np.float64)
        through = np.bincount(
            graph.entry_project,
            weights=resource[graph.project_members] / entry_size,
            minlength=len(graph.project_ids),
        )
        x[:, COLUMN["two_hop"]] = np.bincount(
            graph.project_members, weights=through[graph.entry_project], minlength=n
        )

    degree = np.maximum(graph.degree, 1.0)
    x[:, COLUMN["popularity"]] = graph.degree
    x[:, COLUMN["multi_popularity"]] = graph.multi_degree
    x[:, COLUMN["recent"]] = graph.recent
    x[:, COLUMN["years_idle"]] = np.minimum(graph.last_year - graph.org_last_year, MAX_IDLE_YEARS)
    x[:, COLUMN["coordinator_share"]] = graph.coordinations / degree

    parts = [p for p in dict.fromkeys(query.programme_parts) if p in graph.part_activity]
    if parts:
        activity = np.sum([graph.part_activity[p] for p in parts], axis=0)
        x[:, COLUMN["part_activity"]] = activity
        x[:, COLUMN["part_share"]] = np.minimum(activity / degree, 1.0)
        share = np.mean([graph.part_type_share[p] for p in parts], axis=0)
    else:
        share = graph.type_share
    present = np.bincount(graph.org_type[partners], minlength=len(graph.types)).astype(np.float64)
    size_after = len(set(query.partners)) + 1
    type_gap = np.maximum(share * size_after - present, 0.0)
    x[:, COLUMN["type_gap"]] = type_gap[graph.org_type]
    x[:, COLUMN["type_absent"]] = (present == 0)[graph.org_type]
    x[:, COLUMN["type_part_share"]] = np.log(share)[graph.org_type]
    if len(partners):
        partner_countries = graph.org_country[partners]
        x[:, COLUMN["country_lift"]] = graph.country_lift[partner_countries].mean(axis=0)[graph.org_country]
        same = np.bincount(partner_countries, minlength=len(graph.countries)) / len(partners)
        x[:, COLUMN["country_shared"]] = same[graph.org_country]

    no_co = x[:, COLUMN["co_count"]] == 0
    x[:, COLUMN["no_co"]] = no_co
    for name in (
        "co_count",
        "co_overlap",
        "co_adamic_adar",
        "co_resource",
        "co_part",
        "co_recent",
        "two_hop",
        "popularity",
        "multi_popularity",
        "recent",
        "part_activity",
        "co_partners",
    ):
        column = COLUMN[name]
        x[:, column] = np.log1p(x[:, column])
    for name in ("part_activity", "popularity", "two_hop"):
        x[:, COLUMN["no_co_" + name]] = no_co * x[:, COLUMN[name]]
    return QueryFeatures(x, partners, type_gap)
