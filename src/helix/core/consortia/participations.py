"""Participations: who took part in which project, as plain rows, and the graph the recommender reads.

A :class:`Participation` is one organisation in one project (the CORDIS layout: role, organisation
type PRC/HES/REC/PUB/OTH, country, programme part, start year). Helix's own projects give the same rows
(:func:`organisation_type_of_kind` maps a Helix organisation kind to the CORDIS type). The
:class:`ParticipationGraph` holds them as compressed sparse arrays (project -> members, organisation ->
projects), never a dense organisation x organisation matrix, so tens of thousands of organisations fit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ORGANISATION_TYPES = ("PRC", "HES", "REC", "PUB", "OTH")
TYPE_NAMES = {
    "PRC": "private company",
    "HES": "higher education",
    "REC": "research centre",
    "PUB": "public body",
    "OTH": "other",
}
COORDINATOR = "coordinator"

# Helix's organisation kinds in CORDIS terms (a knowledge institution is a university, HES, unless it is
# a research centre, REC).
_KIND_TYPES = {
    "company": "PRC",
    "knowledge_institution": "HES",
    "government": "PUB",
    "other": "OTH",
}

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def organisation_type_of_kind(kind: str, *, research_centre: bool = False) -> str:
    """The CORDIS organisation type of a Helix organisation kind (unknown kinds are OTH)."""
    key = kind.strip().lower().replace(" ", "_").replace("-", "_")
    if key == "knowledge_institution" and research_centre:
        return "REC"
    return _KIND_TYPES.get(key, "OTH")


@dataclass(frozen=True, slots=True)
class Participation:
    """One organisation in one project. ``programme_parts`` may hold several parts (a CORDIS project of
    the SME instrument is in "Innovation in SMEs" and in its thematic part) or none."""

    project_id: str
    organisation_id: str
    role: str
    organisation_type: str
    country: str
    programme_parts: tuple[str, ...]
    start_year: int

    @property
    def is_coordinator(self) -> bool:
        return self.role.strip().lower() == COORDINATOR


@dataclass(frozen=True, slots=True)
class Query:
    """A draft consortium: its programme part(s) and the organisations already in it."""

    query_id: str
    programme_parts: tuple[str, ...]
    partners: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Consortium:
    """The participations of one project, the coordinator(s) first, then by organisation id."""

    project_id: str
    programme_parts: tuple[str, ...]
    start_year: int
    members: tuple[Participation, ...]


def consortia(rows: Iterable[Participation]) -> list[Consortium]:
    """Rows grouped by project, in project id order (an organisation listed twice in a project counts
    once: its first row)."""
    grouped: dict[str, dict[str, Participation]] = defaultdict(dict)
    for row in rows:
        grouped[row.project_id].setdefault(row.organisation_id, row)
    out = []
    for project_id in sorted(grouped):
        members = sorted(
            grouped[project_id].values(), key=lambda p: (not p.is_coordinator, p.organisation_id)
        )
        first = members[0]
        out.append(Consortium(project_id, first.programme_parts, first.start_year, tuple(members)))
    return out


def gather(indptr: IntArray, values: IntArray, rows: IntArray) -> tuple[IntArray, IntArray]:
    """The values of the CSR ``rows`` concatenated, and for each value the position in ``rows`` it came
    from: a vectorised ``concatenate(values[indptr[r]:indptr[r + 1]] for r in rows)``."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    origin = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    offsets = np.cumsum(lengths) - lengths
    positions = np.arange(total, dtype=np.int64) - offsets[origin] + starts[origin]
    return values[positions], origin


class ParticipationGraph:
    """The bipartite project-organisation graph with each organisation's attributes and counts.

    Organisations are indexed in the order of their ids (so ties anywhere break by id). An
    organisation's type and country are those of its latest participation.
    """

    def __init__(self, rows: Sequence[Participation]) -> None:
        groups = consortia(rows)
        latest: dict[str, Participation] = {}
        for row in sorted(rows, key=lambda r: (r.start_year, r.project_id)):
            latest[row.organisation_id] = row
        self.organisation_ids: list[str] = sorted(latest)
        self.index: dict[str, int] = {o: i for i, o in enumerate(self.organisation_ids)}
        n = len(self.organisation_ids)
        self.n = n
        self.types: list[str] = list(ORGANISATION_TYPES)
        extra = sorted({r.organisation_type for r in latest.values()} - set(self.types))
        self.types += extra
        type_at = {t: i for i, t in enumerate(self.types)}
        self.countries: list[str] = sorted({r.country for r in rows})
        country_at = {c: i for i, c in enumerate(self.countries)}
        self.org_type: IntArray = np.array(
            [type_at[latest[o].organisation_type] for o in self.organisation_ids], dtype=np.int64
        )
        self.org_country: IntArray = np.array(
            [country_at[latest[o].country] for o in self.organisation_ids], dtype=np.int64
        )

        self.project_ids = [c.project_id for c in groups]
        self.project_year: IntArray = np.array([c.start_year for c in groups], dtype=np.int64)
        self.project_parts = [c.programme_parts for c in groups]
        sizes = [len(c.members) for c in groups]
        self.project_size: IntArray = np.array(sizes, dtype=np.int64)
        self.project_indptr: IntArray = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.project_members: IntArray = np.array(
            [self.index[m.organisation_id] for c in groups for m in c.members], dtype=np.int64
        )
        coordinator = np.array([m.is_coordinator for c in groups for m in c.members], dtype=bool)
        entry_project = np.repeat(np.arange(len(groups), dtype=np.int64), self.project_size)
        self.entry_project = entry_project

        order = np.argsort(self.project_members, kind="stable")
        self.org_projects: IntArray = entry_project[order]
        counts = np.bincount(self.project_members, minlength=n)
        self.org_indptr: IntArray = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.degree: FloatArray = counts.astype(np.float64)
        self.last_year = int(self.project_year.max()) if len(groups) else 0
        member_year = self.project_year[entry_project]
        self.org_last_year: IntArray = np.full(n, self.last_year, dtype=np.int64)
        if n:
            last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
            np.maximum.at(last, self.project_members, member_year)
            self.org_last_year = last
        self.multi_degree: FloatArray = np.bincount(
            self.project_members,
            weights=(self.project_size[entry_project] >= 2).astype(np.float64),
            minlength=n,
        ).astype(np.float64)
        self.coordinations: FloatArray = np.bincount(
            self.project_members, weights=coordinator.astype(np.float64), minlength=n
        ).astype(np.float64)
        self.recent: FloatArray = np.bincount(
            self.project_members, weights=(member_year == self.last_year).astype(np.float64), minlength=n
        ).astype(np.float64)
        # Projects per programme part, per organisation; and each part's mix of organisation types.
        part_entries: dict[str, list[int]] = defaultdict(list)
        for j, parts in enumerate(self.project_parts):
            for part in dict.fromkeys(parts):
                part_entries[part].append(j)
        self.part_activity: dict[str, FloatArray] = {}
        self.part_type_share: dict[str, FloatArray] = {}
        all_types = np.bincount(self.org_type[self.project_members], minlength=len(self.types)).astype(float)
        self.type_share: FloatArray = (all_types + 1.0) / (all_types.sum() + len(self.types))
        for part, projects in part_entries.items():
            members, _ = gather(self.project_indptr, self.project_members, np.array(projects, dtype=np.int64))
            self.part_activity[part] = np.bincount(members, minlength=n).astype(np.float64)
            mix = np.bincount(self.org_type[members], minlength=len(self.types)).astype(float)
            self.part_type_share[part] = (mix + self.type_share * 5.0) / (mix.sum() + 5.0)
        # How much more often two countries meet in a project than their sizes predict (log lift,
        # smoothed), from every pair of members of every project.
        c = len(self.countries)
        pair_counts = np.zeros((c, c))
        member_country = self.org_country[self.project_members]
        for j in range(len(groups)):
            if sizes[j] < 2:
                continue
            present = np.bincount(
                member_country[self.project_indptr[j] : self.project_indptr[j + 1]], minlength=c
            )
            outer = np.outer(present, present).astype(float)
            np.fill_diagonal(outer, present * (present - 1))
            pair_counts += outer
        marginal = pair_counts.sum(axis=1) + 1.0
        total = marginal.sum()
        self.country_lift: FloatArray = np.log((pair_counts + 1.0) * total / np.outer(marginal, marginal))

    def known(self, organisation_ids: Iterable[str]) -> IntArray:
        """The indices of the organisations of ``organisation_ids`` that the graph knows, once each."""
        found = sorted({self.index[o] for o in organisation_ids if o in self.index})
        return np.array(found, dtype=np.int64)

    def projects_of(self, organisation: int) -> IntArray:
        return self.org_projects[self.org_indptr[organisation] : self.org_indptr[organisation + 1]]
