"""A generated call for proposals with its reviewer pool, as a registry would hold it (seeded: the same
arguments give the same call).

- Organisations of a few kinds (universities and research centres are few and large, companies many
  and small), each with a main theme; sizes are heavy-tailed, so a large university has many
  reviewers, many applications and many past projects, as in a real ecosystem.
- Themes: twelve (energy, buildings, mobility, ...), each with two or three NACE divisions and a pool
  of keywords; proposal themes are skewed (energy and manufacturing draw most applications), reviewer
  themes less so, so the best reviewers of popular themes are contested.
- Reviewers: experts of member organisations (one in ten with a second affiliation); their expertise:
  their organisation's theme and a second one, NACE divisions and 6-12 keywords.
- Proposals: an applicant and 0-3 co-applicants (mostly of the same theme); topics: 1-2 NACE divisions
  and 3-6 keywords, from the applicant's theme, one in five with a keyword of another theme.
- Past projects: 2-8 participants of related themes (large organisations more often), 2014-2025, 1-4
  years long; so organisations share past projects and the shared-project conflict comes up.
- A few declared conflicts (one per hundred proposals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helix.core.review.assignment import Participation

THEMES: dict[str, tuple[str, ...]] = {
    "energy": ("35", "43", "71"),
    "buildings": ("41", "43", "71"),
    "mobility": ("29", "49", "52"),
    "materials": ("20", "22", "24"),
    "health": ("21", "26", "86"),
    "ict": ("62", "63"),
    "food": ("10", "11", "01"),
    "water": ("36", "37", "39"),
    "circular": ("38", "39", "46"),
    "manufacturing": ("25", "28", "33"),
    "chemistry": ("19", "20"),
    "logistics": ("49", "52", "53"),
}
KEYWORDS_PER_THEME = 24
# applications per theme (relative): two themes draw most of them; reviewers are spread more evenly
PROPOSAL_SKEW = np.array([5.0, 3.0, 2.0, 1.5, 1.5, 2.5, 1.0, 0.8, 1.2, 4.0, 0.8, 0.7])
REVIEWER_SKEW = np.array([2.0, 1.5, 1.2, 1.0, 1.0, 1.5, 0.8, 0.8, 1.0, 1.5, 0.8, 0.7])
REFERENCE_YEAR = 2025


@dataclass(frozen=True)
class Call:
    proposals: list[str]
    reviewers: list[str]
    topics: dict[str, list[str]]  # proposal -> its NACE divisions and keywords
    expertise: dict[str, list[str]]  # reviewer -> the same
    proposal_organisations: dict[str, list[str]]  # applicant first
    reviewer_organisations: dict[str, list[str]]
    participations: list[Participation]
    declared: list[tuple[str, str]]  # (reviewer, proposal)
    year: int = REFERENCE_YEAR


def _keywords(theme: str) -> list[str]:
    return [f"kw:{theme}-{i:02d}" for i in range(KEYWORDS_PER_THEME)]


def generate_call(n_proposals: int = 2000, n_reviewers: int = 400, seed: int = 14) -> Call:
    rng = np.random.default_rng(seed)
    themes = list(THEMES)
    n_themes = len(themes)
    n_orgs = max(20, int(n_proposals * 0.6))
    org_theme = rng.choice(n_themes, size=n_orgs, p=PROPOSAL_SKEW / PROPOSAL_SKEW.sum())
    size = rng.pareto(1.3, n_orgs) + 1.0  # heavy tail: a few large organisations
    size /= size.sum()
    orgs = [f"org{i:05d}" for i in range(n_orgs)]
    by_theme = [np.nonzero(org_theme == t)[0] for t in range(n_themes)]

    def member_of(theme: int) -> int:
        """An organisation of this theme (three in four) or any, drawn by size."""
        pool = by_theme[theme] if rng.random() < 0.75 and len(by_theme[theme]) else np.arange(n_orgs)
        weights = size[pool] / size[pool].sum()
        return int(pool[rng.choice(len(pool), p=weights)])

    def topics_of(theme: int, n_nace: int, n_kw: int, stray: bool) -> list[str]:
        divisions = THEMES[themes[theme]]
        nace = [f"nace:{d}" for d in rng.choice(divisions, size=min(n_nace, len(divisions)), replace=False)]
        words = list(rng.choice(_keywords(themes[theme]), size=n_kw, replace=False))
        if stray:
            other = int(rng.integers(n_themes))
            words.append(str(rng.choice(_keywords(themes[other]))))
        return nace + [str(w) for w in words]

    reviewers = [f"rev{j:04d}" for j in range(n_reviewers)]
    expertise: dict[str, list[str]] = {}
    reviewer_organisations: dict[str, list[str]] = {}
    for reviewer in reviewers:
        theme = int(rng.choice(n_themes, p=REVIEWER_SKEW / REVIEWER_SKEW.sum()))
        second = int(rng.choice(n_themes))
        main = topics_of(theme, int(rng.integers(1, 3)), int(rng.integers(4, 9)), False)
        side = topics_of(second, 1, int(rng.integers(2, 5)), False)
        expertise[reviewer] = list(dict.fromkeys(main + side))
        affiliations = [orgs[member_of(theme)]]
        if rng.random() < 0.1:
            affiliations.append(orgs[member_of(second)])
        reviewer_organisations[reviewer] = list(dict.fromkeys(affiliations))

    proposals = [f"prop{i:05d}" for i in range(n_proposals)]
    topics: dict[str, list[str]] = {}
    proposal_organisations: dict[str, list[str]] = {}
    for proposal in proposals:
        theme = int(rng.choice(n_themes, p=PROPOSAL_SKEW / PROPOSAL_SKEW.sum()))
        topics[proposal] = topics_of(
            theme, int(rng.integers(1, 3)), int(rng.integers(3, 7)), rng.random() < 0.2
        )
        members = [member_of(theme) for _ in range(1 + int(rng.integers(0, 4)))]
        proposal_organisations[proposal] = [orgs[i] for i in dict.fromkeys(members)]

    participations: list[Participation] = []
    for project in range(max(10, n_proposals // 4)):
        theme = int(rng.integers(n_themes))
        start = int(rng.integers(2014, REFERENCE_YEAR + 1))
        end = start + int(rng.integers(0, 4))
        members = {member_of(theme) for _ in range(int(rng.integers(2, 9)))}
        for org in sorted(members):
            participations.append(
                Participation(f"proj{project:05d}", orgs[org], start, None if end >= REFERENCE_YEAR else end)
            )

    declared = [
        (reviewers[int(rng.integers(n_reviewers))], proposals[int(rng.integers(n_proposals))])
        for _ in range(max(1, n_proposals // 100))
    ]
    return Call(
        proposals,
        reviewers,
        topics,
        expertise,
        proposal_organisations,
        reviewer_organisations,
        participations,
        declared,
    )
