"""Matching-quality benchmark: does the text ranker put the one right offer first for a published need?

Two evaluation sets, both scored by BM25 alone, dense cosine alone and the hybrid the product uses:

1. Needs → offers (``data/needs.csv``, ``data/offers.csv``, written by hand for this benchmark; see
   README.md). Each need (demand published by a city, an SME or a company) has exactly one relevant offer
   (supply published by a company, research centre or university). Every need is ranked against *all*
   offers: the relevant ones of the other needs plus distractors that share vocabulary with some need
   but do not meet it. Texts are in Dutch, French, German and English, each in its own language, and
   most pairs are cross-lingual.
2. Cross-lingual retrieval on the STS benchmark test split (``/work/shared/data/multilingual``; DeepL
   translations aligned row by row; CC BY-SA 4.0, PhilipMay/stsb-multi-mt): every Dutch, French and
   German ``sentence1`` must find its English twin among the English ``sentence1`` texts. The English
   column repeats 123 of its 1,379 texts; the gallery holds each distinct text once (1,256), and a query
   whose English row is a repeated text has that one gallery entry as its target (identical text, identical
   vector, so nothing is lost). Every row is a query: 1,379 per language, as in
   docs/decisions/0001-embedding-model.md.

3. Held-out fusion (``held_out.py``): the fused text ranker of `helix match rank`, each of its channels
   and the baselines on the test half of a split made before its weights were chosen on the validation
   half, per language pair, with bootstrap intervals (needs, STS and a technical List-of-Waste set).

Methods of sets 1 and 2, all through helix.core.matching:

- ``bm25``: :class:`~helix.core.matching.lexical.LexicalIndex` over the corpus, every BM25 score (documents
  sharing no stem with the query score 0 and tie at the bottom);
- ``dense``: cosine of the default encoder's vectors, i.e. ``HybridTextRanker(lexical_weight=0).scores``;
- ``hybrid``: ``HybridTextRanker(encoder).scores`` with its default lexical weight (fused score = cosine +
  weight x the language-fair lexical part of ``helix.core.matching.ranker.fuse``: BM25 between texts of
  one language, imputed from the dense score for the others); a sweep of the weight
  (0, 0.1, 0.2, 0.3, 0.5) reports the overall MRR of the needs → offers set.

Metrics: mean reciprocal rank of the relevant item (MRR), recall@1 and recall@10 (share of queries whose
relevant item is in the top 1 / top 10). Ties are scored by their expectation under a random order of the
tied items, so a relevant offer tied at score 0 with 300 others counts as rank ~151, not 1 or 301. Figures
are given overall, per language pair (need language -> offer language), for monolingual versus cross-lingual
pairs and per domain. Baseline, computed for the same candidate count in the same run: a random ranking,
whose expected MRR over N candidates is H_N / N (H_N the N-th harmonic number) and recall@k is k / N.
Encoding is timed once per distinct text (a cache serves every later request, so the methods and the
weight sweep share vectors); texts/s is reported per set.

    python -m bench --only matching_quality [--quick]
    python -m bench.matching_quality.bench_matching_quality [--quick]

``--quick`` ranks a fixed random sample of 80 needs against all offers and takes 300 STS rows spread evenly
over the file (it is grouped by genre: image captions, then news, then forum posts).
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.matching_quality.held_out import evaluate_held_out
from helix.core.matching.embedding import Role, TextEncoder, default_encoder
from helix.core.matching.lexical import LexicalIndex
from helix.core.matching.ranker import HybridTextRanker

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(__file__).resolve().parent / "data"
MULTILINGUAL_DIR = Path("/work/shared/data/multilingual")
QUERY_LANGUAGES = ("nl", "fr", "de")
LANGUAGES = ("nl", "fr", "de", "en")
WEIGHT_SWEEP = (0.0, 0.1, 0.2, 0.3, 0.5)
QUICK_NEEDS = 80
QUICK_STS_ROWS = 300
RECALL_AT = (1, 10)
METHODS = ("bm25", "dense", "hybrid")
DEFAULT_WEIGHT: float = inspect.signature(HybridTextRanker).parameters["lexical_weight"].default


# --- the evaluation set --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    id: str
    language: str
    domain: str
    text: str
    relevant_offer_id: str


@dataclass(frozen=True)
class Offer:
    id: str
    language: str
    domain: str
    text: str
    is_distractor: bool


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_needs(path: Path = DATA_DIR / "needs.csv") -> list[Need]:
    return [
        Need(row["id"], row["language"], row["domain"], row["text"], row["relevant_offer_id"])
        for row in _rows(path)
    ]


def load_offers(path: Path = DATA_DIR / "offers.csv") -> list[Offer]:
    return [
        Offer(row["id"], row["language"], row["domain"], row["text"], row["is_distractor"] == "1")
        for row in _rows(path)
    ]


def language_pair(need: Need, offers_by_id: dict[str, Offer]) -> str:
    return f"{need.language}->{offers_by_id[need.relevant_offer_id].language}"


# --- metrics ----------------------------------------------------------------------------------------------


def relevant_position(scores: npt.NDArray[np.floating[Any]], relevant: int) -> tuple[int, int]:
    """(Candidates scoring above the relevant one, candidates tied with it including itself)."""
    target = scores[relevant]
    return int(np.count_nonzero(scores > target)), int(np.count_nonzero(scores == target))


def expected_reciprocal_rank(higher: int, tied: int) -> float:
    """Mean of 1/rank over the ``tied`` positions after ``higher`` better candidates (random tie order)."""
    return float(sum(1.0 / (higher + i) for i in range(1, tied + 1)) / tied)


def expected_hit(higher: int, tied: int, k: int) -> float:
    """Probability that the relevant item lands in the top ``k`` when its ties are ordered at random."""
    return min(max(k - higher, 0), tied) / tied


def summarise(positions: Sequence[tuple[int, int]]) -> dict[str, float]:
    """MRR and recall@k over queries given as (higher, tied) positions of their relevant item."""
    n = len(positions)
    if n == 0:
        return {"n": 0, "mrr": float("nan"), **{f"recall@{k}": float("nan") for k in RECALL_AT}}
    figures: dict[str, float] = {
        "n": n,
        "mrr": sum(expected_reciprocal_rank(h, t) for h, t in positions) / n,
    }
    for k in RECALL_AT:
        figures[f"recall@{k}"] = sum(expected_hit(h, t, k) for h, t in positions) / n
    return figures


def random_baseline(candidates: int) -> dict[str, float]:
    """Expected figures of a random ranking of N = ``candidates``: MRR = H_N / N, recall@k = k / N."""
    harmonic = sum(1.0 / i for i in range(1, candidates + 1))
    figures: dict[str, float] = {"n": candidates, "mrr": harmonic / candidates}
    for k in RECALL_AT:
        figures[f"recall@{k}"] = min(k, candidates) / candidates
    return figures


def positions_of(scores: npt.NDArray[np.floating[Any]], relevant: Sequence[int]) -> list[tuple[int, int]]:
    return [relevant_position(scores[row], column) for row, column in enumerate(relevant)]


# --- scoring ----------------------------------------------------------------------------------------------


class CachingEncoder:
    """Wraps an encoder: each distinct (role, text) is encoded once, and the time it took is recorded."""

    def __init__(self, inner: TextEncoder) -> None:
        self.inner = inner
        self.name, self.version, self.dim = inner.name, inner.version, inner.dim
        self._cache: dict[tuple[str, str], npt.NDArray[np.float32]] = {}
        self.texts_encoded = 0
        self.seconds = 0.0

    def encode(self, texts: Sequence[str], role: Role = "passage") -> npt.NDArray[np.float32]:
        batch = list(texts)
        missing = list(dict.fromkeys(text for text in batch if (role, text) not in self._cache))
        if missing:
            started = time.perf_counter()
            vectors = self.inner.encode(missing, role=role)
            self.seconds += time.perf_counter() - started
            self.texts_encoded += len(missing)
            self._cache.update({(role, text): vector for text, vector in zip(missing, vectors, strict=True)})
        out = np.empty((len(batch), self.dim), dtype=np.float32)
        for row, text in enumerate(batch):
            out[row] = self._cache[(role, text)]
        return out


def bm25_scores(corpus: Sequence[tuple[str, str]], queries: Sequence[str]) -> npt.NDArray[np.float64]:
    """Every BM25 score of every query, shape (queries, corpus); 0 where a document shares no term."""
    index = LexicalIndex(corpus)
    position = {doc_id: column for column, (doc_id, _) in enumerate(corpus)}
    out = np.zeros((len(queries), len(corpus)), dtype=np.float64)
    for row, text in enumerate(queries):
        for doc_id, score in index.search(text, len(corpus)):
            out[row, position[doc_id]] = score
    return out


def ranker_scores(
    encoder: TextEncoder, weight: float, corpus: Sequence[tuple[str, str]], queries: Sequence[str]
) -> npt.NDArray[np.float32]:
    return HybridTextRanker(encoder, lexical_weight=weight).fit(corpus).scores(list(queries))


def score_all(
    encoder: TextEncoder, corpus: Sequence[tuple[str, str]], queries: Sequence[str], weight: float
) -> tuple[dict[str, npt.NDArray[np.floating[Any]]], dict[str, float]]:
    """Scores of the three methods and the seconds each took (encoding excluded where vectors are cached)."""
    scores: dict[str, npt.NDArray[np.floating[Any]]] = {}
    seconds: dict[str, float] = {}
    jobs: dict[str, Callable[[], npt.NDArray[np.floating[Any]]]] = {
        "bm25": lambda: bm25_scores(corpus, queries),
        "dense": lambda: ranker_scores(encoder, 0.0, corpus, queries),
        "hybrid": lambda: ranker_scores(encoder, weight, corpus, queries),
    }
    for method, job in jobs.items():
        started = time.perf_counter()
        scores[method] = job()
        seconds[method] = time.perf_counter() - started
    return scores, seconds


# --- set 1: needs -> offers -------------------------------------------------------------------------------


def _groups(needs: Sequence[Need], offers_by_id: dict[str, Offer]) -> dict[str, dict[str, list[int]]]:
    """Row indices of the needs per language pair, per lingual kind and per domain."""
    groups: dict[str, dict[str, list[int]]] = {"language_pair": {}, "lingual": {}, "domain": {}}
    for row, need in enumerate(needs):
        pair = language_pair(need, offers_by_id)
        groups["language_pair"].setdefault(pair, []).append(row)
        kind = "monolingual" if pair[:2] == pair[-2:] else "cross-lingual"
        groups["lingual"].setdefault(kind, []).append(row)
        groups["domain"].setdefault(need.domain, []).append(row)
    groups["language_pair"] = {
        pair: groups["language_pair"][pair]
        for pair in sorted(groups["language_pair"], key=lambda p: (p[:2] != p[-2:], p))
    }
    groups["lingual"] = {kind: groups["lingual"][kind] for kind in ("monolingual", "cross-lingual")}
    groups["domain"] = dict(sorted(groups["domain"].items()))
    return groups


def _misses(
    needs: Sequence[Need],
    offers: Sequence[Offer],
    scores: npt.NDArray[np.floating[Any]],
    relevant: Sequence[int],
) -> dict[str, Any]:
    """Needs whose relevant offer is not alone at rank 1, and what took its place."""
    offers_by_id = {offer.id: offer for offer in offers}
    examples: list[dict[str, Any]] = []
    counts = {"distractor": 0, "other_need_offer_same_domain": 0, "other_need_offer_other_domain": 0}
    distractor_above = 0
    for row, (need, column) in enumerate(zip(needs, relevant, strict=True)):
        higher, tied = relevant_position(scores[row], column)
        if any(o.is_distractor and s > scores[row, column] for o, s in zip(offers, scores[row], strict=True)):
            distractor_above += 1
        if higher == 0 and tied == 1:
            continue
        top = offers[int(np.argmax(scores[row]))]
        if top.id == need.relevant_offer_id:  # tied at the top with others
            top = next(
                o
                for o, s in zip(offers, scores[row], strict=True)
                if s == scores[row].max() and o.id != top.id
            )
        if top.is_distractor:
            counts["distractor"] += 1
        elif top.domain == need.domain:
            counts["other_need_offer_same_domain"] += 1
        else:
            counts["other_need_offer_other_domain"] += 1
        examples.append(
            {
                "need": need.id,
                "pair": language_pair(need, offers_by_id),
                "rank": higher + 1,
                "top_offer": top.id,
                "top_is_distractor": top.is_distractor,
            }
        )
    return {
        "count": len(examples),
        "top_offer_kind": counts,
        "needs_with_a_distractor_above_the_relevant_offer": distractor_above,
        "examples": examples,
    }


def evaluate_needs(encoder: CachingEncoder, quick: bool) -> dict[str, Any]:
    needs, offers = load_needs(), load_offers()
    if quick:
        needs = sorted(random.Random(20_240_601).sample(needs, QUICK_NEEDS), key=lambda n: n.id)
    offers_by_id = {offer.id: offer for offer in offers}
    columns = {offer.id: column for column, offer in enumerate(offers)}
    relevant = [columns[need.relevant_offer_id] for need in needs]
    corpus = [(offer.id, offer.text) for offer in offers]
    queries = [need.text for need in needs]

    before_texts, before_seconds = encoder.texts_encoded, encoder.seconds
    encoder.encode([text for _, text in corpus], role="passage")
    encoder.encode(queries, role="query")
    encoded = encoder.texts_encoded - before_texts
    encode_seconds = encoder.seconds - before_seconds

    scores, seconds = score_all(encoder, corpus, queries, DEFAULT_WEIGHT)
    positions = {method: positions_of(scores[method], relevant) for method in METHODS}
    groups = _groups(needs, offers_by_id)
    results: dict[str, Any] = {
        "needs": len(needs),
        "offers": len(offers),
        "distractors": sum(offer.is_distractor for offer in offers),
        "cross_lingual_share": len(groups["lingual"]["cross-lingual"]) / len(needs),
        "encoding": {
            "texts": encoded,
            "seconds": encode_seconds,
            "texts_per_s": encoded / encode_seconds if encode_seconds else float("nan"),
        },
        "scoring_seconds": seconds,
        "random": random_baseline(len(offers)),
        "overall": {method: summarise(positions[method]) for method in METHODS},
    }
    for axis, members in groups.items():
        results[axis] = {
            group: {method: summarise([positions[method][row] for row in rows]) for method in METHODS}
            for group, rows in members.items()
        }
    sweep: dict[str, float] = {}
    for weight in WEIGHT_SWEEP:
        fused = (
            scores["hybrid"] if weight == DEFAULT_WEIGHT else ranker_scores(encoder, weight, corpus, queries)
        )
        sweep[f"{weight:g}"] = summarise(positions_of(fused, relevant))["mrr"]
    results["hybrid_weight_sweep_mrr"] = sweep
    results["misses"] = {method: _misses(needs, offers, scores[method], relevant) for method in METHODS}
    results["missed_by_all_methods"] = sorted(
        set.intersection(*({m["need"] for m in results["misses"][method]["examples"]} for method in METHODS))
    )
    _print_needs(results, needs, offers_by_id)
    return results


# --- set 2: cross-lingual sentence retrieval --------------------------------------------------------------


def load_sts(language: str, directory: Path = MULTILINGUAL_DIR) -> list[str]:
    """``sentence1`` of every row of the STS benchmark test split in ``language``."""
    with (directory / f"stsb-{language}-test.csv").open(encoding="utf-8", newline="") as handle:
        return [row[0] for row in csv.reader(handle)]


def _spread(total: int, count: int) -> list[int]:
    """``count`` row numbers spread evenly over ``range(total)`` (all of them when ``count >= total``)."""
    if count >= total:
        return list(range(total))
    return [round(i * (total - 1) / (count - 1)) for i in range(count)]


def evaluate_sts(encoder: CachingEncoder, quick: bool, directory: Path = MULTILINGUAL_DIR) -> dict[str, Any]:
    if not (directory / "stsb-en-test.csv").exists():
        print(f"cross-lingual STS: skipped ({directory} not found)")
        return {"skipped": f"{directory} not found"}
    english = load_sts("en", directory)
    # Quick: rows spread evenly over the file, which is grouped by genre (captions first, then news, forums).
    picked = _spread(len(english), QUICK_STS_ROWS) if quick else list(range(len(english)))
    rows = len(picked)
    english = [english[row] for row in picked]
    gallery = list(dict.fromkeys(english))  # distinct English texts, first occurrence order
    gallery_index = {text: column for column, text in enumerate(gallery)}
    targets = [gallery_index[text] for text in english]
    corpus = [(f"en-{column}", text) for column, text in enumerate(gallery)]

    before_texts, before_seconds = encoder.texts_encoded, encoder.seconds
    results: dict[str, Any] = {
        "rows": rows,
        "gallery": len(gallery),
        "duplicate_english_rows": rows - len(gallery),
        "random_top1": 1 / len(gallery),
        "random_mrr": random_baseline(len(gallery))["mrr"],
        "languages": {},
    }
    for language in QUERY_LANGUAGES:
        translations = load_sts(language, directory)
        queries = [translations[row] for row in picked]
        scores, seconds = score_all(encoder, corpus, queries, DEFAULT_WEIGHT)
        results["languages"][language] = {}
        for method in METHODS:
            figures = summarise(positions_of(scores[method], targets))
            results["languages"][language][method] = {
                "top1": figures["recall@1"],
                "mrr": figures["mrr"],
                "seconds": seconds[method],
            }
    encoded = encoder.texts_encoded - before_texts
    encode_seconds = encoder.seconds - before_seconds
    results["encoding"] = {
        "texts": encoded,
        "seconds": encode_seconds,
        "texts_per_s": encoded / encode_seconds if encode_seconds else float("nan"),
    }
    _print_sts(results)
    return results


# --- printing ---------------------------------------------------------------------------------------------


def _table(title: str, rows: Iterable[tuple[str, dict[str, dict[str, float]]]]) -> None:
    print(f"  {title:<29}{'n':>4}" + "".join(f"  {m + ' MRR':>10}{'R@1':>6}{'R@10':>6}" for m in METHODS))
    for label, by_method in rows:
        cells = "".join(
            f"  {f['mrr']:>10.3f}{f['recall@1']:>6.2f}{f['recall@10']:>6.2f}"
            for f in (by_method[m] for m in METHODS)
        )
        print(f"  {label:<29}{int(by_method[METHODS[0]]['n']):>4}{cells}")


def _print_needs(results: dict[str, Any], needs: Sequence[Need], offers_by_id: dict[str, Offer]) -> None:
    base = results["random"]
    enc = results["encoding"]
    print(
        f"needs -> offers: {results['needs']} needs ranked against {results['offers']} offers "
        f"({results['distractors']} distractors), {results['cross_lingual_share']:.0%} of pairs cross-lingual"
    )
    print(
        f"  encoding: {enc['texts']} texts in {enc['seconds']:.2f} s = {enc['texts_per_s']:,.0f} texts/s; "
        "scoring " + ", ".join(f"{m} {s:.2f} s" for m, s in results["scoring_seconds"].items())
    )
    print(
        f"  baseline, random ranking of {results['offers']}: MRR {base['mrr']:.4f}, "
        f"R@1 {base['recall@1']:.4f}, R@10 {base['recall@10']:.4f}"
    )
    print(f"  {'overall':<29}{'MRR':>7}{'R@1':>7}{'R@10':>7}{'MRR x random':>14}")
    for method in METHODS:
        f = results["overall"][method]
        label = f"{method} (w={DEFAULT_WEIGHT:g})" if method == "hybrid" else method
        print(
            f"  {label:<29}{f['mrr']:>7.3f}{f['recall@1']:>7.3f}{f['recall@10']:>7.3f}"
            f"{f['mrr'] / base['mrr']:>14.1f}"
        )
    sweep = results["hybrid_weight_sweep_mrr"]
    print("  hybrid lexical weight sweep, MRR: " + ", ".join(f"w={w}: {v:.3f}" for w, v in sweep.items()))
    _table("lingual", results["lingual"].items())
    _table("language pair", results["language_pair"].items())
    _table("domain", results["domain"].items())
    for method in METHODS:
        m = results["misses"][method]
        kinds = m["top_offer_kind"]
        print(
            f"  {method} misses (relevant offer not alone at rank 1): {m['count']}; first instead: "
            f"a distractor {kinds['distractor']}, another need's offer in the same domain "
            f"{kinds['other_need_offer_same_domain']}, in another domain "
            f"{kinds['other_need_offer_other_domain']}; needs with a distractor above their offer: "
            f"{m['needs_with_a_distractor_above_the_relevant_offer']}"
        )
    print(f"  missed by all three methods: {len(results['missed_by_all_methods'])}")
    texts = {need.id: need.text for need in needs}
    worst = sorted(results["misses"]["hybrid"]["examples"], key=lambda e: -e["rank"])[:6]
    for example in worst:
        print(
            f"    hybrid {example['need']} ({example['pair']}) rank {example['rank']}: "
            f"{_clip(texts[example['need']])}"
        )
        top = offers_by_id[example["top_offer"]]
        flag = "distractor" if top.is_distractor else "offer"
        print(f"      first: {top.id} ({flag}): {_clip(top.text)}")


def _clip(text: str, width: int = 88) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_sts(results: dict[str, Any]) -> None:
    enc = results["encoding"]
    print(
        f"cross-lingual STS: {results['rows']} rows per language, gallery of {results['gallery']} distinct "
        f"English sentences ({results['duplicate_english_rows']} repeated rows point to the same entry)"
    )
    print(
        f"  encoding: {enc['texts']} texts in {enc['seconds']:.2f} s = {enc['texts_per_s']:,.0f} texts/s; "
        f"random ranking: top-1 {results['random_top1']:.4f}, MRR {results['random_mrr']:.4f}"
    )
    print(f"  {'query':<8}" + "".join(f"{m + ' top-1   MRR':>20}" for m in METHODS))
    for language, by_method in results["languages"].items():
        cells = "".join(f"{by_method[m]['top1']:>14.3f}{by_method[m]['mrr']:>6.3f}" for m in METHODS)
        print(f"  {language + '->en':<8}{cells}")


# --- entry points -----------------------------------------------------------------------------------------


def run(*, quick: bool = False, encoder: TextEncoder | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    inner = encoder or default_encoder()
    load_started = time.perf_counter()
    inner.encode(["warm-up"])  # the default encoder reads its model on first use: keep that out of texts/s
    load_seconds = time.perf_counter() - load_started
    cached = CachingEncoder(inner)
    print(
        f"matching quality: encoder {inner.name} {inner.version} ({inner.dim} dims, first call "
        f"{load_seconds:.2f} s), default lexical weight {DEFAULT_WEIGHT:g}",
        flush=True,
    )
    load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"  machine: {os.cpu_count()} CPUs, load average {load_average:.1f} at start "
        "(encoding throughput drops sharply when other processes compete for the CPUs)",
        flush=True,
    )
    results: dict[str, Any] = {
        "quick": quick,
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load_average},
        "encoder": {
            "name": inner.name,
            "version": inner.version,
            "dim": inner.dim,
            "load_seconds": load_seconds,
        },
        "default_lexical_weight": DEFAULT_WEIGHT,
        "needs_offers": evaluate_needs(cached, quick),
    }
    results["cross_lingual_sts"] = evaluate_sts(cached, quick)
    results["held_out_fusion"] = evaluate_held_out(quick)
    results["encoder"]["texts_encoded"] = cached.texts_encoded
    results["encoder"]["encode_seconds"] = cached.seconds
    results["seconds"] = time.perf_counter() - started
    print(
        f"matching quality: {cached.texts_encoded} texts encoded in {cached.seconds:.1f} s "
        f"({cached.texts_encoded / cached.seconds:,.0f} texts/s); total {results['seconds']:.1f} s"
    )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.matching_quality.bench_matching_quality",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    results = run(quick=args.quick)
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "matching_quality.json").write_text(
        json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
