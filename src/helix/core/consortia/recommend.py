"""Who would complete a consortium? A ranking of organisations learned from participations, explained.

:func:`learn` builds the :class:`~.participations.ParticipationGraph` of the rows and fits a
conditional-logit model (a softmax over the candidates of one query) on the features of
:mod:`.features`. It learns from cases like those it will be asked: the consortia of the latest start
year in the rows, each with one non-coordinator hidden, are asked of a graph without them (scheme
``holdout``: the year's consortia in two folds, each asked of all the other rows; scheme ``forward``:
asked of the earlier years only). The model learns to put the hidden member first among the strongest
other candidates (hard negatives: the top of :data:`DEFAULT_BLEND`) and a few random ones standing for
all the rest (a sampled softmax). When there are too few such cases (fewer than
``LearnOptions.min_cases``), the hand-set :data:`DEFAULT_BLEND` ranks instead. The scheme and the
constants were chosen on a validation split of Horizon 2020 consortia (bench/consortia_quality):
learn 2014-2016, ask 2017.

A :class:`Recommender` ranks every organisation of the graph for a :class:`~.participations.Query`,
never one of the query's partners; ties break by organisation id. Each :class:`Suggestion` carries
coded :class:`Reason` s (``co_participated``, ``partners_of_partners``, ``active_in_programme_part``,
``fills_type_gap``, ``country``, ``often_participates``), ordered by what they added to the score.

:func:`popularity_baseline` and :func:`coparticipation_baseline` rank the same candidates by the plain
counts the model is compared with (bench/consortia_quality).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .features import COLUMN, FEATURES, QueryFeatures, part_projects, query_features
from .participations import (
    TYPE_NAMES,
    BoolArray,
    FloatArray,
    IntArray,
    Participation,
    ParticipationGraph,
    Query,
    consortia,
    gather,
)
from .splits import Case, hidden_partner_cases

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Reason:
    """Why an organisation is suggested: a stable ``code``, its ``params`` and an English ``text``."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    text: str = ""


@dataclass(frozen=True)
class Suggestion:
    organisation_id: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class LinearModel:
    """Scores ``((features - mean) / scale) @ weights``; ``note`` says how the weights were found."""

    weights: FloatArray
    mean: FloatArray
    scale: FloatArray
    note: str
    cases: int = 0  # the hidden partners it was learned from (0: set by hand)

    def score(self, matrix: FloatArray) -> FloatArray:
        result: FloatArray = ((matrix - self.mean) / self.scale) @ self.weights
        return result

    def contributions(self, row: FloatArray) -> FloatArray:
        """Each feature's part of one row's score, measured from the average candidate."""
        result: FloatArray = (row - self.mean) / self.scale * self.weights
        return result


def _blend(weights: Mapping[str, float], note: str) -> LinearModel:
    vector = np.array([weights.get(name, 0.0) for name in FEATURES])
    return LinearModel(vector, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), note)


# A hand-set blend: co-participation first, then activity in the part; used to pick hard negatives
# while learning, and to rank when there is too little to learn from.
DEFAULT_BLEND = _blend(
    {
        "co_adamic_adar": 3.0,
        "co_partners": 1.0,
        "co_recent": 1.0,
        "two_hop": 3.0,
        "part_activity": 0.5,
        "recent": 0.3,
        "type_gap": 0.3,
        "country_lift": 0.3,
        "coordinator_share": -0.5,
    },
    "hand-set blend",
)


@dataclass(frozen=True)
class LearnOptions:
    """How :func:`learn` fits the model (chosen on the validation split of bench/consortia_quality)."""

    cases: int = 3000  # hidden-partner cases of the latest year, at most
    hard_negatives: int = 150  # the top candidates of DEFAULT_BLEND per case
    random_negatives: int = 50
    l2: float = 1.0
    seed: int = 0
    min_cases: int = 50  # fewer: rank with DEFAULT_BLEND
    learned: bool = True  # False: rank with DEFAULT_BLEND whatever the rows
    # "forward": the latest year's consortia asked of the earlier years; "holdout": half of them asked
    # of all the other rows
    scheme: str = "holdout"
    folds: int = 2  # of the holdout scheme
    sample_years: int = 1  # the holdout scheme asks consortia of this many latest years


class Scorer(Protocol):
    graph: ParticipationGraph

    def scores(self, query: Query) -> FloatArray:
        """One score per organisation of the graph; the query's partners get -inf."""
        ...


class _PartCache:
    """Which projects are in a query's parts, computed once per distinct set of parts."""

    def __init__(self, graph: ParticipationGraph) -> None:
        self.graph = graph
        self.cache: dict[tuple[str, ...], BoolArray] = {}

    def __call__(self, parts: tuple[str, ...]) -> BoolArray:
        key = tuple(sorted(set(parts)))
        if key not in self.cache:
            self.cache[key] = part_projects(self.graph, key)
        return self.cache[key]


def _mask_partners(scores: FloatArray, graph: ParticipationGraph, query: Query) -> FloatArray:
    scores[graph.known(query.partners)] = -np.inf
    return scores


class Recommender:
    """Ranks the organisations of ``graph`` for a query with ``model``."""

    def __init__(self, graph: ParticipationGraph, model: LinearModel) -> None:
        self.graph = graph
        self.model = model
        self._parts = _PartCache(graph)

    def features(self, query: Query) -> QueryFeatures:
        return query_features(self.graph, query, self._parts(query.programme_parts))

    def scores(self, query: Query) -> FloatArray:
        return _mask_partners(self.model.score(self.features(query).matrix), self.graph, query)

    def recommend(self, query: Query, top: int = 10, *, explain: bool = True) -> list[Suggestion]:
        """The ``top`` organisations for ``query`` (best first; never a partner of the query)."""
        computed = self.features(query)
        scores = _mask_partners(self.model.score(computed.matrix), self.graph, query)
        order = top_indices(scores, top)
        out = []
        for index in order:
            reasons = explain_candidate(self, query, computed, int(index)) if explain else ()
            out.append(Suggestion(self.graph.organisation_ids[index], float(scores[index]), reasons))
        return out

    def recommend_many(
        self, queries: Sequence[Query], top: int = 10, progress: Progress | None = None
    ) -> list[list[Suggestion]]:
        results = []
        for done, query in enumerate(queries, start=1):
            results.append(self.recommend(query, top, explain=False))
            if progress is not None:
                progress(done, len(queries), "ranking")
        return results


def top_indices(scores: FloatArray, top: int) -> IntArray:
    """The indices of the ``top`` highest finite scores, best first, ties by index (= organisation id)."""
    finite = np.flatnonzero(np.isfinite(scores))
    if len(finite) > top:
        threshold = np.partition(scores[finite], len(finite) - top)[len(finite) - top]
        finite = finite[scores[finite] >= threshold]  # every one tied with the last place, too
    order = np.lexsort((finite, -scores[finite]))
    result: IntArray = finite[order][:top]
    return result


# --- baselines ----------------------------------------------------------------------------------------


class _CountScorer:
    def __init__(self, graph: ParticipationGraph, score: Callable[[Query], FloatArray]) -> None:
        self.graph = graph
        self._score = score

    def scores(self, query: Query) -> FloatArray:
        return _mask_partners(self._score(query).astype(np.float64), self.graph, query)


def popularity_baseline(graph: ParticipationGraph) -> Scorer:
    """Every organisation by its number of projects, whatever the query."""
    return _CountScorer(graph, lambda query: graph.degree.copy())


def coparticipation_baseline(graph: ParticipationGraph) -> Scorer:
    """Projects shared with the query's partners, each weighted 1/log(its size + 1)."""

    def score(query: Query) -> FloatArray:
        partners = graph.known(query.partners)
        projects, _ = gather(graph.org_indptr, graph.org_projects, partners)
        members, origin = gather(graph.project_indptr, graph.project_members, projects)
        size = graph.project_size[projects[origin]].astype(np.float64)
        result: FloatArray = np.bincount(members, weights=1.0 / np.log1p(size), minlength=graph.n).astype(
            np.float64
        )
        return result

    return _CountScorer(graph, score)


# --- learning -----------------------------------------------------------------------------------------


def learn(
    rows: Sequence[Participation], options: LearnOptions = LearnOptions(), progress: Progress | None = None
) -> Recommender:
    """A recommender over every organisation of ``rows``, its weights learned from hidden partners of
    the latest start year (see the module's doc); the hand-set blend when there is too little to learn
    from."""
    graph = ParticipationGraph(rows)
    if not options.learned:
        return Recommender(graph, DEFAULT_BLEND)
    years = sorted({r.start_year for r in rows})
    if not years or (options.scheme == "forward" and len(years) < 2):
        return Recommender(graph, _note(DEFAULT_BLEND, "hand-set blend: the rows hold one start year"))
    latest = consortia(r for r in rows if r.start_year in years[-options.sample_years :])
    cases: list[Case] = []
    inners: list[Recommender] = []
    if options.scheme == "holdout":
        # The latest year(s)' consortia in ``folds`` parts, each asked of a graph of all the other rows.
        shuffled = list(latest)
        random.Random(options.seed).shuffle(shuffled)  # noqa: S311 (seeded sampling, not security)
        for fold in range(options.folds):
            chosen = shuffled[fold :: options.folds]
            asked = {c.project_id for c in chosen}
            inner = Recommender(
                ParticipationGraph([r for r in rows if r.project_id not in asked]), DEFAULT_BLEND
            )
            found = [c for c in hidden_partner_cases(chosen, options.seed) if c.hidden in inner.graph.index]
            cases += found
            inners += [inner] * len(found)
    else:
        inner = Recommender(ParticipationGraph([r for r in rows if r.start_year < years[-1]]), DEFAULT_BLEND)
        latest = [c for c in latest if c.start_year == years[-1]]
        cases = [c for c in hidden_partner_cases(latest, options.seed) if c.hidden in inner.graph.index]
        inners = [inner] * len(cases)
    if len(cases) > options.cases:
        rng = random.Random(options.seed)  # noqa: S311 (seeded sampling, not security)
        keep = sorted(rng.sample(range(len(cases)), options.cases))
        cases, inners = [cases[i] for i in keep], [inners[i] for i in keep]
    if len(cases) < options.min_cases:
        note = f"hand-set blend: {len(cases)} cases to learn from, {options.min_cases} needed"
        return Recommender(graph, _note(DEFAULT_BLEND, note))
    matrix, groups = _training_rows(inners, cases, options, progress)
    model = fit_conditional_logit(matrix[:, :-1], groups, options.l2, offsets=matrix[:, -1])
    note = f"learned from {len(cases)} hidden partners of {years[-1]} ({options.scheme})"
    return Recommender(graph, LinearModel(model.weights, model.mean, model.scale, note, len(cases)))


def _note(model: LinearModel, note: str) -> LinearModel:
    return LinearModel(model.weights, model.mean, model.scale, note)


def _training_rows(
    inners: Sequence[Recommender], cases: Sequence[Case], options: LearnOptions, progress: Progress | None
) -> tuple[FloatArray, IntArray]:
    """Per case: the hidden member first, then its hard and random negatives; and the group starts."""
    rng = np.random.default_rng(options.seed)
    blocks: list[FloatArray] = []
    starts: list[int] = []
    at = 0
    for done, (inner, case) in enumerate(zip(inners, cases, strict=True), start=1):
        n = inner.graph.n
        computed = inner.features(case.query)
        scores = _mask_partners(DEFAULT_BLEND.score(computed.matrix), inner.graph, case.query)
        hidden = inner.graph.index[case.hidden]
        scores[hidden] = -np.inf
        hard = top_indices(scores, options.hard_negatives)
        drawn = rng.choice(n, size=min(options.random_negatives, n), replace=False)
        drawn = drawn[np.isfinite(scores[drawn])]
        drawn = np.setdiff1d(drawn, hard)
        rows = np.concatenate([[hidden], hard, drawn])
        # The random negatives stand for all the candidates outside the hard ones: each counts for
        # (those candidates / the drawn ones) in the softmax, a log offset on its score (sampled softmax).
        weight = np.log(max(n - len(hard) - 1, 1) / max(len(drawn), 1))
        block = np.zeros((len(rows), len(FEATURES) + 1))
        block[:, :-1] = computed.matrix[rows]
        block[1 + len(hard) :, -1] = weight
        blocks.append(block)
        starts.append(at)
        at += len(rows)
        if progress is not None:
            progress(done, len(cases), "learning")
    return np.concatenate(blocks), np.array(starts, dtype=np.int64)


def fit_conditional_logit(
    matrix: FloatArray,
    starts: IntArray,
    l2: float = 1.0,
    iterations: int = 50,
    offsets: FloatArray | None = None,
) -> LinearModel:
    """Weights that maximise the softmax probability of each group's first row (groups are contiguous,
    starting at ``starts``), with an L2 penalty, by Newton's method on standardised features. A row's
    ``offsets`` entry is added to its score (log of how many candidates it stands for)."""
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = (matrix - mean) / scale
    features = x.shape[1]
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(x))))
    positive = x[starts]
    weights = np.zeros(features)
    shift = np.zeros(len(x)) if offsets is None else offsets

    def objective(w: FloatArray) -> tuple[float, FloatArray, FloatArray]:
        s = x @ w + shift
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - top[group])
        z = np.add.reduceat(e, starts)
        p = e / z[group]
        loss = float(-(s[starts] - top - np.log(z)).sum() + 0.5 * l2 * w @ w)
        mu = np.add.reduceat(p[:, None] * x, starts)
        gradient = -(positive - mu).sum(axis=0) + l2 * w
        hessian = (x * p[:, None]).T @ x - mu.T @ mu + l2 * np.eye(features)
        return loss, gradient, hessian

    loss, gradient, hessian = objective(weights)
    for _ in range(iterations):
        step = np.linalg.solve(hessian, gradient)
        size = 1.0
        while size > 1e-6:
            trial = weights - size * step
            trial_loss, trial_gradient, trial_hessian = objective(trial)
            if trial_loss <= loss:
                break
            size /= 2
        else:
            break
        improvement = loss - trial_loss
        weights, loss, gradient, hessian = trial, trial_loss, trial_gradient, trial_hessian
        if improvement < 1e-7 * max(1.0, abs(loss)):
            break
    return LinearModel(weights, mean, scale, "conditional logit")


# --- reasons ------------------------------------------------------------------------------------------

_GROUPS = {
    "co_participated": (
        "co_count",
        "co_partners",
        "co_adamic_adar",
        "co_resource",
        "co_part",
        "co_recent",
        "co_consortium",
        "co_overlap",
    ),
    "partners_of_partners": ("two_hop", "no_co_two_hop"),
    "active_in_programme_part": ("part_activity", "part_share", "no_co_part_activity"),
    "fills_type_gap": ("type_gap", "type_absent", "type_part_share"),
    "country": ("country_lift", "country_shared"),
    "often_participates": ("popularity", "multi_popularity", "recent", "years_idle", "no_co_popularity"),
}


def explain_candidate(
    recommender: Recommender, query: Query, computed: QueryFeatures, index: int
) -> tuple[Reason, ...]:
    """The reasons for one candidate, strongest first: each group of features that added to its score."""
    graph = recommender.graph
    parts = recommender.model.contributions(computed.matrix[index])
    weight = {code: float(sum(parts[COLUMN[f]] for f in names)) for code, names in _GROUPS.items()}
    reasons: list[tuple[float, int, Reason]] = []
    order = list(_GROUPS)
    for code in order:
        if weight[code] <= 0:
            continue
        for reason in _reasons(code, graph, query, computed, index):
            reasons.append((-weight[code], order.index(code), reason))
    reasons.sort(key=lambda item: (item[0], item[1]))
    return tuple(r for _, _, r in reasons)


def _reasons(
    code: str, graph: ParticipationGraph, query: Query, computed: QueryFeatures, index: int
) -> list[Reason]:
    mine = graph.projects_of(index)
    if code == "co_participated":
        shared = []
        for partner in computed.partners:
            count = len(np.intersect1d(graph.projects_of(int(partner)), mine))
            if count:
                shared.append((-count, graph.organisation_ids[partner]))
        return [
            Reason(
                code,
                {"partner": pid, "projects": -negative},
                f"took part in {-negative} project(s) with the partner {pid}",
            )
            for negative, pid in sorted(shared)[:3]
        ]
    if code == "partners_of_partners":
        theirs, _ = gather(graph.org_indptr, graph.org_projects, computed.partners)
        around, _ = gather(graph.project_indptr, graph.project_members, theirs)
        neighbours, _ = gather(graph.project_indptr, graph.project_members, mine)
        common = np.setdiff1d(np.intersect1d(around, neighbours), np.append(computed.partners, index))
        if not len(common):
            return []
        return [
            Reason(
                code,
                {"organisations": len(common)},
                f"worked with {len(common)} organisation(s) that worked with the partners",
            )
        ]
    if code == "active_in_programme_part":
        counts = [
            (int(graph.part_activity[p][index]), p) for p in query.programme_parts if p in graph.part_activity
        ]
        counts = [c for c in counts if c[0]]
        if not counts:
            return []
        count, part = max(counts, key=lambda c: (c[0], c[1]))
        return [Reason(code, {"programme_part": part, "projects": count}, f"{count} project(s) in {part}")]
    if code == "fills_type_gap":
        kind = graph.types[graph.org_type[index]]
        gap = float(computed.type_gap[graph.org_type[index]])
        if gap <= 0:
            return []
        name = TYPE_NAMES.get(kind, kind)
        return [
            Reason(
                code,
                {"organisation_type": kind, "gap": round(gap, 2)},
                f"a {name} ({kind}): consortia of this part hold more of them than the partners do",
            )
        ]
    if code == "country":
        country = graph.countries[graph.org_country[index]]
        same = int(np.sum(graph.org_country[computed.partners] == graph.org_country[index]))
        text = f"based in {country}" + (
            f", like {same} of the partners" if same else ", a country that often works with the partners'"
        )
        return [Reason(code, {"country": country, "partners_in_country": same}, text)]
    if code == "often_participates":
        count = int(graph.degree[index])
        last = int(graph.org_last_year[index])
        return [
            Reason(
                code,
                {"projects": count, "last_year": last},
                f"{count} project(s), the latest starting in {last}",
            )
        ]
    return []
