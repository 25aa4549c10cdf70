"""What a cluster's dashboards show, computed from an :class:`.Ecosystem`: members over time and growth per
year, the engagement funnel (how many reach each rung, the conversion between rungs, the time spent on
each), the outcome funnel (match -> meeting -> follow-up -> agreement -> project -> impact), the activity
per domain, and the collaboration network (who works with whom: communities, and the brokers that tie
sectors and helices together, with networkx).

Plain data in, plain data out; :mod:`.charts` draws them as SVG.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import networkx as nx

from .ecosystem import (
    COMMITTED,
    FUNNEL,
    HELICES,
    LEFT,
    RUNG,
    Ecosystem,
    Period,
)
from .indicators import REALISED, STARTED, Ref

# ---- members over time ------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearGrowth:
    """One calendar year: committed members at its end, how many came and left, growth on the year
    before (None without members at its start)."""

    year: int
    members: int
    joined: int
    left: int
    growth: Decimal | None


def members_on(eco: Ecosystem, day: date) -> int:
    return sum(1 for m in eco.memberships if m.committed_on(day))


def members_series(eco: Ecosystem, period: Period, points: int = 24) -> list[tuple[date, int]]:
    """Committed members at ``points`` evenly spaced days from the period's start to its end."""
    points = max(2, points)
    span = (period.end - period.start).days
    days = sorted({period.start + timedelta(days=round(span * k / (points - 1))) for k in range(points)})
    return [(d, members_on(eco, d)) for d in days]


def growth_per_year(eco: Ecosystem, first: int, last: int) -> list[YearGrowth]:
    out = []
    for year in range(first, last + 1):
        start, end = date(year, 1, 1), date(year, 12, 31)
        before = members_on(eco, start - timedelta(days=1))
        after = members_on(eco, end)
        joined = left = 0
        for m in eco.memberships:
            was = m.committed_on(start - timedelta(days=1))
            came = any(s.state in COMMITTED and start <= s.on <= end for s in m.history)
            if came and not was:
                joined += 1
            if any(s.state == LEFT and start <= s.on <= end for s in m.history):
                left += 1
        growth = (Decimal(after - before) * 100 / before).quantize(Decimal("0.1")) if before else None
        out.append(YearGrowth(year, after, joined, left, growth))
    return out


def first_year(eco: Ecosystem) -> int | None:
    days = [s.on for m in eco.memberships for s in m.history]
    return min(days).year if days else None


# ---- the engagement funnel --------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStep:
    """A rung of the ladder: how many memberships reached it (or a higher one), the share of those on
    the rung before that did, the median days spent on it before moving up, and how many are on it now."""

    level: str
    reached: int
    conversion: Decimal | None
    median_days: int | None
    now: int


def engagement_funnel(eco: Ecosystem, period: Period) -> list[FunnelStep]:
    """The ladder for the memberships that came on it by the end of ``period`` (their history up to
    then): a membership that joined straight as a member counts as having passed the rungs below."""
    reached = dict.fromkeys(FUNNEL, 0)
    waits: dict[str, list[int]] = defaultdict(list)
    now = dict.fromkeys(FUNNEL, 0)
    for m in eco.memberships:
        steps = [s for s in m.history if s.on <= period.end]
        if not steps:
            continue
        top = max((RUNG[s.state] for s in steps if s.state in RUNG), default=-1)
        for level in FUNNEL:
            if RUNG[level] <= top:
                reached[level] += 1
        current = steps[-1].state
        if current in now:
            now[current] += 1
        for a, b in itertools.pairwise(steps):
            if a.state in RUNG and b.state in RUNG and RUNG[b.state] > RUNG[a.state]:
                waits[a.state].append((b.on - a.on).days)
    out = []
    previous = None
    for level in FUNNEL:
        conversion = None
        if previous is not None and reached[previous]:
            conversion = (Decimal(reached[level]) * 100 / reached[previous]).quantize(Decimal("0.1"))
        days = waits.get(level)
        out.append(
            FunnelStep(
                level,
                reached[level],
                conversion,
                round(statistics.median(days)) if days else None,
                now[level],
            )
        )
        previous = level
    return out


# ---- the outcome funnel -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeStep:
    stage: str  # match, meeting, follow_up, agreement, project, impact
    count: int
    records: tuple[Ref, ...]


OUTCOME_STAGES = ("match", "meeting", "follow_up", "agreement", "project", "impact")


def outcome_funnel(eco: Ecosystem, period: Period) -> list[OutcomeStep]:
    """From a match to its impact, in the period: meeting requests made from matches; meetings (those
    requests accepted and B2B meetings held); meetings with a follow-up planned; agreements (synergies
    agreed); projects started that came from a match; impact (synergies realised and reporting, projects
    closed)."""
    matches = [c for c in eco.match_contacts if period.holds(c.on)]
    accepted = [c for c in matches if c.status == "accepted"]
    held = [m for m in eco.meetings if period.holds(m.on) and m.outcome != "no_show"]
    follow = [m for m in held if m.follow_up]
    agreed = [
        s for s in eco.synergies if any(st.state == "agreed" and period.holds(st.on) for st in s.history)
    ]
    projects = [
        p
        for p in eco.projects
        if p.from_match and any(st.state in STARTED and period.holds(st.on) for st in p.history)
    ]
    realised = [
        s
        for s in eco.synergies
        if any(st.state == REALISED and period.holds(st.on) for st in s.history)
        or any(period.holds(r.period_end) for r in s.reports)
    ]
    closed = [
        p for p in eco.projects if any(st.state == "closed" and period.holds(st.on) for st in p.history)
    ]
    return [
        OutcomeStep("match", len(matches), tuple(Ref("match_contact", c.id) for c in matches)),
        OutcomeStep(
            "meeting",
            len(accepted) + len(held),
            tuple([Ref("match_contact", c.id) for c in accepted] + [Ref("meeting", m.id) for m in held]),
        ),
        OutcomeStep("follow_up", len(follow), tuple(Ref("meeting", m.id) for m in follow)),
        OutcomeStep("agreement", len(agreed), tuple(Ref("synergy", s.id) for s in agreed)),
        OutcomeStep("project", len(projects), tuple(Ref("project", p.id) for p in projects)),
        OutcomeStep(
            "impact",
            len(realised) + len(closed),
            tuple([Ref("synergy", s.id) for s in realised] + [Ref("project", p.id) for p in closed]),
        ),
    ]


# ---- activity per domain ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainActivity:
    domain: int
    members: int
    new_members: int
    projects: int
    contacts: int


def activity_per_domain(eco: Ecosystem, period: Period, domains: Iterable[int]) -> list[DomainActivity]:
    """Per domain: committed members at the end of the period, members committed during it, projects
    of the domain started or running in it, contacts with its members in it."""
    eve = period.start - timedelta(days=1)
    out = []
    for domain in domains:
        ms = [m for m in eco.memberships if domain in m.domains]
        orgs = {m.organisation_id for m in ms if m.committed_on(period.end)}
        new = sum(
            1
            for m in ms
            if not m.committed_on(eve) and any(s.state in COMMITTED and period.holds(s.on) for s in m.history)
        )
        projects = sum(
            1
            for p in eco.projects
            if domain in p.domains
            and (
                p.status_on(period.start) in STARTED
                or any(s.state in STARTED and period.holds(s.on) for s in p.history)
            )
        )
        contacts = sum(1 for c in eco.contacts if c.organisation_id in orgs and period.holds(c.on))
        out.append(DomainActivity(domain, len(orgs), new, projects, contacts))
    return out


# ---- the collaboration network ----------------------------------------------------------------------

# What ties two organisations, and how much it weighs: a project together most, then a synergy, a
# meeting held, an accepted match request.
TIE_WEIGHTS = {"project": 3.0, "synergy": 2.0, "meeting": 1.0, "match": 1.0}
# Betweenness is exact up to this many organisations, estimated from this many sources above it.
BETWEENNESS_EXACT = 300
BETWEENNESS_SAMPLE = 25


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    helix: str
    community: int
    degree: int
    betweenness: float
    bridges: int  # how many other helices its partners belong to
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[tuple[int, int, float], ...]
    communities: int
    organisations: int  # in the whole network (the drawing may show fewer)
    ties: int

    @property
    def brokers(self) -> list[Node]:
        """The nodes that tie helices together, most between first."""
        return sorted(
            (n for n in self.nodes if n.bridges and n.betweenness > 0),
            key=lambda n: (-n.betweenness, -n.bridges, n.name),
        )


def collaboration_graph(eco: Ecosystem, period: Period) -> nx.Graph:
    """Organisations tied by what they did together up to the end of ``period``: projects (approved or
    later), synergies agreed or realised, B2B meetings held, accepted match requests."""
    graph: nx.Graph = nx.Graph()

    def tie(a: int, b: int, kind: str) -> None:
        if a == b:
            return
        weight = TIE_WEIGHTS[kind]
        if graph.has_edge(a, b):
            graph[a][b]["weight"] += weight
        else:
            graph.add_edge(a, b, weight=weight)

    end = period.end
    for p in eco.projects:
        if p.status_on(end) in (*STARTED, "closed"):
            orgs = sorted(set(p.organisations))
            for i, a in enumerate(orgs):
                for b in orgs[i + 1 :]:
                    tie(a, b, "project")
    for s in eco.synergies:
        if s.state_on(end) in ("agreed", REALISED):
            tie(*s.organisations, "synergy")
    for m in eco.meetings:
        if m.on <= end and m.outcome != "no_show":
            tie(*m.organisations, "meeting")
    for c in eco.match_contacts:
        if c.on <= end and c.status == "accepted":
            tie(c.from_organisation, c.to_organisation, "match")
    return graph


def network(eco: Ecosystem, period: Period, *, draw: int = 120, seed: int = 0) -> Network:
    """The collaboration network with its communities (Louvain) and brokers (betweenness; on
    a large network estimated from a fixed sample of sources), and a layout for the ``draw`` most
    connected organisations (a seeded spring layout: the same data gives the same drawing)."""
    graph = collaboration_graph(eco, period)
    if graph.number_of_nodes() == 0:
        return Network((), (), 0, 0, 0)
    # Louvain (seeded): near-linear in the ties, where greedy modularity took seconds on a cluster of
    # thousands of members
    communities = list(nx.community.louvain_communities(graph, weight="weight", seed=seed))
    community_of = {node: k for k, members in enumerate(communities) for node in members}
    sample = None if graph.number_of_nodes() <= BETWEENNESS_EXACT else BETWEENNESS_SAMPLE
    between = nx.betweenness_centrality(graph, k=sample, seed=seed, normalized=True)
    helix_of = {o.id: o.helix for o in eco.organisations.values()}
    shown = sorted(graph.nodes, key=lambda n: (-graph.degree(n, weight="weight"), n))[:draw]
    sub = graph.subgraph(shown)
    layout = (
        nx.spring_layout(sub, seed=seed, weight="weight")
        if sub.number_of_nodes() > 1
        else {shown[0]: (0.0, 0.0)}
    )
    nodes = []
    for n in shown:
        own = helix_of.get(n, "")
        partner_helices = {helix_of.get(m, "") for m in graph.neighbors(n)} - {own, ""}
        org = eco.organisations.get(n)
        x, y = layout[n]
        nodes.append(
            Node(
                n,
                org.name if org else str(n),
                own,
                community_of[n],
                graph.degree(n),
                round(between[n], 4),
                len(partner_helices & set(HELICES)),
                float(x),
                float(y),
            )
        )
    edges = tuple(sorted((min(a, b), max(a, b), float(d["weight"])) for a, b, d in sub.edges(data=True)))
    return Network(tuple(nodes), edges, len(communities), graph.number_of_nodes(), graph.number_of_edges())
