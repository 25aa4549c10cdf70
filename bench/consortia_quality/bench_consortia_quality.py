"""Consortium partner recommendation on real Horizon 2020 consortia (CORDIS), on a time split.

Each later consortium with one non-coordinator member hidden (seeded), the others asked: where does the
hidden member land among all the organisations learned from? HR@10, HR@50 and MRR with bootstrap 95%
intervals over consortia, for the model and, in the same run, the popularity and co-participation
(shared projects / log(size)) baselines; ratios to co-participation with paired intervals.

* VALIDATION: learn from starts 2014-2016, ask the consortia of 2017. The candidate models (the
  learned conditional logit with its two training schemes, the hand-set blend) are compared here, and
  the best by MRR is chosen.
* TEST, reported once: the chosen model learns from 2014-2017 and is asked the consortia of 2018.

A hidden member absent from the learning years cannot be found by any method: such cases count as
misses, their number is printed, and the figures restricted to the findable cases are given too.
"""

from __future__ import annotations

import csv
import gzip
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from helix.core.consortia import (
    Case,
    Evaluation,
    Figure,
    LearnOptions,
    Participation,
    Scorer,
    bootstrap_ratio,
    coparticipation_baseline,
    evaluate,
    hidden_partner_cases,
    learn,
    popularity_baseline,
    split_by_year,
    summarise,
)
from tests.helpers.shared_data import cordis_dir

FIRST_YEAR, VALIDATION_YEAR, TEST_YEAR = 2014, 2017, 2018
SEED = 1
QUICK_CASES = 300
REPS = 1000
CANDIDATES = {
    "learned, holdout": LearnOptions(),
    "learned, forward": LearnOptions(scheme="forward"),
    "hand-set blend": LearnOptions(learned=False),
}
COPARTICIPATION = "co-participation / log(size)"
METRICS = ("hr@10", "hr@50", "mrr")


def read_cordis(folder: Path) -> list[Participation]:
    """The CORDIS participations as rows (a project in several programme parts keeps them all)."""
    parts: dict[str, list[str]] = defaultdict(list)
    with gzip.open(folder / "h2020_programme_parts_2014_2018.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            parts[row["rcn"]].append(row["programme_part"])
    with gzip.open(folder / "h2020_participations_2014_2018.csv.gz", "rt", encoding="utf-8") as handle:
        return [
            Participation(
                row["rcn"],
                row["pic"],
                row["role"],
                row["type"],
                row["country"],
                tuple(dict.fromkeys(parts.get(row["rcn"], ()))),
                int(row["start_year"]),
            )
            for row in csv.DictReader(handle)
        ]


def sample(cases: list[Case], quick: bool) -> list[Case]:
    if not quick or len(cases) <= QUICK_CASES:
        return cases
    return random.Random(SEED).sample(cases, QUICK_CASES)


def _figure(f: Figure) -> dict[str, float]:
    return {"value": round(f.value, 4), "low": round(f.low, 4), "high": round(f.high, 4)}


def _line(name: str, figures: dict[str, Figure], ratios: dict[str, Figure] | None = None) -> str:
    cells = " ".join(f"{figures[m].value:6.3f} [{figures[m].low:.3f}-{figures[m].high:.3f}]" for m in METRICS)
    extra = ""
    if ratios:
        extra = " " + " ".join(
            f"x{ratios[m].value:4.2f} [{ratios[m].low:.2f}-{ratios[m].high:.2f}]" for m in METRICS
        )
    return f"  {name:30s} {cells}{extra}"


def report(title: str, results: dict[str, Evaluation], cases: int) -> dict[str, Any]:
    """Print and return each method's figures (all cases and findable ones) and ratios to the
    co-participation baseline."""
    base = results[COPARTICIPATION]
    findable = int(base.findable.sum())
    print(
        f"{title}: {cases} consortia, {cases - findable} whose hidden member never appears in the "
        f"learning years (misses for every method)"
    )
    head = " ".join(f"{m:>21s}" for m in METRICS)
    print(f"  {'method':30s} {head}  ratio to {COPARTICIPATION}")
    out: dict[str, Any] = {"cases": cases, "unfindable": cases - findable}
    for scope, only in (("all", False), ("findable", True)):
        print(f" {scope} cases:")
        for name, evaluation in results.items():
            figures = summarise(evaluation, REPS, SEED, findable_only=only)
            keep = evaluation.findable if only else slice(None)
            ratios = {
                m: bootstrap_ratio(evaluation.metrics()[m][keep], base.metrics()[m][keep], REPS, SEED)
                for m in METRICS
            }
            print(_line(name, figures, None if name == COPARTICIPATION else ratios))
            entry = out.setdefault(name, {})
            entry[scope] = {m: _figure(figures[m]) for m in METRICS}
            if name != COPARTICIPATION:
                entry[scope]["ratio_to_coparticipation"] = {m: _figure(ratios[m]) for m in METRICS}
            entry["seconds_per_query"] = round(evaluation.seconds_per_query, 5)
    return out


def run(quick: bool = False) -> dict[str, Any]:
    folder = cordis_dir()
    if folder is None:
        print("skipped: ../shared/data/cordis/h2020_participations_2014_2018.csv.gz not found")
        return {"skipped": "shared CORDIS files not found"}
    rows = read_cordis(folder)
    print(
        f"{len(rows):,} participations, {len({r.project_id for r in rows}):,} projects, "
        f"{len({r.organisation_id for r in rows}):,} organisations; {'quick: ' if quick else ''}"
        f"{QUICK_CASES if quick else 'all'} consortia per split"
    )
    results: dict[str, Any] = {"quick": quick}

    # Validation: choose the model.
    split = split_by_year(rows, FIRST_YEAR, VALIDATION_YEAR)
    cases = sample(hidden_partner_cases(split.query, SEED), quick)
    evaluations: dict[str, Evaluation] = {}
    learn_seconds: dict[str, float] = {}
    graph = None
    for name, options in CANDIDATES.items():
        started = time.perf_counter()
        recommender = learn(split.learn, options)
        learn_seconds[name] = time.perf_counter() - started
        graph = recommender.graph
        evaluations[name] = evaluate(recommender, cases)
    assert graph is not None
    evaluations["popularity"] = evaluate(popularity_baseline(graph), cases)
    evaluations[COPARTICIPATION] = evaluate(coparticipation_baseline(graph), cases)
    validation = report(
        f"VALIDATION (learn {FIRST_YEAR}-{VALIDATION_YEAR - 1}, ask {VALIDATION_YEAR})",
        evaluations,
        len(cases),
    )
    chosen = max(CANDIDATES, key=lambda name: (float(evaluations[name].reciprocal_rank.mean()), name))
    for name, seconds in learn_seconds.items():
        validation[name]["learn_seconds"] = round(seconds, 1)
    print(f"chosen on validation (best MRR): {chosen}")
    results["validation"] = validation
    results["chosen"] = chosen

    # Test: reported once, with the chosen model.
    split = split_by_year(rows, FIRST_YEAR, TEST_YEAR)
    cases = sample(hidden_partner_cases(split.query, SEED), quick)
    started = time.perf_counter()
    recommender = learn(split.learn, CANDIDATES[chosen])
    seconds = time.perf_counter() - started
    tested: dict[str, Scorer] = {
        f"model ({chosen})": recommender,
        "popularity": popularity_baseline(recommender.graph),
        COPARTICIPATION: coparticipation_baseline(recommender.graph),
    }
    evaluations = {name: evaluate(scorer, cases) for name, scorer in tested.items()}
    test = report(f"TEST (learn {FIRST_YEAR}-{TEST_YEAR - 1}, ask {TEST_YEAR})", evaluations, len(cases))
    per_query = evaluations[f"model ({chosen})"].seconds_per_query
    print(
        f"model: {recommender.model.note}; learned in {seconds:.1f} s over {recommender.graph.n:,} "
        f"organisations, {per_query * 1000:.1f} ms per query"
    )
    test["learn_seconds"] = round(seconds, 1)
    test["model_note"] = recommender.model.note
    results["test"] = test
    return results


if __name__ == "__main__":
    import sys

    run(quick="--quick" in sys.argv)
