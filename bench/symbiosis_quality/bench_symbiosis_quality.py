"""Receiver ranking quality on the shared MAESTRI exchanges: the figure to expect on parks never seen.

For every documented exchange: given the waste (EWC code, description, HS/CPA codes) and its provider
industry, rank the receiving industries (NACE) using only the *other* cases. The model is chosen by
nested leave-one-case-out (helix.core.symbiosis.receiver_selection): each case is ranked by the
candidate that leave-one-case-out over the *other* cases chose, so the choice never sees the case it
is judged on. That is the estimate for new cases; beside it, in the same folds, the baseline the issue
names (count the receivers of wastes in the same EWC chapter, about 0.44 HR@10), each with a 95%
bootstrap interval over cases, and the paired difference with its interval.

Then, for information only, each candidate's own leave-one-case-out figure: the best of those is the
optimistic number (it was picked by looking at it) and is not what to expect. Last, the choice the
procedure makes on every case, which must be the product's model (PRODUCT_SETTINGS).

The ceiling: a receiver that appears in no other case cannot be ranked by anything learned from the
other cases (only the literature's table can name it); its share is printed too.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from helix.core.matching.embedding import UniversalSentenceEncoder
from helix.core.symbiosis.exchanges import read_exchange_file
from helix.core.symbiosis.receiver_selection import (
    BASELINE,
    PRODUCT_SETTINGS,
    CachedEncoder,
    bootstrap_interval,
    metrics,
    nested_leave_one_case_out,
    per_query,
    predeclared_candidates,
)
from tests.helpers.shared_data import maestri_exchanges

SAMPLES = 2000


def run(quick: bool = False) -> dict[str, Any]:
    path = maestri_exchanges()
    if path is None:
        print("skipped: ../shared/data/symbiosis/maestri_exchanges_public.csv not found")
        return {"skipped": "shared MAESTRI file not found"}
    exchanges = read_exchange_file(str(path))
    cases = {e.case for e in exchanges}
    reachable = sum(
        1 for e in exchanges if any(o.receiver == e.receiver and o.case != e.case for o in exchanges)
    ) / len(exchanges)
    print(
        f"{len(exchanges)} exchanges in {len(cases)} cases; receivers seen in another case: {reachable:.1%}"
    )
    # --quick: the candidates without text and without the logit (seconds, not minutes)
    encoder = None if quick else CachedEncoder(UniversalSentenceEncoder())
    candidates = predeclared_candidates(encoder, logit=not quick)
    print(
        f"{len(candidates)} candidates ({'no text, no logit: quick' if quick else 'text by USE'}); "
        "fitting each without every case and every pair of cases ..."
    )
    started = time.perf_counter()
    result = nested_leave_one_case_out(exchanges, candidates)
    seconds = time.perf_counter() - started
    case_of = result.case_of
    samples = 200 if quick else SAMPLES

    def interval(ranks: Any, metric: str, minus: Any = None) -> tuple[float, float]:
        values = per_query(ranks, metric)
        if minus is not None:
            values = values - per_query(minus, metric)
        return bootstrap_interval(values, case_of, samples=samples)

    baseline = result.loco[BASELINE]
    rows = [("EWC-chapter count (baseline)", baseline), ("nested estimate (chosen per fold)", result.nested)]
    heads = " ".join(f"{h:>6s}" for h in ("HR@1", "HR@5", "HR@10", "MRR"))
    print(f"\n{'same folds, same run':36s} {heads}  {'HR@10 95% CI':>14s}  {'MRR 95% CI':>14s}")
    figures: dict[str, Any] = {}
    for name, ranks in rows:
        m = metrics(ranks)
        lo, hi = interval(ranks, "hr@10")
        mlo, mhi = interval(ranks, "mrr")
        print(
            f"{name:36s} {m['hr@1']:6.3f} {m['hr@5']:6.3f} {m['hr@10']:6.3f} {m['mrr']:6.3f}"
            f"  [{lo:.3f}, {hi:.3f}]  [{mlo:.3f}, {mhi:.3f}]"
        )
        figures[name] = {**m, "hr@10 ci": [lo, hi], "mrr ci": [mlo, mhi]}
    diff = {
        metric: (
            metrics(result.nested)[metric] - metrics(baseline)[metric],
            interval(result.nested, metric, baseline),
        )
        for metric in ("hr@10", "mrr")
    }
    for metric, (d, (lo, hi)) in diff.items():
        print(
            f"paired difference, nested - baseline, {metric.upper():5s}: {d:+.3f}  "
            f"95% CI [{lo:+.3f}, {hi:+.3f}]"
        )
    figures["difference"] = {m: {"value": d, "ci": list(ci)} for m, (d, ci) in diff.items()}

    chosen = Counter(result.chosen.values())
    print("\nchosen by the inner folds (outer folds out of", len(result.cases), "):")
    for name, n in chosen.most_common():
        print(f"  {n:3d}  {name}")
    print(
        "\neach candidate's own leave-one-case-out figure "
        "(optimistic for whichever is best: not an estimate):"
    )
    print(f"  {'candidate':52s} {heads}")
    own = {}
    for c in candidates:
        m = metrics(result.loco[c.name])
        own[c.name] = m
        print(f"  {c.name:52s} {m['hr@1']:6.3f} {m['hr@5']:6.3f} {m['hr@10']:6.3f} {m['mrr']:6.3f}")
    chosen_all = next(c for c in candidates if c.name == result.product.chosen)
    agrees = chosen_all.settings == PRODUCT_SETTINGS
    print(
        f"\non every case the procedure chooses: {chosen_all.name} (best: {result.product.best}); "
        f"the product uses: {PRODUCT_SETTINGS.describe()}"
        + ("" if agrees else "  <-- DIFFERENT" + (" (--quick: fewer candidates)" if quick else ""))
    )
    print(f"{seconds:.0f} s")
    return {
        "exchanges": len(exchanges),
        "cases": len(cases),
        "reachable": reachable,
        "quick": quick,
        "bootstrap samples": samples,
        **figures,
        "chosen per outer fold": dict(chosen),
        "candidates, own leave-one-case-out": own,
        "chosen on every case": chosen_all.name,
        "product uses": PRODUCT_SETTINGS.describe(),
        "product agrees": agrees,
        "seconds": round(seconds, 1),
    }
