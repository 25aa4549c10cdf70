"""What a cluster's dashboards show, computed from an :class:`.Ecosystem`: members over time and growth per
year, the engagement funnel (how many reach each rung, the conversion between rungs, the time spent on
each), the outcome funnel (match -> meeting -> follow-up -> agreement -> project -> impact), the activity
per domain, and the collaboration network (who works with whom: communities, and the brokers that tie
sectors and helices together, with networkx).

Plain data in, plain data out; :mod:`.charts` draws them as SVG.
"""

from __future__ import annotations

import bisect
import itertools
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import networkx as nx
import numpy as np
import numpy.typing as npt

from .ecosystem import (
    COMMITTED,
    FUNNEL,
    HELICES,
    LEFT,
    RUNG,
    Ecosystem,
    Membership,
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


class _CommittedCount:
    """How many memberships are committed at the end of any day, from one pass over the histories
    (members_on scans every membership for each day asked, and the charts ask for dozens of days).

    A membership's state on a day is that of the last step before the first step dated later
    (:func:`.ecosystem.state_on`), so each step counts from the latest date in the history up to it: in a
    history in date order, from its own date."""

    def __init__(self, eco: Ecosystem) -> None:
        change: dict[date, int] = defaultdict(int)
        for m in eco.memberships:
            committed = False
            reach: date | None = None
            for step in m.history:
                reach = step.on if reach is None or step.on > reach else reach
                now = step.state in COMMITTED
                if now != committed:
                    change[reach] += 1 if now else -1
                    committed = now
        self.days = sorted(change)
        self.counts = list(itertools.accumulate(change[d] for d in self.days))

    def on(self, day: date) -> int:
        index = bisect.bisect_right(self.days, day)
        return self.counts[index - 1] if index else 0


def members_series(eco: Ecosystem, period: Period, points: int = 24) -> list[tuple[date, int]]:
    """Committed members at ``points`` evenly spaced days from the period's start to its end."""
    points = max(2, points)
    span = (period.end - period.start).days
    days = sorted({period.start + timedelta(days=round(span * k / (points - 1))) for k in range(points)})
    committed = _CommittedCount(eco)
    return [(d, committed.on(d)) for d in days]


def growth_per_year(eco: Ecosystem, first: int, last: int) -> list[YearGrowth]:
    """Per calendar year from ``first`` to ``last``: who came (committed during the year, not on its eve)
    and who left (a step to "left" during it), in one pass over the memberships."""
    committed = _CommittedCount(eco)
    joined: Counter[int] = Counter()
    left: Counter[int] = Counter()
    for m in eco.memberships:
        came = {s.on.year for s in m.history if s.state in COMMITTED and first <= s.on.year <= last}
        for year in came:
            if not m.committed_on(date(year, 1, 1) - timedelta(days=1)):
                joined[year] += 1
        left.update({s.on.year for s in m.history if s.state == LEFT})
    out = []
    for year in range(first, last + 1):
        before = committed.on(date(year, 1, 1) - timedelta(days=1))
        after = committed.on(date(year, 12, 31))
        growth = (Decimal(after - before) * 100 / before).quantize(Decimal("0.1")) if before else None
        out.append(YearGrowth(year, after, joined[year], left[year], growth))
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
    wanted = list(domains)
    in_domain: dict[int, list[Membership]] = {d: [] for d in wanted}
    for m in eco.memberships:
        for d in m.domains:
            if d in in_domain:
                in_domain[d].append(m)
    active = [
        p
        for p in eco.projects
        if p.status_on(period.start) in STARTED
        or any(s.state in STARTED and period.holds(s.on) for s in p.history)
    ]
    contacts_of = Counter(c.organisation_id for c in eco.contacts if period.holds(c.on))
    out = []
    for domain in wanted:
        ms = in_domain[domain]
        orgs = {m.organisation_id for m in ms if m.committed_on(period.end)}
        new = sum(
            1
            for m in ms
            if not m.committed_on(eve) and any(s.state in COMMITTED and period.holds(s.on) for s in m.history)
        )
        projects = sum(1 for p in active if domain in p.domains)
        contacts = sum(contacts_of[o] for o in orgs)
        out.append(DomainActivity(domain, len(orgs), new, projects, contacts))
    return out


# ---- the collaboration network ----------------------------------------------------------------------

# What ties two organisations, and how much it weighs: a project together most, then a synergy, a
# meeting held, an accepted match request.
TIE_WEIGHTS = {"project": 3.0, "synergy": 2.0, "meeting": 1.0, "match": 1.0}
# Betweenness is exact up to this many organisations, estimated from this many sources above it.
BETWEENNESS_EXACT = 300
BETWEENNESS_SAMPLE = 25
# Louvain stops at a level that raises the modularity by less (networkx's default)
LOUVAIN_THRESHOLD = 0.0000001


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


def communities(graph: nx.Graph, seed: int = 0) -> list[set[int]]:
    """The graph's communities by Louvain, seeded: what ``nx.community.louvain_communities(graph,
    weight="weight", seed=seed)`` gives, community for community and in the same order, in about half
    its time. The same moves in the same order on plain lists instead of networkx graphs (rebuilt at
    each level, with their modularity). The gains compared are computed as networkx computes them; the
    modularity that ends the passes sums weights in another order, which rounds alike when the weights
    are whole numbers (the ties' weights are)."""
    labels = list(graph)
    partition = [{node} for node in labels]
    if graph.number_of_edges() == 0:
        return partition
    index = {node: i for i, node in enumerate(labels)}
    given = [{index[m]: float(d.get("weight", 1)) for m, d in graph[node].items()} for node in labels]
    rng = random.Random(seed)  # noqa: S311 (the order nodes are visited in, not a secret)
    quality = _modularity(given, [{i} for i in range(len(labels))])
    # networkx works on a copy whose ties are added in the order it lists them
    adjacency: list[dict[int, float]] = [{} for _ in labels]
    for a, b, weight in _ties(given):
        adjacency[a][b] = adjacency[b][a] = weight
    total = sum(_degrees(adjacency)) / 2
    stands_for = [{node} for node in labels]  # the organisations each node of the level stands for
    partition, inner, _ = _louvain_level(adjacency, total, partition, stands_for, rng)
    improved = True
    found = partition
    while improved:
        found = [set(c) for c in partition]
        better = _modularity(adjacency, inner)
        if better - quality <= LOUVAIN_THRESHOLD:
            break
        quality = better
        adjacency, stands_for = _aggregate(adjacency, inner, stands_for)
        partition, inner, improved = _louvain_level(adjacency, total, partition, stands_for, rng)
    return found


def _ties(
    adjacency: list[dict[int, float]], nodes: Iterable[int] | None = None
) -> Iterator[tuple[int, int, float]]:
    """Each tie once, as networkx lists a graph's edges: node by node, each in adjacency order, a tie
    from the first of its ends listed."""
    listed: set[int] = set()
    for a in range(len(adjacency)) if nodes is None else nodes:
        for b, weight in adjacency[a].items():
            if b not in listed:
                yield a, b, weight
        listed.add(a)


def _degrees(adjacency: list[dict[int, float]]) -> list[float]:
    """Weighted degrees, a tie to itself counted twice."""
    return [sum(ties.values()) + ties.get(a, 0.0) for a, ties in enumerate(adjacency)]


def _modularity(adjacency: list[dict[int, float]], parts: list[set[int]]) -> float:
    degree = _degrees(adjacency)
    twice = sum(degree)
    total, norm = twice / 2, 1 / twice**2

    def contribution(part: set[int]) -> float:
        inside = sum(w for _, b, w in _ties(adjacency, part) if b in part)
        summed = sum(degree[a] for a in part)
        return inside / total - summed * summed * norm

    return sum(map(contribution, parts))


def _aggregate(
    adjacency: list[dict[int, float]], inner: list[set[int]], stands_for: list[set[int]]
) -> tuple[list[dict[int, float]], list[set[int]]]:
    """The next level's graph: a node per community, the ties between communities summed."""
    community = {}
    members = []
    for k, part in enumerate(inner):
        nodes: set[int] = set()
        for node in part:
            community[node] = k
            nodes.update(stands_for[node])
        members.append(nodes)
    summed: list[dict[int, float]] = [{} for _ in inner]
    for a, b, weight in _ties(adjacency):
        ca, cb = community[a], community[b]
        summed[ca][cb] = summed[cb][ca] = weight + summed[ca].get(cb, 0)
    return summed, members


def _louvain_level(
    adjacency: list[dict[int, float]],
    total: float,
    partition: list[set[int]],
    stands_for: list[set[int]],
    rng: random.Random,
) -> tuple[list[set[int]], list[set[int]], bool]:
    """One level: each node (in a shuffled order, until none moves) to the neighbouring community that
    gains the most modularity. The communities of organisations and of the level's nodes, and whether a
    node moved."""
    n = len(adjacency)
    community = list(range(n))
    inner = [{a} for a in range(n)]
    degree = _degrees(adjacency)
    around = list(degree)  # the summed degree of each community
    neighbours = [[(b, w) for b, w in adjacency[a].items() if b != a] for a in range(n)]
    order = list(range(n))
    rng.shuffle(order)
    twice_squared = 2 * total**2
    moved, improved = True, False
    while moved:
        moved = False
        for a in order:
            own = best = community[a]
            towards: dict[int, float] = {}
            for b, w in neighbours[a]:
                towards[community[b]] = towards.get(community[b], 0.0) + w
            around[own] -= degree[a]
            towards.setdefault(own, 0.0)
            leave = -towards[own] / total + (around[own] * degree[a]) / twice_squared
            best_gain = 0.0
            for c, w in towards.items():
                gain = leave + w / total - (around[c] * degree[a]) / twice_squared
                if gain > best_gain:
                    best_gain, best = gain, c
            around[best] += degree[a]
            if best != own:
                partition[own].difference_update(stands_for[a])
                inner[own].remove(a)
                partition[best].update(stands_for[a])
                inner[best].add(a)
                community[a] = best
                moved = improved = True
    return [p for p in partition if p], [p for p in inner if p], improved


def betweenness(graph: nx.Graph, sample: int | None = None, seed: int = 0) -> dict[int, float]:
    """Normalised betweenness of each node, exact or estimated from ``sample`` sources drawn with
    ``seed``: what ``nx.betweenness_centrality(graph, k=sample, seed=seed)`` gives, to the last bit, in a
    fraction of its time. Brandes' breadth-first search runs one level at a time on arrays (networkx
    visits each node in Python); each level's nodes keep the order networkx finds them in and each
    node's dependency adds its successors in the order networkx does, so the sums round alike."""
    nodes = list(graph)
    n = len(nodes)
    if sample == n:
        sample = None
    sources = nodes if sample is None else random.Random(seed).sample(nodes, sample)  # noqa: S311 (a sample)
    index = {node: i for i, node in enumerate(nodes)}
    neighbours = [[index[m] for m in graph[node]] for node in nodes]
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(a) for a in neighbours], out=starts[1:])
    targets = np.fromiter(itertools.chain.from_iterable(neighbours), dtype=np.int64, count=int(starts[-1]))
    total = np.zeros(n)
    for source in sources:
        total += _dependencies(index[source], starts, targets)
    # the scale networkx applies (normalised, undirected, endpoints excluded)
    pairs = n - 1
    if pairs >= 2:
        if sample is None:
            scale = 1 / (pairs * (pairs - 1))
            if scale != 1:
                total *= scale
        else:
            scaled = np.full(n, 1 / (sample * (pairs - 1)))
            scaled[[index[s] for s in sources]] = 1 / ((sample - 1) * (pairs - 1)) if sample > 1 else np.nan
            total *= scaled
    return dict(zip(nodes, total.tolist(), strict=True))


def _dependencies(
    source: int, starts: npt.NDArray[np.int64], targets: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Brandes' dependency of ``source`` on every node (0 for the source itself and the unreached)."""
    n = len(starts) - 1
    distance = np.full(n, -1, dtype=np.int64)
    distance[source] = 0
    paths = np.zeros(n)
    paths[source] = 1.0
    position = np.zeros(n, dtype=np.int64)  # rank in the order networkx's search visits the nodes
    frontier = np.array([source], dtype=np.int64)
    # per level, the shortest-path edges that reach it (from, to)
    levels: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
    depth = seen = 0
    while frontier.size:
        first, count = starts[frontier], starts[frontier + 1] - starts[frontier]
        if not count.sum():
            break
        # the frontier's neighbours, node by node in the frontier's order, each in adjacency order
        before = np.repeat(frontier, count)
        offset = np.arange(before.size) - np.repeat(np.cumsum(count) - count, count)
        after = targets[np.repeat(first, count) + offset]
        fresh = after[distance[after] < 0]
        if fresh.size:
            found, at = np.unique(fresh, return_index=True)
            found = found[np.argsort(at)]
            distance[found] = depth + 1
            position[found] = np.arange(seen + 1, seen + 1 + found.size)
            seen += found.size
        else:
            found = fresh
        on_path = distance[after] == depth + 1
        before, after = before[on_path], after[on_path]
        paths += np.bincount(after, weights=paths[before], minlength=n)
        levels.append((before, after))
        frontier = found
        depth += 1
    dependency = np.zeros(n)
    for before, after in reversed(levels):
        # each node adds its successors' shares latest visited first, as networkx pops its stack
        order = np.argsort(-position[after], kind="stable")
        before, after = before[order], after[order]
        share = paths[before] * ((1.0 + dependency[after]) / paths[after])
        dependency += np.bincount(before, weights=share, minlength=n)
    dependency[source] = 0.0
    return dependency


def network(eco: Ecosystem, period: Period, *, draw: int = 120, seed: int = 0) -> Network:
    """The collaboration network with its communities (Louvain) and brokers (betweenness; on
    a large network estimated from a fixed sample of sources), and a layout for the ``draw`` most
    connected organisations (a seeded spring layout: the same data gives the same drawing)."""
    graph = collaboration_graph(eco, period)
    if graph.number_of_nodes() == 0:
        return Network((), (), 0, 0, 0)
    # Louvain (seeded): near-linear in the ties, where greedy modularity took seconds on a cluster of
    # thousands of members
    found = communities(graph, seed)
    community_of = {node: k for k, members in enumerate(found) for node in members}
    sample = None if graph.number_of_nodes() <= BETWEENNESS_EXACT else BETWEENNESS_SAMPLE
    between = betweenness(graph, sample, seed)
    helix_of = {o.id: o.helix for o in eco.organisations.values()}
    weighted = dict(graph.degree(weight="weight"))
    shown = sorted(graph.nodes, key=lambda n: (-weighted[n], n))[:draw]
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
    return Network(tuple(nodes), edges, len(found), graph.number_of_nodes(), graph.number_of_edges())
