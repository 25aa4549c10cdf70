"""The directory as an in-memory index: free text, facets and their counts over plain rows.

The directory page asks, for every search: which organisations match the words and the ticked filters,
in what order, and how many would each filter value give (each facet counted with the *other* facets
applied, so a ticked value can be widened). Asked of the database, that is seven grouped queries over the
registry's joins per page: hundreds of milliseconds at 20,000 organisations. Here the registry is read
once into arrays (one row per organisation; a posting list of rows per facet value) and every question
is answered by masks and counts over them, in a few milliseconds.

Who may see which organisation is not decided here: the caller passes the rows the permission engine
allows (``visible``), and every answer is within them.

Text: every word of the query (lower case, accents folded, as the caller normalised it) must occur in the
organisation's search text, as a word or inside one. Order: organisations whose name starts with the
query first, then those whose name holds its first word, then the rest; by name within each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FACETS = ("kind", "region", "sector", "cluster", "domain", "level")
SECTOR_FACET_SIZE = 20  # divisions shown, the most frequent first
TERMS_KEPT = 2048  # words whose rows are kept (a mask of one bit per organisation each)
MASKS_KEPT = 256  # masks of callers' visible rows kept


@dataclass(frozen=True)
class DirectoryRow:
    """One organisation as the directory sees it."""

    id: int
    name: str
    search_text: str  # normalised: lower case, accents folded
    kind: str
    regions: tuple[str, ...] = ()
    sectors: tuple[tuple[str, str], ...] = ()  # NACE codes held, each with its parent code ("" at the top)
    clusters: tuple[str, ...] = ()  # slugs of the clusters it has a membership in
    domains: tuple[int, ...] = ()  # domains of its memberships
    levels: tuple[str, ...] = ()  # engagement levels of its memberships


@dataclass(frozen=True)
class Search:
    """A directory question: ``text`` already normalised into ``terms``; facet values ticked."""

    text: str = ""
    terms: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    domains: tuple[int, ...] = ()
    levels: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    def selected(self, facet: str) -> tuple[str, ...]:
        values: Sequence[object] = {
            "kind": self.kinds,
            "region": self.regions,
            "sector": self.sectors,
            "cluster": self.clusters,
            "domain": self.domains,
            "level": self.levels,
        }[facet]
        return tuple(str(v) for v in values)


@dataclass(frozen=True)
class Count:
    value: str
    count: int


def _sector_keys(code: str, parent: str | None) -> set[str]:
    """The codes a ticked sector value matches a held code by: the code itself, its parent, and every
    code it continues with a dot (division 43 holds class 43.21)."""
    keys = {code}
    if parent:
        keys.add(parent)
    keys.update(code[:i] for i, ch in enumerate(code) if ch == ".")
    return keys


@dataclass
class _Postings:
    """For one facet: the rows holding each value (filtering) and the rows counted under it (facet)."""

    filter_rows: dict[str, NDArray[np.intp]] = field(default_factory=dict)
    count_rows: dict[str, NDArray[np.intp]] = field(default_factory=dict)


class DirectoryIndex:
    """Rows of the directory with their facet postings; immutable once built."""

    def __init__(self, rows: Iterable[DirectoryRow]) -> None:
        # The rows themselves are not kept: arrays, strings and posting lists only (tens of thousands of
        # small tuples would make every full garbage collection of the process scan them).
        listed: list[DirectoryRow] = list(rows)
        self.size = len(listed)
        self.ids: NDArray[np.int64] = np.fromiter((r.id for r in listed), dtype=np.int64, count=self.size)
        self._names = [r.name for r in listed]
        self._lower_names = [r.name.lower() for r in listed]
        # Every search text in one string, a newline between rows (search texts hold none): a word is
        # found in all rows by one scan of it, and each occurrence mapped to its row by its offset.
        texts = [r.search_text.replace("\n", " ") for r in listed]
        self._corpus = "\n".join(texts)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=self.size)
        self._starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if self.size else np.zeros(0, np.int64)
        self._term_rows: dict[str, NDArray[np.bool_]] = {}
        self._masks: dict[object, NDArray[np.bool_]] = {}
        # Alphabetical position of every row: the order within a rank.
        order = sorted(range(self.size), key=lambda i: (self._names[i], int(self.ids[i])))
        self._name_order = np.empty(self.size, dtype=np.int64)
        self._name_order[order] = np.arange(self.size)
        self._postings = {facet: _Postings() for facet in FACETS}
        filters: dict[str, dict[str, list[int]]] = {facet: {} for facet in FACETS}
        counts: dict[str, dict[str, list[int]]] = {facet: {} for facet in FACETS}
        for i, row in enumerate(listed):
            held: dict[str, set[str]] = {
                "kind": {row.kind},
                "region": {r for r in row.regions if r},
                "cluster": set(row.clusters),
                "domain": {str(d) for d in row.domains},
                "level": set(row.levels),
                "sector": set(),
            }
            for code, parent in row.sectors:
                held["sector"] |= _sector_keys(code, parent)
            for facet, values in held.items():
                for value in values:
                    filters[facet].setdefault(value, []).append(i)
            counted = dict(held)
            counted["sector"] = {code[:2] for code, _parent in row.sectors}  # counted by division
            for facet, values in counted.items():
                for value in values:
                    counts[facet].setdefault(value, []).append(i)
        for facet in FACETS:
            self._postings[facet].filter_rows = {
                v: np.asarray(r, dtype=np.intp) for v, r in filters[facet].items()
            }
            self._postings[facet].count_rows = {
                v: np.asarray(r, dtype=np.intp) for v, r in counts[facet].items()
            }

    # --- masks -------------------------------------------------------------------------------------------

    def mask_of(self, ids: Iterable[int]) -> NDArray[np.bool_]:
        """The rows of ``ids`` (those the index holds) as a mask."""
        return np.isin(self.ids, np.fromiter(ids, dtype=np.int64))

    def remembered_mask(self, key: object, ids: Callable[[], Iterable[int]]) -> NDArray[np.bool_]:
        """``mask_of(ids())``, kept with this index under ``key`` (e.g. who may see which rows): the index
        is rebuilt when the data change, and its masks with it."""
        mask = self._masks.get(key)
        if mask is None:
            if len(self._masks) >= MASKS_KEPT:
                self._masks.clear()
            mask = self._masks[key] = self.mask_of(ids())
        return mask

    def _rows_holding(self, term: str) -> NDArray[np.bool_]:
        """Rows whose search text holds ``term`` (kept: the same words come back)."""
        mask = self._term_rows.get(term)
        if mask is None:
            mask = np.zeros(self.size, dtype=bool)
            if term and "\n" not in term:
                offsets = [m.start() for m in re.finditer(re.escape(term), self._corpus)]
                if offsets:
                    mask[np.searchsorted(self._starts, np.asarray(offsets), side="right") - 1] = True
            if len(self._term_rows) >= TERMS_KEPT:
                self._term_rows.clear()
            self._term_rows[term] = mask
        return mask

    def _text_mask(self, within: NDArray[np.bool_], terms: Sequence[str]) -> NDArray[np.bool_]:
        mask = within.copy()
        for term in terms:
            mask &= self._rows_holding(term)
        return mask

    def _facet_mask(self, facet: str, values: Sequence[str]) -> NDArray[np.bool_] | None:
        if not values:
            return None
        mask = np.zeros(self.size, dtype=bool)
        postings = self._postings[facet].filter_rows
        for value in values:
            rows = postings.get(value)
            if rows is not None:
                mask[rows] = True
        return mask

    # --- questions ---------------------------------------------------------------------------------------

    def search(self, visible: NDArray[np.bool_], query: Search) -> list[int]:
        """Ids of the visible organisations matching ``query``, best first."""
        mask = self._text_mask(visible, query.terms)
        for facet in FACETS:
            facet_mask = self._facet_mask(facet, query.selected(facet))
            if facet_mask is not None:
                mask &= facet_mask
        rows = np.flatnonzero(mask)
        if query.terms:
            start = query.text.strip().lower()
            first = query.terms[0]
            names = self._lower_names
            rank = np.fromiter(
                (0 if names[i].startswith(start) else 1 if first in names[i] else 2 for i in rows),
                dtype=np.int64,
                count=len(rows),
            )
            order = np.lexsort((self._name_order[rows], rank))
        else:
            order = np.argsort(self._name_order[rows], kind="stable")
        return [int(i) for i in self.ids[rows[order]]]

    def facets(self, visible: NDArray[np.bool_], query: Search) -> dict[str, list[Count]]:
        """For each facet, the number of organisations per value, counted with the text and every other
        facet applied (not this one). Values with no organisation are left out; the ticked ones the
        caller adds back. Sectors count by division (two digits), the 20 most frequent."""
        base = self._text_mask(visible, query.terms)
        masks = {facet: self._facet_mask(facet, query.selected(facet)) for facet in FACETS}
        out: dict[str, list[Count]] = {}
        for facet in FACETS:
            within = base.copy()
            for other, mask in masks.items():
                if other != facet and mask is not None:
                    within &= mask
            found = [
                Count(value, int(np.count_nonzero(within[rows])))
                for value, rows in self._postings[facet].count_rows.items()
            ]
            found = [c for c in found if c.count]
            if facet == "sector":
                found.sort(key=lambda c: (-c.count, c.value))
                found = found[:SECTOR_FACET_SIZE]
            elif facet == "domain":
                found.sort(key=lambda c: (-c.count, int(c.value)))
            else:
                found.sort(key=lambda c: c.value)
            out[facet] = found
        return out
