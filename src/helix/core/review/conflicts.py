"""Conflicts of interest between reviewers and proposals, and the reviewers' expertise fit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Pair = tuple[str, str]  # (reviewer, proposal)


# -- conflicts of interest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    """An organisation's part in a project, over the years it took part (``end_year`` None: running)."""

    project: str
    organisation: str
    start_year: int
    end_year: int | None = None


@dataclass(frozen=True)
class Conflict:
    """One reason why a reviewer may not review a proposal, coded as a problem is."""

    reviewer: str
    proposal: str
    code: str  # conflict_same_organisation, conflict_shared_project, conflict_declared
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""


def find_conflicts(
    reviewer_organisations: Mapping[str, Collection[str]],
    proposal_organisations: Mapping[str, Collection[str]],
    participations: Iterable[Participation] = (),
    declared: Iterable[Pair] = (),
    *,
    year: int,
    window_years: int = 3,
) -> dict[Pair, tuple[Conflict, ...]]:
    """The conflicts of interest, by ``(reviewer, proposal)``, each with its reasons, from plain facts.

    - ``conflict_same_organisation``: the reviewer works for the applicant or a co-applicant.
    - ``conflict_shared_project``: an organisation of the reviewer and one of the proposal took part in
      the same project, both in the last ``window_years`` years: each participation's last year (the
      reference ``year`` while it runs) is ``year - window_years`` or later, and it started by ``year``.
    - ``conflict_declared``: the pair was declared (by the reviewer, the applicant or staff).

    ``reviewer_organisations``: each reviewer's organisation ids (a reviewer may have several
    affiliations); ``proposal_organisations``: each proposal's applicant and co-applicant ids.
    """
    found: dict[Pair, list[Conflict]] = defaultdict(list)
    proposals_of_org: dict[str, list[str]] = defaultdict(list)
    for proposal, orgs in proposal_organisations.items():
        for org in dict.fromkeys(orgs):
            proposals_of_org[org].append(proposal)

    for reviewer, orgs in reviewer_organisations.items():
        for org in dict.fromkeys(orgs):
            for proposal in proposals_of_org.get(org, ()):
                found[reviewer, proposal].append(
                    Conflict(
                        reviewer,
                        proposal,
                        "conflict_same_organisation",
                        {"organisation": org},
                        f"the reviewer works for {org}, an applicant of {proposal}",
                    )
                )

    # organisation -> {partner organisation: (project, last year)} over the recent projects
    recent: dict[str, list[tuple[str, int]]] = defaultdict(list)  # project -> [(organisation, last)]
    for part in participations:
        last = year if part.end_year is None else min(part.end_year, year)
        if part.start_year <= year and last >= year - window_years:
            recent[part.project].append((part.organisation, last))
    partners: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for project in sorted(recent):
        members = recent[project]
        for a, last_a in members:
            for b, last_b in members:
                if a == b:
                    continue
                last = min(last_a, last_b)
                # keep the most recent shared project (then the first by id), one reason per pair
                kept = partners[a].get(b)
                if kept is None or last > kept[1]:
                    partners[a][b] = (project, last)
    for reviewer, orgs in reviewer_organisations.items():
        mine = set(orgs)
        for org in dict.fromkeys(orgs):
            for partner, (project, last) in sorted(partners.get(org, {}).items()):
                if partner in mine:
                    continue  # the reviewer's own organisations: same organisation, said above
                for proposal in proposals_of_org.get(partner, ()):
                    found[reviewer, proposal].append(
                        Conflict(
                            reviewer,
                            proposal,
                            "conflict_shared_project",
                            {
                                "project": project,
                                "reviewer_organisation": org,
                                "applicant_organisation": partner,
                                "year": last,
                            },
                            f"{org} (the reviewer's) and {partner} (an applicant of {proposal}) "
                            f"shared project {project} until {last}",
                        )
                    )

    for reviewer, proposal in declared:
        found[reviewer, proposal].append(
            Conflict(
                reviewer,
                proposal,
                "conflict_declared",
                {},
                f"a conflict of {reviewer} with {proposal} was declared",
            )
        )
    return {pair: tuple(reasons) for pair, reasons in found.items()}


# -- expertise fit ----------------------------------------------------------------------------------


def _term(word: str) -> str:
    return " ".join(word.casefold().split())


def expertise_fit(
    proposals: Sequence[str],
    reviewers: Sequence[str],
    topics: Mapping[str, Collection[str]],
    expertise: Mapping[str, Collection[str]],
) -> npt.NDArray[np.float64]:
    """The fit matrix (proposals x reviewers): the share of a proposal's topics the reviewer masters.

    ``topics``: each proposal's sectors and keywords; ``expertise``: each reviewer's. Terms are compared
    case- and space-insensitively; the caller may prefix them by kind ("nace:62.10", "kw:heat pumps") and
    expand a NACE code to its ancestors on both sides to give partial credit. A proposal without topics
    fits everyone 0. Coverage rather than Jaccard: a broad reviewer is not penalised for knowing more.
    """
    vocabulary: dict[str, int] = {}
    rows = [{vocabulary.setdefault(_term(t), len(vocabulary)) for t in topics.get(p, ())} for p in proposals]
    cols = [
        {vocabulary.setdefault(_term(t), len(vocabulary)) for t in expertise.get(r, ())} for r in reviewers
    ]
    size = len(vocabulary)
    a = np.zeros((len(proposals), size))
    for i, terms in enumerate(rows):
        a[i, list(terms)] = 1.0
    b = np.zeros((len(reviewers), size))
    for j, terms in enumerate(cols):
        b[j, list(terms)] = 1.0
    counts = a.sum(axis=1, keepdims=True)
    fit: npt.NDArray[np.float64] = np.zeros((len(proposals), len(reviewers)))
    np.divide(a @ b.T, counts, out=fit, where=counts > 0)
    return fit
