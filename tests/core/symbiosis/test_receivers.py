"""The receiver ranking learned from documented exchanges (helix.core.symbiosis.receivers)."""

from __future__ import annotations

import numpy as np
import pytest

from helix.core.matching.embedding import HashingEncoder
from helix.core.symbiosis.exchanges import (
    WasteQuery,
    read_exchange_file,
    read_exchanges,
)
from helix.core.symbiosis.receivers import (
    ReceiverModel,
    chapter_count_baseline,
    evaluate_leave_one_case_out,
    model_ranking,
)
from tests.helpers.exchanges import corpus, csv_text
from tests.helpers.shared_data import maestri_exchanges

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("encoder", [None, HashingEncoder()])
def test_the_model_learns_who_takes_what(encoder) -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()), encoder=encoder)
    slag = model.rank(WasteQuery(provider_nace=("2410",), ewc=("100202",), description="slag"), top=3)
    assert slag[0].key == "2351"
    assert slag[0].name == "Manufacture of cement"
    fuel = model.rank(WasteQuery(provider_nace=("1920",), ewc=("050799",), description="fuel gas"))
    assert fuel[0].key == "3511"
    assert sum(r.score for r in fuel) == pytest.approx(1.0)
    # a waste the model has seen only through its EWC chapter still ranks by that evidence
    organic = model.rank(WasteQuery(ewc=("020202",), description="chicken feathers"), top=2)
    assert organic[0].key == "3521"


def test_the_spelling_written_in_the_file_is_returned() -> None:
    rows = [[str(c), "2410", "slag", "100202", "3811*", "Waste collection"] for c in range(1, 4)]
    rows += [[str(c), "1011", "offal", "020202", "3521", "Gas"] for c in range(1, 4)]
    model = ReceiverModel.learn(read_exchanges(csv_text(rows)))
    top = model.rank(WasteQuery(provider_nace=("2410",), ewc=("100202",)), top=1)[0]
    assert (top.key, top.nace_code) == ("3811", "3811*")


def test_explanations_name_the_documented_evidence() -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()), encoder=HashingEncoder())
    q = WasteQuery(provider_nace=("2410",), ewc=("100202",), description="blast furnace slag")
    lines = model.explain(q, "2351", limit=10)
    assert any("the same EWC entry (100202) went to 2351" in line for line in lines)
    assert any("closest documented waste: 'blast furnace slag'" in line for line in lines)
    assert model.explain(q, "9999") == []


def test_score_of_matches_classes_and_divisions() -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()))
    q = WasteQuery(provider_nace=("2410",), ewc=("100202",))
    p, label = model.score_of(q, ["2351"])
    assert label == "2351"
    assert p == pytest.approx(float(model.scores(q)[model.labels.index("2351")]))
    assert model.score_of(q, ["23"])[1] == "2351"  # a division covers its classes
    assert model.score_of(q, ["9999"]) == (0.0, None)


def test_learning_needs_receivers() -> None:
    with pytest.raises(ValueError, match="no exchange names a receiving industry"):
        ReceiverModel.learn(
            read_exchanges(corpus().split("\n")[0] + "\n1,2410,slag,100202,,x\n", require_receiver=False)
        )


def test_leave_one_case_out_never_sees_the_held_out_case() -> None:
    # case 7 holds the only road-construction receiver: with case 7 held out it cannot be ranked.
    exchanges = read_exchanges(corpus())
    seen: list[set[str]] = []

    def spy(train, test):
        seen.append({e.case for e in train} & {e.case for e in test})
        return [[] for _ in test]

    result = evaluate_leave_one_case_out(exchanges, spy)
    assert all(not overlap for overlap in seen)
    assert result["hr@10"] == 0
    assert result["queries"] == 28
    assert result["cases"] == 7


@pytest.mark.skipif(
    maestri_exchanges() is None, reason="the shared MAESTRI file (../shared/data/symbiosis) is absent"
)
def test_on_the_shared_maestri_file_the_model_beats_the_chapter_count_baseline() -> None:
    exchanges = read_exchange_file(str(maestri_exchanges()))
    baseline = evaluate_leave_one_case_out(exchanges, chapter_count_baseline)
    learned = evaluate_leave_one_case_out(exchanges, model_ranking(HashingEncoder()))
    assert baseline["hr@10"] == pytest.approx(0.441, abs=0.03)  # the README's "about 46%"
    assert learned["hr@10"] > baseline["hr@10"] + 0.02
    assert learned["hr@5"] > baseline["hr@5"] + 0.04
    assert learned["mrr"] > baseline["mrr"]


def test_weights_are_finite_and_fitted() -> None:
    model = ReceiverModel.learn(read_exchanges(corpus()))
    assert np.all(np.isfinite(model.weights))
    assert np.any(model.weights != 0)


def test_a_large_file_is_thinned_for_the_fit_but_counted_whole() -> None:
    exchanges = read_exchanges(corpus())
    full = ReceiverModel.learn(exchanges)
    thin = ReceiverModel.learn(exchanges, max_fit_cells=1)  # every row skipped but one per stride
    assert np.array_equal(full._counts, thin._counts)  # the evidence is always all of it
    slag = WasteQuery(provider_nace=("2410",), ewc=("100202",), description="slag")
    assert thin.rank(slag, top=1)[0].key == "2351"
