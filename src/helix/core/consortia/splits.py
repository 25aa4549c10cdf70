"""Honest samples for learning and evaluation: a split by start year, and hidden-partner cases.

A case takes a consortium, hides one of its non-coordinator members (seeded random) and asks for the
rest: the hidden organisation is the answer. Learning uses only rows that started before the years it
is asked about (:func:`split_by_year`), so nothing of a later year teaches the model.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .participations import Consortium, Participation, Query, consortia


@dataclass(frozen=True, slots=True)
class Case:
    """A query made from a consortium with one member hidden, and that member."""

    query: Query
    hidden: str


@dataclass(frozen=True)
class YearSplit:
    """Rows to learn from (start years ``learn_years``) and the consortia to ask about (``query_year``)."""

    learn: tuple[Participation, ...]
    query: tuple[Consortium, ...]
    learn_years: tuple[int, int]
    query_year: int


def split_by_year(rows: Iterable[Participation], first_year: int, query_year: int) -> YearSplit:
    """Learn from the projects that started from ``first_year`` up to the year before ``query_year``;
    ask about the consortia that started in ``query_year``. Later years are left out of both."""
    if query_year <= first_year:
        raise ValueError(f"the query year {query_year} must come after the first learning year {first_year}")
    rows = list(rows)
    learn = tuple(r for r in rows if first_year <= r.start_year < query_year)
    query = tuple(consortia(r for r in rows if r.start_year == query_year))
    return YearSplit(learn, query, (first_year, query_year - 1), query_year)


def hidden_partner_cases(groups: Sequence[Consortium], seed: int = 0) -> list[Case]:
    """One case per consortium with at least two members of which one is not a coordinator: a
    non-coordinator hidden at random (seeded, the same for the same input), the others as partners."""
    rng = random.Random(seed)  # noqa: S311 (seeded sampling, not security)
    cases = []
    for group in groups:
        candidates = [m for m in group.members if not m.is_coordinator]
        if len(group.members) < 2 or not candidates:
            continue
        hidden = candidates[rng.randrange(len(candidates))]
        partners = tuple(m.organisation_id for m in group.members if m is not hidden)
        cases.append(Case(Query(group.project_id, group.programme_parts, partners), hidden.organisation_id))
    return cases
