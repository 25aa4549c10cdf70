"""Which industries take a given waste? Smoothed counts of documented exchanges, backing off along the
codes' hierarchies.

:class:`CountReceiverModel` estimates the probability that a receiving industry takes a waste as a
mixture of a few distributions, each simple enough to hold on parks it has never seen:

* **the waste's code**, interpolated from the most specific level with evidence to the most general:
  EWC entry -> sub-chapter -> chapter -> base. Each level's share of cases that sent the waste to a
  receiver is trusted in proportion to how much evidence it has, with Witten-Bell's weight N / (N + T)
  (N cases at that level, T distinct receivers among them): no constant to tune;
* **the provider industry**, the same way along the NACE hierarchy: class -> group -> division ->
  section -> base (weight :attr:`CountSettings.provider_weight`). A query without a provider gets
  the industry its waste code's List of Waste chapter names (helix.core.symbiosis.receiver_priors);
* the **base**: how many cases each receiver appears in, mixed with the receiving industries that
  the literature names for the waste's family (weight :attr:`CountSettings.prior_weight`), which
  also lets a receiver the documented exchanges never name be proposed;
* **text** (optional): a vote of the documented wastes, each weighted by its sentence-encoder
  similarity to the query (weight :attr:`CountSettings.text_weight`).

Evidence counts cases, not rows: a park that documents twenty slag deliveries to its cement plant is
one piece of evidence. Which mixture the product uses is chosen by nested leave-one-case-out
(helix.core.symbiosis.receiver_selection), not by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import TextEncoder

from .exchanges import Exchange, WasteQuery
from .receiver_priors import RECEIVER_NAMES, RECEIVERS_BY_WASTE_FAMILY, family_receivers, nace_section
from .receiver_priors import source_industries as ewc_source_industries
from .receivers import RankedReceiver, labels_matching

_WASTE_LEVELS = ("e2", "e4", "e6")  # general to specific
_PROVIDER_LEVELS = ("ps", "p2", "p3", "p4")
_DESCRIBE = {
    "e6": "the same EWC entry",
    "e4": "the same EWC sub-chapter",
    "e2": "the same EWC chapter",
    "p4": "the same provider industry",
    "p3": "the provider's NACE group",
    "p2": "the provider's NACE division",
    "ps": "the provider's NACE section",
}


@dataclass(frozen=True)
class CountSettings:
    """The weights of the mixture; 0 leaves a part out. All zero: the waste-code backoff alone."""

    provider_weight: float = 0.0
    prior_weight: float = 0.0
    text_weight: float = 0.0
    text_sharpness: float = 8.0  # a documented waste's vote is exp(sharpness * (cosine - 1))

    def describe(self) -> str:
        parts = ["EWC backoff"]
        if self.provider_weight:
            parts.append(f"provider {self.provider_weight:g}")
        if self.prior_weight:
            parts.append(f"prior {self.prior_weight:g}")
        if self.text_weight:
            parts.append(f"text {self.text_weight:g}")
        return " + ".join(parts)


def waste_chain(q: WasteQuery) -> list[list[tuple[str, str]]]:
    """Per EWC code of ``q``: its keys from chapter to entry."""
    return [[("e2", e[:2]), ("e4", e[:4]), ("e6", e[:6])][: {2: 1, 4: 2}.get(len(e), 3)] for e in q.ewc]


def provider_chain(q: WasteQuery) -> list[list[tuple[str, str]]]:
    """Per provider NACE code of ``q`` (or, without one, per industry its waste code names): its keys
    from section to class, as deep as the code is written."""
    providers = q.provider_nace or tuple(dict.fromkeys(p for e in q.ewc for p in ewc_source_industries(e)))
    chains = []
    for p in providers:
        section = nace_section(p)
        keys = [("ps", section)] if section else []
        keys += [(level, p[:n]) for level, n in (("p2", 2), ("p3", 3), ("p4", 4)) if len(p) >= n]
        chains.append(keys)
    return chains


class CountReceiverModel:
    """Learn with :meth:`learn`; ask with :meth:`rank` (the interface of ReceiverModel)."""

    def __init__(self, settings: CountSettings) -> None:
        self.settings = settings
        self.labels: list[str] = []
        self.names: list[str] = []
        self.spellings: list[str] = []
        self.encoder: TextEncoder | None = None
        self._keys: dict[tuple[str, str], int] = {}
        self._counts = np.zeros((0, 0))
        self._weights = np.zeros(0)  # Witten-Bell N / (N + T) per key
        self._shares = np.zeros((0, 0))  # per key, the share of its cases per label
        self._popularity = np.zeros(0)
        self._examples: list[Exchange] = []
        self._example_labels = np.zeros(0, dtype=np.int64)
        self._example_vectors = np.zeros((0, 0), dtype=np.float32)

    @classmethod
    def learn(
        cls,
        exchanges: Sequence[Exchange],
        settings: CountSettings | None = None,
        *,
        encoder: TextEncoder | None = None,
    ) -> CountReceiverModel:
        examples = [e for e in exchanges if e.receiver]
        if not examples:
            raise ValueError("nothing to learn from: no exchange names a receiving industry")
        m = cls(settings or CountSettings())
        m.encoder = encoder if m.settings.text_weight > 0 else None
        m._examples = examples
        spellings: dict[str, Counter[str]] = {}
        names: dict[str, Counter[str]] = {}
        for e in examples:
            spellings.setdefault(e.receiver, Counter())[e.receiver_code.strip() or e.receiver] += 1
            names.setdefault(e.receiver, Counter())[e.receiver_name] += 1
        documented = sorted(spellings)
        prior_only = []
        if m.settings.prior_weight > 0:
            listed = {r for rs in RECEIVERS_BY_WASTE_FAMILY.values() for r in rs}
            prior_only = sorted(listed - set(documented))
        m.labels = documented + prior_only
        m.spellings = [spellings[label].most_common(1)[0][0] for label in documented] + prior_only
        m.names = [names[label].most_common(1)[0][0] for label in documented]
        m.names += [RECEIVER_NAMES.get(label, "") for label in prior_only]
        label_ids = {label: i for i, label in enumerate(m.labels)}
        m._example_labels = np.array([label_ids[e.receiver] for e in examples])

        # Evidence counts cases: each (key, receiver) pair once per case.
        seen: set[tuple[str, tuple[str, str], int]] = set()
        receivers_of_case: set[tuple[str, int]] = set()
        for e, label in zip(examples, m._example_labels, strict=True):
            receivers_of_case.add((e.case, int(label)))
            for chain in waste_chain(e.waste) + provider_chain(e.waste):
                for key in chain:
                    seen.add((e.case, key, int(label)))
        for _, key, _ in seen:
            m._keys.setdefault(key, len(m._keys))
        m._counts = np.zeros((len(m._keys), len(m.labels)))
        for _, key, j in seen:
            m._counts[m._keys[key], j] += 1.0
        n = m._counts.sum(axis=1)
        t = (m._counts > 0).sum(axis=1)
        m._weights = np.where(n > 0, n / np.maximum(n + t, 1.0), 0.0)
        m._shares = m._counts / np.maximum(n, 1.0)[:, None]
        popularity = np.zeros(len(m.labels))
        for _, j in receivers_of_case:
            popularity[j] += 1.0
        m._popularity = popularity / popularity.sum()

        if m.encoder is not None:
            m._example_vectors = m.encoder.encode([e.waste.text or e.waste.ewc_description for e in examples])
        return m

    # -- the parts of the mixture ------------------------------------------------------------------
    def _base(self, q: WasteQuery) -> npt.NDArray[np.float64]:
        eta = self.settings.prior_weight
        family = [family_receivers(e) for e in q.ewc]
        family = [f for f in family if f]
        if eta <= 0 or not family:
            return self._popularity
        prior = np.zeros(len(self.labels))
        index = {label: i for i, label in enumerate(self.labels)}
        for receivers in family:
            for r in receivers:
                prior[index[r]] += 1.0 / (len(receivers) * len(family))
        out: npt.NDArray[np.float64] = (1.0 - eta) * self._popularity + eta * prior
        return out

    def _backoff(
        self, chains: list[list[tuple[str, str]]], base: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        if not chains:
            return base
        out = np.zeros(len(self.labels))
        for chain in chains:
            p = base
            for key in chain:
                k = self._keys.get(key)
                if k is not None:
                    w = self._weights[k]
                    p = w * self._shares[k] + (1.0 - w) * p
            out += p
        return out / len(chains)

    def _text(
        self, q: WasteQuery, query_vector: npt.NDArray[np.float32] | None
    ) -> npt.NDArray[np.float64] | None:
        if self.encoder is None or not (q.text or q.ewc_description):
            return None
        if query_vector is None:
            query_vector = self.encoder.encode([q.text or q.ewc_description], role="query")[0]
        sims = self._example_vectors @ query_vector
        votes = np.exp(self.settings.text_sharpness * (sims.astype(np.float64) - 1.0))
        out = np.zeros(len(self.labels))
        np.add.at(out, self._example_labels, votes)
        total = out.sum()
        return out / total if total > 0 else None

    # -- asking ------------------------------------------------------------------------------------
    def scores(
        self, q: WasteQuery, query_vector: npt.NDArray[np.float32] | None = None
    ) -> npt.NDArray[np.float64]:
        """The probability of each label in :attr:`labels` receiving ``q`` (they sum to 1)."""
        s = self.settings
        base = self._base(q)
        p = self._backoff(waste_chain(q), base)
        if s.provider_weight > 0:
            p = (1.0 - s.provider_weight) * p + s.provider_weight * self._backoff(provider_chain(q), base)
        if s.text_weight > 0:
            text = self._text(q, query_vector)
            if text is not None:
                p = (1.0 - s.text_weight) * p + s.text_weight * text
        total = p.sum()
        out: npt.NDArray[np.float64] = p / total if total > 0 else np.full(len(p), 1.0 / len(p))
        return out

    def rank(self, q: WasteQuery, top: int | None = None) -> list[RankedReceiver]:
        p = self.scores(q)
        # ties (no evidence either way) go to the receiver documented in more cases, then by code
        order = sorted(range(len(p)), key=lambda i: (-p[i], -self._popularity[i], self.labels[i]))
        if top is not None:
            order = order[:top]
        return [RankedReceiver(self.spellings[i], self.labels[i], self.names[i], float(p[i])) for i in order]

    def labels_for(self, nace_codes: Sequence[str]) -> list[int]:
        """Indexes of the labels an industry given by ``nace_codes`` is (see ReceiverModel.labels_for)."""
        return labels_matching(self.labels, nace_codes)

    def score_of(self, q: WasteQuery, nace_codes: Sequence[str]) -> tuple[float, str | None]:
        """The best probability among the labels of ``nace_codes`` and that label."""
        p = self.scores(q)
        matching = self.labels_for(nace_codes)
        if not matching:
            return 0.0, None
        j = max(matching, key=lambda i: p[i])
        return float(p[j]), self.labels[j]

    def explain(self, q: WasteQuery, label: str, limit: int = 3) -> list[str]:
        """The documented evidence for ``label`` receiving ``q``, most specific first, in words."""
        if label not in self.labels:
            return []
        j = self.labels.index(label)
        lines: list[str] = []
        chains = [c[::-1] for c in waste_chain(q)]
        if self.settings.provider_weight > 0:
            chains += [c[::-1] for c in provider_chain(q)]
        for chain in chains:
            for key in chain:
                k = self._keys.get(key)
                if k is None or self._counts[k, j] == 0:
                    continue
                n, total = int(self._counts[k, j]), int(self._counts[k].sum())
                lines.append(
                    f"in {n} of {total} documented cases, a waste with {_DESCRIBE[key[0]]} ({key[1]}) "
                    f"went to {label}"
                )
                break  # the most specific level with evidence says it
        out = lines[:limit]
        if self.settings.prior_weight > 0 and any(label in family_receivers(e) for e in q.ewc):
            out.append(f"the literature names {label} as a receiver of this family of wastes")
        if self.encoder is not None and q.text:
            v = self.encoder.encode([q.text], role="query")[0]
            mine = np.flatnonzero(self._example_labels == j)
            if len(mine):
                sims = self._example_vectors[mine] @ v
                e = self._examples[int(mine[int(np.argmax(sims))])]
                out.append(
                    f"closest documented waste: {e.waste.description!r} (case {e.case}) went to {label}"
                )
        return out
