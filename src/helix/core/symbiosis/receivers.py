"""Which industries take a given waste? A ranking learned from documented exchanges.

Given a waste (EWC code, description, optionally HS/CPA codes) and the industry that provides it,
:class:`ReceiverModel` ranks the receiving industries (NACE codes) seen in the exchanges it learned
from. It is a conditional-logit (softmax) model over candidate receivers whose features are counts of
what the documented exchanges say, at every level of the codes' hierarchies:

* evidence from the waste's code: the share of exchanges with the same EWC entry / sub-chapter /
  chapter (likewise for the CPA and HS product codes) that went to the candidate;
* evidence from the provider: the share of exchanges from the same NACE class / group / division
  that went to the candidate, and the provider's division crossed with the EWC chapter;
* evidence from the words of the waste's description;
* how often the candidate receives anything (in how many exchanges and cases), whether it is the
  provider's own industry or division (many exchanges stay within a sector), and evidence for its
  NACE division from the waste's sub-chapter (a sibling class that took the same waste);
* text similarity (a sentence encoder): the closest documented waste that went to the candidate,
  a soft vote of the close ones, and the similarity of the waste to the candidate industry's name.

The weights are fitted (evidence weights kept non-negative) on the training exchanges themselves,
*leave-one-case-out*: each case's exchanges are scored with counts from the other cases only, so
the model learns how far evidence from other parks carries to a new one, which is the situation it
is used in. Nothing is hard-coded about particular industries or wastes; the model knows only what
the file it learned from says.

Its features and constants were chosen by looking at the same leave-one-case-out figure that was then
reported, and its lift did not hold on held-back cases (issue 17). It is now one candidate of the
nested leave-one-case-out choice (helix.core.symbiosis.receiver_selection), which prefers the simpler
smoothed counts of helix.core.symbiosis.receiver_counts; ``helix symbiosis rank-receivers`` uses the
chosen model. This module also holds the chapter-count baseline and the plain leave-one-case-out loop.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import TextEncoder
from helix.core.matching.language import fold_accents
from helix.core.matching.lexical import tokenize

from .exchanges import Exchange, WasteQuery

_COUNT_TYPES = ("e6", "e4", "e2", "p4", "p3", "p2", "w", "c6", "c4", "c2", "h6", "h4", "h2", "x")
_OTHER_FEATURES = (
    "popularity",
    "cases",
    "same_industry",
    "same_division",
    "division_evidence",
    "unseen",
    "waste_breadth",
    "provider_breadth",
    "name_words",
)
_TEXT_FEATURES = ("closest_waste", "similar_wastes", "industry_name", "closest_waste_sharp")
FEATURES = _COUNT_TYPES + _OTHER_FEATURES + _TEXT_FEATURES
# Evidence can only speak for a receiver: more documented exchanges, a closer waste, never count
# against it. Only these may take either sign.
_SIGNED = frozenset({"same_industry", "same_division", "unseen"})
_NON_NEGATIVE = np.array([f not in _SIGNED for f in FEATURES])
_T = {t: i for i, t in enumerate(_COUNT_TYPES)}
_NC = len(_COUNT_TYPES)
_DESCRIBE = {
    "e6": "the same EWC entry",
    "e4": "the same EWC sub-chapter",
    "e2": "the same EWC chapter",
    "p4": "the same provider industry",
    "p3": "the provider's NACE group",
    "p2": "the provider's NACE division",
    "c6": "the same CPA product",
    "c4": "the same CPA class",
    "c2": "the same CPA division",
    "h6": "the same HS subheading",
    "h4": "the same HS heading",
    "h2": "the same HS chapter",
    "x": "the provider's division with the same EWC chapter",
    "w": "the same word in the description",
}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", fold_accents(text.lower())) if len(w) > 2}


_GENERIC = frozenset(
    {
        "manufactur",
        "product",
        "other",
        "activ",
        "servic",
        "n.e.c",
        "nec",
        "industri",
        "wast",
        "non",
        "and",
        "collect",
        "treatment",
        "dispos",
        "suppli",
        "basic",
        "prepar",
        "except",
    }
)


def _stems(text: str) -> set[str]:
    """Content stems of an English text, without the words every industry name carries."""
    return {w for w in tokenize(text, "en") if w not in _GENERIC and len(w) > 2}


def waste_keys(q: WasteQuery) -> list[tuple[str, str]]:
    """The count features of a waste: code prefixes at each level, description words."""
    keys: list[tuple[str, str]] = []
    for e in q.ewc:
        keys += [("e6", e[:6]), ("e4", e[:4]), ("e2", e[:2])]
    for p in q.provider_nace:
        keys += [("p4", p[:4]), ("p3", p[:3]), ("p2", p[:2])]
    for w in _words(f"{q.description} {q.ewc_description}"):
        keys.append(("w", w))
    for c in q.cpa:
        keys += [("c6", c[:6]), ("c4", c[:4]), ("c2", c[:2])]
    for h in q.hs:
        keys += [("h6", h[:6]), ("h4", h[:4]), ("h2", h[:2])]
    for e in q.ewc:
        for p in q.provider_nace:
            keys.append(("x", f"{e[:2]}/{p[:2]}"))
    return list(dict.fromkeys(keys))


def labels_matching(labels: Sequence[str], nace_codes: Sequence[str]) -> list[int]:
    """Indexes of the ``labels`` an industry given by ``nace_codes`` is: a class matches its own label, a
    label of a coarser level matches the classes below it, and the other way round."""
    wanted = [n for n in nace_codes if n]
    return [
        j
        for j, label in enumerate(labels)
        if any(n.startswith(c) or c.startswith(n) for c in label.split(";") for n in wanted)
    ]


@dataclass(frozen=True)
class RankedReceiver:
    nace_code: str  # as the learned file writes it (most frequent spelling)
    key: str  # without markers
    name: str
    score: float  # probability under the model; the ranking's scores sum to 1 over all candidates


class ReceiverModel:
    """Learn with :meth:`learn`; ask with :meth:`rank`."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.names: list[str] = []
        self.spellings: list[str] = []
        self.weights = np.zeros(len(FEATURES))
        self.encoder: TextEncoder | None = None
        self._keys: dict[tuple[str, str], int] = {}
        self._key_types = np.zeros(0, dtype=np.int64)
        self._counts = np.zeros((0, 0))
        self._totals = np.zeros(0)
        self._label_rows = np.zeros(0)
        self._label_cases = np.zeros(0)
        self._division = np.zeros((0, 0))
        self._examples: list[Exchange] = []
        self._example_labels = np.zeros(0, dtype=np.int64)
        self._example_vectors = np.zeros((0, 0), dtype=np.float32)
        self._name_vectors = np.zeros((0, 0), dtype=np.float32)
        self._name_stems: list[set[str]] = []

    # -- learning ----------------------------------------------------------------------------------
    @classmethod
    def learn(
        cls,
        exchanges: Sequence[Exchange],
        *,
        encoder: TextEncoder | None = None,
        l2: float = 0.01,
        iterations: int = 300,
        max_fit_cells: int = 20_000_000,
        progress: Callable[[str], None] | None = None,
    ) -> ReceiverModel:
        examples = [e for e in exchanges if e.receiver]
        if not examples:
            raise ValueError("nothing to learn from: no exchange names a receiving industry")
        m = cls()
        m.encoder = encoder
        m._examples = examples
        spellings: dict[str, Counter[str]] = {}
        names: dict[str, Counter[str]] = {}
        for e in examples:
            spellings.setdefault(e.receiver, Counter())[e.receiver_code.strip() or e.receiver] += 1
            names.setdefault(e.receiver, Counter())[e.receiver_name] += 1
        m.labels = sorted(spellings)
        label_ids = {label: i for i, label in enumerate(m.labels)}
        m.spellings = [spellings[label].most_common(1)[0][0] for label in m.labels]
        m.names = [names[label].most_common(1)[0][0] for label in m.labels]
        m._name_stems = [_stems(name) for name in m.names]
        m._example_labels = np.array([label_ids[e.receiver] for e in examples])
        n_labels = len(m.labels)

        example_keys = [waste_keys(e.waste) for e in examples]
        for keys in example_keys:
            for k in keys:
                m._keys.setdefault(k, len(m._keys))
        m._key_types = np.array([_T[t] for t, _ in m._keys], dtype=np.int64)
        cases = sorted({e.case for e in examples})
        case_index = {case: i for i, case in enumerate(cases)}
        case_of = np.array([case_index[e.case] for e in examples])
        # Evidence counts cases, not rows: a park that documents twenty slag deliveries to its cement
        # plant is one piece of evidence that slag goes to cement, not twenty. Kept as (key, label)
        # pairs per case, so memory grows with the evidence, not with keys x labels x cases.
        pairs: list[set[tuple[int, int]]] = [set() for _ in cases]
        for i, keys in enumerate(example_keys):
            label = int(m._example_labels[i])
            pairs[int(case_of[i])].update((m._keys[k], label) for k in keys)
        case_pairs = [
            (np.array([k for k, _ in p], dtype=np.int64), np.array([lab for _, lab in p], dtype=np.int64))
            for p in pairs
        ]
        m._counts = np.zeros((len(m._keys), n_labels))
        for ks, ls in case_pairs:
            np.add.at(m._counts, (ks, ls), 1.0)
        m._totals = m._counts.sum(axis=1)
        onehot_sum = np.bincount(m._example_labels, minlength=n_labels).astype(float)
        m._label_rows = onehot_sum
        per_case = np.zeros((len(cases), n_labels))
        np.add.at(per_case, (case_of, m._example_labels), 1.0)
        m._label_cases = (per_case > 0).sum(axis=0).astype(float)
        prefixes = [{c[:2] for c in label.split(";")} for label in m.labels]
        m._division = np.array([[1.0 if a & b else 0.0 for b in prefixes] for a in prefixes])

        if encoder is not None:
            m._example_vectors = encoder.encode([e.waste.text or e.waste.ewc_description for e in examples])
            names_or_codes = [name or label for name, label in zip(m.names, m.labels, strict=True)]
            m._name_vectors = encoder.encode(names_or_codes)

        # Leave-one-case-out training set: each case scored with the other cases' counts. A large file
        # is thinned evenly to at most ``max_fit_cells`` label-feature cells for the fit.
        n_cells = len(examples) * n_labels * len(FEATURES)
        stride = max(1, int(np.ceil(n_cells / max_fit_cells)))
        data: list[tuple[npt.NDArray[np.float64], int]] = []
        counts = m._counts.copy()
        for c, (ks, ls) in enumerate(case_pairs):
            inside = np.flatnonzero(case_of == c)
            chosen = [int(i) for i in inside if int(i) % stride == 0]
            if not chosen:
                continue
            np.subtract.at(counts, (ks, ls), 1.0)
            label_rows = m._label_rows - per_case[c]
            label_cases = m._label_cases - (per_case[c] > 0)
            outside = np.flatnonzero(case_of != c)
            for i in chosen:
                x = m._features(examples[i].waste, counts, label_rows, label_cases, outside, example_keys[i])
                data.append((x, int(m._example_labels[i])))
            np.add.at(counts, (ks, ls), 1.0)
            if progress is not None and (c + 1) % 10 == 0:
                progress(f"learned from {c + 1} of {len(cases)} cases")
        m.weights = _fit_softmax(data, len(FEATURES), l2=l2, iterations=iterations)
        return m

    # -- features ----------------------------------------------------------------------------------
    def _features(
        self,
        q: WasteQuery,
        counts: npt.NDArray[np.float64],
        label_rows: npt.NDArray[np.float64],
        label_cases: npt.NDArray[np.float64],
        examples: npt.NDArray[np.int64],
        keys: list[tuple[str, str]] | None = None,
        query_vector: npt.NDArray[np.float32] | None = None,
    ) -> npt.NDArray[np.float64]:
        n_labels = len(self.labels)
        x = np.zeros((n_labels, len(FEATURES)))
        ids = [self._keys[k] for k in (keys if keys is not None else waste_keys(q)) if k in self._keys]
        if ids:
            idx = np.array(ids)
            block = counts[idx]
            share = block / (block.sum(axis=1, keepdims=True) + 1.0)
            np.add.at(x[:, :_NC].T, self._key_types[idx], share)
            # Division evidence: what the waste's EWC/CPA sub-chapter sent to the candidate's division.
            sub = idx[np.isin(self._key_types[idx], (_T["e4"], _T["c4"]))]
            if len(sub):
                spread = counts[sub] @ self._division
                x[:, _NC + 4] = (spread / (counts[sub].sum(axis=1, keepdims=True) + 1.0)).sum(axis=0)
        x[:, _NC] = np.log1p(label_rows)
        x[:, _NC + 1] = np.log1p(label_cases)
        providers = set(q.provider_nace)
        divisions = {p[:2] for p in providers}
        for j, label in enumerate(self.labels):
            codes = label.split(";")
            x[j, _NC + 2] = 1.0 if providers.intersection(codes) else 0.0
            x[j, _NC + 3] = 1.0 if divisions.intersection(c[:2] for c in codes) else 0.0
        x[:, _NC + 5] = label_rows == 0
        # How many EWC chapters / provider divisions a candidate takes from: general receivers (cement
        # kilns, power plants, recyclers) take what has never been documented for them.
        x[:, _NC + 6] = np.log1p((counts[self._key_types == _T["e2"]] > 0).sum(axis=0))
        x[:, _NC + 7] = np.log1p((counts[self._key_types == _T["p2"]] > 0).sum(axis=0))
        # The waste named in the receiving industry's own name: "waste paper" and "manufacture of paper".
        words = _stems(f"{q.description} {q.detail} {q.ewc_description}")
        if words:
            x[:, _NC + 8] = [len(words & name) / len(name) if name else 0.0 for name in self._name_stems]
        if self.encoder is not None and (q.text or q.ewc_description):
            if query_vector is None:
                query_vector = self.encoder.encode([q.text or q.ewc_description], role="query")[0]
            base = _NC + len(_OTHER_FEATURES)
            sims = self._example_vectors[examples] @ query_vector
            best = np.full(n_labels, -1.0)
            np.maximum.at(best, self._example_labels[examples], sims)
            best[best < -0.5] = 0.0
            vote = np.zeros(n_labels)
            np.add.at(vote, self._example_labels[examples], np.exp(8.0 * (sims - 1.0)))
            x[:, base] = best
            x[:, base + 1] = vote
            x[:, base + 2] = self._name_vectors @ query_vector
            x[:, base + 3] = best**4
        return x

    # -- asking ------------------------------------------------------------------------------------
    def scores(
        self, q: WasteQuery, query_vector: npt.NDArray[np.float32] | None = None
    ) -> npt.NDArray[np.float64]:
        """The probability of each label in :attr:`labels` receiving ``q``."""
        x = self._features(
            q,
            self._counts,
            self._label_rows,
            self._label_cases,
            np.arange(len(self._examples)),
            query_vector=query_vector,
        )
        s = x @ self.weights
        s = np.exp(s - s.max())
        out: npt.NDArray[np.float64] = s / s.sum()
        return out

    def rank(self, q: WasteQuery, top: int | None = None) -> list[RankedReceiver]:
        p = self.scores(q)
        order = np.argsort(-p, kind="stable")
        if top is not None:
            order = order[:top]
        return [RankedReceiver(self.spellings[i], self.labels[i], self.names[i], float(p[i])) for i in order]

    def labels_for(self, nace_codes: Sequence[str]) -> list[int]:
        """Indexes of the labels an industry given by ``nace_codes`` is: a class matches its own label,
        a label of a coarser level matches the classes below it, and the other way round."""
        return labels_matching(self.labels, nace_codes)

    def score_of(self, q: WasteQuery, nace_codes: Sequence[str]) -> tuple[float, str | None]:
        """The best probability among the labels of ``nace_codes`` (see :meth:`labels_for`) and that label."""
        p = self.scores(q)
        matching = self.labels_for(nace_codes)
        if not matching:
            return 0.0, None
        j = max(matching, key=lambda i: p[i])
        return float(p[j]), self.labels[j]

    def explain(self, q: WasteQuery, label: str, limit: int = 3) -> list[str]:
        """The documented evidence for ``label`` receiving ``q``, strongest first, in words."""
        if label not in self.labels:
            return []
        j = self.labels.index(label)
        lines: list[tuple[float, str]] = []
        for key in waste_keys(q):
            k = self._keys.get(key)
            if k is None or self._counts[k, j] == 0:
                continue
            n, total = int(self._counts[k, j]), int(self._totals[k])
            what = _DESCRIBE[key[0]] + (f" ({key[1]!r})" if key[0] == "w" else f" ({key[1]})")
            weight = (self.weights[_T[key[0]]] + 0.1) * n / (total + 1)
            lines.append((weight, f"in {n} of {total} documented cases, a waste with {what} went to {label}"))
        lines.sort(key=lambda t: -t[0])
        out = [text for _, text in lines[:limit]]
        if self.encoder is not None and q.text:
            v = self.encoder.encode([q.text], role="query")[0]
            mine = np.flatnonzero(self._example_labels == j)
            if len(mine):
                sims = self._example_vectors[mine] @ v
                i = int(mine[int(np.argmax(sims))])
                e = self._examples[i]
                out.append(
                    f"closest documented waste: {e.waste.description!r} (case {e.case}) went to {label}"
                )
        return out


def _fit_softmax(
    data: Sequence[tuple[npt.NDArray[np.float64], int]], dim: int, *, l2: float, iterations: int
) -> npt.NDArray[np.float64]:
    """Maximise the mean log-probability of the true label (conditional logit) with an L2 penalty."""
    w = np.zeros(dim)
    if not data:
        return w
    xs = np.stack([x for x, _ in data])  # (n, labels, features)
    ys = np.array([y for _, y in data])
    n = len(ys)
    rate = 0.5
    for _ in range(iterations):
        s = xs @ w
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        grad = xs[np.arange(n), ys].sum(axis=0) - np.einsum("nl,nlf->f", p, xs)
        w += rate * (grad / n - l2 * w)
        w[_NON_NEGATIVE] = np.maximum(w[_NON_NEGATIVE], 0.0)
    if not np.all(np.isfinite(w)):
        raise FloatingPointError("the receiver model's weights diverged")
    return w


def evaluate_leave_one_case_out(
    exchanges: Sequence[Exchange],
    rank: Callable[[Sequence[Exchange], Sequence[Exchange]], list[list[str]]],
    ks: Sequence[int] = (1, 5, 10),
) -> dict[str, float]:
    """HR@k and MRR of ``rank(train, test)`` (ranked receiver keys per test row), each case held out."""
    cases = sorted({e.case for e in exchanges})
    hits = dict.fromkeys(ks, 0)
    rr = 0.0
    n = 0
    for case in cases:
        train = [e for e in exchanges if e.case != case]
        test = [e for e in exchanges if e.case == case]
        for e, ranked in zip(test, rank(train, test), strict=True):
            n += 1
            if e.receiver in ranked:
                r = ranked.index(e.receiver) + 1
                rr += 1.0 / r
                for k in ks:
                    hits[k] += r <= k
    out = {f"hr@{k}": hits[k] / n for k in ks}
    out["mrr"] = rr / n
    out["queries"] = n
    out["cases"] = len(cases)
    return out


def chapter_count_baseline(train: Sequence[Exchange], test: Sequence[Exchange]) -> list[list[str]]:
    """Receivers ranked by how often they took wastes of the query's EWC chapter (ties: overall)."""
    per_chapter: dict[str, Counter[str]] = {}
    overall: Counter[str] = Counter()
    for e in train:
        overall[e.receiver] += 1
        for code in e.waste.ewc:
            per_chapter.setdefault(code[:2], Counter())[e.receiver] += 1
    out = []
    for e in test:
        score: Counter[str] = Counter()
        for code in e.waste.ewc:
            score.update(per_chapter.get(code[:2], Counter()))
        out.append(sorted(overall, key=lambda r: (-score[r], -overall[r], r)))
    return out


def model_ranking(
    encoder: TextEncoder | None = None, **options: float
) -> Callable[[Sequence[Exchange], Sequence[Exchange]], list[list[str]]]:
    def rank(train: Sequence[Exchange], test: Sequence[Exchange]) -> list[list[str]]:
        model = ReceiverModel.learn(train, encoder=encoder, **options)  # type: ignore[arg-type]
        return [[r.key for r in model.rank(e.waste)] for e in test]

    return rank
