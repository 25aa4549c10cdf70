"""A flow without a proposal is told why: no counterpart, too far, measured otherwise, quality, hazardous,
too cold ... counted over its counterparts, most frequent first; a counterpart it may not be paired
with is never mentioned (issue 12)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest

from helix.core.symbiosis import Direction, Flow, FlowKind, HeatSide, Quantity, Unmatched, explain_unmatched

pytestmark = pytest.mark.unit

GHENT = (51.054, 3.717)
ANTWERP = (51.219, 4.402)
LIEGE = (50.633, 5.567)
ARLON = (49.683, 5.816)


def flow(id: str, direction: Direction, where: tuple[float, float] = GHENT, **kw: object) -> Flow:
    kw.setdefault("kind", FlowKind.MATERIAL)
    kw.setdefault("owner", f"o-{id}")
    return Flow(id=id, direction=direction, latitude=where[0], longitude=where[1], **kw)  # type: ignore[arg-type]


def t(n: float) -> Quantity:
    return Quantity(n, "t", "year")


def test_no_counterpart_at_all() -> None:
    slag = flow("slag", Direction.HAVE, ewc=("100202",), quantity=t(10))
    other_kind = flow("water", Direction.WANT, kind=FlowKind.WATER, quantity=Quantity(5, "m3"))
    assert explain_unmatched(slag, [slag, other_kind]) == [
        Unmatched("no_counterpart", 0, {"kind": "material", "direction": "want"})
    ]


def test_reasons_are_counted_and_the_most_frequent_comes_first() -> None:
    want = flow("cement", Direction.WANT, ANTWERP, ewc=("100202",), quantity=t(100), max_distance_km=60)
    haves = [
        flow("far1", Direction.HAVE, LIEGE, ewc=("100202",), quantity=t(10)),
        flow("far2", Direction.HAVE, ARLON, ewc=("100202",), quantity=t(10)),
        flow("cubic", Direction.HAVE, GHENT, ewc=("100202",), quantity=Quantity(10, "m3")),
        flow("toxic", Direction.HAVE, GHENT, ewc=("100202",), quantity=t(10), hazardous=True),
    ]
    reasons = explain_unmatched(want, [want, *haves])
    assert [(r.code, r.count) for r in reasons] == [("too_far", 2), ("unit_mismatch", 1), ("hazardous", 1)]
    too_far = reasons[0].args
    assert too_far["limit"] == pytest.approx(60.0)
    assert 100 < float(too_far["km"]) < 200  # Antwerp-Liège by road, the nearer of the two
    assert reasons[1].args == {"units": "m3", "unit": "t"}


def test_quality_and_form_are_named() -> None:
    want = flow(
        "pellets",
        Direction.WANT,
        ANTWERP,
        ewc=("030105",),
        quantity=t(100),
        quality={"moisture_pct_max": 15},
        form="granular",
    )
    wet = flow(
        "wet", Direction.HAVE, ewc=("030105",), quantity=t(50), quality={"moisture_pct": 40}, form="granular"
    )
    lumps = flow(
        "lumps", Direction.HAVE, ewc=("030105",), quantity=t(50), quality={"moisture_pct": 10}, form="solid"
    )
    [reason] = explain_unmatched(want, [want, wet, lumps])
    assert (reason.code, reason.count, reason.args) == ("quality", 2, {"names": "form, moisture_pct"})


def test_too_cold_heat() -> None:
    demand = flow("dh", Direction.WANT, kind=FlowKind.HEAT, heat=HeatSide(120, 70, 2, 4000))
    cold = flow("cold", Direction.HAVE, kind=FlowKind.HEAT, heat=HeatSide(30, 20, 3, 8000))
    [reason] = explain_unmatched(demand, [demand, cold])
    assert reason.code == "too_cold"


def test_a_counterpart_that_fits_says_the_proposals_are_coming() -> None:
    have = flow("slag", Direction.HAVE, ewc=("100202",), quantity=t(10))
    want = flow("cement", Direction.WANT, ANTWERP, ewc=("100202",), quantity=t(10))
    [reason] = explain_unmatched(have, [have, want])
    assert (reason.code, reason.count) == ("would_match", 1)


def test_counterparts_it_may_not_be_paired_with_are_never_mentioned() -> None:
    want = flow("cement", Direction.WANT, ANTWERP, ewc=("100202",), quantity=t(10))
    secret = flow("secret", Direction.HAVE, LIEGE, ewc=("100202",), quantity=t(10))

    def nobody(have: Flow, wants: Sequence[Flow]) -> npt.NDArray[np.bool_]:
        return np.zeros(len(wants), dtype=bool)

    assert [r.code for r in explain_unmatched(want, [want, secret], pairable=nobody)] == ["no_counterpart"]
    assert [r.code for r in explain_unmatched(secret, [want, secret], pairable=nobody)] == ["no_counterpart"]
